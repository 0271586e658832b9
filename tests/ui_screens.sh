#!/bin/sh
# Scripted keys, screens compared as text (the tig way), on the real binary:
# ckwizard rehearse with --ui-script/--ui-dump (test mode) and a fixed clock.
# Each case feeds keys from a script and diffs every <Dump> against
# tests/screens/NAME.txt. Regenerate after an intended change with
#   CK_UPDATE_SCREENS=1 sh tests/ui_screens.sh   (then read the git diff).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
export TERM=xterm-256color
CLOCK=1795435200   # 2026-11-23 12:00 UTC: times on screen never move

cd "$TMP" || exit 1
# The plan is copied so that its path on screen is short and machine-free.
cp "$PLANS/contoso-exchange.yaml" plan.yaml
SHA=$(sha256sum plan.yaml | cut -d' ' -f1)

# screens NAME DIR KEYS [ENV...]: run, normalise, compare.
screens() {
	name=$1 dir=$2 keys=$3
	shift 3
	printf '%s' "$keys" >"$name.keys"
	env "$@" "$CKW" rehearse plan.yaml --dir "$dir" --idle-lock 0 --ui-clock "$CLOCK" \
		--ui-script "$name.keys" --ui-dump "$name.dump" >"$name.out" 2>&1
	rc=$?
	# The plan's hash changes whenever the example plan is edited.
	sed "s/$SHA/<plan-sha256>/g; s/$(echo "$SHA" | cut -c1-16)/<plan-sha16>/g; s#$CK_SRCDIR#<srcdir>#g" \
		"$name.dump" >"$name.txt"
	want="$TDATA/screens/$name.txt"
	if [ -n "${CK_UPDATE_SCREENS:-}" ]; then
		cp "$name.txt" "$want"
	fi
	if [ "$rc" -ne 0 ]; then
		tap_not_ok "$name: exit $rc" "$(cat "$name.out")"
	elif diff -u "$want" "$name.txt" >"$name.diff" 2>&1; then
		tap_ok "$name"
	else
		tap_not_ok "$name: screen differs" "$(cat "$name.diff")"
	fi
}

tap_plan 27

# 1. The start screen of a new session, then the quit question.
screens start s1 '<Dump>q<Dump><Enter>'

# 2. Both present (passphrases), the plan review; the author approves with
# their signing PIN and hands the keyboard to the verifier, whose key is
# unlocked already: the verifier's PIN, no passphrase.
screens review s2 '<Enter>rehearse-alice<Enter>rehearse-bob<Enter><Dump>
s<Dump>1234<Enter><Dump>5678<Enter><Dump>'

# 3. Verification: tick every warning and checklist item, sign; the step
# screen with its first step; the commands in bash; help.
SPACES=$(printf '%60s' '')
screens steps s2 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>
h5678<Enter><Home>$SPACES<Dump>s5678<Enter><Dump>
<Tab><PgDn><Dump>b<Dump><F1><Dump><Esc>"

# 4. A terminal too small says so and recovers after a resize.
screens resize s1 '<Resize 40x10><Dump><Resize 100x30><Dump><Resize 80x24><Dump>'

# 5. LANG=C: ASCII lines and symbols; NO_COLOR: no colours.
screens ascii s1 '<Dump>' LC_ALL=C LANG=C NO_COLOR=1

# 6. Idle lock: the passphrase of the operator at the keyboard is asked again.
screens idle s2 '<Enter>rehearse-alice<Enter>rehearse-bob<Enter><Idle><Dump>rehearse-alice<Enter><Dump>'

# 11 (here for its state). A pasted line end (bracketed paste) is a space in a
# one-line field, not an Enter: only the typed Enter accepts. (Multi-line
# fields keeping pasted lines: tests/e2e_service.sh, the access listing.)
screens paste s5 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>
s1234<Enter>5678<Enter><Home>$SPACES s5678<Enter>
Snot needed in this test<Enter>5678<Enter>1234<Enter>
e1234<Enter>
<PasteBegin>Az.KeyVault 6.2.1<Enter><PasteEnd><Dump><Enter><Tab><End><Dump>"

# 13. Never ask for what will be refused: on the first step (Alice's, no
# evidence yet) Bob at the keyboard presses w (it needs no witness), then c
# (the evidence is missing): the rules answer before any handoff or
# signature question, with what is missing and the key that does it.
screens refuse s7 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>
s1234<Enter>5678<Enter><Home>$SPACES s5678<Enter><Dump>w<Dump>c<Dump>"
if grep -q "First the evidence" refuse.txt && ! grep -q "Hand the keyboard\|signature goes" refuse.txt; then
	tap_ok "a refused action asks for no keyboard, passphrase or signature"
