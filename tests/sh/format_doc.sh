# format_doc.sh - docs/FORMAT.md section 3 lists every error code of
# parsers/include/cf_error.h, with its number, and says where it is given;
# it lists no code the header lacks, and the page names no other CF_E_*.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
H=parsers/include/cf_error.h
D=docs/FORMAT.md
# "NAME NUMBER" for each code of the header (clang-format may break a line
# after the "=").
tr '\n' ' ' <$H | grep -oE 'CF_(OK|E_[A-Z0-9_]+)[[:space:]]*=[[:space:]]*[0-9]+' |
	sed -E 's/[[:space:]]*=[[:space:]]*/ /' >"$TMP/codes"
[ "$(wc -l <"$TMP/codes")" -ge 50 ] && ok || bad "read only $(wc -l <"$TMP/codes") codes from $H"
# The rows of section 3: "| number | name | meaning | given by |".
sed -n '/^## 3\. Error codes/,/^## 4\./p' $D |
	grep -E '^\| [0-9]+ \| CF_' >"$TMP/rows"
while read -r name num; do
	row=$(grep -E "^\| $num \| $name \|" "$TMP/rows")
	if [ -z "$row" ]; then
		bad "FORMAT.md section 3 has no row for $name ($num)"
		continue
	fi
	# Four cells, none empty.
	cells=$(awk -F'|' '{ n = 0; for (i = 2; i < NF; i++) if ($i ~ /[^ ]/) n++; print n }' <<<"$row")
	[ "$cells" = 4 ] && ok || bad "FORMAT.md row for $name lacks a cell: $row"
done <"$TMP/codes"
while IFS='|' read -r _ num name _; do
	num=$(tr -d ' ' <<<"$num") name=$(tr -d ' ' <<<"$name")
	grep -qx "$name $num" "$TMP/codes" && ok || bad "FORMAT.md lists $name ($num), $H does not"
done <"$TMP/rows"
# Every CF_E_ name on the page is a code (CF_E_UNKNOWN: cf_err_name's
# answer for an unknown number; "CF_E_RE_*" names a family).
while read -r n; do
	[ "$n" = CF_E_UNKNOWN ] && continue
	grep -q "^$n " "$TMP/codes" && ok || bad "FORMAT.md names $n, not in $H"
done < <(grep -oE 'CF_E_[A-Z0-9_]*[A-Z0-9]' $D | grep -vx CF_E_RE | sort -u)
finish format_doc
