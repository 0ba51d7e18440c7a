#!/usr/bin/env bash
# bench-report.sh - the report of scripts/bench.sh again, from a work
# folder the run kept (--keep): bench/results/<UTC date>[-quick].md and
# .json, each written to a temporary file in the results folder and
# renamed. A thin wrapper of `scripts/chanfuzz bench --report`; the report
# itself is scripts/lib/chanfuzz/benchreport.py, which every run of
# scripts/bench.sh calls at its end.
#
#   scripts/bench-report.sh DIR [--out RESULTS]
#
# DIR: build/bench/runs/<stamp>.XXXXXXXX (its report.json); RESULTS: where
# to write (default: the run's own --out). Exit status 0, 1 when DIR holds
# no finished run or the report cannot be written, 2 on bad usage.
[ $# -ge 1 ] || { echo "usage: scripts/bench-report.sh DIR [--out RESULTS]" >&2; exit 2; }
dir=$1
shift
exec "$(dirname "$0")/chanfuzz" bench --report "$dir" "$@"
