"""The wizard in one language, in an 80x24 terminal, driven in tmux: the
start screen, the passphrase dialogs, the plan review and the step screen
are translated, fit, and wrap inside their boxes; the quit question too.
Language-neutral: every text looked for is the catalogue's translation of
the English (po/LL.po, read with tests/l10n/catalogue.py), so a new
language needs no change here. Widths are counted in terminal columns
(East Asian wide characters take two), so Japanese is checked for glyphs
cut at a border as well. Prints TAP.

Usage: l10n.py LL (tests/e2e_l10n.sh runs it for each language of
po/LINGUAS). Environment as for the other tmux tests; CKW_L10N is the test
build that reads the build tree's catalogues.
"""

import os
import re
import sys
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "l10n"))
import catalogue  # noqa: E402
import tmuxdrv  # noqa: E402

LANG = sys.argv[1]
SRC = os.environ["CK_SRCDIR"]
CKW = os.environ["CKW_L10N"]
TMP = os.environ["TMP"]
ASAN = os.path.join(TMP, "asan")
# The plan from a long path, as under make distcheck: the start screen shows
# it on three lines, so the translated screen must fit with them.
PLAN = os.path.join(TMP, "plans-" + "x" * 40, "contoso-exchange.yaml")
os.makedirs(os.path.dirname(PLAN), exist_ok=True)
with open(os.path.join(os.environ["PLANS"], "contoso-exchange.yaml"), "rb") as src, \
        open(PLAN, "wb") as dst:
    dst.write(src.read())
PASS = {"A": "rehearse-alice", "B": "rehearse-bob"}
PIN = {"Alice Ames": "1234", "Bob Berg": "5678"}  # the demo operators' signing PINs
COLS, ROWS = 80, 24

# msgid -> its translations (the plural forms of a plural message).
FORMS = {mid: strs for mid, mpl, strs, _ in catalogue.parse(os.path.join(SRC, "po", LANG + ".po"))
         if strs and all(strs)}
CAT = {mid: strs[0] for mid, strs in FORMS.items()}
tap = tmuxdrv.Tap()
t = tmuxdrv.Tmux("ckw-l10n-%s-%d" % (LANG, os.getpid()))


def tr(msgid):
    return CAT.get(msgid, msgid)


def rx(msgid):
    """The translation as a pattern: conversions match any text on the line,
    spaces any white space. For one-line texts."""
    parts = re.split(catalogue.CONV, tr(msgid))
    return r"[^\n]*?".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in parts)


def head(msgid, n=14):
    """The first characters of the translation, as a pattern: what a wrapped
    message surely has on its first line."""
    h = re.split(catalogue.CONV, tr(msgid))[0][:n].rstrip()
    return r"\s+".join(re.escape(w) for w in h.split(" "))


def flat(text):
    """Screen text without the line breaks and borders wrapping put in."""
    return re.sub(r"[\s│┌┐└┘─├┤]+", "", text)


def shows(screen, msgid):
    """The whole translated message (one of its plural forms) is on the
    screen, maybe wrapped."""
    s = flat(screen)
    for form in FORMS.get(msgid, [msgid]):
        want = [flat(p) for p in re.split(catalogue.CONV, form) if flat(p)]
        pos = 0
        for w in want:
            pos = s.find(w, pos)
            if pos < 0:
                break
            pos += len(w)
        else:
            return True
    return False


def lines_fit(screen):
    """Every line within 80 columns, and no wide glyph cut at the edge
    (tmux shows half a glyph as a space after the last full column)."""
    bad = [ln for ln in screen.split("\n") if catalogue.width(ln) > COLS]
    return bad


