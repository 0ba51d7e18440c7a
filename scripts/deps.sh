#!/usr/bin/env bash
# deps.sh - install the Debian packages chanfuzz needs, if any is missing.
#
# Called by `make fuzz` (and every make target that runs something), by
# `make test` with --test (what only the tests need, too) and by .ci/run
# with --packages (print the whole list). As root it runs apt-get
# itself; otherwise it uses sudo when available, or prints the command.
# Set CF_NO_INSTALL=1 to only check.
set -eu
# command -> Debian package that provides it
need=(
	"clang:clang"
	"llvm-symbolizer:llvm"
	"llvm-cov:llvm"
	"llvm-profdata:llvm"
	"clang-format:clang-format"
	"make:make"
	"ar:binutils"
	"git:git"
	"afl-fuzz:afl++"
	"afl-clang-fast:afl++"
	"gnuplot:gnuplot-nox"
	"zip:zip"
	"unzip:unzip"
	"jq:jq"
	"gdb:gdb"
	"pgrep:procps"
	"python3:python3"
	"patch:patch"
	"perl:perl-base"
)
# Only the tests need these (`make test`, .ci/run: --test): a browser is
# some 400 MB, which `make fuzz` has no use for.
test_need=(
	# tests/sh/report_html.sh opens the campaign's report.html in it
	"chromium:chromium"
	# make check (one suite of make test) runs it on every shell file
	"shellcheck:shellcheck"
)
case ${1:-} in
--test | --packages) need+=("${test_need[@]}") ;;
esac
# --packages: print every package the project needs, tests included (for
# .ci/run).
if [ "${1:-}" = --packages ]; then
	for pair in "${need[@]}"; do echo "${pair#*:}"; done | sort -u
	printf '%s\n' libbsd-dev libclang-rt-dev
	exit 0
fi
missing=()
for pair in "${need[@]}"; do
	cmd=${pair%%:*} pkg=${pair#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
# Libraries and headers, checked by file.
[ -f /usr/include/bsd/string.h ] || missing+=(libbsd-dev)
# libFuzzer and the sanitizer runtimes ship in libclang-rt-dev.
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
	missing+=(libclang-rt-dev)
if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "deps: missing packages: ${missing[*]}"
if [ "${CF_NO_INSTALL:-0}" = 1 ]; then
	echo "deps: install them with: apt-get install -y ${missing[*]}" >&2
	exit 1
fi
if [ "$(id -u)" = 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1; then
	sudo=(sudo)
else
	echo "deps: not root and no sudo: run as root: apt-get install -y ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
