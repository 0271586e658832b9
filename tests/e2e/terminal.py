"""Terminal behaviour of the real binary in tmux: a terminal too small, a
resize back, LANG=C (ASCII), NO_COLOR, quitting. Prints TAP.

Environment (set by tests/e2e_terminal.sh through tests/tap.sh): CKW (the
binary), PLANS, TMP, HOME; CK_SRCDIR for the demo operators' keys.
"""

import os
import re
import signal
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

CKW = os.environ["CKW"]
PLANS = os.environ["PLANS"]
TMP = os.environ["TMP"]
ASAN = os.path.join(TMP, "asan")
PLAN = os.path.join(PLANS, "contoso-exchange.yaml")

tap = tmuxdrv.Tap()
runs = 0
BURSTS = int(os.environ.get("CK_RESIZE_BURSTS", "25"))

WHOLE_START = (r"\A ckwizard Contoso .*REHEARSAL *\n Start the ceremony\n(.*\n)*"
               r".*Who is present for this sitting(.*\n)*.*Each operator present types")

# Colour SGR parameters: 30-38, 40-48, 90-97, 100-107 (38;5;N and 48;5;N
# start with 38 or 48); tmux writes 39/49 (default colours) everywhere.
COLOUR_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def has_colour(text):
    for m in COLOUR_SGR.finditer(text):
        params = [p for p in m.group(1).split(";") if p]
        for p in params:
            n = int(p)
            # 39 and 49 only reset to the terminal's own colours.
            if (30 <= n <= 48 or 90 <= n <= 107) and n not in (39, 49):
                return True
    return False


