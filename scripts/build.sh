#!/usr/bin/env bash
# build.sh - build the chanfuzz fuzz targets the way OSS-Fuzz and
# ClusterFuzzLite expect (docs/OSSFUZZ.md). Stands alone: it does not use
# the Makefile and writes nothing into the source tree.
#
# The OSS-Fuzz build contract (base-builder image; google/oss-fuzz
# infra/base-images/base-builder and docs/getting-started/new-project-guide):
#   CC, CXX             compilers (default clang; CXX only links, see below)
#   CFLAGS              sanitizer + coverage flags, appended to ours
#                       (unset: base-builder's ASan libFuzzer flags)
#   CXXFLAGS            link flags when CXX links (default: CFLAGS)
#   LIB_FUZZING_ENGINE  what links the engine (default -fsanitize=fuzzer)
#   SRC                 the folder holding the checkout: the project is
#                       $SRC/chanfuzz; when SRC is unset or has no
#                       chanfuzz/ in it, the checkout this script lives in
#   OUT                 where the results go (must exist)
#   WORK                scratch space for objects (default: a temporary
#                       folder; removed at the end either way)
# and our own knobs:
#   CHANFUZZ_TARGETS    targets to build (default: every target of
#                       harness/targets.tsv)
#   CHANFUZZ_SMART=1    also build <target>_smart (mutator kind not none), linked with the
#                       structure-aware mutator (libFuzzer only)
#   CHANFUZZ_LIBBSD     static | dynamic | auto (default auto: static when
#                       libbsd.a exists, with libmd.a when that exists)
#
# Writes into $OUT, per target T: T (the binary), T_seed_corpus.zip (the
# files of corpus/T/), T.dict and T.options (from harness/).
set -euo pipefail
export LC_ALL=C

me=build.sh
die() {
	echo "$me: error: $*" >&2
	exit 1
}
log() { echo "$me: $*"; }

# ---- environment ------------------------------------------------------------
[ -n "${OUT:-}" ] || die "OUT is not set: the output folder (OSS-Fuzz sets OUT=/out)"
[ -d "$OUT" ] || die "OUT=$OUT is not a directory (create it first)"
[ -w "$OUT" ] || die "OUT=$OUT is not writable"
OUT=$(cd "$OUT" && pwd -P)

self_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
is_root() { [ -f "$1/harness/harness.c" ] && [ -d "$1/parsers/src" ] && [ -d "$1/corpus" ]; }
if [ -n "${SRC:-}" ] && is_root "$SRC/chanfuzz"; then
	ROOT=$(cd "$SRC/chanfuzz" && pwd -P)
elif is_root "$self_root"; then
	ROOT=$self_root
	[ -n "${SRC:-}" ] && log "SRC=$SRC has no chanfuzz/ checkout; using $ROOT"
else
	die "no chanfuzz checkout: neither \$SRC/chanfuzz (SRC=${SRC:-unset}) nor $self_root"
