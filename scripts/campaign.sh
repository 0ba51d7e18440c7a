#!/usr/bin/env bash
# campaign.sh - the nightly fuzz campaign (docs/CAMPAIGN.md): a wrapper of
# `scripts/chanfuzz campaign` (scripts/lib/chanfuzz/campaign.py; --help).
exec "$(dirname "${BASH_SOURCE[0]}")/chanfuzz" campaign "$@"
