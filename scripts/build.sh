#!/usr/bin/env bash
# build.sh - the fuzz targets built as OSS-Fuzz and ClusterFuzzLite expect,
# without the Makefile, writing nothing into the source tree. The contract (CC
# CXX CFLAGS CXXFLAGS LIB_FUZZING_ENGINE SRC OUT WORK AR; our CHANFUZZ_TARGETS
# CHANFUZZ_SMART CHANFUZZ_LIBBSD; what lands in $OUT): docs/OSSFUZZ.md.
set -euo pipefail
export LC_ALL=C

me=build.sh
die() { echo "$me: error: $*" >&2; exit 1; }
log() { echo "$me: $*"; }
# have CMD: CMD's first word is a command; wait_all PID...: fails if one did.
have() { command -v "${1%% *}" >/dev/null 2>&1; }
wait_all() { local p bad=0; for p; do wait "$p" || bad=1; done; return $bad; }

# ---- environment ------------------------------------------------------------
[ -n "${OUT:-}" ] || die "OUT is not set: the output folder (OSS-Fuzz sets OUT=/out)"
[ -d "$OUT" ] || die "OUT=$OUT is not a directory (create it first)"
[ -w "$OUT" ] || die "OUT=$OUT is not writable"
OUT=$(cd "$OUT" && pwd -P)
# The checkout: $SRC/chanfuzz, else the one this script lives in.
self_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
is_root() { [ -f "$1/harness/harness.c" ] && [ -d "$1/parsers/src" ] && [ -d "$1/corpus" ]; }
if [ -n "${SRC:-}" ] && is_root "$SRC/chanfuzz"; then
	ROOT=$(cd "$SRC/chanfuzz" && pwd -P)
elif is_root "$self_root"; then
	ROOT=$self_root
	[ -z "${SRC:-}" ] || log "SRC=$SRC has no chanfuzz/ checkout; using $ROOT"
else
	die "no chanfuzz checkout: neither \$SRC/chanfuzz (SRC=${SRC:-unset}) nor $self_root"
