#!/usr/bin/env bash
# demo.sh - the Channel File 291 case, end to end (`make demo`).
#
# Shows the 2024 validator accepting the 19 July 2024 content, the current
# validator rejecting it, sensor 7.16 running it cleanly and sensor 7.11
# faulting on it - seen by AddressSanitizer and by the guard build. Exits 0
# when every step behaves as the incident did (the faults are expected).
set -u
cd "$(dirname "$0")/.." || exit 1
W=build/corpus/cf291-wildcard.cf N=build/corpus/cf291-nonwildcard.cf
fail=0
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; }
want() { # want RC CMD...: run, show output, check the exit status
	local want=$1
	shift
	"$@" 2>&1 | sed -e 's/^/  /' | head -n 40
	local rc=${PIPESTATUS[0]}
	if [ "$rc" = "$want" ]; then echo "  -> exit $rc, as expected"; else
		echo "  -> exit $rc, expected $want"
		fail=1
	fi
}
step "content as shipped March-July 2024: field 21 is a wildcard" build/cftool dump $W
build/cftool dump $W | sed -n '/instance 291001/,/instance 291002/p' | sed 's/^/  /'
step "19 July 2024: an instance with a non-wildcard criterion on field 21" build/cftool dump $N
build/cftool dump $N | sed -n '/instance 291005/,$p' | sed 's/^/  /'
step "2024 Content Validator: checks the 21 declared fields only" build/cftool validate --validator 2024 $N
want 0 build/cftool validate --validator 2024 $N
step "current Content Validator: checks what every sensor build supplies" build/cftool validate $N
want 1 build/cftool validate $N
step "sensor 7.16 (supplies 21 inputs, bounds checks)" build/cftool run --sensor 7.16 $N
want 0 build/cftool run --sensor 7.16 $N
step "sensor 7.11 with the wildcard content: the defect is dormant" build/cftool run --sensor 7.11 $W
want 0 build/cftool run --sensor 7.11 $W
step "sensor 7.11, guard build: the out-of-bounds read is flagged" build/guard/cftool run --sensor 7.11 $N
want 134 build/guard/cftool run --sensor 7.11 $N
step "sensor 7.11, AddressSanitizer build" build/asan/cftool run --sensor 7.11 $N
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 want 134 build/asan/cftool run --sensor 7.11 $N
echo
if [ $fail = 0 ]; then echo "demo: every step behaved as in July 2024"; else echo "demo: a step did not behave as expected"; fi
exit $fail
