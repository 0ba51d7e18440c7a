# lib.sh - assertions for the shell test suites in tests/sh/.
# Source it, call the assertions, end with `finish SUITE`.
# Each assertion counts one pass or one failure; a failure prints why.
# shellcheck shell=bash
PASS=0 FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT=$TMP/out ERR=$TMP/err

# run CMD...: run a command, keep stdout/stderr in $OUT/$ERR, status in $RC.
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}
ok() { PASS=$((PASS + 1)); }
bad() {
	FAIL=$((FAIL + 1))
	echo "FAIL: $*"
	echo "  stdout: $(head -c 600 "$OUT" 2>/dev/null)"
	echo "  stderr: $(head -c 600 "$ERR" 2>/dev/null)"
}
# expect_rc WANT WHAT
expect_rc() { if [ "$RC" = "$1" ]; then ok; else bad "$2: exit $RC, want $1"; fi; }
# expect_out REGEX WHAT  (stdout) / expect_err REGEX WHAT (stderr)
expect_out() { if grep -Eq -- "$1" "$OUT"; then ok; else bad "$2: stdout lacks /$1/"; fi; }
expect_err() { if grep -Eq -- "$1" "$ERR"; then ok; else bad "$2: stderr lacks /$1/"; fi; }
expect_no_err() { if grep -Eq -- "$1" "$ERR"; then bad "$2: stderr has /$1/"; else ok; fi; }
# expect_same FILE1 FILE2 WHAT
expect_same() { if cmp -s "$1" "$2"; then ok; else bad "$3: $1 and $2 differ"; fi; }
finish() {
	echo "$1: $PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ]
}
