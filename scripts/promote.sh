#!/usr/bin/env bash
# promote.sh - put a triaged crash into the regression corpus
# (docs/CRASHES.md, "Regression corpus"): a thin wrapper of
# `scripts/chanfuzz promote` (scripts/lib/chanfuzz/promote.py).
#
#   scripts/promote.sh CRASH-DIR --expect fixed|open|detect [--target T]
#       [--regression DIR] [--replay-timeout SEC]
# Copies the crash's minimised input to DIR/<target>/<id> and adds or
# replaces its line in DIR/<target>/index.tsv, after checking that the
# expectation holds. Exit status: 0 promoted, 1 the expectation does not
# hold, 2 bad arguments.
exec "$(dirname "$0")/chanfuzz" promote "$@"
