"""The terminal matrix: the real wizard in tmux under each TERM, size,
NO_COLOR and locale doc/reliability.md lists. For each case, inside the pane:
`stty -g` before, the wizard, its exit status, `stty -g` after. A case that
should work must draw the whole start screen (header, the presence box, its
last line), open the quit question on q, leave with exit 0 on Enter, and
leave the terminal settings as they were. A TERM that cannot address the
cursor (dumb) or is unknown must be refused with the reason, before the
screen is touched. Prints TAP, and the table as TAP comments.

Environment (tests/e2e_term_matrix.sh through tests/tap.sh): CKW, PLANS, TMP,
HOME, CK_SRCDIR. All 18 cases take seconds: `make check` runs them all.
"""

import os
import re
import sys
import traceback

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

CKW = os.environ["CKW"]
TMP = os.environ["TMP"]
PLAN = os.path.join(os.environ["PLANS"], "contoso-exchange.yaml")
ASAN = os.path.join(TMP, "asan")
WHOLE_START = (r" ckwizard Contoso .*REHEARSAL *\n Start the ceremony\n(.*\n)*"
               r".*Who is present for this sitting(.*\n)*.*Each operator present types")
COLOUR = re.compile(r"\x1b\[([0-9;]*)m")

TERMS = ["xterm", "xterm-256color", "screen", "screen-256color", "tmux-256color", "linux",
         "vt100", "vt220"]
# (name, TERM, width, height, extra env, expected: "works", "small" or "refused")
ALL = ([("TERM=%s, 80x24" % t, t, 80, 24, {}, "works") for t in TERMS] +
       [("TERM=dumb, 80x24", "dumb", 80, 24, {}, "refused"),
        ("TERM=unknown (no such terminfo entry)", "ckw-no-such-terminal", 80, 24, {}, "refused"),
        ("100x30", "xterm-256color", 100, 30, {}, "works"),
        ("200x50", "xterm-256color", 200, 50, {}, "works"),
        ("60x20 (too small), then 80x24", "xterm-256color", 60, 20, {}, "small"),
        ("40x10 (too small), then 80x24, TERM=vt100", "vt100", 40, 10, {}, "small"),
        ("NO_COLOR=1", "xterm-256color", 80, 24, {"NO_COLOR": "1"}, "works"),
        ("LANG=C", "xterm-256color", 80, 24, {"LANG": "C", "LC_ALL": "C"}, "works"),
        ("LANG=C, TERM=linux", "linux", 80, 24, {"LANG": "C", "LC_ALL": "C"}, "works"),
        ("LANG=C.UTF-8, TERM=vt100", "vt100", 80, 24, {}, "works")])
CASES = ALL

tap = tmuxdrv.Tap()
rows = ["| Case | Expected | Start screen | q, Enter | Exit | `stty -g` after = before | Colours | Non-ASCII |",
        "|---|---|---|---|---|---|---|---|"]


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def wait_file(path, tries=300):
    for _ in range(tries):
        v = read(path)
        if v is not None and v != "":
            return v
        tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
    return None


def run(n, name, term, width, height, extra, expect):
    d = os.path.join(TMP, "m%d" % n)
    os.mkdir(d)
    wrap = ("stty -g >{d}/before; {ckw} rehearse {plan} --dir {d}/s --idle-lock 0; "
            "echo $? >{d}/status; stty -g >{d}/after".format(
                d=tmuxdrv.shquote(d), ckw=tmuxdrv.shquote(CKW), plan=tmuxdrv.shquote(PLAN)))
    env = tmuxdrv.wizard_env(ASAN, TERM=term, **extra)
    t = tmuxdrv.Tmux("ckw-m-%d-%d" % (os.getpid(), n))
    t.start(["sh", "-c", wrap], width, height, env)
    drawn = keys = "-"
    colours = ascii_only = "-"
    try:
        if expect == "refused":
            st = wait_file(os.path.join(d, "status"))
            # The pane's history too: tmux may scroll a short-lived pane's
            # output out of view (it does so for `echo hello` as well).
            screen = ""
            for _ in range(100):
                screen = t._tmux("capture-pane", "-p", "-S", "-100", check=False)
                if "TERM=" in screen:
                    break
                tmuxdrv.time.sleep(tmuxdrv.POLL_PAUSE)
            said = re.search(r"TERM=", screen) is not None
            drawn = "refused: " + " ".join(l.strip() for l in screen.splitlines()
                                           if l.strip() and not l.startswith("Pane is dead"))[:160].replace("|", "\\|")
            good = st == "2" and said
        else:
            if expect == "small":
                s = t.wait_for(r"enlarge")
                drawn = "asks to enlarge"
                t.resize(80, 24)
            s = t.wait_for(WHOLE_START)
            drawn = (drawn + ", then " if expect == "small" else "") + "whole"
            esc = t.capture(escapes=True)
            colours = "yes" if any(
                (30 <= int(p) <= 48 or 90 <= int(p) <= 107) and int(p) not in (39, 49)
                for m in COLOUR.finditer(esc) for p in m.group(1).split(";") if p) else "no"
            ascii_only = "yes" if any(ord(c) > 127 for c in s) else "no"
            t.keys("q")
            t.wait_for(r"[Qq]uit")
            t.keys("Enter")
            keys = "quit question, left"
            st = wait_file(os.path.join(d, "status"))
            good = st == "0"
            if extra.get("NO_COLOR"):
                good = good and colours == "no"
            if extra.get("LANG") == "C":
                good = good and ascii_only == "no"
        before, after = read(os.path.join(d, "before")), wait_file(os.path.join(d, "after"))
        same = before is not None and before == after
        good = good and same
        tap.ok(good, "%s: %s (exit %s, stty %s)" % (name, drawn, st, "same" if same else "differs"),
               "before %s\nafter  %s\n%s" % (before, after, t.safe_capture()))
        rows.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            name, expect, drawn, keys, st, "yes" if same else "NO", colours, ascii_only))
    except tmuxdrv.ScreenTimeout as e:
        tap.ok(False, name, str(e))
        rows.append("| %s | %s | %s | %s | - | - | - | - |" % (name, expect, drawn, "timed out"))
    except Exception:
        tap.ok(False, name, traceback.format_exc())
    finally:
        t.kill()


for i, c in enumerate(CASES):
    run(i, *c)
reports = tmuxdrv.asan_reports(ASAN)
tap.ok(not reports, "no sanitizer report written", "\n".join(reports))
for r in rows:
    print("# " + r)
sys.exit(tap.done())
