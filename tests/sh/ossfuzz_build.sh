# ossfuzz_build.sh - scripts/build.sh as OSS-Fuzz / ClusterFuzzLite run it
# (docs/OSSFUZZ.md), bounded by run counts:
#   - the checkout is copied (without the Makefile or build/) to a
#     temporary $SRC/chanfuzz, .clusterfuzzlite/build.sh to $SRC/build.sh,
#     and `bash -eux $SRC/build.sh` runs from $SRC/chanfuzz with the
#     environment base-builder sets for an ASan libFuzzer build (below);
#   - $OUT then holds, per target, the binary, <t>_seed_corpus.zip (a
#     valid zip with every file of corpus/<t>/), <t>.dict and <t>.options
#     (as in harness/), libbsd is linked statically when libbsd.a exists,
#     and nothing in the copied checkout changed;
#   - each target runs as base-runner's run_fuzzer would (from $OUT, with
#     the [libfuzzer] options of its .options file) on its unzipped seeds
#     for -runs=N and exits 0; fuzz_interp_711 runs only its seeds
#     (-runs=0; fuzzing it finds CF-291, as it should);
#   - with SRC lacking chanfuzz/ the script builds its own checkout; a
#     missing OUT is a clear error.
# Not `set -e`: the assertions of lib.sh count failures and go on.
# shellcheck shell=bash
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
RUNS=${OSSFUZZ_RUNS:-2000}
# Every target of harness/targets.tsv.
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || exit 1
for tool in clang zip unzip; do
	command -v "$tool" >/dev/null || {
		echo "ossfuzz_build: $tool missing (make deps)"
		exit 1
	}
done

# The environment of OSS-Fuzz's base-builder image for SANITIZER=address,
# FUZZING_ENGINE=libfuzzer (google/oss-fuzz infra/base-images):
#   base-clang/Dockerfile   CC=clang CXX=clang++ and
#                           CFLAGS="-O1 -fno-omit-frame-pointer
#                           -gline-tables-only
#                           -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
#   base-builder/Dockerfile SANITIZER_FLAGS_address="-fsanitize=address
#                           -fsanitize-address-use-after-scope",
#                           COVERAGE_FLAGS="-fsanitize=fuzzer-no-link"
#   base-builder/compile    CFLAGS="$CFLAGS $SANITIZER_FLAGS $COVERAGE_FLAGS",
#                           CXXFLAGS="$CFLAGS $CXXFLAGS_EXTRA" (EXTRA is
#                           -stdlib=libc++ there; Debian's clang has no
#                           libc++, so it is left out here)
#   base-builder/compile_libfuzzer  LIB_FUZZING_ENGINE=-fsanitize=fuzzer
# CXX: clang++ when installed; otherwise clang, which links
# -fsanitize=fuzzer by itself (the driver adds libFuzzer and the C++
# runtime, libstdc++ on Debian).
CXX_=clang
command -v clang++ >/dev/null && CXX_=clang++
CFLAGS_="-O1 -fno-omit-frame-pointer -gline-tables-only"
CFLAGS_+=" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
CFLAGS_+=" -fsanitize=address -fsanitize-address-use-after-scope"
CFLAGS_+=" -fsanitize=fuzzer-no-link"
S=$TMP/src     # $SRC
O=$TMP/ossout  # $OUT (lib.sh's $OUT is the file run() captures stdout in)
W=$TMP/work    # $WORK
mkdir -p "$S/chanfuzz" "$O" "$W" "$TMP/empty"
# The checkout as the Dockerfile copies it, minus what build.sh must not
# need (Makefile) or must not see (build/).
cp -a parsers harness corpus scripts "$S/chanfuzz/"
cp .clusterfuzzlite/build.sh "$S/build.sh"
snapshot() { (cd "$S/chanfuzz" && find . -printf '%p %s %T@ %m\n' | sort); }
snapshot >"$TMP/before"

# Our own knobs (CHANFUZZ_*) and AR are cleared: the defaults are tested.
clean_env=(env -u CHANFUZZ_TARGETS -u CHANFUZZ_SMART -u CHANFUZZ_LIBBSD -u AR -u CCC
	-u SANITIZER_FLAGS -u CXX -u CXXFLAGS)
oss_env=("${clean_env[@]}" CC=clang CXX="$CXX_" CFLAGS="$CFLAGS_"
	CXXFLAGS="$CFLAGS_" LIB_FUZZING_ENGINE=-fsanitize=fuzzer SANITIZER=address
	FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=c ARCHITECTURE=x86_64
	SRC="$S" OUT="$O" WORK="$W")
