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

# wizard DIR [ENV...]: the start screen dumped, then quit (tests/ui_screens.sh)
wizard() {
	dir=$1
	shift
	printf '<Dump>' >keys
	env "$@" LD_DEBUG=files LD_DEBUG_OUTPUT="$TMP/$dir.ld" "$CKW" rehearse plan.yaml --dir "$dir.session" \
		--idle-lock 0 --ui-script keys --ui-dump "$dir.dump" >"$dir.out" 2>&1
}
wizard ok
rc=$?
if [ $rc -eq 0 ] && grep -q 'file=libncursesw' ok.ld.* && grep -q 'Start the ceremony' ok.dump; then
	tap_ok "the wizard loads ncursesw and draws its start screen"
else
	tap_not_ok "the wizard loads ncursesw and draws its start screen" \
		"exit $rc: $(cat ok.out; head -3 ok.dump 2>/dev/null)"
fi

# LD_LIBRARY_PATH comes first, as for any library: there, a file that is no
# library at all, then a real library that is not ncursesw.
mkdir empty other
: >empty/libncursesw.so.6
cp "$(ldd "$CKW" | sed -n 's/.*libcjson[^ ]* => \([^ ]*\) .*/\1/p')" other/libncursesw.so.6
for d in empty other; do
	wizard "$d" LD_LIBRARY_PATH="$TMP/$d"
	rc=$?
	case $d in
	empty) want='cannot load libncursesw.so.6' ;;
	other) want='libncursesw.so.6 has no ' ;;
	esac
	if [ $rc -eq 2 ] && grep -q "$want" "$d.out" && [ ! -e "$d.session" ]; then
		tap_ok "the wizard without a usable ncursesw ($d) stops: $want"
	else
		tap_not_ok "the wizard without a usable ncursesw ($d) stops: $want" \
			"exit $rc; $(ls -d "$d.session" 2>/dev/null) $(cat "$d.out")"
	fi
done
tap_check_without ncursesw
tap_done
