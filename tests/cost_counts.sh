#!/bin/sh
# cost_counts.sh: the work three hot paths do on the large example plan,
# counted in instructions by callgrind inside one function (library start-up
# and other commands excluded), against a bound. Counts, not time: the same
# binary on the same libraries executes the same instructions however loaded
# the machine is. The bounds leave ~50% over what the code does now, so a
# library update does not trip them, and sit far below what the code did
# before it was made linear in what it writes (doc/bench.md):
#   catalogue_build (runbook): 12.6 M before, 3.85 M now (4.4 M before the
#   fourth round's memory work), bound 7 M;
#   plan_show_text (show):     10.7 M before, 2.1 M now, bound 4.5 M;
#   cli_check (check, all of it after start-up): 15.5 M when it hashed the
#   plan with OpenSSL (whose first use alone is ~6 M) and read keys through
#   it, 7.2 M now, bound 12 M.
# Needs valgrind; skipped without it, and under the sanitizer build (ASan's
# shadow memory does not run under valgrind).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 3
large="$PLANS/woodgrove-large.yaml"

skip=""
command -v valgrind >/dev/null 2>&1 || skip="valgrind is not installed (.ci/deps installs it)"
[ -z "$skip" ] && nm -D "$CKW" 2>/dev/null | grep -q __asan_init && skip="sanitizer build"

# count FUNCTION BOUND NAME ARGS...: ok when FUNCTION, with what it calls,
# executes at most BOUND instructions in `ckwizard ARGS...`
count() {
	fn=$1 bound=$2 name=$3
	shift 3
	if [ -n "$skip" ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - $name # SKIP $skip"
		return
	fi
	valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect="$fn" \
		"$CKW" "$@" >"$TMP/out" 2>"$TMP/vg"
	n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/vg" | tail -1)
	if [ -z "$n" ]; then
		tap_not_ok "$name" "callgrind gave no count:" "$(tail -5 "$TMP/vg")"
	elif [ "$n" -eq 0 ]; then
		# callgrind counts 0 for a function it never entered: renamed,
		# inlined, or no longer on this path; 0 is no measurement
		tap_not_ok "$name" "0 instructions in $fn: is it still called by that name?"
	elif [ "$n" -le "$bound" ]; then
		tap_ok "$name ($n instructions)"
	else
		tap_not_ok "$name" "$n instructions in $fn, more than $bound"
	fi
}

count catalogue_build 7000000 "runbook of woodgrove-large: building the step catalogue stays under 7 M instructions" \
	runbook "$large"
count plan_show_text 4500000 "show of woodgrove-large: writing the text stays under 4.5 M instructions" \
	show "$large"
count cli_check 12000000 "check of woodgrove-large stays under 12 M instructions (no OpenSSL)" \
	check "$large"
tap_done
