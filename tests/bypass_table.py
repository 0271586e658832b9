"""Dual control against one operator alone: every way Alice (operator A),
holding her own key and the journal file but not Bob's key, might try to
finish or alter a ceremony without him, each written into a copy of a real
rehearsal journal and handed to `ckwizard verify`. Each attempt must be
refused (exit 1) with a message naming the rule; the two that a journal alone
cannot tell (the last lines cut off) must be caught by the head anchor
(--head, the hash both operators wrote down). Prints TAP and, as TAP
comments, the table doc/reliability.md shows.

Alice's pen: she writes lines in the journal's one fixed form
(doc/journal.md), recomputes `hash` and `prev` as anyone can, and signs with
her key (Ed25519 over "ckwizard-journal-v1\\n" + hash). Bob's signatures she
can only copy (one row uses Bob's key too, to show the amendment rule itself). A stranger's key stands for any key the plan does not name.

argv: CKW BASE OTHER KEYDIR WORKDIR
  BASE   a 17-event rehearsal (tests/rehearsal17.keys)
  OTHER  the same rehearsal recorded at another time (another session)
  KEYDIR plans/demo-operators (alice.key, passphrase rehearse-alice)
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys

CKW, BASE, OTHER, KEYDIR, WORK = sys.argv[1:6]
PREFIX = b"ckwizard-journal-v1\n"


class Key:
    """An Ed25519 key through the openssl command (no Python package needed)."""
    def __init__(self, name, pem=None, passphrase=None):
        self.path = os.path.join(WORK, name + ".pem")
        if pem:
            subprocess.run(["openssl", "pkey", "-in", pem, "-passin", "pass:" + passphrase,
                            "-out", self.path], check=True)
        else:
            subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", self.path],
                           check=True)
        der = subprocess.run(["openssl", "pkey", "-in", self.path, "-pubout", "-outform", "DER"],
                             check=True, capture_output=True).stdout
        self.pub = der[-32:]

    def sign(self, msg):
        m = os.path.join(WORK, "msg")
        with open(m, "wb") as f:
            f.write(msg)
        return subprocess.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", self.path,
                               "-in", m], check=True, capture_output=True).stdout


ALICE = Key("alice", os.path.join(KEYDIR, "alice.key"), "rehearse-alice")
# Bob's key only for the one row where both agree (the rule, not a forgery).
BOB = Key("bob", os.path.join(KEYDIR, "bob.key"), "rehearse-bob")
STRANGER = Key("stranger")


def dumps(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def head(e):
    """The bytes the hash covers: from { up to, not including, ,"hash":"""
    return ('{"seq":%d,"time":%s,"type":%s,"actor":%s,"payload":%s,"prev":"%s"'
            % (e["seq"], dumps(e["time"]), dumps(e["type"]), dumps(e["actor"]),
               dumps(e["payload"]), e["prev"]))


def line(e):
    return head(e) + ',"hash":"%s","sigs":%s}' % (e["hash"], dumps(e["sigs"]))


def load(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read().splitlines()
    evs = [json.loads(r) for r in raw]
    for r, e in zip(raw, evs):
        assert line(e) == r, "the fixed form is not reproduced:\n%s\n%s" % (line(e), r)
    return evs


def sign(key, e):
    return base64.b64encode(key.sign(PREFIX + e["hash"].encode())).decode()


def seal(e, signers):
    """Hash e and sign it: signers is a list of (side, key or a copied sig)."""
    e["hash"] = hashlib.sha256(head(e).encode()).hexdigest()
    e["sigs"] = [{"by": side, "sig": k if isinstance(k, str) else sign(k, e)}
                 for side, k in signers]
    return e


def rechain(evs, start):
    """Renumber and re-link from index start on, re-signing Alice's
    signatures with her key and keeping Bob's as they were (she has no other)."""
    for i in range(start, len(evs)):
        e = evs[i]
        e["seq"] = i + 1
        e["prev"] = evs[i - 1]["hash"] if i else "0" * 64
        seal(e, [(s["by"], ALICE if s["by"] == "A" else s["sig"]) for s in e["sigs"]])
    return evs


def append(evs, typ, actor, payload, signers):
    e = {"seq": len(evs) + 1, "time": evs[-1]["time"], "type": typ, "actor": actor,
         "payload": payload, "prev": evs[-1]["hash"]}
    return evs + [seal(e, signers)]


base = load(BASE)
other = load(OTHER)
assert len(base) == 17 and base[14]["type"] == "deviation" and base[15]["actor"] == "B"
HEAD = base[-1]["hash"]
cp = lambda: json.loads(json.dumps(base))  # noqa: E731
approved = lambda: cp()[:3]                 # noqa: E731  opened, approved by A, not verified
bob_sig = base[15]["sigs"][0]["sig"]       # Bob's note, seq 16
plan_text = base[0]["payload"]["plan"]


def amend_keys(signers):
    """The plan with B's key replaced by the stranger's (a key Alice holds)."""
    keys = re.findall(r'key: "(ed25519:[^"]+)"', plan_text)
    assert len(keys) == 2
    stranger = base64.b64encode(STRANGER.pub).decode()
    new = plan_text.replace(keys[1], "ed25519:" + stranger)
    assert new != plan_text and keys[0] in new
    return append(cp(), "plan.amend", "A",
                  {"version": 2, "plan_sha256": hashlib.sha256(new.encode()).hexdigest(),
                   "plan": new, "diff": "- B's key\n+ a key Alice holds\n"}, signers)


def swap(evs, i, j):
    evs[i], evs[j] = evs[j], evs[i]
    return evs


def edited(evs):
    evs[15]["payload"]["text"] = "note 2"
    return evs


def replay_other_session():
    evs = approved()
    v = json.loads(json.dumps(other[3]))   # Bob's plan.verify of the other session
    assert v["type"] == "plan.verify" and v["actor"] == "B"
    v["prev"] = evs[-1]["hash"]
    return evs + [seal(v, [("B", v["sigs"][0]["sig"])])]


def replay_other_session_as_is():
    evs = approved()
    return evs + [json.loads(json.dumps(other[3]))]


D = {"step": None, "reason": "alone"}
# (attempt, journal, extra verify arguments, what the refusal must say, unit test)
ATTEMPTS = [
    ("sign as the other: a note as B, signed with A's key labelled B",
     lambda: append(cp(), "note", "B", {"text": "x"}, [("B", ALICE)]), [],
     "signature", "test_session_forged_actor_not_signer"),
    ("act as the other: a note as B, signed by A as A",
     lambda: append(cp(), "note", "B", {"text": "x"}, [("A", ALICE)]), [],
     "not signed by operator B", "test_session_forged_actor_not_signer"),
    ("the same person twice: a deviation signed by A's key as A and as B",
     lambda: append(cp(), "deviation", "A", D, [("A", ALICE), ("B", ALICE)]), [],
     "signature", "test_session_same_person_twice_refused"),
    ("a deviation with A's signature only",
     lambda: append(cp(), "deviation", "A", D, [("A", ALICE)]), [],
     "both operators", "test_session_forged_deviation_with_one_signature"),
    ("a skip with A's signature only",
     lambda: append(cp(), "step.skip", "A", {"step": "sub.create/A", "reason": "alone"},
                    [("A", ALICE)]), [],
     "both operators", "test_session_forged_skip_with_one_signature"),
    ("close the session alone",
     lambda: append(cp(), "session.close", "A", {"open_items": 0}, [("A", ALICE)]), [],
     "", "-"),
    ("witness one's own step (prereq.tools/A, by A)",
     lambda: append(cp(), "step.witness", "A", {"step": "prereq.tools/A"}, [("A", ALICE)]), [],
     "", "test_session_only_owner_confirms_and_other_witnesses"),
    ("do the other's step: confirm sub.create/B as A",
     lambda: append(cp(), "step.confirm", "A", {"step": "sub.create/B", "resources": "x"},
                    [("A", ALICE)]), [],
     "operator B", "test_session_forged_confirm_by_wrong_operator"),
    ("replay Bob's signature (his note, seq 16) on a new deviation",
     lambda: append(cp(), "deviation", "A", D, [("A", ALICE), ("B", bob_sig)]), [],
     "signature", "-"),
    ("replay Bob's plan verification from another session, re-linked",
     replay_other_session, [], "signature", "-"),
    ("replay Bob's plan verification from another session, as it was",
     replay_other_session_as_is, [], "prev", "-"),
    ("forge a line: Bob's note edited",
     lambda: edited(cp()), [], "hash", "tests/verify_cli.sh"),
    ("forge a line and recompute every hash after it",
     lambda: rechain(edited(cp()), 15), [], "signature", "-"),
    ("reorder two lines (Bob's two notes)",
     lambda: swap(cp(), 15, 16), [], "", "test_journal_reordered_deleted_inserted_lines"),
    ("reorder two lines, renumber and re-link them",
     lambda: rechain(swap(cp(), 15, 16), 15), [], "signature", "-"),
    ("drop a line in the middle (Bob's note, seq 16)",
     lambda: cp()[:15] + cp()[16:], [], "", "test_journal_reordered_deleted_inserted_lines"),
    ("drop the last line, checked with the head written down",
     lambda: cp()[:16], ["--head", HEAD], "head anchor", "tests/verify_cli.sh"),
    ("drop Bob's last note and append one of A's, with the head",
     lambda: append(cp()[:16], "note", "A", {"text": "mine"}, [("A", ALICE)]),
     ["--head", HEAD], "head anchor", "-"),
    ("append with a key not in the plan (labelled A)",
     lambda: append(cp(), "note", "A", {"text": "x"}, [("A", STRANGER)]), [],
     "plan's key", "test_session_forged_foreign_key"),
    ("the plan's author verifies their own plan",
     lambda: append(approved(), "plan.verify", "A",
                    {"version": 1, "plan_sha256": base[2]["payload"]["plan_sha256"],
                     "checklist": {}, "acknowledged": []}, [("A", ALICE)]), [],
     "own plan", "test_session_forged_verify_by_author"),
    ("steps before the other verified the plan",
     lambda: append(approved(), "step.start", "A", {"step": "prereq.licences"},
                    [("A", ALICE)]), [],
     "", "test_session_forged_step_before_verification"),
    ("amend B's key to one A holds, signed by A and that key",
     lambda: amend_keys([("A", ALICE), ("B", STRANGER)]), [], "", "-"),
    ("amend B's key, signed by A alone",
     lambda: amend_keys([("A", ALICE)]), [], "both operators", "-"),
    ("amend B's key, signed by both (the rule itself: Bob's key used here)",
     lambda: amend_keys([("A", ALICE), ("B", BOB)]), [], "cannot change the operators' keys",
     "-"),
]

print("1..%d" % (len(ATTEMPTS) + 2))
ok = subprocess.run([CKW, "verify", BASE, "--head", HEAD], capture_output=True, text=True)
print("%s 1 - the untouched journal verifies with its head (exit %d)"
      % ("ok" if ok.returncode == 3 else "not ok", ok.returncode))
rows = ["| Attempt | Exit | Refusal (first line of `verify`) | Unit test |", "|---|---|---|---|"]
failed = 0
for n, (what, make, args, needle, unit) in enumerate(ATTEMPTS, 2):
    path = os.path.join(WORK, "attempt%d.jsonl" % n)
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(line(e) + "\n" for e in make()))
    r = subprocess.run([CKW, "verify", path] + args, capture_output=True, text=True)
    out = r.stdout + r.stderr
    fail = [l for l in out.splitlines() if l.startswith("FAIL")]
    msg = fail[0] if fail else out.splitlines()[0] if out else ""
    msg = msg.replace(path, "J").replace("|", "\\|")
    good = r.returncode == 1 and fail and needle.lower() in out.lower()
    failed += not good
    print("%s %d - %s: exit %d" % ("ok" if good else "not ok", n, what, r.returncode))
    if not good:
        for l in out.splitlines()[:12]:
            print("# " + l)
    rows.append("| %s | %d | %s | %s |" % (what, r.returncode, msg[6:] if msg.startswith("FAIL  ") else msg,
                                           unit if unit == "-" else "`%s`" % unit))
# The two the journal alone cannot tell: without --head they verify as open.
r = subprocess.run([CKW, "verify", os.path.join(WORK, "attempt%d.jsonl" % 18)],
                   capture_output=True, text=True)
good = r.returncode == 3
failed += not good
print("%s %d - without --head a journal cut short is valid and open (exit %d): why the head is written down"
      % ("ok" if good else "not ok", len(ATTEMPTS) + 2, r.returncode))
for row in rows:
    print("# " + row)
sys.exit(1 if failed or ok.returncode != 3 else 0)