else
	tap_not_ok "refused action prompted" "$(cat refuse.txt)"
fi

# 17. The plan's signatures ask the rules first too: the verifier's s
# with nothing ticked says what is left and asks for no PIN.
screens verify-first s10 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>
s1234<Enter>5678<Enter>s<Dump>"
if grep -q "First tick every warning and checklist item" verify-first.txt &&
	! grep -q "Signing PIN\|Refused: checklist item" verify-first.txt; then
	tap_ok "verifying with items unticked: said at once, no PIN asked"
else
	tap_not_ok "verify before the ticks prompted" "$(cat verify-first.txt)"
fi

# 18. A sitting with Alice alone: a deviation needs both, said before any
# reason or PIN is asked.
printf '%s' "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s1234<Enter>5678<Enter><Home>$SPACES s5678<Enter>q<Enter>" >dev1.keys
"$CKW" rehearse plan.yaml --dir s11 --idle-lock 0 --ui-script dev1.keys >dev1.out 2>&1
"$CKW" rehearse plan.yaml --dir s12 --idle-lock 0 --ui-script dev1.keys >>dev1.out 2>&1
screens deviate-alone s11 "a<Enter>rehearse-alice<Enter>D<Dump>"
if grep -q "First both operators in a sitting" deviate-alone.txt &&
	! grep -q "What deviates\|Signing PIN" deviate-alone.txt; then
	tap_ok "a deviation with one operator present: refused before the reason or a PIN"
else
	tap_not_ok "deviation alone prompted" "$(cat dev1.out deviate-alone.txt)"
fi

# 19. Bob alone, and everything left needs Alice: the step screen says so,
# and z closes the sitting there (it used to work on the wait screen only).
screens alone s12 "b<Enter>rehearse-bob<Enter><Dump>z5678<Enter><Dump>"
if grep -q "Everything left needs both operators: z closes" alone.txt &&
	grep -q "Recorded: the sitting is closed" alone.txt; then
	tap_ok "one operator with nothing to do alone: told so, z closes the sitting"
else
	tap_not_ok "a sitting alone dead-ends" "$(cat alone.txt)"
fi

# 20. Refusals name steps by number and title, never by internal id; after
# the approval the message line says so (not the sitting's opening any
# more); Esc is in the key bar only where it goes back (not on the review).
if grep -q 'step 1 "Confirm Customer Key' refuse.txt && ! grep -q 'step prereq\.licences' refuse.txt &&
	grep -q "Recorded: approved by the author" review.txt && ! grep -q "Esc Back" review.txt; then
	tap_ok "steps named by number and title; no stale message; no Esc Back that does nothing"
else
	tap_not_ok "ids, stale message or Esc Back" "$(cat refuse.txt review.txt)"
fi

# 22. Three wrong PINs lock the key: the next prompt is the passphrase, which
# opens it again, and the PIN is never shown.
screens pin-locked s13 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s0000<Enter>0000<Enter><Dump>0000<Enter><Dump>rehearse-alice<Enter><Dump>"
if grep -q "Wrong PIN: 1 try left" pin-locked.txt && grep -q "Unlock: Alice Ames" pin-locked.txt &&
	grep -q "Wrong PIN, 3 times" pin-locked.txt && ! grep -q "0000" pin-locked.txt &&
	grep -q "Approve plan version 1 .*as its author" pin-locked.txt; then
	tap_ok "three wrong PINs: the key is locked, the passphrase opens it again"
else
	tap_not_ok "three wrong PINs" "$(cat pin-locked.txt)"
fi

# 14. Quitting closes the sitting at that moment (the real close time), and
# the resumed start screen shows how far the ceremony is.
printf '<Enter>rehearse-alice<Enter>rehearse-bob<Enter>q<Enter>' >quit.keys
"$CKW" rehearse plan.yaml --dir s8 --idle-lock 0 --ui-script quit.keys >quit.out 2>&1
rc=$?
printf '<Dump>q<Enter>' >quit2.keys
"$CKW" rehearse plan.yaml --dir s8 --idle-lock 0 --ui-script quit2.keys --ui-dump quit2.dump \
	>quit2.out 2>&1
last=$(tail -n 1 s8/journal.jsonl | sed 's/.*"type":"\([a-z.]*\)".*/\1/')
if [ "$rc" -eq 0 ] && [ "$last" = "sitting.close" ] && grep -q "Progress.*0 of 47 done, 47 to go" quit2.dump; then
	tap_ok "quitting closes the sitting; the resume screen shows the progress"
