#!/bin/sh
# Every fuzz target (tests/fuzz/fuzz_*.c) over its seeds and saved inputs
# (tests/fuzz/seeds), built with the ordinary compiler: an input a fuzzer once
# failed on keeps failing here if the bug comes back. In the sanitizer build
# (CI) this replays under ASan and UBSan as well.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"

targets=$(sed -n 's/^\([a-z]*\): .*/\1/p' "$TDATA/fuzz/seeds")
tap_plan "$(echo "$targets" | wc -w)"
for t in $targets; do
	dirs=
	for s in $(sed -n "s/^$t: //p" "$TDATA/fuzz/seeds"); do
		dirs="$dirs $CK_SRCDIR/$s"
	done
	# shellcheck disable=SC2086 # one argument per directory
	if out=$("$CK_BUILDDIR/tests/fuzz_replay_$t" $dirs 2>&1); then
		tap_ok "fuzz target $t: $out"
	else
		tap_not_ok "fuzz target $t replays its corpus" "$out"
	fi
done
tap_done
