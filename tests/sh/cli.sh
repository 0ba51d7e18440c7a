# cli.sh - cftool's commands, exit codes and bad input: every bad input
# gets one clear message and a documented non-zero exit, never a crash.
# Run against the plain and the ASan+UBSan builds.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
P=build/asan/tests/cfpatch
G=build/corpus/cf291-wildcard.cf
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
u32at() { od -An -tu4 -j"$2" -N4 "$1" | tr -d ' '; }
inst_off=$(u32at $G 56)
# pat ARGS...: cfpatch, whose failure would otherwise surface only later as
# exit 3 (file missing) instead of the error under test.
pat() { if $P "$@"; then ok; else bad "cfpatch $* failed"; fi; }

# Hostile files, built from a good one.
: >"$TMP/empty.cf"
head -c 30 $G >"$TMP/trunc30.cf"
head -c 2 $G >"$TMP/trunc2.cf"
pat $G "$TMP/magic.cf" 0 4 0x414141AA
pat $G "$TMP/crc.cf" 70 1 0x5A --keep-crc
pat $G "$TMP/total.cf" 20 4 0xFFFFFFFF
pat $G "$TMP/strcount.cf" 64 4 0xFFFFFFFF
pat $G "$TMP/instcount.cf" "$inst_off" 4 0xFFFFFFFF
pat $G "$TMP/sectoff.cf" 44 4 0xFFFFFFF0
pat $G "$TMP/version.cf" 4 2 2
pat $G "$TMP/cut.cf" 0 1 0xAA --truncate 100
head -c 1048577 /dev/zero | tr '\0' '\252' >"$TMP/huge.cf"
# Larger still: the parser's verdict all the same (FORMAT.md 1.1, 9).
head -c 1048578 /dev/zero | tr '\0' '\252' >"$TMP/huger.cf"
head -c 3000000 /dev/zero >"$TMP/hugezero.cf"
# Text sources and events files over 8 MiB are refused before parsing.
head -c 8388609 /dev/zero | tr '\0' '#' >"$TMP/huge.cft"
printf 'channel 291\ncontent-version 1\ntemplate IPC\ninstance 1 detect\n  field pipe_name regexx "a"\n' >"$TMP/bad.cft"
cat >"$TMP/good.ev" <<'EOF'
event IPC "e1"
  pipe_name       "\\\\.\\pipe\\MSRPC-x"
  server_image    "C:\\Windows\\lsass.exe"
  integrity_level 0x1000
event IPC "e2"    # integrity out of range: no match
  pipe_name       "\\\\.\\pipe\\msrpc"
  server_image    "C:\\Windows\\lsass.exe"
  integrity_level 0x5000
EOF
printf 'event Nope\n' >"$TMP/bad.ev"

