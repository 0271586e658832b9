#!/bin/sh
# curses_on_demand.sh: ckwizard does not link ncursesw or libtinfo; the
# wizard's first ncurses call loads them (ui/curses_dl.c), found as the
# dynamic loader finds any library. `check` starts without them
# (doc/bench.md, "Fifth round"); the wizard draws through the loaded
# library; one that cannot be loaded, or is not ncursesw, stops the wizard
# with a clear message before it creates anything.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 7
export TERM=xterm-256color
cd "$TMP" || exit 1
PLAN="$PLANS/woodgrove-large.yaml"
cp "$PLANS/contoso-exchange.yaml" plan.yaml

tap_not_linked ncursesw
tap_not_linked tinfo

LD_DEBUG=files "$CKW" check "$PLAN" >run.out 2>run.ld
if grep -q 'file=libyaml' run.ld && ! grep -q 'file=libncursesw\|file=libtinfo' run.ld; then
	tap_ok "check runs without loading ncursesw or libtinfo"
else
	tap_not_ok "check runs without loading ncursesw or libtinfo" "$(grep 'file=' run.ld | head)"
fi

tap_wizard ok
rc=$?
if [ $rc -eq 0 ] && grep -q 'file=libncursesw' ok.ld.* && grep -q 'Start the ceremony' ok.dump; then
	tap_ok "the wizard loads ncursesw and draws its start screen"
else
	tap_not_ok "the wizard loads ncursesw and draws its start screen" \
		"exit $rc: $(cat ok.out; head -3 ok.dump 2>/dev/null)"
fi

tap_unusable_lib libncursesw.so.6 2 ncursesw
tap_check_without ncursesw
tap_done