t0=$(date +%s)
# shellcheck disable=SC2016 # expanded by the inner shell
run "${oss_env[@]}" bash -c 'cd "$SRC/chanfuzz" && bash -eux "$SRC/build.sh"'
expect_rc 0 "bash -eux \$SRC/build.sh (ASan libFuzzer environment)"
expect_out "build.sh: checkout $S/chanfuzz -> $O" "build.sh built \$SRC/chanfuzz"
expect_out "build.sh: done: ${#TARGETS[@]} targets" "build.sh reports every target of harness/targets.tsv"
echo "ossfuzz_build: build took $(($(date +%s) - t0)) s"
snapshot >"$TMP/after"
expect_same "$TMP/before" "$TMP/after" "the checkout is unchanged by build.sh"
if [ -z "$(ls -A "$W")" ]; then ok; else bad "build.sh left files in \$WORK: $(ls "$W")"; fi

static_bsd=0
p=$(clang -print-file-name=libbsd.a)
[ "$p" != libbsd.a ] && [ -f "$p" ] && static_bsd=1

for t in "${TARGETS[@]}"; do
	if [ -x "$O/$t" ]; then ok; else bad "$t: no executable in \$OUT"; fi
	for f in "${t}_seed_corpus.zip" "$t.dict" "$t.options"; do
		if [ -s "$O/$f" ]; then ok; else bad "$t: no $f in \$OUT"; fi
	done
	expect_same "$O/$t.dict" "harness/$t.dict" "$t.dict is the harness dictionary"
	expect_same "$O/$t.options" "harness/$t.options" "$t.options is the harness options file"
	run unzip -tq "$O/${t}_seed_corpus.zip"
	expect_rc 0 "${t}_seed_corpus.zip is a valid zip"
	n=$(unzip -Z1 "$O/${t}_seed_corpus.zip" 2>/dev/null | grep -c .)
	want=$(find "corpus/$t" -maxdepth 1 -type f | grep -c .)
	if [ "$n" -ge 1 ] && [ "$n" = "$want" ]; then ok; else
		bad "${t}_seed_corpus.zip: $n entries, corpus/$t has $want files"
	fi
	if [ $static_bsd = 1 ]; then
		if ldd "$O/$t" | grep -q libbsd; then bad "$t: libbsd linked dynamically"; else ok; fi
	fi
done

# libfuzzer_args T: the [libfuzzer] section of $O/T.options as -key=value.
libfuzzer_args() {
	awk -F'=' '/^[[:space:]]*\[/ { sec = ($0 ~ /^[[:space:]]*\[libfuzzer\]/) ; next }
		sec && NF >= 2 { k = $1; v = substr($0, index($0, "=") + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", v)
			if (k != "") print "-" k "=" v }' "$O/$1.options"
}
for t in "${TARGETS[@]}"; do
	seeds=$TMP/seeds/$t new=$TMP/new/$t art=$TMP/art/$t
	mkdir -p "$seeds" "$new" "$art"
	unzip -q "$O/${t}_seed_corpus.zip" -d "$seeds"
	mapfile -t opts < <(libfuzzer_args "$t")
	runs=$RUNS
	[ "$t" = fuzz_interp_711 ] && runs=0
	# From $OUT, as run_fuzzer does: the options name the dict relative to it.
	run bash -c 'cd "$1" && shift && exec "$@"' _ "$O" "./$t" -seed=1 -runs="$runs" \
		"${opts[@]}" -artifact_prefix="$art/" "$new" "$seeds"
	expect_rc 0 "$t -runs=$runs on its seed zip"
	expect_err 'Dictionary: [0-9]+ entries' "$t loaded its dictionary from the options"
	if [ "$runs" = 0 ]; then
		expect_err 'INITED' "$t ran its seeds"
	else
		expect_err "Done $runs runs" "$t completed $runs runs"
	fi
	if [ -z "$(ls -A "$art")" ]; then ok; else bad "$t left artifacts: $(ls "$art")"; fi
done

# SRC without chanfuzz/: the script's own checkout (one target, quickly).
mkdir -p "$TMP/out2"
run "${clean_env[@]}" CC=clang CFLAGS="$CFLAGS_" LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC="$TMP/empty" \
	OUT="$TMP/out2" CHANFUZZ_TARGETS=fuzz_regex bash "$S/chanfuzz/scripts/build.sh"
expect_rc 0 "SRC without chanfuzz/: builds"
expect_out "has no chanfuzz/ checkout; using $S/chanfuzz" "SRC without chanfuzz/: its own checkout"
if [ -x "$TMP/out2/fuzz_regex" ]; then ok; else bad "SRC without chanfuzz/: no fuzz_regex"; fi

run "${clean_env[@]}" -u OUT LIB_FUZZING_ENGINE=-fsanitize=fuzzer bash "$S/chanfuzz/scripts/build.sh"
expect_rc 1 "OUT unset"
expect_err 'OUT is not set' "OUT unset: says so"
run "${clean_env[@]}" OUT="$TMP/no-such-dir" bash "$S/chanfuzz/scripts/build.sh"
expect_rc 1 "OUT missing"
expect_err 'is not a directory' "OUT missing: says so"
finish ossfuzz_build
