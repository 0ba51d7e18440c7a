# shellcheck shell=bash disable=SC2034
# crash-lib.sh - what campaign.sh shares with the crash pipeline: ROOT, the
# fuzz targets (scripts/targets.sh) and the message helpers. Sourced, not
# run. The pipeline itself (triage, promote, regress, repro) is Python:
# scripts/chanfuzz, scripts/lib/chanfuzz/ (docs/CRASHES.md).
#
# Callers set PROG (their name, for messages) before sourcing.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The fuzz targets (harness/targets.tsv): TARGETS, CHAN_TARGETS (input
# starts with a channel file), SENSORS (the sensor builds that have an
# interpreter target), T_MUT and sensor_target BUILD.
# shellcheck source=scripts/targets.sh
. "$ROOT/scripts/targets.sh" || exit 2

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 2
}
warn() {
	printf '%s: %s\n' "$PROG" "$*" >&2
}

contains() {
	local x=$1 y
	shift
	for y in "$@"; do
		[ "$x" = "$y" ] && return 0
	done
	return 1
}

now_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }
