"""The terminal goes away under the wizard (an SSH connection drops, the
terminal emulator is closed): the wizard must end, not spin on a dead
terminal, and leave the journal as it was. Run on a pseudo-terminal of our
own whose master side we close. Two ways it happens:
  - the kernel's SIGHUP reaches the wizard (the usual case);
  - it does not (the wizard was stopped in the background, or started with
    SIGHUP blocked by whatever launched it): every read then fails at once,
    and only noticing the hang-up on the terminal itself ends the loop.
Prints TAP.

Environment (set by tests/e2e_hangup.sh through tests/tap.sh): CKW, PLANS,
TMP, HOME; CK_SRCDIR for the demo operators' keys.
"""

import os
import pty
import select
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")
tap = tmuxdrv.Tap()


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except OSError:
        return None


def one(name, block_hup):
    sess = os.path.join(TMP, name)
    env = tmuxdrv.wizard_env(ASAN)
    env["LINES"], env["COLUMNS"] = "30", "100"
    pid, fd = pty.fork()
    if pid == 0:
        if block_hup:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
        os.execve(CKW, [CKW, "rehearse", PLAN, "--dir", sess, "--idle-lock", "0"], env)
    seen = b""
    deadline = time.monotonic() + 60
    while b"Start the ceremony" not in seen and time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    up = b"Start the ceremony" in seen
    os.close(fd)  # the terminal goes away
    ended = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        got, status = os.waitpid(pid, os.WNOHANG)
        if got:
            ended = status
            break
        time.sleep(0.1)
    diag = ""
    if ended is None:
        a = cpu_ticks(pid)
        time.sleep(1)
        b = cpu_ticks(pid)
        diag = "still running 20 s after the hang-up; CPU ticks in 1 s: %s" % (
            None if a is None or b is None else b - a)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    tap.ok(up and ended is not None,
           "%s: the wizard ends when its terminal goes away" % name,
           "first screen seen: %s\n%s" % (up, diag))
    r = subprocess.run([CKW, "verify", os.path.join(sess, "journal.jsonl")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tap.ok(r.returncode == 3, "%s: the journal is intact (valid, open)" % name,
           "verify exit %d:\n%s" % (r.returncode, r.stdout))


one("hangup-signalled", False)
one("hangup-unsignalled", True)
reports = tmuxdrv.asan_reports(ASAN)
tap.ok(not reports, "no sanitizer reports", "\n".join(reports[:3]))
sys.exit(tap.done())
