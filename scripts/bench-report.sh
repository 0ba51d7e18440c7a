#!/usr/bin/env bash
# bench-report.sh - the report of scripts/bench.sh (bench/results/<UTC
# date>[-quick].md and .json, each written to a temporary file in the
# results folder and renamed) is written by `scripts/chanfuzz bench` at
# the end of a run: scripts/lib/chanfuzz/benchreport.py. This name is kept
# for those who look for it; it runs the benchmark with the options given
# (scripts/bench.sh --help).
exec "$(dirname "$0")/chanfuzz" bench "$@"
