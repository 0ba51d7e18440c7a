#!/usr/bin/env bash
# bench.sh - chanfuzz's benchmarks, behind `make bench` and `make bench-quick`
# (docs/BENCH.md: method, defects, how to read the tables): a thin wrapper
# of `scripts/chanfuzz bench` (scripts/lib/chanfuzz/bench.py: options,
# sections, resume and checkpoints; benchrun.py: the measurements;
# benchreport.py: the report).
#
#   scripts/bench.sh [--quick] [--trials N] [--cap SEC] [--tput SEC]
#       [--afl-tput SEC] [--bugs LIST] [--configs LIST] [--crc on|off|both]
#       [--crc-off-configs LIST] [--parallel N] [--only LIST] [--out DIR]
#       [--checkpoint DIR] [--keep] [--no-build]
#   scripts/bench.sh --resume DIR [--parallel N] [--keep] [--no-build]
#
# Environment: BENCH_TRIALS, BENCH_CAP, BENCH_TPUT (defaults; options win),
# BENCH_FILED_TRIALS, BENCH_FILED_BUDGET (the filed section),
# CF_BENCH_LOADAVG (another load average file: the tests). Writes
# bench/results/<UTC date>[-quick].md and .json. Exit status: 0, 1 on a
# failure, 2 on bad usage, 130 when interrupted. `--help` says the rest.
exec "$(dirname "$0")/chanfuzz" bench "$@"
