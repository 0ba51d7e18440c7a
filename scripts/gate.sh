#!/usr/bin/env bash
# gate.sh - the content release gate with sanitizer evidence (docs/GATE.md):
# cftool gate on every file, the synthesised events replayed on the ASan
# build, a Markdown and a SARIF report. The logic is the Python module
# scripts/lib/chanfuzz/gate.py; `scripts/gate.sh --help` lists the options.
exec "$(dirname "$0")/chanfuzz" gate "$@"