def base_env(**extra):
    env = {
        "TERM": "xterm-256color",
        "HOME": os.environ["HOME"],
        "TZ": "UTC",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "CK_SRCDIR": os.environ.get("CK_SRCDIR", ""),
        "ASAN_OPTIONS": "log_path=%s:detect_leaks=1" % ASAN,
        "UBSAN_OPTIONS": "log_path=%s:print_stacktrace=1" % ASAN,
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def start(width, height, **env):
    """A new rehearsal in its own session directory and tmux server."""
    global runs
    runs += 1
    t = tmuxdrv.Tmux("ckw-test-%d-%d" % (os.getpid(), runs))
    d = os.path.join(TMP, "term%d" % runs)
    t.start([CKW, "rehearse", PLAN, "--dir", d, "--idle-lock", "0"], width, height,
            base_env(**env), status_file=d + ".status")
    return t


def quit_app(t):
    """q, then yes to the question; the program must exit 0."""
    t.keys("q")
    t.wait_for(r"[Qq]uit")
    t.keys("Enter")
    for _ in range(200):
        st = t.exit_status()
        if st is not None:
            return st
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    return None


def case(name, fn):
    try:
        fn()
    except tmuxdrv.ScreenTimeout as e:
        tap.ok(False, name, str(e))
    except Exception:  # a broken harness must fail, not vanish
        tap.ok(False, name, traceback.format_exc())


def small_terminal():
    t = start(40, 10)
    try:
        s = t.wait_for(r"enlarge")
        tap.ok("Start the ceremony" not in s, "40x10: only the request to enlarge is shown", s)
        # Growing the window brings the screen back, nothing lost.
        t.resize(100, 30)
        s = t.wait_for(r"Start the ceremony")
        tap.ok("enlarge" not in s, "resized to 100x30: the start screen is back", s)
        # And shrinking again in the middle of a dialog is survived too.
        t.keys("Enter")
        t.wait_for(r"passphrase")
        t.resize(60, 20)
        t.wait_for(r"enlarge")
        t.resize(80, 24)
        s = t.wait_for(r"passphrase")
        tap.ok(True, "a dialog survives shrinking below 80x24 and growing back")
        t.keys("Escape")
        t.wait_for(r"Start the ceremony")
        tap.ok(quit_app(t) == 0, "q then Enter quits with exit 0", t.capture())
    finally:
        t.kill()


def ascii_fallback():
    t = start(100, 30, LANG="C", LC_ALL="C")
    u = start(100, 30)
    try:
        # The last line drawn: the screen is complete, not caught mid-draw.
        s = t.wait_for(WHOLE_START)
        bad = sorted({c for c in s if ord(c) > 127})
        tap.ok(not bad, "LANG=C: the screen is plain ASCII", "non-ASCII: %r\n%s" % (bad, s))
        s8 = u.wait_for(WHOLE_START)
        tap.ok(any(ord(c) > 127 for c in s8), "C.UTF-8: the same screen uses its glyphs", s8)
        tap.ok(quit_app(t) == 0, "LANG=C: quits cleanly")
        quit_app(u)
    finally:
        t.kill()
        u.kill()


def no_colour():
    t = start(100, 30, NO_COLOR="1")
    u = start(100, 30)
    try:
        t.wait_for(WHOLE_START)
        u.wait_for(WHOLE_START)
        plain = t.capture(escapes=True)
        coloured = u.capture(escapes=True)
        tap.ok(has_colour(coloured), "without NO_COLOR the screen has colours",
               repr(coloured[:400]))
        tap.ok(not has_colour(plain), "NO_COLOR=1: no colour at all", repr(plain[:400]))
        quit_app(t)
        quit_app(u)
    finally:
        t.kill()
        u.kill()


def resize_bursts():
    """Shrink and grow straight back, with keys on the way, many times: each
    burst must end with the whole screen drawn at the final size. (tmux
    resizes its own screen at once and tells the program later; when the
    program looks only after both, its size has not changed, but the
    screen it drew was cropped and wrapped in between.)"""
    t = start(100, 30)
    try:
        t.wait_for(r"Who is present for this sitting")
        for i in range(BURSTS):
            t.resize(81, 24)
            t.resize(100, 30)
            t.keys("F1")
            t.keys("Escape")
            try:
                t.wait_for(WHOLE_START)
            except tmuxdrv.ScreenTimeout as e:
                raise tmuxdrv.ScreenTimeout("the whole start screen after burst %d of %d"
                                            % (i + 1, BURSTS), e.screen)
        tap.ok(True, "%d bursts of resizes (81x24 and back to 100x30, keys between): "
               "the whole screen each time" % BURSTS)
        tap.ok(quit_app(t) == 0, "quits cleanly after the resizes", t.capture())
    finally:
        t.kill()


def clean_exit():
    """A terminal without an alternate screen (vt100) keeps what was last
    drawn under the shell prompt unless the wizard blanks it on the way out."""
    t = start(100, 30, TERM="vt100")
    try:
        t.wait_for(WHOLE_START)
        st = quit_app(t)
        s = t.capture()
        tap.ok(st == 0 and "Session saved" in s and "Organisation" not in s and
               "Leave the wizard" not in s,
               "TERM=vt100: after quitting, no text of the last view is left", s)
    finally:
        t.kill()


def demo_warnings():
    """make demo: the plan's warnings stay on the screen until Enter, then
    the rehearsal opens."""
    t = tmuxdrv.Tmux("ckw-test-%d-demo" % os.getpid())
    d = os.path.join(TMP, "demo")
    t.start(["make", "-s", "-C", os.path.dirname(os.path.abspath(CKW)), "demo",
             "DEMO_DIR=" + d], 100, 30, base_env(), status_file=d + ".status")
    try:
        s = t.wait_for(r"Press Enter to open the rehearsal")
        tap.ok(re.search(r"warning\[CK015\]", s) is not None and "valid, 4 warnings" in s,
               "make demo: the plan's warnings are on screen before the wizard opens", s)
        t.keys("Enter")
        t.wait_for(WHOLE_START)
        tap.ok(quit_app(t) == 0, "make demo: the rehearsal opens after Enter and quits", t.capture())
    finally:
        t.kill()


case("small terminal", small_terminal)
case("make demo", demo_warnings)
case("clean exit", clean_exit)
case("resize bursts", resize_bursts)
case("ASCII fallback", ascii_fallback)
case("NO_COLOR", no_colour)

reports = tmuxdrv.asan_reports(ASAN)
diag = ""
for r in reports[:3]:
    with open(r, errors="replace") as f:
        diag += "== %s\n%s" % (r, f.read()[:3000])
tap.ok(not reports, "no sanitizer report written (ASAN_OPTIONS=log_path)", diag)
sys.exit(tap.done())
