#!/usr/bin/env bash
# signature.sh - crash type and stack signature of one fault report.
#
#   scripts/signature.sh [--target T] [--text] < REPORT
#   scripts/signature.sh [--target T] REPORT...
#
# REPORT is what a replay (build/replay/<t>), a libFuzzer or an AFL++ build
# printed on stderr: an AddressSanitizer, UndefinedBehaviorSanitizer or
# LeakSanitizer report, libFuzzer's timeout / out-of-memory / deadly-signal
# report, the guard build's structured line, or a harness invariant line.
# Prints three tab-separated lines:
#
#   type    heap-buffer-overflow READ 4
#   frames  eval_criterion cf_interp_eval cf_interp_run_event
#   id      0123456789ab
#
# and with --text also the signature text itself (after a "text" line).
# Given files, it prints one line per file instead (the batch mode of
# regress.sh): FILE<TAB>ID<TAB>TYPE<TAB>FRAMES, ID "-" and TYPE "none" when
# the file holds no fault.
# The rules (docs/CRASHES.md, "Signatures"):
#   - the crash type: ASan's error kind plus READ/WRITE and the access size
#     (`heap-buffer-overflow READ 4`), `SEGV READ`, `ubsan: <check>`,
#     `guard: input field F of S`, `invariant: <target>`, `timeout`,
#     `out-of-memory`, `leak`, `abort`, `deadly signal`, and `exit N` for a
#     fault without a report (triage's "chanfuzz-triage: exit status N" line);
#   - the frames: the top N=3 frames of the first stack that lie in the
#     project's own code (a source path under parsers/, harness/ or tools/),
#     function names only - no line, column, address or module - so a moved
#     line does not split a crash. Skipped: sanitizer, libc and fuzzer
#     runtime frames (no project path), the replay drivers (harness/replay.c,
#     harness/afl_driver.c), the reporting helper cf_h_fail and the
#     allocation wrappers cf_mem_*; consecutive repeats (recursion) count
#     once. For a leak, the stack is the first direct leak's allocation
#     stack; for an out-of-memory, the failing allocation's stack;
#   - a guard line has no stack: its frames are its own fields build=,
#     template=, field=, supplied= (never instance= or criterion=, which name
#     content, not code: the same defect reached through another instance is
#     the same bug);
#   - an invariant adds its message with every number replaced by N;
#   - a timeout (where the clock ran out is not where the bug is) and an
#     out-of-memory without an allocation stack have the frame target=T;
#   - signature text = type, then one frame per line (newline-terminated);
#     id = the first 12 hex digits of its SHA-1.
# Exit status: 0 with a signature, 1 when the report holds no recognised
# fault, 2 on a usage error.
set -euo pipefail
export LC_ALL=C

N=3
target=""
text=0
files=()

usage() {
	echo "usage: signature.sh [--target T] [--text] < REPORT" >&2
	echo "       signature.sh [--target T] REPORT..." >&2
	exit 2
}
while [ $# -gt 0 ]; do
	case $1 in
	--target)
		[ $# -ge 2 ] || usage
		target=$2
		shift 2
		;;
	--text)
		text=1
		shift
		;;
	-h | --help) usage ;;
	-*)
		echo "signature.sh: unknown option '$1'" >&2
		usage
		;;
	*)
		[ -f "$1" ] || {
			echo "signature.sh: $1: no such file" >&2
			exit 2
		}
		files+=("$1")
		shift
		;;
	esac
