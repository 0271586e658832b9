#!/usr/bin/env python3
"""tests/figures/terminal.py BUILDDIR: the terminal matrix (doc/reliability.md).

Each TERM x LANG x NO_COLOR runs `ckwizard rehearse` on the example plan in a
real pseudo-terminal (standard library pty), 80x24: a resize storm (20 sizes
down to 40x10 and up to 200x60, SIGWINCH each), every screen redrawn, then
q and Enter. Recorded: the exit status (a signal is a crash), and whether
the terminal's settings (termios, what `stty -g` prints) are what they were
before. Not part of `make check`; prints a Markdown table.
"""
import fcntl, os, pty, select, shutil, signal, struct, sys, tempfile, termios, time

B = sys.argv[1]
CKW = os.path.join(B, "ckwizard")
SRC = os.environ.get("CK_SRCDIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLAN = os.path.join(SRC, "plans", "contoso-exchange.yaml")
TERMS = ["xterm-256color", "screen-256color", "tmux-256color", "linux", "vt100", "dumb",
         "no-such-terminal"]
SIZES = [(40, 10), (200, 60), (81, 25), (40, 10), (120, 40), (60, 15), (100, 30), (40, 10),
         (132, 43), (80, 24)] * 2


def setsize(fd, cols, rows):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def drain(fd, secs):
    out = b""
    end = time.time() + secs
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            out += data
    return out


def run(term, lang, nocolor, tmp):
    d = tempfile.mkdtemp(dir=tmp)
    env = dict(os.environ, TERM=term, LANG=lang, LC_ALL=lang, CK_SRCDIR=SRC)
    env.pop("NO_COLOR", None)
    if nocolor:
        env["NO_COLOR"] = "1"
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(CKW, [CKW, "rehearse", PLAN, "--dir", os.path.join(d, "s"), "--idle-lock", "0"], env)
    setsize(fd, 80, 24)
    before = termios.tcgetattr(fd)
    out = drain(fd, 1.0)
    for cols, rows in SIZES:
        setsize(fd, cols, rows)
        try:
            os.kill(pid, signal.SIGWINCH)
        except ProcessLookupError:
            break
        out += drain(fd, 0.05)
    os.write(fd, b"q")
    out += drain(fd, 0.3)
    os.write(fd, b"\r")
    out += drain(fd, 1.0)
    status = None
    for _ in range(50):
        wpid, st = os.waitpid(pid, os.WNOHANG)
        if wpid:
            status = st
            break
        time.sleep(0.1)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        result = "hung (killed)"
    elif os.WIFSIGNALED(status):
        result = "CRASH: signal %d" % os.WTERMSIG(status)
    else:
        result = "exit %d" % os.WEXITSTATUS(status)
    try:
        after = termios.tcgetattr(fd)
        same = "same" if after == before else "DIFFERS"
    except termios.error:
        same = "n/a"
    os.close(fd)
    shutil.rmtree(d, ignore_errors=True)
    text = out.decode("utf-8", "replace")
    said = ""
    for line in text.replace("\r", "\n").split("\n"):
        if "TERM" in line or "terminal" in line.lower():
            said = line.strip()[:70]
            break
    return result, same, said


def main():
    tmp = tempfile.mkdtemp(prefix="ckw-term.")
    print("| TERM | LANG | NO_COLOR | Result | Terminal settings after | What it said (refusals) |")
    print("|---|---|---|---|---|---|")
    for term in TERMS:
        for lang in ("C.UTF-8", "C"):
            for nocolor in (False, True):
                r, same, said = run(term, lang, nocolor, tmp)
                print("| %s | %s | %s | %s | %s | %s |" % (term, lang, "1" if nocolor else "-", r, same,
                                                           said if not r.startswith("exit 0") else ""))
                sys.stdout.flush()
    shutil.rmtree(tmp, ignore_errors=True)


main()
