#!/usr/bin/env bash
# signature.sh - crash type, frames, root cause and id of fault reports
# (docs/CRASHES.md, "Crash identity"): a thin wrapper of
# `scripts/chanfuzz signature` (scripts/lib/chanfuzz/signature.py).
#
#   scripts/signature.sh [--target T] [--text] [--json] < REPORT
#   scripts/signature.sh [--target T] [--json] REPORT...
# Exit status: 0 with a signature, 1 when the report holds no recognised
# fault, 2 on a usage error.
exec "$(dirname "$0")/chanfuzz" signature "$@"
