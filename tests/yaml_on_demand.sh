#!/bin/sh
# yaml_on_demand.sh: ckwizard does not link libyaml; reading a plan opens it
# (src/yaml_dl.c), and the wizard closes it once its session is open, so
# that its pages are not part of the ceremony's memory (doc/bench.md,
# "Sixth round: memory"). Without a usable libyaml a plan cannot be read:
# the wizard says why and stops (exit 4, the session refused) before its
# session directory exists. The reason is the plan's error (L007), never a
# line written to stderr on its own: an amendment reads its plan with the
# screen up.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 7
export TERM=xterm-256color
cd "$TMP" || exit 1
PLAN="$PLANS/woodgrove-large.yaml"
cp "$PLANS/contoso-exchange.yaml" plan.yaml

tap_not_linked libyaml

"$CKW" check "$PLAN" >check.out 2>&1
rc=$?
if [ $rc -le 1 ] && grep -q 'valid' check.out; then
	tap_ok "check reads the plan through the opened libyaml"
else
	tap_not_ok "check reads the plan through the opened libyaml" "exit $rc: $(head -5 check.out)"
fi

tap_wizard ok
rc=$?
if [ $rc -eq 0 ] && grep -q 'Start the ceremony' ok.dump; then
	tap_ok "the wizard reads its plan and draws its start screen"
else
	tap_not_ok "the wizard reads its plan and draws its start screen" \
		"exit $rc: $(cat ok.out; head -3 ok.dump 2>/dev/null)"
fi
# the loader's log: libyaml unloaded (its link map destroyed, which the
# exit of a process does not do), before ncurses draws (the dump exists)
if grep -q 'libyaml.*destroying link map' ok.ld.*; then
	tap_ok "the wizard closes libyaml once its session is open"
else
	tap_not_ok "the wizard closes libyaml once its session is open" \
		"$(grep -h 'libyaml' ok.ld.* | head)"
fi

tap_unusable_lib libyaml-0.so.2 4 libyaml

# the same through `check`: one diagnostic, its hint, nothing else
LD_LIBRARY_PATH="$TMP/empty" "$CKW" check plan.yaml >nolib.out 2>&1
rc=$?
if [ $rc -eq 2 ] && [ "$(wc -l <nolib.out)" -eq 3 ] &&
	grep -q '^plan.yaml: error\[L007\]: cannot start the YAML parser: cannot load libyaml-0.so.2 (' nolib.out &&
	grep -q '^  hint: reading a plan needs libyaml 0.2 (Debian: apt-get install libyaml-0-2)$' nolib.out; then
	tap_ok "without libyaml, check reports the plan's error L007 with how to install it, and only that"
else
	tap_not_ok "without libyaml, check reports L007 with how to install it" "exit $rc: $(cat nolib.out)"
fi
tap_done
