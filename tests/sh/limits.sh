# limits.sh - the limits the fuzzers' max_len (8 KiB, 16 KiB for fuzz_asm)
# cannot reach, replayed on the targets' own ASan builds (issue 17 item 6):
# a channel file of 1 MiB and one byte over it, a regex subject over the
# matcher's 1 MiB, a text source whose content encodes past 1 MiB, an events
# file at its string limit and past it, and a dump that meets the 8 MiB
# output cap comes nearest (a 1 MiB file of escaped bytes dumps to 4 MiB:
# the 8 MiB cap is out of reach of any file that parses, docs/FORMAT.md 3;
# tests/test_text.c meets it with a lowered cap). Each is refused or
# handled by the model's own limit: no fault, no invariant broken.
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:symbolize=1
check() {
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
run make -s build/replay/fuzz_parse build/replay/fuzz_regex build/replay/fuzz_asm \
	build/replay/fuzz_events build/replay/fuzz_interp_716 build/cftool
expect_rc 0 "make the replay builds"

# A channel file of exactly 1 MiB (a string table of 255 strings of 4096
# bytes and padding in one more) and one byte over it: the parser's verdict,
# never a fault.
python3 - "$TMP" <<'PY'
import sys, os
tmp = sys.argv[1]
lines = ["format 1", "channel 291", "content-version 1", "template IPC"]
for i in range(255):
    # escaped bytes: the dump writes 4 characters for each
    lines.append('string "%s"' % ("%03d" % i + "\\xff" * 4093))
lines += ["instance 1 detect", '  field pipe_name equals @0']
open(os.path.join(tmp, "big.cft"), "w").write("\n".join(lines) + "\n")
# a text source that encodes past 1 MiB
lines2 = lines[:4] + ['string "%s"' % ("%04d" % i + "b" * 4092) for i in range(300)]
open(os.path.join(tmp, "over.cft"), "w").write("\n".join(lines2) + "\n")
# an events file: a string of exactly 4096 bytes, then one of 4097
ev = 'event IPC\npipe_name "%s"\n' % ("x" * 4096)
open(os.path.join(tmp, "ev-edge.events"), "w").write(ev)
open(os.path.join(tmp, "ev-over.events"), "w").write(
    'event IPC\npipe_name "%s"\n' % ("x" * 4097))
# many events, the list's own limit: 4096 and 4097
open(os.path.join(tmp, "ev-4097.events"), "w").write("event IPC\n" * 4097)
# a regex subject over 1 MiB for fuzz_regex: [flags][len][pattern][subject]
open(os.path.join(tmp, "subject"), "wb").write(b"\x00\x02a+" + b"a" * (1 << 20) + b"a")
PY
run build/cftool asm "$TMP/big.cft" -o "$TMP/big.cf"
expect_rc 0 "a 1 MiB channel file assembles"
size=$(stat -c %s "$TMP/big.cf" 2>/dev/null || echo 0)
check "it is at most 1 MiB ($size bytes)" [ "$size" -le 1048576 -a "$size" -gt 1040000 ]
run build/replay/fuzz_parse "$TMP/big.cf"
expect_rc 0 "fuzz_parse on a file near 1 MiB"
run build/replay/fuzz_interp_716 "$TMP/big.cf"
expect_rc 0 "fuzz_interp_716 on a file near 1 MiB"
{ cat "$TMP/big.cf"; head -c $((1048577 - size)) /dev/zero; } >"$TMP/over.cf"
run build/replay/fuzz_parse "$TMP/over.cf"
expect_rc 0 "fuzz_parse on a file of 1 MiB + 1 byte (refused by the parser)"
run build/replay/fuzz_asm "$TMP/big.cft"
expect_rc 0 "fuzz_asm on a source of 1 MiB of content (round trip through the 1 MiB writer)"
run build/replay/fuzz_asm "$TMP/over.cft"
expect_rc 0 "fuzz_asm on a source whose content encodes past 1 MiB (refused)"
run build/cftool asm "$TMP/over.cft" -o "$TMP/over2.cf"
expect_rc 4 "cftool asm refuses content over 1 MiB"
expect_err 'CF_E_TEXT_LIMIT' "with the limit's code"
for e in ev-edge ev-over ev-4097; do
	run build/replay/fuzz_events "$TMP/$e.events"
	expect_rc 0 "fuzz_events on $e"
done
run build/cftool run --sensor 7.16 --events "$TMP/ev-over.events" build/corpus/cf291-wildcard.cf
expect_rc 4 "cftool refuses an event string of 4097 bytes"
run build/cftool run --sensor 7.16 --events "$TMP/ev-4097.events" build/corpus/cf291-wildcard.cf
expect_rc 4 "cftool refuses 4097 events"
run build/replay/fuzz_regex "$TMP/subject"
expect_rc 0 "fuzz_regex on a subject over 1 MiB (no match, as documented)"
# The dump of the 1 MiB file of escaped bytes: 4 MiB, under the 8 MiB
# output cap, whole.
run build/cftool dump "$TMP/big.cf"
expect_rc 0 "dump of a 1 MiB file"
check "the dump holds every string" [ "$(grep -c '^string ' "$OUT")" = 255 ]
dsize=$(stat -c %s "$OUT")
check "the dump is over 4 MiB ($dsize bytes)" [ "$dsize" -gt 4000000 ]
finish limits
