#!/bin/sh
# Two terminals, scripted: two ckwizard processes on one session, each with
# its own key script (--ui-script/--ui-dump, fixed clock), compared as text
# with tests/screens/two-*.txt like tests/ui_screens.sh. The scripts take
# turns through files: <Touch F> makes one, <Await F> waits for it, and
# <Tick> is the follow timer, so every dump is taken at a known moment.
# Regenerate after an intended change with
#   CK_UPDATE_SCREENS=1 sh tests/ui_screens_two.sh   (then read the git diff).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
export TERM=xterm-256color
CLOCK=1795435200   # 2026-11-23 12:00 UTC

cd "$TMP" || exit 1
cp "$PLANS/contoso-exchange.yaml" plan.yaml
SHA=$(sha256sum plan.yaml | cut -d' ' -f1)
SPACES=$(printf '%60s' '')

# compare NAME: the dump NAME.dump against tests/screens/NAME.txt
compare() {
	name=$1
	sed "s/$SHA/<plan-sha256>/g; s/$(echo "$SHA" | cut -c1-16)/<plan-sha16>/g; s#$CK_SRCDIR#<srcdir>#g; s#$TMP#<tmp>#g" \
		"$name.dump" >"$name.txt" 2>/dev/null
	want="$TDATA/screens/$name.txt"
	if [ -n "${CK_UPDATE_SCREENS:-}" ]; then
		cp "$name.txt" "$want"
	fi
	if diff -u "$want" "$name.txt" >"$name.diff" 2>&1; then
		tap_ok "$name"
	else
		tap_not_ok "$name: screen differs" "$(cat "$name.diff" "$name.out" 2>/dev/null)"
	fi
}

# as A|B DIR NAME KEYS [ARGS...]: this terminal's ckwizard, in the
# background (its pid in NAME.pid); A starts the rehearsal (with ARGS), B
# joins it.
as() {
	side=$1 dir=$2 name=$3
	printf '%s' "$4" >"$name.keys"
	shift 4
	if [ "$side" = A ]; then
		"$CKW" rehearse plan.yaml --dir "$dir" --as A --idle-lock 0 --ui-clock "$CLOCK" \
			--ui-script "$name.keys" --ui-dump "$name.dump" "$@" >"$name.out" 2>&1 &
	else
		"$CKW" join "$dir" --as B --idle-lock 0 --ui-clock "$CLOCK" \
			--ui-script "$name.keys" --ui-dump "$name.dump" >"$name.out" 2>&1 &
	fi
	echo $! >"$name.pid"
}

# finish NAME...: wait for these terminals (each ends by its script).
finish() {
	for n in "$@"; do
		wait "$(cat "$n.pid")" || echo "exit $?" >>"$n.out"
	done
}

# pair DIR NAME GONE KEYS-A KEYS-B [ARGS...]: A (with ARGS) and B at once
# on DIR, each by its script; B ends first, then GONE tells A to end; both
# dumps compared (NAME-A, NAME-B).
pair() {
	dir=$1 pname=$2 gone=$3 ka=$4 kb=$5
	shift 5
	as A "$dir" "$pname-A" "$ka" "$@"
	as B "$dir" "$pname-B" "$kb"
	finish "$pname-B"
	touch "$gone"
	finish "$pname-A"
	compare "$pname-A"
	compare "$pname-B"
}

# await FILE: the shell's own <Await>, at most a minute.
await() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
}

