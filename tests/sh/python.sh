# python.sh - the orchestration package's unit tests (scripts/lib/chanfuzz/
# *_test.py), counted in make test's closing line.
# shellcheck shell=bash
exec python3 "$(dirname "$0")/../pyunit.py"
