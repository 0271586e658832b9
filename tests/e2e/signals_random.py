"""Catchable signals at random points of a scripted rehearsal, in a real
terminal (tmux). Prints TAP.

Each run walks the same session (both passphrases, the author's approval
with the signing PIN, the handoff, the verification, two notes) and, at a
point chosen at random, sends one signal chosen at random to the wizard. The
choices come from a seeded generator: the seed is printed, and
CK_SIGNAL_SEED repeats the same runs. The wizard runs inside
`sh -c 'stty -g >before; ckwizard ...; stty -g >after'`.

- A signal whose default action ends the process: the wizard ends without a
  crash (its status is not a core dump's; no sanitizer report), `stty -g`
  reads the same after as before, the journal verifies (valid, open) and
  holds every line it held when the signal was sent (no recorded
  confirmation lost), and the session resumes (the same command opens it on
  "Resume the ceremony" and quits with exit 0) and still verifies.
- A signal whose default is to be ignored or to continue (SIGWINCH, SIGCHLD,
  SIGURG, SIGCONT): the wizard goes on; the walk ends with every event
  recorded, exit 0, and the terminal restored.
SIGTSTP and SIGSTOP need a shell with job control: tests/e2e/signals.py.

CK_SIGNAL_RUNS: how many runs (default 4, as make check runs it).
Environment (set by tests/e2e_signals_random.sh through tests/tap.sh): CKW,
PLANS, TMP, HOME; CK_SRCDIR for the demo operators' keys.
"""

import os
import random
import re
import signal
import subprocess
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")
RUNS = int(os.environ.get("CK_SIGNAL_RUNS") or 4)
SEED = int(os.environ.get("CK_SIGNAL_SEED") or random.SystemRandom().randrange(1 << 30))
rng = random.Random(SEED)
print("# seed %d (CK_SIGNAL_SEED=%d repeats these runs)" % (SEED, SEED), flush=True)

END = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGALRM",
       "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ", "SIGIO", "SIGPWR", "SIGSTKFLT",
       "SIGRTMIN", "SIGRTMAX"]
END = [s for s in END if hasattr(signal, s)]
GOES_ON = ["SIGWINCH", "SIGCHLD", "SIGURG", "SIGCONT"]

tap = tmuxdrv.Tap()
figures = {}  # signal -> [runs, ok]
runs = 0


class Failed(Exception):
    pass


class Run(tmuxdrv.ShellWizard):
    def __init__(self, d, tag):
        global runs
        runs += 1
        self.d = d
        self.tag = tag
        super().__init__(CKW, PLAN, self.sess(),
                         lambda name: os.path.join(d, "%s.%s" % (tag, name)),
                         "ckw-rsig-%d-%d" % (os.getpid(), runs), ASAN)

    def sess(self):
        return os.path.join(self.d, "s")

    def lines(self):
        j = tmuxdrv.read_file(os.path.join(self.sess(), "journal.jsonl"))
        return 0 if j is None else j.count("\n")


