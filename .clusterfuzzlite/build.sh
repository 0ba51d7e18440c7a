#!/usr/bin/env bash
# ClusterFuzzLite / OSS-Fuzz entry point: the image runs $SRC/build.sh (this
# file, copied there by the Dockerfile) as `bash -eux $SRC/build.sh` with
# CC, CFLAGS, LIB_FUZZING_ENGINE, SRC and OUT set for the sanitizer being
# built. Everything is in scripts/build.sh (docs/OSSFUZZ.md).
set -euo pipefail
if [ -n "${SRC:-}" ] && [ -f "$SRC/chanfuzz/scripts/build.sh" ]; then
	exec bash "$SRC/chanfuzz/scripts/build.sh" "$@"
fi
# Run from a checkout (.clusterfuzzlite/build.sh): the checkout's script.
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/build.sh" "$@"
