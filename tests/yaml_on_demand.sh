#!/bin/sh
# yaml_on_demand.sh: ckwizard does not link libyaml; reading a plan opens it
# (src/yaml_dl.c), and the wizard closes it once its session is open, so
# that its pages are not part of the ceremony's memory (doc/bench.md,
# "Sixth round: memory"). Without a usable libyaml a plan cannot be read:
# the wizard says why and stops (exit 4, the session refused) before its
# session directory exists.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 6
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

# LD_LIBRARY_PATH comes first, as for any library: there, a file that is no
# library at all, then a real library that is not libyaml.
mkdir empty other
: >empty/libyaml-0.so.2
cp "$(ldd "$CKW" | sed -n 's/.*libcjson[^ ]* => \([^ ]*\) .*/\1/p')" other/libyaml-0.so.2
for d in empty other; do
	wizard "$d" LD_LIBRARY_PATH="$TMP/$d"
	rc=$?
	case $d in
	empty) want='cannot load libyaml-0.so.2' ;;
	other) want='libyaml-0.so.2 has no ' ;;
	esac
	if [ $rc -eq 4 ] && grep -q "$want" "$d.out" && [ ! -e "$d.session" ]; then
		tap_ok "the wizard without a usable libyaml ($d) stops: $want"
	else
		tap_not_ok "the wizard without a usable libyaml ($d) stops: $want" \
			"exit $rc; $(ls -d "$d.session" 2>/dev/null) $(cat "$d.out")"
	fi
done
tap_done