def verify(r):
    p = subprocess.run([CKW, "verify", os.path.join(r.sess(), "journal.jsonl")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return p.returncode, p.stdout


def pin_or(t, side_pin, other):
    """A signing PIN box, or the other pattern: answer the box."""
    i, _ = t.wait_any([r"Signing PIN: .*\(operator [AB]\)", other])
    if i == 0:
        t.type(side_pin)
        t.keys("Enter")


def tick_all(t):
    for _ in range(80):
        t.keys("Space")
        if "Everything is ticked" in t.settle():
            return
    raise Failed("the checklist never reported everything ticked:\n" + t.capture())


# The walk: (what, action) pairs; each action leaves the screen settled on
# its result, so the journal holds what the screen says is recorded.
def walk(t):
    def a0():
        t.wait_for(r"Who is present for this sitting")

    def a1():
        t.keys("Enter")
        t.wait_for(r"Unlock: .*\(operator A\)")

    def a2():
        t.type("rehearse-alice")
        t.keys("Enter")
        t.wait_for(r"Unlock: .*\(operator B\)")

    def a3():
        t.type("rehearse-bob")
        t.keys("Enter")
        t.wait_for(r"Plan review")

    def a4():
        t.keys("s")
        t.wait_for(r"Signing PIN: .*\(operator A\)")

    def a5():
        t.type("1234")
        t.keys("Enter")
        i, _ = t.wait_any([r"Hand the keyboard to .*\(operator B\)", r"[─-] Approve the plan"])
        if i == 1:
            t.keys("Enter")
            t.wait_for(r"Hand the keyboard to .*\(operator B\)")

    def a6():
        t.type("5678")
        t.keys("Enter")
        t.wait_for(r"keyboard: Bob Berg")

    def a7():
        tick_all(t)

    def a8():
        t.keys("s")
        t.wait_for(r"Signing PIN: .*\(operator B\)")
        t.type("5678")
        t.keys("Enter")
        i, _ = t.wait_any([r"Step \d+ of \d+", r"[─-] Verify the plan"])
        if i == 1:
            t.keys("Enter")
        t.wait_for(r"Step \d+ of \d+")

    def note(text):
        def a():
            t.keys("n")
            t.wait_for(r"(?i)note")
            t.type(text)
            t.keys("Enter")
            pin_or(t, "1234", r"Recorded")
            t.wait_for(r"Recorded")
            t.settle()
        return a

    return [("start", a0), ("present", a1), ("passphrase A", a2), ("passphrase B", a3),
            ("sign", a4), ("approve", a5), ("handoff", a6), ("ticks", a7), ("verify", a8),
            ("note one", note("note one")), ("note two", note("note two"))]


def one_run(i):
    sig_name = rng.choice(END + GOES_ON)
    d = os.path.join(TMP, "rsig%d" % i)
    os.makedirs(d)
    r = Run(d, "first")
    t = r.t
    steps = walk(t)
    at = rng.randrange(len(steps))
    name = "run %d: %s after '%s'" % (i, sig_name, steps[at][0])
    st = figures.setdefault(sig_name, [0, 0])
    st[0] += 1
    try:
        for k in range(at + 1):
            steps[k][1]()
        held = r.lines()
        pid = r.pid()
        os.kill(pid, getattr(signal, sig_name))
        why = []
        if sig_name in GOES_ON:
            for k in range(at + 1, len(steps)):
                steps[k][1]()
            t.keys("q")
            t.wait_for(r"[Qq]uit")
            t.keys("Enter")
        status, before, ended = r.ended()
        if ended is None:
            why.append("the wizard did not end")
        if before != (ended or ""):
            why.append("stty -g before %s, after %s" % (before, ended or ""))
        if sig_name in GOES_ON and status != "0":
            why.append("exit %s after the walk (0 expected)" % status)
        if sig_name in END:
            n = int(status) if status.isdigit() else -1
            if n == 128 + signal.SIGSEGV or n == 128 + signal.SIGABRT or n == 128 + signal.SIGBUS:
                why.append("crashed (exit %d)" % n)
        if os.path.exists(os.path.join(r.sess(), "core")):
            why.append("a core file")
        rc, out = verify(r)
        if rc != 3:
            why.append("verify exit %d: %s" % (rc, out[:400]))
        if r.lines() < held:
            why.append("journal lines %d, %d before the signal" % (r.lines(), held))
        if sig_name in GOES_ON and r.lines() < 5:
            why.append("the walk's events are not all recorded (%d lines)" % r.lines())
        t.kill()
        if sig_name in END:
            # resume: the same command opens the session, and quits
            r2 = Run(d, "resume")
            try:
                r2.t.wait_for(r"Resume the ceremony")
                r2.t.keys("q")
                r2.t.wait_for(r"[Qq]uit")
                r2.t.keys("Enter")
                status2 = r2.ended()[0]
                if status2 != "0":
                    why.append("resume: exit %s" % status2)
                rc2, out2 = verify(r2)
                if rc2 != 3 or r2.lines() < held:
                    why.append("after resume: verify %d, lines %d" % (rc2, r2.lines()))
            finally:
                r2.t.kill()
        st[1] += not why
        tap.ok(not why, name + ": no crash, terminal restored, nothing recorded lost, resumes",
               "; ".join(why) + "\n" + t.safe_capture())
    finally:
        t.kill()


for i in range(1, RUNS + 1):
    try:
        one_run(i)
    except (tmuxdrv.ScreenTimeout, Failed) as e:
        tap.ok(False, "run %d" % i, str(e))
    except Exception:  # a broken harness must fail, not vanish
        tap.ok(False, "run %d" % i, traceback.format_exc())

tmuxdrv.asan_ok(tap, ASAN)
print("# | Signal | Runs | As required |")
print("# |---|---|---|")
for s in sorted(figures):
    print("# | %s | %d | %d |" % (s, figures[s][0], figures[s][1]))
print("# seed %d" % SEED)
sys.exit(tap.done())