def boxes_closed(screen):
    """Every box (┌...┐ to └...┘) has its right border on every row in
    the column of its corners: the text inside wrapped, nothing ran over."""
    rows = screen.split("\n")
    bad = []
    for y, row in enumerate(rows):
        for m in re.finditer("┌", row):
            x = catalogue.width(row[:m.start()])
            top = row[m.start():]
            if "┐" not in top:
                bad.append("row %d: a box without its top-right corner" % y)
                continue
            right = x + catalogue.width(top[:top.index("┐")])
            for yy in range(y + 1, len(rows)):
                r = rows[yy]
                cells = cells_of(r)
                c = cells.get(right, " ")
                if c == "┘":
                    break
                if c not in "│┤":
                    bad.append("row %d: the box's right border is %r, not │: %s" % (yy, c, r))
    return bad


def cells_of(row):
    """Column -> character, counting wide characters as two columns."""
    out, x = {}, 0
    for ch in row:
        out[x] = ch
        x += catalogue.width(ch)
    return out


def box_text(screen):
    """The text inside the topmost box (a dialog), without what is behind it."""
    rows = screen.split("\n")
    for y, row in enumerate(rows):
        cells = cells_of(row)
        left = [x for x, c in cells.items() if c == "┌"]
        right = [x for x, c in cells.items() if c == "┐"]
        if left and right:
            x1, x2 = left[0], right[-1]
            out = []
            for r in rows[y:]:
                c = cells_of(r)
                out.append("".join(c.get(x, "") for x in range(x1 + 1, x2)))
                if c.get(x1) == "└":
                    break
            return "\n".join(out)
    return ""


def check_screen(screen, what, msgids, dialog=False):
    tap.ok(not lines_fit(screen) and not boxes_closed(screen),
           "%s: %s fits %dx%d, its boxes closed" % (LANG, what, COLS, ROWS),
           "\n".join(lines_fit(screen) + boxes_closed(screen)) + "\n" + screen)
    text = box_text(screen) if dialog else screen
    # Translated: the catalogue has the message, and the screen shows it.
    missing = [m for m in msgids if m not in CAT or not shows(text, m)]
    tap.ok(not missing, "%s: %s is translated and shown whole" % (LANG, what),
           "missing: %r\n%s" % ([tr(m) for m in missing], screen))


def bar(screen, labels):
    last = screen.rstrip("\n").split("\n")[-1]
    want = [k + tr(lab) for k, lab in labels]
    miss = [w for w in want if w not in last]
    return miss, last


def until(target):
    """Answer passphrase and PIN prompts, handoffs and the verification
    question until target shows."""
    pats = [target, rx("Unlock: %s"), rx("Hand the keyboard to %s"), rx("Signing PIN: %s"),
            rx("Verify the plan")]
    for _ in range(10):
        i, screen = t.wait_any(pats)
        if i == 0:
            return screen
        line = next(ln for ln in screen.split("\n") if re.search(pats[i], ln))
        name = "Alice Ames" if "Alice" in line else "Bob Berg"
        if i == 1:
            t.type(PASS["A" if name == "Alice Ames" else "B"])
            t.keys("Enter")
            # Unlocking takes a moment (scrypt): wait for this prompt to go
            # (its title; the name may show elsewhere on the screen).
            t.wait_for(re.escape(tr("Unlock: %s").replace("%s", name)), absent=True)
        elif i == 3:
            t.type(PIN[name])
            t.keys("Enter")
            t.wait_for(re.escape(tr("Signing PIN: %s").replace("%s", name)), absent=True)
        else:
            t.keys("Enter")
            t.wait_for(re.escape(line.strip()), absent=True)
    raise tmuxdrv.ScreenTimeout(target, t.capture())


