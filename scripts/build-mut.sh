# shellcheck shell=bash disable=SC2154 # CC, std, ROOT, B: build.sh's
# build-mut.sh - sourced by build.sh: the structure-aware mutator of the
# _smart targets, as the Makefile's build/fuzz/mut-KIND.o (issue 18,
# docs/HARNESS.md): the mutator and its own copy of the model compiled
# without CFLAGS' sanitizer and coverage flags, linked into one object per
# mutator kind ($B/mut-channel.o, $B/mut-regex.o) in which every symbol but
# the two libFuzzer hooks is local, so that only the code under test is
# instrumented. Without ld or objcopy, the mutator's sources are compiled
# with CFLAGS, as the targets are.
# Uses build.sh's CC, std, ROOT, B and log; sets mut_link[KIND]: what a
# _smart target of that mutator kind links besides its own sources.
declare -A mut_link
mut_obj() { # mut_obj KIND DEFINE: $B/mut-KIND.o
	local s d=$B/mut-$1 os=()
	mkdir -p "$d"
	for s in "$ROOT/harness/cf_mutator.c" "$ROOT"/harness/mut_*.c "$ROOT/harness/harness.c" \
		"$ROOT/harness/mutator_libfuzzer.c" "$ROOT"/parsers/src/*.c; do
		os+=("$d/$(basename "$(dirname "$s")")-$(basename "$s" .c).o")
		"$CC" "${std[@]}" -O2 -fPIC -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -DCF_MUT_KIND="$2" \
			-I"$ROOT/parsers/include" -I"$ROOT/parsers/src" -I"$ROOT/harness" -c "$s" -o "${os[-1]}" || return 1
	done
	"${LD:-ld}" -r -o "$d/all.o" "${os[@]}" &&
		"${OBJCOPY:-objcopy}" --keep-global-symbol=LLVMFuzzerCustomMutator \
			--keep-global-symbol=LLVMFuzzerCustomCrossOver "$d/all.o" "$B/mut-$1.o"
}
mut_objs() {
	if command -v "${LD:-ld}" >/dev/null && command -v "${OBJCOPY:-objcopy}" >/dev/null; then
		mut_obj channel CF_MUT_CHANNEL && mut_obj regex CF_MUT_REGEX || return 1
		mut_link=([channel]="$B/mut-channel.o" [regex]="$B/mut-regex.o")
		log "mutator: uninstrumented, $B/mut-channel.o and mut-regex.o"
	else
		log "no ${LD:-ld} or ${OBJCOPY:-objcopy}: the _smart mutator is built with CFLAGS"
		mut_link=([channel]="$ROOT/harness/cf_mutator.c $ROOT/harness/mut_*.c $ROOT/harness/mutator_libfuzzer.c")
		mut_link[regex]=${mut_link[channel]}
	fi
}