done
batch=0
if [ ${#files[@]} -gt 0 ]; then
	batch=1
	[ $text = 0 ] || {
		echo "signature.sh: --text reads one report on standard input" >&2
		exit 2
	}
elif [ -t 0 ]; then
	echo "signature.sh: reads a report on standard input" >&2
	usage
else
	files=(-) # mawk reads "-" as standard input (its /dev/stdin can crash)
fi

# The awk program prints "type<TAB>..." then one "frame<TAB>..." per frame.
parsed=$(awk -v N="$N" -v target="$target" '
function project(loc) {
	if (loc ~ /(^|\/)harness\/(replay|afl_driver)\.c/)
		return 0
	return loc ~ /(^|\/)(parsers|harness|tools)\//
}
function skipfn(fn) {
	return fn == "cf_h_fail" || fn ~ /^cf_mem_/
}
# Frames of the stack that starts at line index s (the first "#0" at or
# after it), into F[1..nf].
function frames_from(s,   i, fn, loc, last, started, parts) {
	nf = 0
	last = ""
	started = 0
	for (i = s; i <= nl; i++) {
		if (L[i] ~ /^[ \t]*#[0-9]+ /) {
			started = 1
			if (!match(L[i], / in [^ ]+/))
				continue
			fn = substr(L[i], RSTART + 4, RLENGTH - 4)
			loc = substr(L[i], RSTART + RLENGTH)
			sub(/\..*$/, "", fn)
			if (!project(loc) || skipfn(fn) || fn == last)
				continue
			last = fn
			if (nf < N)
				F[++nf] = fn
		} else if (started)
			break
	}
}
function field(line, key,   re) {
	re = key "=[^ ]+"
	if (match(line, re))
		return substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1)
	return "?"
}
# Every file is read here (an empty one too): one analysis per file.
BEGIN {
	for (a = 1; a < ARGC; a++) {
		delete L
		nl = 0
		while ((getline line < ARGV[a]) > 0) {
			sub(/\r$/, "", line)
			L[++nl] = line
		}
		close(ARGV[a])
		analyse()
	}
	exit
}
function analyse(   i, l, s, w, kind, acc, check, m, tg, msg) {
	fileno++
	guard = harness = tmo = oom = leak = asan = ubsan = deadly = noreport = 0
	for (i = 1; i <= nl; i++) {
		l = L[i]
		if (!guard && l ~ /chanfuzz-guard: out-of-bounds input read:/)
			guard = i
		else if (!harness && l ~ /chanfuzz-harness: [^ ]+: invariant broken: /)
			harness = i
		else if (!tmo && (l ~ /chanfuzz-(replay|triage): timeout/ ||
		    l ~ /ERROR: libFuzzer: timeout/))
			tmo = i
		else if (!oom && (l ~ /chanfuzz-replay: out-of-memory/ ||
		    l ~ /ERROR: libFuzzer: out-of-memory/ ||
		    l ~ /AddressSanitizer: (allocation-size-too-big|out of memory|requested allocation size)/ ||
		    l ~ /AddressSanitizer: (hard|soft) rss limit/ ||
		    l ~ /rss[_ ]limit exhausted/))
			oom = i
		else if (!leak && l ~ /ERROR: LeakSanitizer: detected memory leaks/)
			leak = i
		else if (!asan && l ~ /ERROR: AddressSanitizer: /)
			asan = i
		else if (!ubsan && l ~ /runtime error: /)
			ubsan = i
		else if (!deadly && l ~ /ERROR: libFuzzer: (deadly signal|fuzz target exited)/)
			deadly = i
		else if (!noreport && l ~ /chanfuzz-triage: exit status [0-9]+ without a report/)
			noreport = i
	}
	nf = 0
	nx = 0
	if (guard) {
		l = L[guard]
		type = "guard: input field " field(l, "field") " of " field(l, "supplied")
		F[++nf] = "build=" field(l, "build")
		F[++nf] = "template=" field(l, "template")
		F[++nf] = "field=" field(l, "field")
		F[++nf] = "supplied=" field(l, "supplied")
	} else if (harness) {
		l = L[harness]
		sub(/.*chanfuzz-harness: /, "", l)
		tg = l
		sub(/: invariant broken: .*/, "", tg)
		msg = l
		sub(/^[^ ]+: invariant broken: /, "", msg)
		gsub(/0[xX][0-9a-fA-F]+/, "N", msg)
		gsub(/[0-9]+/, "N", msg)
		type = "invariant: " tg
		frames_from(harness)
		X[++nx] = "message: " substr(msg, 1, 80)
	} else if (tmo) {
		type = "timeout"
		F[++nf] = "target=" (target == "" ? "?" : target)
	} else if (oom) {
		type = "out-of-memory"
		if (L[oom] ~ /malloc\(|allocation-size-too-big|requested allocation size|allocator is trying/)
			frames_from(oom)
		if (nf == 0)
			F[++nf] = "target=" (target == "" ? "?" : target)
	} else if (leak) {
		type = "leak"
		s = 0
		for (i = leak; i <= nl; i++)
			if (L[i] ~ /^Direct leak/) { s = i; break }
		if (!s)
			for (i = leak; i <= nl; i++)
				if (L[i] ~ /^Indirect leak/) { s = i; break }
		frames_from(s ? s : leak)
	} else if (asan) {
		l = L[asan]
		sub(/.*ERROR: AddressSanitizer: /, "", l)
		split(l, w, " ")
		kind = w[1]
		for (i = asan; i <= nl; i++)
			if (L[i] ~ /^SUMMARY: AddressSanitizer: /) {
				s = L[i]
				sub(/^SUMMARY: AddressSanitizer: /, "", s)
				split(s, w, " ")
				kind = w[1]
				break
			}
		acc = ""
		for (i = asan; i <= nl && i < asan + 4; i++)
			if (match(L[i], /^(READ|WRITE) of size [0-9]+/)) {
				split(substr(L[i], RSTART, RLENGTH), w, " ")
				acc = " " w[1] " " w[4]
				break
			}
		if (kind == "SEGV") {
			acc = " UNKNOWN"
			for (i = asan; i <= nl; i++)
				if (match(L[i], /caused by a (READ|WRITE) memory access/)) {
					split(substr(L[i], RSTART, RLENGTH), w, " ")
					acc = " " w[4]
					break
				}
		}
		if (kind == "ABRT") {
			kind = "abort"
			for (i = 1; i < asan; i++)
				if (L[i] ~ /Assertion .* failed/)
					kind = "assertion failure"
		}
		type = kind acc
		frames_from(asan)
	} else if (ubsan) {
		check = ""
		for (i = ubsan; i <= nl; i++)
			if (L[i] ~ /^SUMMARY: UndefinedBehaviorSanitizer: /) {
				s = L[i]
				sub(/^SUMMARY: UndefinedBehaviorSanitizer: /, "", s)
				split(s, w, " ")
				check = w[1]
				break
			}
		if (check == "" || check == "undefined-behavior") {
			m = L[ubsan]
			sub(/.*runtime error: /, "", m)
			sub(/[0-9"\x27(].*$/, "", m)
			sub(/[ :]+$/, "", m)
			gsub(/ +/, "-", m)
			check = m
		}
		type = "ubsan: " check
		frames_from(ubsan)
	} else if (deadly) {
		type = L[deadly] ~ /exited/ ? "exit" : "deadly signal"
		for (i = 1; i < deadly; i++)
			if (L[i] ~ /Assertion .* failed/)
				type = "assertion failure"
		frames_from(deadly)
	} else if (noreport) {
		split(L[noreport], w, " ")
		type = "exit " w[4]
		F[++nf] = "target=" (target == "" ? "?" : target)
	} else {
		print fileno "\tnone"
		return
	}
	print fileno "\ttype\t" type
	for (i = 1; i <= nf; i++)
		print fileno "\tframe\t" F[i]
	for (i = 1; i <= nx; i++)
		print fileno "\textra\t" X[i]
}' "${files[@]}")

if [ $batch = 0 ]; then
	if [ "$(cut -f2 <<<"$parsed")" = none ]; then
		echo "signature.sh: no fault report recognised on standard input" >&2
		exit 1
	fi
	parsed=$(cut -f2- <<<"$parsed")
	type=$(sed -n 's/^type\t//p' <<<"$parsed")
	frames=$(sed -n 's/^frame\t//p' <<<"$parsed")
	sigtext=$(sed -n 's/^\(type\|frame\|extra\)\t//p' <<<"$parsed")
	id=$(printf '%s\n' "$sigtext" | sha1sum | cut -c1-12)
	printf 'type\t%s\n' "$type"
	printf 'frames\t%s\n' "$(tr '\n' ' ' <<<"$frames" | sed 's/ $//')"
	printf 'id\t%s\n' "$id"
	if [ $text = 1 ]; then
		printf 'text\n%s\n' "$sigtext"
	fi
	exit 0
fi

# Batch: one line per file, FILE<TAB>ID<TAB>TYPE<TAB>FRAMES (ID "-" and
# TYPE "none" without a fault); one sha1sum for all.
d=$(mktemp -d "${TMPDIR:-/tmp}/cf-sig.XXXXXX")
trap 'rm -rf -- "$d"' EXIT
awk -F'\t' -v d="$d" '
$2 == "none" { next }
$2 == "type" { print $3 > (d "/" $1); T[$1] = $3; next }
{ print $3 > (d "/" $1); if ($2 == "frame") FR[$1] = FR[$1] (FR[$1] == "" ? "" : " ") $3 }
END { for (k in T) print k "\t" T[k] "\t" FR[k] > (d "/meta") }' <<<"$parsed"
declare -A ID=() TY=() FRS=()
if [ -f "$d/meta" ]; then
	(cd "$d" && find . -maxdepth 1 -name '[0-9]*' -type f -printf '%f\n' | sort -n |
	    xargs -r sha1sum) >"$d/sums"
	while read -r sum k; do
		ID[$k]=${sum:0:12}
	done <"$d/sums"
	while IFS=$'\t' read -r k ty fr; do
		TY[$k]=$ty FRS[$k]=$fr
	done <"$d/meta"
fi
k=0
for f in "${files[@]}"; do
	k=$((k + 1))
	printf '%s\t%s\t%s\t%s\n' "$f" "${ID[$k]:--}" "${TY[$k]:-none}" "${FRS[$k]:-}"
done