for t in build/cftool build/asan/cftool; do
	run $t
	expect_rc 2 "$t no args"
	run $t --help
	expect_rc 0 "$t --help"
	expect_out 'usage: ' "$t --help usage"
	run $t frobnicate
	expect_rc 2 "$t unknown command"
	expect_err "unknown command 'frobnicate'" "$t unknown command message"
	run $t dump "$TMP/nonexistent.cf"
	expect_rc 3 "$t missing file"
	expect_err 'No such file' "$t missing file message"
	run $t dump "$TMP"
	expect_rc 3 "$t directory"
	run $t dump --bogus
	expect_rc 2 "$t dump option"
	# Output that cannot be written is an I/O error, not a success.
	$t dump $G >/dev/full 2>"$TMP/full.err"
	rc=$?
	if [ "$rc" = 3 ] && grep -q 'standard output: No space left' "$TMP/full.err"; then ok; else bad "$t dump >/dev/full: exit $rc, $(head -c 200 "$TMP/full.err")"; fi
	for c in empty:CF_E_TRUNCATED trunc2:CF_E_TRUNCATED trunc30:CF_E_TRUNCATED \
		magic:CF_E_MAGIC crc:CF_E_CRC total:CF_E_TOTAL_LENGTH \
		strcount:CF_E_STRING_COUNT instcount:CF_E_INSTANCE_COUNT \
		sectoff:CF_E_SECTION_BOUNDS version:CF_E_VERSION \
		cut:CF_E_TOTAL_LENGTH huge:CF_E_TOO_LARGE huger:CF_E_TOO_LARGE \
		hugezero:CF_E_MAGIC; do
		f=${c%%:*} code=${c#*:}
		for cmd in dump validate "run --sensor 7.11"; do
			# shellcheck disable=SC2086 # $cmd is a command and its options
			run "$t" $cmd "$TMP/$f.cf"
			expect_rc 4 "$t $cmd $f"
			expect_err "$code" "$t $cmd $f names $code"
			expect_no_err 'Sanitizer|runtime error' "$t $cmd $f clean"
		done
	done
	run $t validate --validator 2023 $G
	expect_rc 2 "$t unknown validator"
	expect_err "unknown validator '2023'" "$t unknown validator message"
	run $t validate --strict $G
	expect_rc 2 "$t validate unknown option"
	run $t run $G
	expect_rc 2 "$t run without --sensor"
	run $t run --sensor 9.99 $G
	expect_rc 2 "$t unknown build"
	expect_err "unknown sensor build '9.99'; known: 7.11 7.16" "$t unknown build message"
	run $t run --sensor 7.16 --events "$TMP/good.ev" $G
	expect_rc 0 "$t run with events file"
	expect_out '^match: event=e1 instance=291002 action=detect$' "$t events file match"
	expect_out '^2 events, 1 matches' "$t events file summary"
	run $t run --sensor 7.16 --events "$TMP/bad.ev" $G
	expect_rc 4 "$t bad events file"
	expect_err 'bad.ev:1: CF_E_TEXT_VALUE' "$t bad events file line"
	run $t run --sensor 7.16 --events "$TMP/none.ev" $G
	expect_rc 3 "$t missing events file"
	run $t asm "$TMP/huge.cft" -o "$TMP/huge-out.cf"
	expect_rc 4 "$t asm of a 8 MiB + 1 source"
	expect_err 'larger than the limit of 8388608 bytes' "$t asm source size message"
	run $t run --sensor 7.16 --events "$TMP/huge.cft" $G
	expect_rc 4 "$t run with a 8 MiB + 1 events file"
	expect_err 'larger than the limit of 8388608 bytes' "$t events size message"
	run $t asm "$TMP/bad.cft"
	expect_rc 2 "$t asm without -o"
	run $t asm "$TMP/bad.cft" -o "$TMP/bad.cf"
	expect_rc 4 "$t asm syntax error"
	expect_err 'bad.cft:5: CF_E_TEXT_' "$t asm error names line 5"
	[ ! -e "$TMP/bad.cf" ] && ok || bad "$t asm error leaves no output"
	run $t asm corpus/src/cf291-wildcard.cft -o "$TMP/no/such/dir/x.cf"
	expect_rc 3 "$t asm to missing dir"
	run $t asm corpus/src/cf291-wildcard.cft -o "$TMP/ok.cf"
	expect_rc 0 "$t asm ok"
	expect_same "$TMP/ok.cf" $G "$t asm output equals make corpus"
	[ -z "$(find "$TMP" -mindepth 1 -maxdepth 1 -name '*tmp*')" ] && ok || bad "$t asm leaves no temp file"
	run $t types
	expect_rc 0 "$t types"
	expect_out '^template 1 IPC \(channel 291\), 21 fields:' "$t types IPC"
	expect_out '20 rpc_binding' "$t types IPC field 20"
	expect_out '7\.11 +IPC=20/21' "$t types build 7.11"
	expect_out '7\.16 +IPC=21/21' "$t types build 7.16"
	run $t types --markdown
	expect_rc 0 "$t types --markdown"
	# docs/FORMAT.md sections 5 and 6 are this output: they must agree.
	n=0 missing=0
	while IFS= read -r line; do
		[ -z "$line" ] && continue
		n=$((n + 1))
		grep -qxF -- "$line" docs/FORMAT.md || { bad "FORMAT.md lacks: $line"; missing=1; }
	done <"$OUT"
	# Two tables: 5 template types and 2 builds, with headers and rules.
	if [ "$n" -ge 11 ] && [ "$missing" = 0 ]; then ok; else bad "$t types --markdown: $n lines, FORMAT.md agrees: $((1 - missing))"; fi
	# --json: the same tables for scripts (valid JSON, the same facts).
	run $t types --json
	expect_rc 0 "$t types --json"
	if jq -e '(.templates | length) == 5 and
		(.templates[0] | .name == "IPC" and .channel == 291 and (.fields | length) == 21) and
		(.templates[0].fields[20] | .index == 20 and .name == "rpc_binding" and .type == "str") and
		([.builds[].name] == ["7.11", "7.16"]) and
		(.builds[0] | .supplied.IPC == 20 and .checks == []) and
		(.builds[1] | .supplied.IPC == 21 and .checks == ["compile-fields", "runtime-bounds"])' \
		"$OUT" >/dev/null; then ok; else bad "$t types --json: not the tables"; fi
	run $t types --json --markdown
	expect_rc 2 "$t types with two options"
done
finish cli
