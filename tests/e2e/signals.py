"""Signals in a real terminal (tmux): every signal whose default action ends
the process, sent to the wizard, leaves the terminal as it found it (`stty -g`
before equals after) and the journal intact (verify: valid, open, no line
lost or added). SIGTSTP stops it with the terminal restored, and SIGCONT
brings the screen back. Prints TAP.

Environment (set by tests/e2e_signals.sh through tests/tap.sh): CKW, PLANS,
TMP, HOME; CK_SRCDIR for the demo operators' keys.
"""

import os
import signal
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")

tap = tmuxdrv.Tap()
runs = 0

# Default action "terminate" or "core" (signal(7)), sent from outside.
LEAVE = ["SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGINT", "SIGTERM",
         "SIGHUP", "SIGVTALRM", "SIGPROF", "SIGXCPU", "SIGXFSZ", "SIGIO", "SIGPWR",
         "SIGSTKFLT"]
LEAVE = [s for s in LEAVE if hasattr(signal, s)]


class Run:
    """sh in a tmux pane: stty -g, the wizard, its status, stty -g again."""

    def __init__(self, job_control=False):
        """job_control: an interactive sh (Debian's is dash, which leaves the
        terminal modes alone) that runs the wizard as a job of its own, so
        that a stop is a real stop; otherwise `sh -c`, whose process group
        is orphaned and where the kernel discards stop signals."""
        global runs
        runs += 1
        self.d = os.path.join(TMP, "sig%d" % runs)
        os.makedirs(self.d)
        self.sess = os.path.join(self.d, "s")
        q = tmuxdrv.shquote
        script = ("stty -g >%s; %s rehearse %s --dir %s --idle-lock 0; echo $? >%s; "
                  "stty -g >%s" % (
                      q(self.f("before")), q(CKW), q(PLAN), q(self.sess), q(self.f("status")),
                      q(self.f("after"))))
        self.t = tmuxdrv.Tmux("ckw-sig-%d-%d" % (os.getpid(), runs))
        env = tmuxdrv.wizard_env(ASAN, PS1="$ ", ENV=None)
        if job_control:
            self.t.start(["sh", "-i"], 100, 30, env)
            self.t.wait_for(r"^\$")
            self.t.type(script)
            self.t.keys("Enter")
        else:
            self.t.start(["sh", "-c", script + "; exec sleep 600"], 100, 30, env)

    def f(self, name):
        return os.path.join(self.d, name)

    def pid(self):
        """The wizard's pid: the child of the pane's shell."""
        sh = self.t._tmux("list-panes", "-F", "#{pane_pid}").strip()
        kids = tmuxdrv.read_file("/proc/%s/task/%s/children" % (sh, sh)) or ""
        return int(kids.split()[0]) if kids.split() else None

    def tty_state(self):
        tty = self.t._tmux("list-panes", "-F", "#{pane_tty}").strip()
        with open(tty) as f:
            return subprocess.run(["stty", "-g"], stdin=f, stdout=subprocess.PIPE,
                                  text=True).stdout.strip()

    def journal_lines(self):
        j = tmuxdrv.read_file(os.path.join(self.sess, "journal.jsonl"))
        return None if j is None else j.count("\n")

    def verify(self):
        r = subprocess.run([CKW, "verify", os.path.join(self.sess, "journal.jsonl")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return r.returncode, r.stdout


def one_signal(name):
    r = Run()
    try:
        r.t.wait_for(r"Start the ceremony")
        before_lines = r.journal_lines()
        pid = r.pid()
        os.kill(pid, getattr(signal, name))
        ended = tmuxdrv.poll_until(lambda: tmuxdrv.read_file(r.f("after")))
        before = (tmuxdrv.read_file(r.f("before")) or "").strip()
        after = (ended or "").strip()
        rc, out = r.verify()
        ok = (ended is not None and before and before == after and rc == 3 and
              r.journal_lines() == before_lines)
        tap.ok(ok, "%s: the wizard ends, the terminal is restored, the journal verifies" % name,
               "ended: %s; exit %s\nstty before: %s\nstty after:  %s\nverify exit %d:\n%s"
               "\njournal lines before %s, after %s\nscreen:\n%s" % (
                   ended is not None, tmuxdrv.read_file(r.f("status")), before, after, rc, out,
                   before_lines, r.journal_lines(), r.t.safe_capture()))
    finally:
        r.t.kill()


def stopped(pid):
    stat = tmuxdrv.read_file("/proc/%d/stat" % pid) or ""
    return stat.rsplit(")", 1)[-1].split()[:1] == ["T"]


def stop_and_continue():
    r = Run(job_control=True)
    try:
        r.t.wait_for(r"Start the ceremony")
        before = tmuxdrv.poll_until(lambda: (tmuxdrv.read_file(r.f("before")) or "").strip())
        pid = r.pid()
        raw = r.tty_state()
        os.kill(pid, signal.SIGTSTP)
        during = tmuxdrv.poll_until(lambda: stopped(pid)) and r.tty_state()
        tap.ok(during == before, "SIGTSTP: stopped with the terminal restored",
               "before:  %s\nwizard:  %s\nstopped: %s" % (before, raw, during))
        # The shell took the terminal: `fg` gives it back (and sends SIGCONT).
        r.t.type("fg")
        r.t.keys("Enter")
        r.t.wait_for(r"Start the ceremony")
        back = tmuxdrv.poll_until(lambda: r.tty_state() == raw)
        tap.ok(back, "fg: the wizard takes the terminal back and redraws", r.t.safe_capture())
        # The control: SIGSTOP cannot be caught, so the terminal stays as the
        # wizard set it; were the shell to restore it, this test would prove
        # nothing.
        os.kill(pid, signal.SIGSTOP)
        held = tmuxdrv.poll_until(lambda: stopped(pid)) and r.tty_state()
        tap.ok(raw != before and held == raw,
               "control: SIGSTOP leaves the wizard's terminal modes (the shell restores nothing)",
               "before: %s\nwizard: %s\nSIGSTOP: %s" % (before, raw, held))
        r.t.type("fg")
        r.t.keys("Enter")
        tmuxdrv.poll_until(lambda: not stopped(pid))
        os.kill(pid, signal.SIGTERM)
        after = (tmuxdrv.poll_until(lambda: tmuxdrv.read_file(r.f("after"))) or "").strip()
        rc, out = r.verify()
        tap.ok(after == before and rc == 3, "after the stops, SIGTERM leaves all as found",
               "before %s\nafter  %s\nverify %d: %s\n%s" % (before, after, rc, out,
                                                             r.t.safe_capture()))
    finally:
        r.t.kill()


def case(name, fn, *args):
    try:
        fn(*args)
    except tmuxdrv.ScreenTimeout as e:
        tap.ok(False, name, str(e))
    except Exception as e:  # a broken harness must fail, not vanish
        tap.ok(False, name, "%s: %s" % (type(e).__name__, e))


for s in LEAVE:
    case(s, one_signal, s)
# The real-time signals end a process too.
case("SIGRTMIN", one_signal, "SIGRTMIN")
case("SIGRTMAX", one_signal, "SIGRTMAX")
case("SIGTSTP", stop_and_continue)

reports = tmuxdrv.asan_reports(ASAN)
diag = ""
for rep in reports[:3]:
    with open(rep, errors="replace") as f:
        diag += "== %s\n%s" % (rep, f.read()[:3000])
tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)
sys.exit(tap.done())