# verified DIR [KEYS [ARGS...]]: a session whose plan is approved and
# verified at one keyboard, then KEYS typed there (ARGS for rehearse).
verified() {
	dir=$1
	printf '%s' "<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s1234<Enter>5678<Enter><Home>$SPACES s5678<Enter>${2:-}q<Enter>" >v.keys
	shift
	[ $# -gt 0 ] && shift
	"$CKW" rehearse plan.yaml --dir "$dir" --idle-lock 0 --ui-clock "$CLOCK" --ui-script v.keys \
		"$@" >"$dir.out" 2>&1
}

tap_plan 17

# 1. The plan's verification, asked of the other terminal: Bob sits at his
# terminal; Alice approves at hers; at his next look Bob's message line says
# what waits for him.
as A t1 two-approve-A "<Enter>rehearse-alice<Enter><Touch s1-a-in><Await s1-b-in><Tick><Dump>s<Dump><Enter><Dump><Touch s1-a-approved><Await s1-b-seen>q<Enter>"
await s1-a-in # the session exists: B can join it
as B t1 two-approve-B "<Enter>rehearse-bob<Enter><Dump><Touch s1-b-in><Await s1-a-approved><Tick><Dump><Touch s1-b-seen><Await s1-a-gone><Tick>q<Enter>"
finish two-approve-A
touch s1-a-gone
finish two-approve-B
compare two-approve-A
compare two-approve-B
if grep -q "B: present" two-approve-A.txt && grep -q "A: present" two-approve-B.txt &&
	grep -q "Waiting for you: the plan is approved" two-approve-B.txt; then
	tap_ok "each header says the other is present; the verification is asked at the verifier's terminal"
else
	tap_not_ok "presence or the verification request not shown" "$(cat two-approve-A.txt two-approve-B.txt)"
fi

# 2. A skip, co-signed at the other terminal: Alice asks and waits; Bob's
# screen shows what is to be signed, Enter signs.
verified t2
pair t2 two-cosign s2-b-gone "<Enter>rehearse-alice<Enter><Touch s2-a-in><Await s2-b-in><Tick><Dump>
SThe licences are checked by procurement<Enter><Dump><Await s2-b-signed><Tick><Dump><Touch s2-a-done><Await s2-b-gone>q<Enter>" \
	"<Await s2-a-in><Enter>rehearse-bob<Enter><Dump><Touch s2-b-in><Await t2/cosign.request><Tick><Dump><Enter><Dump><Touch s2-b-signed><Await s2-a-done>q<Enter>"
if grep -q "Alice Ames (operator A) asks you to co-sign" two-cosign-B.txt &&
	grep -q "Skip step 1, Confirm Customer Key licences" two-cosign-B.txt &&
	grep -q "Recorded: Bob Berg (operator B) co-signed" two-cosign-A.txt; then
	tap_ok "the skip is shown at the other terminal and signed there"
else
	tap_not_ok "co-sign not shown" "$(cat two-cosign-A.txt two-cosign-B.txt)"
fi

# 3. A line nobody legitimately signed, appended while Alice sits: the
# screen stops and says which line and why, and, whole, the command to run
# on the journal (a long path, as a real ceremony directory has).
T3=ceremonies/contoso-customer-key-2026-11
mkdir -p ceremonies
as A "$T3" two-forged "<Enter>rehearse-alice<Enter><Touch s3-a-in><Await s3-forged><Tick><Dump><Enter><Dump>q<Enter>"
await s3-a-in
python3 - "$T3/journal.jsonl" <<'EOF'
# a note "by B", chained and hashed like any line, signed with 64 zero bytes
import hashlib, json, sys
path = sys.argv[1]
last = json.loads(open(path, encoding="utf-8").read().splitlines()[-1])
head = ('{"seq":%d,"time":"2026-11-23T12:00:00Z","type":"note","actor":"B",'
        '"payload":{"text":"not Bob"},"prev":"%s"' % (last["seq"] + 1, last["hash"]))
h = hashlib.sha256(head.encode()).hexdigest()
sig = "A" * 86 + "=="
with open(path, "a", encoding="utf-8") as f:
    f.write('%s,"hash":"%s","sigs":[{"by":"B","sig":"%s"}]}\n' % (head, h, sig))
EOF
touch s3-forged
finish two-forged
compare two-forged
# once the journal is stopped, the bar offers only the keys that still work;
# once the dialog is gone, the message line still holds the whole command
if grep -q "A line in the journal is refused" two-forged.txt &&
	grep -q "signature does not match" two-forged.txt &&
	[ "$(tail -n 2 two-forged.txt | head -n 1)" = " ckwizard verify '$T3/journal.jsonl'" ] &&
	[ "$(tail -n 1 two-forged.txt)" = "F1Help F10Quit" ]; then
	tap_ok "a forged line stops the screen, which says which line, why and the command to run; only Help and Quit are offered"
else
	tap_not_ok "forged line not shown" "$(cat two-forged.txt two-forged.out)"
fi

# 4. Bob's ckwizard dies in the middle of its line (killed; the partial line
# written here): Alice's terminal sets it aside, Bob comes back, Alice gives
# the reason and Bob co-signs the deviation at his terminal. Alice declines
# each question once first: D asks it again, the journal unchanged.
verified t4
as A t4 two-torn-A "<Enter>rehearse-alice<Enter><Touch s4-a-in><Await s4-torn><Tick><Dump><Esc><Dump>D<Dump><Enter><Tick><Dump><Touch s4-a-aside><Await s4-b2-in><Tick><Dump><Esc><Dump>D<Dump>B's ckwizard was killed while writing<Enter><Dump><Await s4-b2-signed><Tick><Dump><Touch s4-a-done><Await s4-b2-gone>q<Enter>"
as B t4 two-torn-B "<Await s4-a-in><Enter>rehearse-bob<Enter><Touch s4-b-in><Await s4-never>"
await s4-b-in
kill -9 "$(cat two-torn-B.pid)"
wait "$(cat two-torn-B.pid)" 2>/dev/null
printf '{"seq":99,"time":"2026-11-' >>t4/journal.jsonl
touch s4-torn
await s4-a-aside
as B t4 two-torn-B2 "<Enter>rehearse-bob<Enter><Dump><Touch s4-b2-in><Await t4/cosign.request><Tick><Dump><Enter><Dump><Touch s4-b2-signed><Await s4-a-done>q<Enter>"
finish two-torn-B2
touch s4-b2-gone
finish two-torn-A
compare two-torn-A
compare two-torn-B2
"$CKW" verify t4/journal.jsonl >t4v.out 2>&1
vrc=$?
if [ "$vrc" -eq 3 ] && ls t4/journal.jsonl.torn-* >/dev/null 2>&1 &&
	grep -q '"torn_offset"' t4/journal.jsonl && grep -q "cut off by a crash" two-torn-B2.txt &&
	grep -q "^ Not set aside: nothing can be recorded until it is. D asks again.$" two-torn-A.txt &&
	[ "$(grep -c "Enter: set it aside    Esc: not now" two-torn-A.txt)" = 2 ] &&
	grep -q "^ Not recorded: the torn line still stops the journal. D asks for the reason$" two-torn-A.txt &&
	[ "$(grep -c "terminal. Why was it cut off, in a few words?" two-torn-A.txt)" = 2 ]; then
	tap_ok "a torn line set aside at one terminal, its reason asked again on D, its deviation co-signed at the other; verify holds"
else
	tap_not_ok "torn line across terminals: verify $vrc" "$(cat t4v.out two-torn-A.txt two-torn-B2.txt two-torn-A.out)"
fi

# 5. A witness asked of the other terminal: steps 1 and 2 done at one
# keyboard; at her terminal Alice enters step 4's evidence and confirms it;
# at his next look Bob's message line asks him to witness it, and he does.
verified t5 "e1234<Enter><Enter>c1234<Enter>eAz.KeyVault 6.2.1<Enter>c1234<Enter>"
pair t5 two-witness s5-b-gone "<Enter>rehearse-alice<Enter><Touch s5-a-in><Await s5-b-in><Tick><Down><Down><Down>e0a1b2c3d-1111-4aaa-8bbb-000000000001<Enter>e<Enter>c<Enter><Dump><Touch s5-a-confirmed><Await s5-b-done><Tick><Dump><Touch s5-a-done><Await s5-b-gone>q<Enter>" \
	"<Await s5-a-in><Enter>rehearse-bob<Enter><Touch s5-b-in><Await s5-a-confirmed><Tick><Dump><Down>w<Dump><Enter><Dump><Touch s5-b-done><Await s5-a-done>q<Enter>"
if grep -q "Waiting for you: witness step 4, Create your Azure subscription" two-witness-B.txt &&
	grep -q "Did you watch Alice Ames (operator A) do \"Create your Azure" two-witness-B.txt &&
	grep -q "Recorded: witnessed." two-witness-B.txt &&
	grep -q "Order: ✓perform ✓evidence ✓confirm ✓witness" two-witness-A.txt &&
	grep -q "^ witnesses it, at their own terminal.$" two-witness-A.txt &&
	! grep -q "Next: the witness (w)" two-witness-A.txt &&
	grep -q "^ Bob Berg (operator B) witnessed step 4, Create your Azure subscription for$" two-witness-A.txt; then
	tap_ok "a witness asked at the other terminal, given there, seen at the owner's"
else
	tap_not_ok "witness across terminals" "$(cat two-witness-A.txt two-witness-B.txt)"
fi

# 6. The closing, co-signed at the other terminal: an offboarding ceremony
# (four witnessed steps) done at one keyboard; at her terminal Alice closes
# it, Bob signs the closing at his, and both screens show the head hash.
OFF1="e1234<Enter>The tenant leaves<Enter>e<Enter>c1234<Enter>contoso.onmicrosoft.com<Enter>w5678<Enter><Enter>"
OFF2="NeThe tenant leaves<Enter>e<Enter>c5678<Enter>contoso.onmicrosoft.com<Enter>w1234<Enter><Enter>"
OFF3="NeThe tenant leaves<Enter>eThe service desk<Enter>e<Enter>c1234<Enter>contoso.onmicrosoft.com<Enter>w5678<Enter><Enter>"
OFF4="Ne1234<Enter>The purge officer<Enter>eThe purge document<Enter>e<Enter>c1234<Enter>contoso.onmicrosoft.com<Enter>w5678<Enter><Enter>"
verified t6 "$OFF1$OFF2$OFF3$OFF4" --offboarding
pair t6 two-close s6-b-gone "<Enter>rehearse-alice<Enter><Touch s6-a-in><Await s6-b-in><Tick><Enter><Dump><Enter><Dump><Await s6-b-signed><Tick><Dump><Touch s6-a-done><Await s6-b-gone>q<Enter>" \
	"<Await s6-a-in><Enter>rehearse-bob<Enter><Touch s6-b-in><Await t6/cosign.request><Tick><Dump><Enter><Dump><Touch s6-b-signed><Await s6-a-done>q<Enter>" --offboarding
"$CKW" verify t6/journal.jsonl >t6v.out 2>&1
vrc=$?
if [ "$vrc" -eq 0 ] && grep -q "Alice Ames (operator A) asks you to co-sign" two-close-B.txt &&
	grep -q "Close the ceremony: nothing can be recorded after it" two-close-B.txt &&
	grep -q "Recorded: Bob Berg (operator B) co-signed." two-close-A.txt &&
	[ "$(grep -c "The ceremony is closed" two-close-A.txt)" = 1 ] &&
	[ "$(grep -c "The ceremony is closed" two-close-B.txt)" = 1 ] &&
	[ "$(tail -n 2 two-close-B.txt | head -n 1)" = " Recorded: co-signed by both operators." ] &&
	! grep -q "left the sitting\|: away" two-close-A.txt two-close-B.txt; then
	tap_ok "the closing asked at one terminal, co-signed at the other; both show it closed; verify holds"
else
	tap_not_ok "closing across terminals: verify $vrc" "$(cat t6v.out two-close-A.txt two-close-B.txt)"
fi

tap_done
