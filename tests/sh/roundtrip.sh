# roundtrip.sh - asm -> dump -> asm over every corpus/src/*.cft: the second
# binary equals the first byte for byte, and dump of it equals the first
# dump (the text form is a fixed point after one pass).
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
for src in corpus/src/*.cft; do
	b=$(basename "$src" .cft)
	run build/cftool asm "$src" -o "$TMP/$b.1.cf"
	expect_rc 0 "asm $src"
	run build/cftool dump "$TMP/$b.1.cf"
	expect_rc 0 "dump $b"
	cp "$OUT" "$TMP/$b.1.cft"
	run build/cftool asm "$TMP/$b.1.cft" -o "$TMP/$b.2.cf"
	expect_rc 0 "re-asm $b"
	expect_same "$TMP/$b.1.cf" "$TMP/$b.2.cf" "binary round trip $b"
	run build/cftool dump "$TMP/$b.2.cf"
	expect_same "$TMP/$b.1.cft" "$OUT" "text fixed point $b"
	if [ -f "build/corpus/$b.cf" ]; then
		expect_same "$TMP/$b.1.cf" "build/corpus/$b.cf" "make corpus output $b"
	else
		bad "build/corpus/$b.cf missing (make corpus)"
	fi
done
finish roundtrip
