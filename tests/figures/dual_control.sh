#!/bin/sh
# tests/figures/dual_control.sh BUILDDIR: the bypass attempts that are not a
# cmocka test of their own (doc/reliability.md, dual control), on the sample
# journals of tests/journals (same plan, same two test keys, two sessions).
# Each attempt must be refused by `verify` (exit 1) and by a resume.
set -u
B=${1:?usage: dual_control.sh BUILDDIR}
CKW="$B/ckwizard"
SRC=${CK_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
J="$SRC/tests/journals"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ckw-dual.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
row() {
	"$CKW" verify "$2" --plan "$J/sample-plan.yaml" >"$3.out" 2>&1
	rc=$?
	why=$(grep -m1 -i "line\|refused\|signature\|chain\|hash" "$3.out" | cut -c1-220)
	echo "| $1 | $rc | $why |"
}
echo "| Attempt | verify exit | What verify says |"
echo "|---|---|---|"
# 1. An event signed in another session, replayed: line 20 of the format 2
#    sample appended after line 19 of the format 1 sample (both signed by the
#    same operators with the same keys).
head -19 "$J/sample.jsonl" >replay.jsonl
sed -n 20p "$J/sample-v2.jsonl" >>replay.jsonl
row "an event signed in another session, appended as it is" replay.jsonl replay
# 2. The same, its seq and prev rewritten to chain and its hash recomputed
#    (doc/journal.md: SHA-256 of the line up to ',"hash":'): the signatures,
#    made over the other session's hash, do not match.
python3 - "$J/sample.jsonl" "$J/sample-v2.jsonl" >replay2.jsonl <<'PY'
import hashlib, json, sys
a = open(sys.argv[1]).read().splitlines()[:19]
ev = json.loads(open(sys.argv[2]).read().splitlines()[19])
sigs = ev.pop("sigs")
ev.pop("hash")
ev["seq"] = 20
ev["prev"] = json.loads(a[-1])["hash"]
body = json.dumps(ev, separators=(",", ":"), ensure_ascii=False)[:-1]
h = hashlib.sha256(body.encode()).hexdigest()
print("\n".join(a + [body + ',"hash":"%s","sigs":%s}' % (h, json.dumps(sigs, separators=(",", ":")))]))
PY
row "the same, seq, prev and hash rewritten to chain" replay2.jsonl replay2
# 3. An append forged into a shared session by someone who can write the file
#    but holds neither key: the last open event copied with a new payload, a
#    fitting seq and prev, and the hash recomputed (so the chain holds): the
#    signature copied from the event before does not match.
python3 - "$J/sample.jsonl" >forged.jsonl <<'PY'
import hashlib, json, sys
a = open(sys.argv[1]).read().splitlines()[:19]
last = json.loads(a[-1])
ev = {"seq": 20, "time": last["time"], "type": "note", "actor": last["actor"],
      "payload": {"text": "all steps verified"}, "prev": last["hash"]}
body = json.dumps(ev, separators=(",", ":"))[:-1]
h = hashlib.sha256(body.encode()).hexdigest()
sig = json.dumps([s for s in last["sigs"] if s["by"] == last["actor"]][:1], separators=(",", ":"))
print("\n".join(a + [body + ',"hash":"%s","sigs":%s}' % (h, sig)]))
PY
row "a forged append (no key): chain kept, a signature copied" forged.jsonl forged
# 4. A line removed from the middle (a refusal or a witness hidden).
sed 10d "$J/sample.jsonl" >cut.jsonl
row "an event removed from the middle" cut.jsonl cut