fi
case "$OUT/" in
"$ROOT"/harness/* | "$ROOT"/parsers/* | "$ROOT"/corpus/* | "$ROOT"/scripts/* | "$ROOT/")
	die "OUT=$OUT is inside the source tree" ;;
esac
# TARGETS, T_SRC, T_SENSOR, T_MUT, T_DEFS: the checkout's harness/targets.tsv.
# shellcheck source=scripts/targets.sh
. "$ROOT/scripts/targets.sh" || die "$ROOT/harness/targets.tsv: cannot read the target list"
ALL_TARGETS=${TARGETS[*]}

CC=${CC:-clang} AR=${AR:-ar}
have "$CC" || die "CC=$CC not found"
have zip || die "zip not found (apt-get install zip)"
# Unset, CFLAGS and LIB_FUZZING_ENGINE are base-builder's for ASan +
# libFuzzer (CFLAGS= builds without a sanitizer). Flags split on whitespace.
if [ -z "${CFLAGS+set}" ]; then
	CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
	CFLAGS+=" -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
	log "CFLAGS unset: using OSS-Fuzz's ASan libFuzzer flags"
fi
if [ -z "${LIB_FUZZING_ENGINE:-}" ]; then
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer
	log "LIB_FUZZING_ENGINE unset: using $LIB_FUZZING_ENGINE"
fi
read -r -a user_cflags <<<"$CFLAGS"
read -r -a engine <<<"$LIB_FUZZING_ENGINE"
case " $CFLAGS " in
*" -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION "*) ;;
*) user_cflags+=(-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) ;;
esac
# No -Werror: OSS-Fuzz's clang is newer than ours (docs/OSSFUZZ.md).
std=(-std=c11 -D_DEFAULT_SOURCE -Wall -Wextra)
# OSS-Fuzz links with $CXX $CXXFLAGS (the engine may be C++); without CXX,
# $CC links (clang -fsanitize=fuzzer brings the C++ runtime itself).
LINK=${CXX:-$CC} link_flags=("${user_cflags[@]}")
if [ -n "${CXX:-}" ]; then
	have "$CXX" || die "CXX=$CXX not found"
	read -r -a link_flags <<<"${CXXFLAGS:-$CFLAGS}"
fi
# libbsd: static when libbsd.a exists (base-runner has no libbsd), with
# libmd.a when that exists too; else -lbsd.
have_static() { local p; p=$("$CC" -print-file-name="$1" 2>/dev/null) && [ "$p" != "$1" ] && [ -f "$p" ]; }
static_bsd=("-Wl,-Bstatic" -lbsd) libs=(-lbsd)
if have_static libmd.a; then static_bsd+=(-lmd); fi
case ${CHANFUZZ_LIBBSD:-auto} in
static) libs=("${static_bsd[@]}" "-Wl,-Bdynamic") ;;
dynamic) ;;
auto) if have_static libbsd.a; then libs=("${static_bsd[@]}" "-Wl,-Bdynamic"); fi ;;
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
# ---- build ------------------------------------------------------------------
scratch_base=${WORK:-${TMPDIR:-/tmp}}
[ -d "$scratch_base" ] || die "WORK=$scratch_base is not a directory"
B=$(mktemp -d "$scratch_base/chanfuzz-build.XXXXXX")
trap 'rm -rf "$B"' EXIT
log "checkout $ROOT -> $OUT"
log "CC=$CC LINK=$LINK CFLAGS=${user_cflags[*]}"
log "LIB_FUZZING_ENGINE=${engine[*]} libbsd: ${libs[*]}"

# compile SRC DIR FLAGS...: DIR/<name of SRC>.o
compile() {
	mkdir -p "$2" && "$CC" "${std[@]}" "${user_cflags[@]}" "${@:3}" \
		-c "$1" -o "$2/$(basename "$1" .c).o"
}
pids=()
for c in "$ROOT"/parsers/src/*.c; do
	compile "$c" "$B/lib" -I"$ROOT/parsers/include" -I"$ROOT/parsers/src" &
	pids+=($!)
done
wait_all "${pids[@]}" || die "compiling the library failed"
"$AR" rcs "$B/libcfmodel.a" "$B"/lib/*.o
log "library: ${#pids[@]} objects"

# build T NAME: $OUT/NAME with the target's defines (the Makefile's tdef), for T_smart
# the mutator; NAME_seed_corpus.zip (corpus/T/), NAME.dict, NAME.options (naming it).
build() {
	local t=$1 n=$2 s defs=() more=() seeds=() objs=() srcs=("$ROOT/harness/${T_SRC[$1]}" "$ROOT/harness/harness.c")
	[ -z "${T_SENSOR[$t]}" ] || defs+=("-DCF_H_BUILD=\"${T_SENSOR[$t]}\"")
	[ "${T_MUT[$t]}" != regex ] || defs+=(-DCF_MUT_KIND=CF_MUT_REGEX)
	read -r -a more <<<"${T_DEFS[$t]}"
	# shellcheck disable=SC2206 # mut_link's sources: split, globbed
	[ "$n" = "$t" ] || srcs+=(${mut_link[${T_MUT[$t]}]})
	for s in "${srcs[@]}"; do
		[[ $s != *.o ]] || { objs+=("$s") && continue; }
		compile "$s" "$B/$n" "${defs[@]}" "${more[@]}" -I"$ROOT/parsers/include" -I"$ROOT/harness" || return 1
		objs+=("$B/$n/$(basename "$s" .c).o")
	done
	"$LINK" "${link_flags[@]}" "${objs[@]}" "$B/libcfmodel.a" "${engine[@]}" "${libs[@]}" -o "$B/$n.bin" || return 1
	mv -f "$B/$n.bin" "$OUT/$n"
	shopt -s nullglob
	seeds=("$ROOT/corpus/$t"/*)
	rm -f "$OUT/${n}_seed_corpus.zip"
	[ ${#seeds[@]} -eq 0 ] || zip -q -j -X "$OUT/${n}_seed_corpus.zip" "${seeds[@]}"
	[ ${#seeds[@]} -gt 0 ] || log "warning: corpus/$t is empty: no ${n}_seed_corpus.zip"
	[ ! -f "$ROOT/harness/$t.dict" ] || cp -f "$ROOT/harness/$t.dict" "$OUT/$n.dict"
	[ ! -f "$ROOT/harness/$t.options" ] ||
		sed "s/^\([[:space:]]*dict[[:space:]]*=[[:space:]]*\)$t\.dict[[:space:]]*\$/\1$n.dict/" \
			"$ROOT/harness/$t.options" >"$OUT/$n.options"
	log "$n: binary, ${#seeds[@]} seeds, dict, options"
}
# shellcheck source=scripts/build-mut.sh
. "$ROOT/scripts/build-mut.sh"
[ "$smart" != 1 ] || mut_objs || die "building the mutator failed"
pids=()
for t in "${targets[@]}"; do
	build "$t" "$t" &
	pids+=($!)
	[ "$smart" != 1 ] || [ "${T_MUT[$t]}" = none ] || { build "$t" "${t}_smart" & pids+=($!); }
done
wait_all "${pids[@]}" || die "building the targets failed"
log "done: ${#targets[@]} targets$([ "$smart" != 1 ] || echo ' (and their _smart variants)') in $OUT"
