"""tmuxdrv: drive the real ckwizard binary inside a private tmux server.

Standard library only. Used by tests/e2e_*.sh through tests/e2e/drive.py.

The tmux server is private to one test run (tmux -L <socket> -f /dev/null),
so nothing of the user's tmux leaks in and nothing leaks out. Every start()
gets a server on a fresh socket: a server being killed on one socket never
races a new one starting on it. Waiting is done by polling capture-pane for
the expected text a bounded number of times; a short pause between polls is
only pacing, never an assertion.
"""

import atexit
import fcntl
import os
import re
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

POLL_PAUSE = 0.05        # seconds between two looks at the screen
DEFAULT_TRIES = 400      # 400 looks: generous for sanitizer builds
RESIZE_HOLD = 0.75       # seconds a size must hold: past tmux's resize timer (250 ms)


class ScreenTimeout(Exception):
    """The expected text never showed up; carries the last screen."""

    def __init__(self, what, screen):
        super().__init__("waited for %s; the screen was:\n%s" % (what, screen))
        self.screen = screen


# Every server started, killed when the driver exits however it exits: with
# remain-on-exit a server outlives its program, so a driver stopped by an
# exception, Ctrl-C or a kill would leave it (and its wizard) running for
# good. SIGTERM and SIGHUP end the driver through sys.exit, so that the
# atexit handler runs (SIGKILL cannot be caught).
_servers = []


def _kill_servers():
    for t in list(_servers):
        t.kill()


def _exit_on_signal(signum, _frame):
    sys.exit(128 + signum)


atexit.register(_kill_servers)
for _sig in (signal.SIGTERM, signal.SIGHUP):
    if signal.getsignal(_sig) == signal.SIG_DFL:
        signal.signal(_sig, _exit_on_signal)


