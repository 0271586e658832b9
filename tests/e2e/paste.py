"""Bracketed paste in a real terminal (tmux): the bytes a terminal sends for
a paste (ESC [200~ ... ESC [201~) go to the wizard raw (tmux send-keys -H),
coloured PowerShell output included. Inside a paste nothing is a key: an ESC
in it does not cancel the Note or Evidence field, the text after it does not
confirm a step, control sequences are stripped, and a paste whose end never
comes is refused. Outside a text field a paste is ignored. Prints TAP.

The session is prepared with a key script (plan verified, step 1 skipped);
the wizard then resumes it in tmux with the keyboard at operator A, whose
step 2 takes typed evidence. Environment (tests/e2e_paste.sh): CKW, PLANS,
TMP, HOME; CK_SRCDIR for the demo operators' keys.
"""

import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")
ENV = tmuxdrv.wizard_env(ASAN)

BEGIN, END = b"\x1b[200~", b"\x1b[201~"
# What PowerShell's coloured output looks like pasted from a terminal; the
# "c" and the CR after the colour codes were a confirmation on the old code.
POWERSHELL = b"PS> Get-Thing\r\n\x1b[32mOK\x1b[0mc\r"

tap = tmuxdrv.Tap()
runs = 0


def journal(d):
    with open(os.path.join(d, "journal.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def prepare():
    """A session with the plan verified and step 1 skipped (key script)."""
    global runs
    runs += 1
    d = os.path.join(TMP, "p%d" % runs)
    keys = os.path.join(TMP, "prep%d.keys" % runs)
    with open(keys, "w") as f:
        # the demo operators' signing PINs: 1234 (Alice), 5678 (Bob)
        f.write("<Enter>rehearse-alice<Enter>rehearse-bob<Enter>s1234<Enter>5678"
                "<Enter><Home>" + " " * 60 + " s5678<Enter>Snot needed in this test<Enter>"
                "5678<Enter>1234<Enter>")
    r = subprocess.run([CKW, "rehearse", PLAN, "--dir", d, "--idle-lock", "0", "--ui-script",
                        keys], env=dict(os.environ, **ENV), stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0 or journal(d)[-1]["type"] != "step.skip":
        raise RuntimeError("preparing the session failed: %s" % r.stdout)
    return d


def resume(d):
    """The wizard on that session in tmux, both unlocked, on the step screen."""
    t = tmuxdrv.Tmux("ckw-paste-%d-%d" % (os.getpid(), runs))
    t.start([CKW, "rehearse", PLAN, "--dir", d, "--idle-lock", "0"], 100, 30, ENV)
    t.wait_for(r"Resume the ceremony")
    t.keys("Enter")
    t.wait_for(r"Unlock: Alice")
    t.type("rehearse-alice")
    t.keys("Enter")
    i, _ = t.wait_any([r"Unlock: Bob", r"Steps: "])
    if i == 0:
        t.type("rehearse-bob")
        t.keys("Enter")
    t.wait_for(r"Steps: .*next one is number 2")
    t.wait_for(r"keyboard: Alice")
    return t


def send_raw(t, data):
    """Bytes to the wizard as the terminal would send them."""
    t._tmux("send-keys", "-H", *["%02x" % b for b in data])


def still_open(t, title):
    s = t.settle()
    return ("─ %s" % title) in s and "Enter: accept" in s, s


def in_field(name, key, title):
    d = prepare()
    t = resume(d)
    try:
        t.keys(key)
        t.wait_for("─ %s" % title)
        before = journal(d)  # opening the evidence field starts the step
        send_raw(t, BEGIN + POWERSHELL + END)
        ok, s = still_open(t, title)
        tap.ok(ok, "%s: the pasted PowerShell output stays in the field" % name, s)
        tap.ok("PS> Get-Thing" in s and "OKc" in s and "[32m" not in s,
               "%s: its colour codes are stripped, its text kept" % name, s)
        t.keys("Escape")
        t.wait_for("─ %s" % title, absent=True)
        after = journal(d)
        tap.ok(after == before, "%s: nothing recorded (no confirmation, no witness)" % name,
               "\n".join(e["type"] for e in after[len(before):]))
    finally:
        t.kill()


def note_recorded():
    """Accepted with Enter, the note holds the text and nothing else."""
    d = prepare()
    t = resume(d)
    try:
        n = len(journal(d))
        t.keys("n")
        t.wait_for("─ Note")
        send_raw(t, BEGIN + POWERSHELL + END)
        still_open(t, "Note")
        t.keys("Enter")
        t.wait_for("─ Note", absent=True)
        t.settle()
        new = journal(d)[n:]
        text = json.dumps(new)
        tap.ok([e["type"] for e in new] == ["note"] and "PS> Get-Thing" in text and
               "OKc" in text and "\\u001b" not in text,
               "Note: Enter records one note with the pasted text, escapes gone", text)
    finally:
        t.kill()


def outside_a_field():
    d = prepare()
    t = resume(d)
    try:
        before = journal(d)
        send_raw(t, BEGIN + b"c\rw\rD\rq\r" + END)
        s = t.wait_for(r"Pasted text goes only into a text field")
        tap.ok(journal(d) == before and "─ " not in t.settle(),
               "step screen: a pasted block is ignored, not run as keys (no dialog, nothing "
               "recorded)", s)
    finally:
        t.kill()


def plain_view():
    """The commands shown plainly (l) wait for Enter outside curses: a paste's
    line ends are not Enter there, and nothing of it reaches the wizard."""
    d = prepare()
    t = resume(d)
    try:
        before = journal(d)
        t.keys("l")
        t.wait_for(r"press Enter to return")
        send_raw(t, BEGIN + b"x\rc\ry\r" + END)
        s = t.settle()
        tap.ok("press Enter to return" in s and "Steps:" not in s,
               "plain view: a pasted line end does not return to the wizard", s)
        t.keys("Enter")
        t.wait_for(r"Steps: ")
        s = t.settle()
        tap.ok(journal(d) == before and "─ " not in s,
               "plain view: after Enter, none of the paste acts as keys", s)
    finally:
        t.kill()


def never_ends():
    d = prepare()
    t = resume(d)
    try:
        before = journal(d)
        t.keys("n")
        t.wait_for("─ Note")
        send_raw(t, BEGIN + b"half a paste")
        s = t.wait_for(r"paste did not end")
        tap.ok("half a paste" not in s, "a paste that never ends is refused, none of it taken", s)
        t.type("typed")
        s = t.wait_for(r"typed")
        tap.ok("─ Note" in s, "after it, typing is typing again", s)
        t.keys("Escape")
        t.wait_for("─ Note", absent=True)
        tap.ok(journal(d) == before, "nothing recorded")
    finally:
        t.kill()


def case(name, fn, *args):
    try:
        fn(*args)
    except tmuxdrv.ScreenTimeout as e:
        tap.ok(False, name, str(e))
    except Exception as e:  # a broken harness must fail, not vanish
        tap.ok(False, name, "%s: %s" % (type(e).__name__, e))


case("Note", in_field, "Note", "n", "Note")
case("Evidence", in_field, "Evidence", "e", "Evidence")
case("Note recorded", note_recorded)
case("outside a field", outside_a_field)
case("plain view", plain_view)
case("never ends", never_ends)

reports = tmuxdrv.asan_reports(ASAN)
diag = ""
for rep in reports[:3]:
    with open(rep, errors="replace") as f:
        diag += "== %s\n%s" % (rep, f.read()[:3000])
tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)
sys.exit(tap.done())