fi
case "$OUT/" in
"$ROOT"/harness/* | "$ROOT"/parsers/* | "$ROOT"/corpus/* | "$ROOT"/scripts/* | "$ROOT/")
	die "OUT=$OUT is inside the source tree"
	;;
esac

# The targets: the checkout's harness/targets.tsv (TARGETS, T_SRC,
# T_SENSOR, T_MUT, T_DEFS), read by the checkout's scripts/targets.sh.
# shellcheck source=scripts/targets.sh
. "$ROOT/scripts/targets.sh" || die "$ROOT/harness/targets.tsv: cannot read the target list"
ALL_TARGETS=${TARGETS[*]}

CC=${CC:-clang}
command -v "${CC%% *}" >/dev/null 2>&1 || die "CC=$CC not found"
command -v zip >/dev/null 2>&1 || die "zip not found (apt-get install zip)"
AR=${AR:-ar}

# Outside OSS-Fuzz, unset variables get what base-builder sets for an
# ASan + libFuzzer build (base-clang's CFLAGS, SANITIZER_FLAGS_address,
# COVERAGE_FLAGS; compile_libfuzzer's LIB_FUZZING_ENGINE). Set CFLAGS to
# the empty string for no sanitizer at all.
if [ -z "${CFLAGS+set}" ]; then
	CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
	CFLAGS+=" -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
	log "CFLAGS unset: using OSS-Fuzz's ASan libFuzzer flags"
fi
if [ -z "${LIB_FUZZING_ENGINE:-}" ]; then
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer
	log "LIB_FUZZING_ENGINE unset: using $LIB_FUZZING_ENGINE"
fi
# Flags are split on whitespace, as the unquoted $CFLAGS of other build.sh
# scripts would be (no quoting inside the variables).
read -r -a user_cflags <<<"$CFLAGS"
read -r -a engine <<<"$LIB_FUZZING_ENGINE"
# The FUZZING_BUILD_MODE define is in OSS-Fuzz's CFLAGS already; add it
# when a caller's CFLAGS lack it, so every build of ours has it.
case " $CFLAGS " in
*" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION "*) ;;
*) user_cflags+=(-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) ;;
esac
# -Wall -Wextra but no -Werror: OSS-Fuzz builds with its own, newer clang,
# whose new warnings (or warnings about the sanitizer and coverage flags it
# puts in CFLAGS) must not fail a build that is correct. The Makefile
# keeps -Werror for our own builds, where the compiler is known.
std=(-std=c11 -D_DEFAULT_SOURCE -Wall -Wextra)

# Linking: OSS-Fuzz links with $CXX $CXXFLAGS, even for C, because the
# engine may be a C++ library (libFuzzer is; clang's -fsanitize=fuzzer
# also pulls in the C++ runtime, so clang alone links it as well).
if [ -n "${CXX:-}" ]; then
	command -v "${CXX%% *}" >/dev/null 2>&1 || die "CXX=$CXX not found"
	LINK=$CXX
	read -r -a link_flags <<<"${CXXFLAGS:-$CFLAGS}"
else
	LINK=$CC
	link_flags=("${user_cflags[@]}")
fi

# libbsd: the ClusterFuzz runner image has no libbsd, so link it statically
# when libbsd.a exists (Debian's and Ubuntu's libbsd-dev ship it), with
# libmd.a when that exists too (newer libbsd needs libmd; older has none);
# otherwise -lbsd.
have_static() {
	local p
	p=$("$CC" -print-file-name="$1" 2>/dev/null) || return 1
	[ "$p" != "$1" ] && [ -f "$p" ]
}
static_bsd=("-Wl,-Bstatic" -lbsd)
if have_static libmd.a; then static_bsd+=(-lmd); fi
static_bsd+=("-Wl,-Bdynamic")
case ${CHANFUZZ_LIBBSD:-auto} in
static) libs=("${static_bsd[@]}") ;;
dynamic) libs=(-lbsd) ;;
auto)
	if have_static libbsd.a; then
		libs=("${static_bsd[@]}")
	else
		libs=(-lbsd)
	fi
	;;
*) die "CHANFUZZ_LIBBSD=${CHANFUZZ_LIBBSD} (static, dynamic or auto)" ;;
esac

read -r -a targets <<<"${CHANFUZZ_TARGETS:-$ALL_TARGETS}"
for t in "${targets[@]}"; do
	case " $ALL_TARGETS " in *" $t "*) ;; *) die "unknown target $t (known: $ALL_TARGETS)" ;; esac
done
smart=${CHANFUZZ_SMART:-0}
if [ "$smart" = 1 ] && [[ " ${engine[*]} " != *" -fsanitize=fuzzer "* ]]; then
	log "CHANFUZZ_SMART=1 needs libFuzzer (LIB_FUZZING_ENGINE=-fsanitize=fuzzer): no _smart targets"
	smart=0
fi

# ---- scratch ----------------------------------------------------------------
scratch_base=${WORK:-${TMPDIR:-/tmp}}
[ -d "$scratch_base" ] || die "WORK=$scratch_base is not a directory"
B=$(mktemp -d "$scratch_base/chanfuzz-build.XXXXXX")
trap 'rm -rf "$B"' EXIT

log "checkout $ROOT -> $OUT"
log "CC=$CC LINK=$LINK CFLAGS=${user_cflags[*]}"
log "LIB_FUZZING_ENGINE=${engine[*]} libbsd: ${libs[*]}"

# wait_all PID...: wait for each; fail if any failed.
wait_all() {
	local p bad=0
	for p in "$@"; do wait "$p" || bad=1; done
	[ $bad = 0 ]
}

# ---- the model library -------------------------------------------------------
inc=(-I"$ROOT/parsers/include")
mkdir -p "$B/lib"
pids=()
objs=()
for c in "$ROOT"/parsers/src/*.c; do
	o=$B/lib/$(basename "$c" .c).o
	objs+=("$o")
	"$CC" "${std[@]}" "${user_cflags[@]}" "${inc[@]}" -I"$ROOT/parsers/src" \
		-c "$c" -o "$o" &
	pids+=($!)
done
wait_all "${pids[@]}" || die "compiling the library failed"
rm -f "$B/libcfmodel.a"
"$AR" rcs "$B/libcfmodel.a" "${objs[@]}"
log "library: ${#objs[@]} objects"

# ---- targets -----------------------------------------------------------------
# tsrc T: the target's source; tdefs T: its defines, one per line (as the
# Makefile's: the sensor build it runs, the mutator kind, the list's own).
tsrc() { echo "$ROOT/harness/${T_SRC[$1]}"; }
tdefs() {
	local d
	[ -z "${T_SENSOR[$1]}" ] || echo "-DCF_H_BUILD=\"${T_SENSOR[$1]}\""
	[ "${T_MUT[$1]}" != regex ] || echo "-DCF_MUT_KIND=CF_MUT_REGEX"
	for d in ${T_DEFS[$1]}; do echo "$d"; done
}

# build_target T NAME EXTRA_SOURCES...: compile and link $OUT/NAME.
build_target() {
	local t=$1 name=$2 d s o defs=()
	shift 2
	d=$B/$name
	mkdir -p "$d"
	mapfile -t defs < <(tdefs "$t")
	local tobjs=()
	for s in "$(tsrc "$t")" "$ROOT/harness/harness.c" "$@"; do
		case $s in *.o) tobjs+=("$s") && continue ;; esac # built already
		o=$d/$(basename "$s" .c).o
		"$CC" "${std[@]}" "${user_cflags[@]}" "${defs[@]+"${defs[@]}"}" "${inc[@]}" -I"$ROOT/harness" \
			-c "$s" -o "$o" || return 1
		tobjs+=("$o")
	done
	"$LINK" "${link_flags[@]}" "${tobjs[@]}" "$B/libcfmodel.a" "${engine[@]}" "${libs[@]}" \
		-o "$B/$name.bin" || return 1
	mv -f "$B/$name.bin" "$OUT/$name"
}

# The structure-aware mutator: harness/cf_mutator.c and its modules,
# harness/mut_*.c (as the Makefile's MUT_SRC).
mut_src=("$ROOT/harness/cf_mutator.c" "$ROOT"/harness/mut_*.c)
# As the Makefile's build/fuzz/mut-KIND.o (issue 18): the mutator and its
# own copy of the model, without CFLAGS' sanitizer and coverage flags, in
# one object exporting only the two libFuzzer hooks. Without ld or objcopy
# the mutator's sources are compiled with CFLAGS, as the targets are.
mut_obj() { # mut_obj KIND DEFINE: $B/mut-KIND.o
	local s d=$B/mut-$1 os=()
	mkdir -p "$d"
	for s in "${mut_src[@]}" "$ROOT/harness/harness.c" "$ROOT/harness/mutator_libfuzzer.c" "$ROOT"/parsers/src/*.c; do
		os+=("$d/$(basename "$(dirname "$s")")-$(basename "$s" .c).o")
		"$CC" "${std[@]}" -O2 -fPIC -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -DCF_MUT_KIND="$2" \
			"${inc[@]}" -I"$ROOT/parsers/src" -I"$ROOT/harness" -c "$s" -o "${os[-1]}" || return 1
	done
	"${LD:-ld}" -r -o "$d/all.o" "${os[@]}" &&
		"${OBJCOPY:-objcopy}" --keep-global-symbol=LLVMFuzzerCustomMutator \
			--keep-global-symbol=LLVMFuzzerCustomCrossOver "$d/all.o" "$B/mut-$1.o"
}
mut_plain=0
if [ "$smart" = 1 ] && command -v "${LD:-ld}" >/dev/null && command -v "${OBJCOPY:-objcopy}" >/dev/null; then
	mut_obj channel CF_MUT_CHANNEL && mut_obj regex CF_MUT_REGEX || die "building the mutator failed"
	mut_plain=1
elif [ "$smart" = 1 ]; then
	log "no ${LD:-ld} or ${OBJCOPY:-objcopy}: the _smart mutator is built with CFLAGS"
fi
pids=()
for t in "${targets[@]}"; do
	build_target "$t" "$t" &
	pids+=($!)
	if [ "$smart" = 1 ] && [ "${T_MUT[$t]}" != none ]; then
		mut=("${mut_src[@]}" "$ROOT/harness/mutator_libfuzzer.c")
		[ $mut_plain = 0 ] || mut=("$B/mut-${T_MUT[$t]}.o")
		build_target "$t" "${t}_smart" "${mut[@]}" &
		pids+=($!)
	fi
done
wait_all "${pids[@]}" || die "building the targets failed"

# ---- seeds, dictionaries, options --------------------------------------------
# install_extras T NAME: NAME_seed_corpus.zip, NAME.dict, NAME.options.
install_extras() {
	local t=$1 name=$2 seeds=()
	shopt -s nullglob
	seeds=("$ROOT/corpus/$t"/*)
	shopt -u nullglob
	rm -f "$OUT/${name}_seed_corpus.zip"
	if [ ${#seeds[@]} -gt 0 ]; then
		zip -q -j -X "$OUT/${name}_seed_corpus.zip" "${seeds[@]}"
	else
		log "warning: corpus/$t is empty: no ${name}_seed_corpus.zip"
	fi
	if [ -f "$ROOT/harness/$t.dict" ]; then
		cp -f "$ROOT/harness/$t.dict" "$OUT/$name.dict"
	fi
	# The options name the dictionary by its file name in $OUT.
	if [ -f "$ROOT/harness/$t.options" ]; then
		sed "s/^\([[:space:]]*dict[[:space:]]*=[[:space:]]*\)$t\.dict[[:space:]]*\$/\1$name.dict/" \
			"$ROOT/harness/$t.options" >"$OUT/$name.options"
	fi
	log "$name: binary, ${#seeds[@]} seeds, dict, options"
}
for t in "${targets[@]}"; do
	install_extras "$t" "$t"
	if [ "$smart" = 1 ] && [ "${T_MUT[$t]}" != none ]; then install_extras "$t" "${t}_smart"; fi
done
extra=
if [ "$smart" = 1 ]; then extra=" (and their _smart variants)"; fi
log "done: ${#targets[@]} targets$extra in $OUT"
