#!/usr/bin/env bash
# regress.sh - the regression suite behind `make regress` (docs/CRASHES.md):
# a thin wrapper of `scripts/chanfuzz regress`
# (scripts/lib/chanfuzz/regress.py).
#
#   scripts/regress.sh [--regression DIR] [--seeds DIR] [--target T]...
#       [--timeout SEC] [--keep]
# Replays every seed and every regression input against the ASan replay
# builds, one process per target, and checks each recorded expectation.
# Prints the failures, a table and "regress: N passed, N failed"; exit
# status 1 on any failure, 2 on bad arguments.
exec "$(dirname "$0")/chanfuzz" regress "$@"