def main():
    d = os.path.join(TMP, "s-" + LANG)
    env = tmuxdrv.wizard_env(ASAN, LANGUAGE=LANG)
    t.start([CKW, "rehearse", PLAN, "--dir", d, "--idle-lock", "0"], COLS, ROWS, env,
            status_file=d + ".status")
    # 1. The start screen.
    screen = t.wait_for(rx("Start the ceremony"))
    screen = t.settle()
    check_screen(screen, "the start screen",
                 ["Start the ceremony", "Who is present for this sitting? Up/Down, then Enter:",
                  "Each operator present types their passphrase: presence is signed."])
    miss, last = bar(screen, [("F1", "Help"), ("F10", "Quit")])
    tap.ok(not miss, "%s: the start screen's key bar is translated" % LANG, "%r in %r" % (miss, last))
    # 2. A passphrase dialog: the text wraps inside the box.
    t.keys("Enter")
    screen = t.wait_for(rx("Unlock: %s"))
    screen = t.settle()
    check_screen(screen, "the passphrase dialog",
                 ["Opening the sitting records who is present.", "(typing is not shown)",
                  "Enter: accept    Esc: cancel"], dialog=True)
    # 3. The plan review: approve, tick, verify.
    screen = until(rx("Plan review: version %ld"))
    screen = t.settle()
    check_screen(screen, "the plan review", ["Plan review: version %ld",
                                             "Inventory: every resource by its final name"])
    t.keys("s")
    # The author signs with the signing PIN (the question is in its box), or,
    # just after the passphrase, answers the question alone.
    i, screen = t.wait_any([rx("Signing PIN: %s"), rx("Approve the plan")])
    screen = t.settle()
    check_screen(screen, "the approval question",
                 ["Approve plan version %ld (SHA-256 %.16s...) as its author? Your signature "
                  "goes into the journal.",
                  "Enter: accept    Esc: cancel" if i == 0 else "Enter: yes    Esc: no"],
                 dialog=True)
    if i == 0:
        t.type(PIN["Alice Ames"])
    t.keys("Enter")
    t.wait_for(re.escape(tr("Signing PIN: %s").replace("%s", "Alice Ames")) if i == 0
               else rx("Approve the plan"), absent=True)
    until(re.escape(tr("  keyboard: %s").strip().replace("%s", "Bob Berg")))
    for _ in range(80):
        t.keys("Space")
        if shows(t.settle(), "Everything is ticked: s signs (x unticks an item)."):
            break
    t.keys("s")
    until(head("Recorded: the plan is verified. The ceremony can begin.", 30))
    # 4. The step screen: two panes, the function keys all in the bar.
    screen = t.settle()
    check_screen(screen, "the step screen",
                 ["Recorded: the plan is verified. The ceremony can begin.",
                  "Steps: %zu in all; the next one is number %ld.  %s",
                  "Prepare", "Onboard with Microsoft", "Why it matters"])
    miss, last = bar(screen, [("F1", "Help"), ("F2", "Confirm"), ("F3", "Witness"),
                              ("F4", "Evidence"), ("F5", "Check"), ("F6", "Perform"),
                              ("F7", "Shell"), ("F8", "Copy"), ("F10", "Quit")])
    tap.ok(not miss, "%s: the step screen's bar shows every function key, translated" % LANG,
           "%r missing in %r" % (miss, last))
    # 5. The quit question, then quit.
    t.keys("q")
    screen = t.wait_for(head("Leave the wizard? The journal is always consistent: nothing "
                             "recorded is lost, and the session resumes where it stopped.", 10))
    screen = t.settle()
    check_screen(screen, "the quit question",
                 ["Leave the wizard? The journal is always consistent: nothing recorded is "
                  "lost, and the session resumes where it stopped.", "Enter: yes    Esc: no"], dialog=True)
    t.keys("Enter")
    for _ in range(200):
        st = t.exit_status()
        if st is not None:
            break
        t.settle(tries=2)
    tap.ok(st == 0, "%s: the wizard quits cleanly (exit 0)" % LANG, "exit status %r" % st)


try:
    main()
except Exception as e:  # noqa: BLE001 - a test that stops early says why
    tap.ok(False, "%s: the walk through the screens went on" % LANG,
           "%s\n%s" % (traceback.format_exc(), getattr(e, "screen", t.safe_capture())))
finally:
    t.kill()
reports = tmuxdrv.asan_reports(ASAN)
tap.ok(not reports, "%s: no sanitizer report" % LANG, "\n".join(reports))
sys.exit(tap.done())
