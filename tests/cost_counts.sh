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
#   it, 7.2 M now, bound 12 M;
#   main of `--version` (the locale's set-up, under C.UTF-8): 166 K when it
#   read all twelve categories, 77 K with the two it uses, bound 120 K;
#   the whole process of `--version` (loader and libraries included): 888 K
#   when ncursesw and libtinfo were linked, 340 K now, bound 600 K;
#   ERR_load_strings_const in `show` (OpenSSL's error texts, which check and
#   show never print): 903 K when they were loaded, never entered now
#   (none(), below: callgrind's 0 counts only for a name libcrypto exports).
# Needs valgrind; skipped without it, and under the sanitizer build (ASan's
# shadow memory does not run under valgrind).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 6
large="$PLANS/woodgrove-large.yaml"

skip=""
command -v valgrind >/dev/null 2>&1 || skip="valgrind is not installed (.ci/deps installs it)"
[ -z "$skip" ] && nm -D "$CKW" 2>/dev/null | grep -q __asan_init && skip="sanitizer build"

# skipped NAME: without valgrind, or under a sanitizer build, no count means anything; say so as a skip.
skipped() {
	[ -n "$skip" ] || return 1
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $skip"
}

# count FUNCTION BOUND NAME ARGS...: ok when FUNCTION, with what it calls,
# executes at most BOUND instructions in `ckwizard ARGS...`; FUNCTION "-":
# the whole process, from the loader's first instruction
count() {
	fn=$1 bound=$2 name=$3
	shift 3
	skipped "$name" && return
	toggle="--toggle-collect=$fn"
	[ "$fn" = - ] && toggle=
	# shellcheck disable=SC2086 # toggle is one option or none
	LC_ALL=C.UTF-8 valgrind --tool=callgrind --callgrind-out-file=/dev/null $toggle \
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
count main 120000 "--version: main, the locale's set-up included, stays under 120 K instructions (two categories)" \
	--version
count - 600000 "--version: the whole process stays under 600 K instructions (no ncurses loaded)" \
	--version

# none FUNCTION LIB NAME ARGS...: ok when `ckwizard ARGS...` never enters
# FUNCTION, which LIB (a library the run loads) exports under that name, so
# that callgrind's 0 means "not called" rather than "renamed"
none() {
	fn=$1 lib=$2 name=$3
	shift 3
	skipped "$name" && return
	cache=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null)
	path=$(echo "$cache" | sed -n "s/^[[:space:]]*$lib (.*x86-64.*) => //p" | head -1)
	[ -n "$path" ] || path=$(echo "$cache" | sed -n "s/^[[:space:]]*$lib .* => //p" | head -1)
	if ! nm -D --defined-only "$path" 2>/dev/null | grep -qE " $fn(@|\$)"; then
		tap_not_ok "$name" "$lib ($path) does not export $fn: the check means nothing"
		return
	fi
	LC_ALL=C.UTF-8 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		--toggle-collect="$fn" "$CKW" "$@" >"$TMP/out" 2>"$TMP/vg"
	n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/vg" | tail -1)
	if [ "$n" = 0 ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name" "${n:-no count} instructions in $fn" "$(tail -3 "$TMP/vg")"
	fi
}
none ERR_load_strings_const libcrypto.so.3 "show loads none of OpenSSL's error texts" \
	show "$large"
tap_done