else
	tap_not_ok "quit: exit $rc, last event $last" "$(cat quit.out quit2.dump)"
fi

# 15. N jumps to the next step to do, wherever the selection is.
screens next s9 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>
s1234<Enter>5678<Enter><Home>$SPACES s5678<Enter>jjjj<Dump>N<Dump>"

# 21. The focused pane, unmistakable without colour and in ASCII: the title
# says which, the divider points at it.
screens focus s9 "<Enter>rehearse-alice<Enter>rehearse-bob<Enter><Dump><Tab><Dump>" \
	LC_ALL=C LANG=C NO_COLOR=1
if grep -q "Focus: the list" focus.txt && grep -q "Focus: the step" focus.txt &&
	grep -q '^Prepare 0/5 *<' focus.txt && grep -q '^Prepare 0/5 *>' focus.txt; then
	tap_ok "the focused pane is named and pointed at (ASCII, NO_COLOR)"
else
	tap_not_ok "focus not shown" "$(cat focus.txt)"
fi

# 7. SIGTERM (here from the script) leaves cleanly: terminal restored, the
# session saved, exit 0, and the next run resumes it.
printf '<Enter>rehearse-alice<Enter>rehearse-bob<Enter><Signal>x' >sig.keys
"$CKW" rehearse plan.yaml --dir s3 --idle-lock 0 --ui-script sig.keys --ui-dump sig.dump \
	>sig.out 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q "Session saved in s3" sig.out && grep -q '"sitting.open"' s3/journal.jsonl 2>/dev/null; then
	tap_ok "a signal leaves cleanly and keeps what was recorded"
else
	tap_not_ok "signal: exit $rc" "$(cat sig.out)"
fi

# 12 (here, after the others). A crash left half a line: the start screen
# says so, both operators set it aside with a reason, and the ceremony goes on.
printf '<Enter>rehearse-alice<Enter>rehearse-bob<Enter>' >t1.keys
"$CKW" rehearse plan.yaml --dir s6 --idle-lock 0 --ui-script t1.keys >t1.out 2>&1
printf '{"seq":99,"time":"2026-11-' >>s6/journal.jsonl
printf '<Dump><Enter>rehearse-alice<Enter>rehearse-bob<Enter>a crash in the test<Enter><Dump>' >t2.keys
"$CKW" rehearse plan.yaml --dir s6 --idle-lock 0 --ui-script t2.keys --ui-dump t2.dump >t2.out 2>&1
rc=$?
"$CKW" verify s6/journal.jsonl >t3.out 2>&1
vrc=$?
ok=1
[ "$rc" -eq 0 ] || ok=0
grep -q "partial line" t2.dump || ok=0        # said on the start screen
grep -q "Plan review" t2.dump || ok=0         # and the ceremony went on
ls s6/journal.jsonl.torn-* >/dev/null 2>&1 || ok=0   # the bytes are kept
[ "$vrc" -eq 3 ] || ok=0                      # valid, still open
if [ "$ok" -eq 1 ]; then
	tap_ok "a torn last line is set aside by both operators from the start screen"
else
	tap_not_ok "torn line: exit $rc, verify $vrc" "$(cat t2.out t2.dump t3.out 2>/dev/null)"
fi

# 8. run --live reads its options before any screen: an unknown cloud is a
# usage error naming it, exit 2, and no session directory is made.
if run_ck 2 live.out run plan.yaml --live --cloud nowhere --dir live.ckw &&
	grep -q "nowhere" live.out && [ ! -e live.ckw ]; then
	tap_ok "run --live with an unknown cloud: a usage error before any screen"
else
	tap_not_ok "run --live" "$(cat live.out)"
fi

# 9. run refuses the bundled demo operators before any screen opens.
if run_ck 4 demo.out run plan.yaml --dir r1 && grep -q "demo" demo.out; then
	tap_ok "run refuses the demo operators (exit 4)"
else
	tap_not_ok "run with demo keys" "$(cat demo.out)"
fi

# 10. A key script with a typo fails before any key, naming file and line.
printf 'ab\n<Entr>' >bad.keys
if run_ck 2 bad.out rehearse plan.yaml --dir s4 --ui-script bad.keys --ui-dump bad.dump &&
	grep -q "bad.keys:2: unknown key <Entr>" bad.out; then
	tap_ok "a bad key script is refused with its line"
else
	tap_not_ok "bad key script" "$(cat bad.out)"
fi

tap_done
