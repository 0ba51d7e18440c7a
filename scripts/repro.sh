#!/usr/bin/env bash
# repro.sh - reproduce one crash for a developer (docs/CRASHES.md): a thin
# wrapper of `scripts/chanfuzz repro` (scripts/lib/chanfuzz/repro.py).
#
#   scripts/repro.sh CRASH [--target T] [--gdb]
# CRASH is a crash file or a crashes/<id>/ folder. Prints the sanitizer
# report, the identity, the decoded channel file with the culprit marked,
# the finding and the fault matrix of sensor builds; --gdb then runs it
# under gdb. Exit status: 0 when some build faults on the input, 1 when
# none does, 2 on bad arguments.
exec "$(dirname "$0")/chanfuzz" repro "$@"