class Tmux:
    def __init__(self, socket):
        self.base = socket
        self.starts = 0
        self.socket = "%s-0" % socket
        self.status_file = None
        # a file every screen captured is appended to (a screen seen once
        # is kept once), for a search of everything shown; None: not kept
        self.capture_log = None
        self._last_logged = None
        self._log_lock = threading.Lock()

    def _tmux(self, *args, check=True):
        r = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null"] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
        return r.stdout.decode("utf-8", errors="replace")

    def start(self, argv, width=100, height=30, env=None, status_file=None):
        """Start argv in a new session of this private server. The exit
        status goes to status_file (tmux 3.3 does not report it reliably)."""
        # The command line tmux runs goes through /bin/sh: quote every word.
        words = []
        for k, v in sorted((env or {}).items()):
            words.append("%s=%s" % (k, shquote(v)))
        words += [shquote(a) for a in argv]
        self.kill()  # the previous program's server, if any
        if self not in _servers:
            _servers.append(self)
        self.starts += 1
        self.socket = "%s-%d" % (self.base, self.starts)
        self.status_file = status_file
        # ncurses prefers LINES/COLUMNS to the terminal's real size, and
        # tests/tap.sh pins them for the non-terminal tests: drop them here.
        cmd = "env -u LINES -u COLUMNS " + " ".join(words)
        if status_file:
            cmd += "; echo $? >" + shquote(status_file)
        # remain-on-exit first, so the last screen stays readable after exit.
        # Right after kill-server (a quit and resume), the old server may
        # still be going away on a loaded machine and the new one reports
        # "server exited unexpectedly": try again a few times before failing.
        for attempt in range(5):
            try:
                self._tmux("start-server", ";", "set-option", "-wg", "remain-on-exit", "on",
                           ";", "new-session", "-d", "-x", str(width), "-y", str(height), cmd)
                return
            except RuntimeError as e:
                if "server exited unexpectedly" not in str(e) or attempt == 4:
                    raise
                time.sleep(0.5)

    def alive(self):
        out = self._tmux("list-panes", "-F", "#{pane_dead}", check=False)
        return out.strip() == "0"

    def exit_status(self):
        """The program's exit status once it has ended, else None."""
        if self.alive() or not self.status_file:
            return None
        try:
            with open(self.status_file) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def kill(self):
        self._tmux("kill-server", check=False)
        if self in _servers:
            _servers.remove(self)

    def pane(self, fmt):
        """A pane variable: pane_pid, pane_tty, pane_width..."""
        return self._tmux("display-message", "-p", "#{%s}" % fmt).strip()

    def tty_size(self):
        """(rows, columns) the pane's terminal reports now: what a program
        reading TIOCGWINSZ sees (tmux may send a resize later than asked)."""
        fd = os.open(self.pane("pane_tty"), os.O_RDONLY | os.O_NOCTTY)
        try:
            rows, cols, _, _ = struct.unpack(
                "HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
        finally:
            os.close(fd)
        return rows, cols

    def wait_tty_size(self, rows, cols, tries=DEFAULT_TRIES, hold=RESIZE_HOLD):
        """Until the pane's terminal is rows x cols and has stayed so for
        `hold` seconds. tmux (3.3) applies a burst of resizes through a
        queue behind a 250 ms timer: the first at once, the rest when the
        timer has run out, and a burst that comes back to the size it left
        is applied as the size before last, then the last 10 ms later. So
        the terminal can show the final size at once and still go through
        another one a quarter of a second later; a screen captured in that
        window would be judged against a size the program has not yet
        been told of."""
        held_since = None
        for _ in range(tries):
            if self.tty_size() == (rows, cols):
                now = time.monotonic()
                held_since = held_since or now
                if now - held_since >= hold:
                    return
            else:
                held_since = None
            # Each command is an event for the server: its queued resizes
            # are applied on the way.
            time.sleep(POLL_PAUSE)
        raise ScreenTimeout("the terminal to be %dx%d and stay so for %.2f s (it is %dx%d)"
                            % ((cols, rows, hold) + tuple(reversed(self.tty_size()))),
                            self.capture())

    def safe_capture(self):
        """The screen for a diagnostic; never raises."""
        try:
            return self.capture()
        except Exception as e:  # the server may be gone: say so
            return "(no screen: %s: %s)" % (type(e).__name__, e)

    def capture(self, escapes=False):
        args = ["capture-pane", "-p"]
        if escapes:
            args.append("-e")
        screen = self._tmux(*args)
        if self.capture_log:
            with self._log_lock:  # the screen is read by more than one thread
                if screen != self._last_logged:
                    self._last_logged = screen
                    with open(self.capture_log, "a", encoding="utf-8") as f:
                        f.write(screen + "\n\f\n")
        return screen

    def keys(self, *keys):
        """tmux key names: Enter, Escape, Space, Tab, F2, Down, C-c ..."""
        self._tmux("send-keys", *keys)

    def type(self, text):
        """Literal text, no key-name interpretation."""
        if text:
            self._tmux("send-keys", "-l", text)

    def paste(self, text):
        """Text as a terminal paste (bracketed, when the program asked for
        it), so its line ends stay inside a multi-line field."""
        if text:
            self._tmux("set-buffer", "-b", "ckpaste", "--", text)
            self._tmux("paste-buffer", "-p", "-d", "-b", "ckpaste")

    def resize(self, width, height):
        self._tmux("resize-window", "-x", str(width), "-y", str(height))

    def wait_for(self, pattern, tries=DEFAULT_TRIES, absent=False):
        """Poll until the regular expression is (or, absent=True, is no
        longer) on the screen; return the screen, or raise ScreenTimeout."""
        rx = re.compile(pattern, re.M)
        screen = ""
        for _ in range(tries):
            screen = self.capture()
            found = rx.search(screen) is not None
            if found != absent:
                return screen
            if not self.alive() and not absent:
                screen = self.capture()
                if rx.search(screen):
                    return screen
                break
            time.sleep(POLL_PAUSE)
        raise ScreenTimeout(("no more " if absent else "") + repr(pattern), screen)

    def wait_any(self, patterns, tries=DEFAULT_TRIES):
        """Poll until one of several patterns shows; return (index, screen)."""
        rxs = [re.compile(p, re.M) for p in patterns]
        screen = ""
        for _ in range(tries):
            screen = self.capture()
            for i, rx in enumerate(rxs):
                if rx.search(screen):
                    return i, screen
            if not self.alive():
                break
            time.sleep(POLL_PAUSE)
        raise ScreenTimeout("one of " + repr(patterns), screen)

    def quiet(self, seconds, tries=DEFAULT_TRIES):
        """Wait until the screen has not changed for `seconds`; return it.
        Longer than the wizard's one-second tick, on which a terminal of
        two follows what the other recorded: a screen quiet that long has
        nothing left to follow."""
        last, since = None, time.monotonic()
        for _ in range(tries):
            screen = self.capture()
            now = time.monotonic()
            if screen != last:
                last, since = screen, now
            elif now - since >= seconds:
                break
            time.sleep(POLL_PAUSE)
        return last

    def settle(self, tries=40):
        """Wait until two looks in a row see the same screen: the program
        has drawn everything it will draw for the last key."""
        last = None
        for _ in range(tries):
            screen = self.capture()
            if screen == last:
                return screen
            last = screen
            time.sleep(POLL_PAUSE)
        return last


def read_file(path):
    """A file's text, or None where it is not there (yet)."""
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def poll_until(pred, tries=400):
    """pred()'s first true value, polling; None after `tries` polls."""
    for _ in range(tries):
        v = pred()
        if v:
            return v
        time.sleep(POLL_PAUSE)
    return None


def box_text(screen, title):
    """The text inside the dialog box titled title, read from the box's own
    columns (what stands beside it on the screen left out; the screens'
    characters here are one column each), or "" when there is no such box."""
    lines = screen.splitlines()
    for i, line in enumerate(lines):
        left = line.find("\u250c\u2500 " + title)
        if left < 0:
            continue
        right = line.find("\u2510", left)
        out = []
        for below in lines[i + 1:]:
            seg = below[left:right + 1]
            if seg.startswith("\u2514"):
                break
            out.append(seg.strip("\u2502").strip())
        return "\n".join(out) + "\n"
    return ""


def wizard_env(asan, **extra):
    """The pinned environment the wizard runs in; sanitizer reports go to
    files named asan.* (a tmux pane swallows stderr). extra overrides,
    None removes."""
    env = {
        "TERM": "xterm-256color",
        "HOME": os.environ["HOME"],
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "CK_SRCDIR": os.environ.get("CK_SRCDIR", ""),
        "ASAN_OPTIONS": "log_path=%s:detect_leaks=1" % asan,
        "UBSAN_OPTIONS": "log_path=%s:print_stacktrace=1" % asan,
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def shquote(s):
    s = str(s)
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def asan_reports(log_prefix):
    """Files ASan/UBSan wrote for log_path=log_prefix (empty list: clean)."""
    d = os.path.dirname(log_prefix) or "."
    base = os.path.basename(log_prefix)
    try:
        names = os.listdir(d)
    except FileNotFoundError:
        return []
    return sorted(os.path.join(d, n) for n in names if n.startswith(base + "."))


class ShellWizard:
    """`ckwizard rehearse PLAN --dir SESS --idle-lock 0` in a private tmux,
    inside `sh -c 'stty -g >before; ckwizard ...; echo $? >status; stty -g
    >after; exec sleep 600'`: a test reads the terminal's settings before
    and after and the exit status, and the shell's sleep keeps the last
    screen. files(name) is the path of "before", "status" and "after"."""

    def __init__(self, ckw, plan, sess, files, socket, asan, size=(100, 30), **env):
        self.files = files
        q = shquote
        script = ("stty -g >%s; %s rehearse %s --dir %s --idle-lock 0; echo $? >%s; "
                  "stty -g >%s; exec sleep 600" % (
                      q(files("before")), q(ckw), q(plan), q(sess), q(files("status")),
                      q(files("after"))))
        self.t = Tmux(socket)
        self.t.start(["sh", "-c", script], size[0], size[1], wizard_env(asan, **env))

    def f(self, name):
        return self.files(name)

    def pid(self):
        """The wizard's process id (the shell's child), or None."""
        sh = self.t._tmux("list-panes", "-F", "#{pane_pid}").strip()
        kids = (read_file("/proc/%s/task/%s/children" % (sh, sh)) or "").split()
        return int(kids[0]) if kids else None

    def ended(self):
        """(exit status, stty before, stty after) once the wizard has ended
        (polled); after is None when it never did."""
        after = poll_until(lambda: read_file(self.f("after")))
        status = (read_file(self.f("status")) or "").strip()
        before = (read_file(self.f("before")) or "").strip()
        return status, before, None if after is None else after.strip()


def asan_ok(tap, log_prefix):
    """The closing check of a driver: no sanitizer report was written."""
    reports = asan_reports(log_prefix)
    diag = ""
    for rep in reports[:3]:
        with open(rep, errors="replace") as f:
            diag += "== %s\n%s" % (rep, f.read()[:3000])
    tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)


class Tap:
    """TAP on stdout with the plan printed last (the automake driver
    accepts a trailing plan), so a test may stop early and still count."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, diag=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name), flush=True)
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name), flush=True)
            for line in str(diag).splitlines():
                print("# " + line, flush=True)
        return cond

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0
