"""Resize storms on the wizard's screens, in a real terminal (tmux). Prints TAP.

A rehearsal of plans/contoso-exchange.yaml is walked from the start screen
through the help, the quit question, the passphrase dialog, the plan review,
the signing PIN, the handoff to the other operator (the witness's request),
the verification, the step list, a step with a long command and the evidence
entry. On each, storms of resizes (seeded: the seed is printed, CK_STORM_SEED
repeats a run) end at 40x10 (the too-small screen), 80x24 and 200x50, and one
alternates fast between sizes. After each storm, once the terminal has its
last size, the screen as the wizard left it must equal a clean draw at that
size (Ctrl-L: the whole screen drawn again from the state), and the header
(or, below 80x24, the request to enlarge) must be there at that size. The
wizard runs inside `sh -c 'stty -g >before; ckwizard ...; stty -g >after'`:
it must quit with exit 0, and `stty -g` must read the same after as before.

CK_STORM_FULL=1: every screen, both locales (C.UTF-8 and C), every end
size, 12 resizes a storm; otherwise (make check) C.UTF-8, four screens, two
end sizes, 6 resizes a storm.

Environment (set by tests/e2e_storms.sh through tests/tap.sh): CKW, PLANS,
TMP, HOME; CK_SRCDIR for the demo operators' keys.
"""

import os
import random
import re
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402
import stormlib  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")
FULL = os.environ.get("CK_STORM_FULL") == "1"
SEED = int(os.environ.get("CK_STORM_SEED") or random.SystemRandom().randrange(1 << 30))
rng = random.Random(SEED)
print("# seed %d (CK_STORM_SEED=%d repeats this run)" % (SEED, SEED), flush=True)

ENDS = stormlib.SIZES if FULL else [(40, 10), (80, 24)]
STORM = 12 if FULL else 6
LANGS = ["C.UTF-8", "C"] if FULL else ["C.UTF-8"]
# Screens make check storms (by name); the full run storms them all.
SMALL = {"start", "passphrase", "review", "evidence"}
HOME_SIZE = stormlib.HOME_SIZE

tap = tmuxdrv.Tap()
stormer = stormlib.Stormer(tap, rng, ENDS, STORM)
runs = 0


class Failed(Exception):
    pass


class Wizard(tmuxdrv.ShellWizard):
    def __init__(self, lang):
        global runs
        runs += 1
        self.d = os.path.join(TMP, "storm%d" % runs)
        os.makedirs(self.d)
        self.lang = lang
        super().__init__(CKW, PLAN, os.path.join(self.d, "s"),
                         lambda name: os.path.join(self.d, name),
                         "ckw-storm-%d-%d" % (os.getpid(), runs), ASAN, HOME_SIZE,
                         LANG=lang, LC_ALL=lang)


def storms(w, name, back_pattern):
    if not FULL and name not in SMALL:
        return
    stormer.storms(w.t, name, w.lang, back_pattern)


def pin(w, side_pin):
    w.t.type(side_pin)
    w.t.keys("Enter")


def walk(lang):
    w = Wizard(lang)
    t = w.t
    try:
        t.wait_for(r"Who is present for this sitting")
        storms(w, "start", r"Who is present")
        t.keys("F1")
        t.wait_for(r"(?i)keys")
        storms(w, "help", r"(?i)keys")
        t.keys("Escape")
        t.wait_for(r"Who is present")
        t.keys("q")
        t.wait_for(r"[Qq]uit")
        storms(w, "quit question", r"[Qq]uit")
        t.keys("Escape")
        t.wait_for(r"Who is present")
        t.keys("Enter")
        t.wait_for(r"Unlock: .*\(operator A\)")
        storms(w, "passphrase", r"Unlock: .*\(operator A\)")
        t.type("rehearse-alice")
        t.keys("Enter")
        t.wait_for(r"Unlock: .*\(operator B\)")
        t.type("rehearse-bob")
        t.keys("Enter")
        t.wait_for(r"Plan review")
        storms(w, "review", r"Plan review")
        t.keys("s")
        t.wait_for(r"Signing PIN: .*\(operator A\)")
        storms(w, "signing PIN", r"Signing PIN: .*\(operator A\)")
        pin(w, "1234")
        i, s = t.wait_any([r"Hand the keyboard to .*\(operator B\)", r"─ Approve the plan|- Approve the plan"])
        if i == 1:
            t.keys("Enter")
            t.wait_for(r"Hand the keyboard to .*\(operator B\)")
        storms(w, "handoff to the witness", r"Hand the keyboard to")
        pin(w, "5678")
        t.wait_for(r"keyboard: Bob Berg")
        storms(w, "verification", r"Plan review")
        for _ in range(80):
            t.keys("Space")
            if "Everything is ticked" in t.settle():
                break
        t.keys("s")
        t.wait_for(r"Signing PIN: .*\(operator B\)")
        pin(w, "5678")
        i, s = t.wait_any([r"the plan is verified", r"─ Verify the plan|- Verify the plan"])
        if i == 1:
            t.keys("Enter")
        t.wait_for(r"Step \d+ of \d+")
        storms(w, "step list", r"Step \d+ of \d+")
        for _ in range(60):
            if re.search(r"New-AzKeyVault|az keyvault create", t.settle()):
                break
            t.keys("Down")
        else:
            raise Failed("no step with the vault's long command:\n" + t.capture())
        storms(w, "step with a long command", r"New-AzKeyVault|az keyvault create")
        t.keys("Home")
        t.settle()
        t.keys("e")
        t.wait_for(r"(?i)evidence")
        storms(w, "evidence", r"(?i)evidence")
        t.keys("Escape")
        t.settle()
        t.keys("q")
        t.wait_for(r"[Qq]uit")
        t.keys("Enter")
        status, before, ended = w.ended()
        tap.ok(ended is not None and status == "0",
               "LANG=%s: quits with exit 0 after the storms" % lang, t.safe_capture())
        tap.ok(before and before == ended,
               "LANG=%s: stty -g after = before" % lang,
               "before %s\nafter  %s" % (before, ended))
    finally:
        t.kill()


def case(name, fn, *args):
    try:
        fn(*args)
    except (tmuxdrv.ScreenTimeout, Failed) as e:
        tap.ok(False, name, str(e))
    except Exception:  # a broken harness must fail, not vanish
        tap.ok(False, name, traceback.format_exc())


for lang in LANGS:
    case("the walk, LANG=%s" % lang, walk, lang)

tmuxdrv.asan_ok(tap, ASAN)
stormer.print_figures()
print("# seed %d" % SEED)
sys.exit(tap.done())
