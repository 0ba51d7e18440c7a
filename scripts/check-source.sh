#!/usr/bin/env bash
# check-source.sh - the project's source checks, run by `make check`:
#   1. clang-format conformance (.clang-format) of every C file we own;
#   2. no banned unbounded string/number functions (as curl's checksrc):
#      sprintf strcpy strcat strncpy strtok atoi sscanf;
#   3. no line longer than 100 columns (tabs count as 8).
# Prints one line per problem and "check: N passed, N failed" at the end.
set -u
cd "$(dirname "$0")/.." || exit 1
mapfile -t files < <(git ls-files -co --exclude-standard -- \
	'parsers/*.[ch]' 'tools/*.[ch]' 'harness/*.[ch]' 'tests/*.[ch]' 2>/dev/null | sort -u)
# Not a git checkout (a tarball): the same folders, found on disk.
[ "${#files[@]}" -gt 0 ] ||
	mapfile -t files < <(find parsers tools harness tests -name '*.[ch]' 2>/dev/null | sort)
if [ "${#files[@]}" = 0 ]; then
	echo "check: no C sources found under parsers/ tools/ harness/ tests/" >&2
	echo "check: 0 passed, 1 failed"
	exit 1
fi
passed=0 failed=0
fmt=${CLANG_FORMAT:-clang-format}
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	ok=1
	if ! "$fmt" --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "check: $f: not clang-formatted (run: $fmt -i $f)"
		ok=0
	fi
	# Strip // and /* */ comments and string literals crudely before grepping
	# for calls, so a comment naming a banned function is not flagged.
	if sed -e 's://.*$::' -e 's:/\*.*\*/::g' -e 's/"[^"]*"//g' "$f" |
		grep -nE '(^|[^A-Za-z0-9_])(sprintf|strcpy|strcat|strncpy|strtok|atoi|sscanf)[[:space:]]*\(' \
		>/tmp/check.$$ 2>/dev/null; then
		sed "s|^|check: $f:|; s|\$|  <- banned function|" /tmp/check.$$
		ok=0
	fi
	if expand -t 8 "$f" | awk -v f="$f" 'length($0) > 100 { printf "check: %s:%d: line longer than 100 columns\n", f, NR; bad=1 } END { exit bad }'; then :; else ok=0; fi
	if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
rm -f /tmp/check.$$
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
