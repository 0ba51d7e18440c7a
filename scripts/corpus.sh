#!/usr/bin/env bash
# corpus.sh - build the seed corpora from corpus/src (`make corpus`): every
# corpus/src/*.cft compiled into build/corpus/*.cf and the seeds of each
# target into corpus/<target>/, by harness/targets.tsv's input column, with
# an up-to-date fast path. A thin wrapper of `scripts/chanfuzz corpus`
# (scripts/lib/chanfuzz/corpus.py, where the seed rules are written).
# Prints one summary line per target. Environment: CFTOOL (default
# build/cftool). Exit status: 0 done, 1 a source or cftool is wrong.
exec "$(dirname "$0")/chanfuzz" corpus "$@"
