#!/usr/bin/env bash
# triage.sh - replay, name, minimise and file crashing inputs under
# crashes/<id>/ (docs/CRASHES.md, "Triage"): a thin wrapper of
# `scripts/chanfuzz triage` (scripts/lib/chanfuzz/triage.py).
#
#   scripts/triage.sh [--target T] [--out DIR] [--no-minimize]
#       [--minimize-time SEC] [--replay-timeout SEC]
#       [--oom-is-finding yes|no] [--timeout-is-finding yes|no]
#       [--jobs N] [--full] [--record FILE] INPUT...
# Prints one line per input: new|dup|flaky ID TYPE TARGET SIZE->MINSIZE.
# Exit status: 0 when every input was filed, 1 when one could not be, 2 on
# bad arguments (unknown option or target, missing input or build).
exec "$(dirname "$0")/chanfuzz" triage "$@"
