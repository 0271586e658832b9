#!/bin/sh
# Options come from one table (src/cli.c): every command takes "--opt VALUE"
# and "--opt=VALUE" alike, a flag refuses a value, and an option without its
# value is a usage error (exit 2).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 21
cd "$TMP" || exit 1
P="$PLANS/contoso-exchange.yaml"
J="$TDATA/journals/sample.jsonl"
JP="$TDATA/journals/sample-plan.yaml"

# same NAME ARGS_SPACE -- ARGS_EQUALS: both spellings exit 0 with the same output.
same() {
	name=$1; shift
	a="" b="" seen=""
	for x in "$@"; do
		if [ "$x" = "--" ]; then seen=1; continue; fi
		if [ -z "$seen" ]; then a="$a $x"; else b="$b $x"; fi
	done
	# shellcheck disable=SC2086 # the argument lists are split on purpose
	"$CKW" $a >a.out 2>&1; ra=$?
	# shellcheck disable=SC2086
	"$CKW" $b >b.out 2>&1; rb=$?
	if [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] && cmp -s a.out b.out; then
		tap_ok "$name: --opt VALUE and --opt=VALUE agree"
	else
		tap_not_ok "$name: exits $ra and $rb" "$(diff a.out b.out | head -20)"
	fi
}

same "check --format" check "$P" --format json -- check --format=json "$P"
same "show --format" show "$P" --format json -- show "$P" --format=json
same "runbook --format --shell" runbook "$P" --format json --shell bash \
	-- runbook "$P" --format=json --shell=bash
same "report --format" report "$J" --format json -- report --format=json "$J"
same "verify --plan --head" verify "$J" --plan "$JP" -- verify "$J" --plan="$JP"
same "operator list --dir" operator list --dir "$TMP/ks" -- operator list --dir="$TMP/ks"

# -o FILE, --output FILE and --output=FILE write the same report.
"$CKW" report "$J" -o r1.md && "$CKW" report "$J" --output r2.md && "$CKW" report "$J" --output=r3.md
if cmp -s r1.md r2.md && cmp -s r1.md r3.md && [ -s r1.md ]; then tap_ok "report -o, --output and --output= agree"
else tap_not_ok "report -o, --output and --output= differ"; fi

# verify --report=FILE with a report just rendered.
if "$CKW" verify "$J" --report=r1.md >v.out 2>&1; then tap_ok "verify --report=FILE"
else tap_not_ok "verify --report=FILE" "$(cat v.out)"; fi

# The wizard: --dir=DIR and --idle-lock=N are the session directory and the lock.
printf '<Dump>' >keys
if "$CKW" rehearse "$P" --dir=eqdir --idle-lock=0 --ui-script=keys --ui-dump=dump >w.out 2>&1 &&
	[ -f eqdir/journal.jsonl ] && grep -q "Start the ceremony" dump; then
	tap_ok "rehearse --dir=DIR --idle-lock=0 --ui-script=FILE"
else
	tap_not_ok "rehearse with = options" "$(cat w.out)"
fi
if "$CKW" rehearse "$P" --dir spdir --fault=rbac-on --fault rbac-on --ui-script keys >w.out 2>&1 &&
	[ -f spdir/journal.jsonl ]; then
	tap_ok "rehearse --fault=F and --fault F, repeated"
else
	tap_not_ok "rehearse --fault=F" "$(cat w.out)"
fi

# usage errors: exit 2, and the message names the option.
usage() {
	name=$1 want=$2; shift 2
	"$CKW" "$@" >u.out 2>&1; rc=$?
	if [ "$rc" -eq 2 ] && grep -q -- "$want" u.out; then tap_ok "$name (exit 2)"
	else tap_not_ok "$name: exit $rc" "$(cat u.out)"; fi
}
usage "a flag refuses a value" "--management takes no value" runbook "$P" --management=yes
usage "run --live=1 is refused" "--live takes no value" run "$P" --live=1
usage "an option without its value" "--format needs a value" report "$J" --format
usage "an unknown option" "unknown option --bogus=1" verify "$J" --bogus=1
usage "a second positional argument" "unexpected argument" check "$P" "$P"
usage "audit --timeout=0 is read as a value" "--timeout is 1 to 600 seconds, not 0" audit "$P" --timeout=0
usage "--dir= on run with nothing after the plan" "--dir needs a value" run "$P" --dir
usage "rehearse --dir '' is refused, nothing created" "--dir needs a value, and" rehearse "$P" --dir ''
usage "rehearse --dir= (empty) is refused" "--dir needs a value, and" rehearse "$P" --dir=
usage "report -o '' is refused" "needs a value, and" report "$J" -o ''
usage "audit --ca-bundle '' is refused" "--ca-bundle needs a value, and" audit "$P" --ca-bundle ''
tap_done
