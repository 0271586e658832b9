"""catalogue.py: reading a gettext catalogue (.po) with the standard library,
and the checks tests/l10n_catalogues.sh makes on every translation that
msgfmt does not make itself. Prints TAP lines through tmuxdrv-like calls.

  catalogue.py same LL.po ALLOW     entries whose translation equals the English
  catalogue.py keys LL.po           key names of hints kept ("Enter: yes")
  catalogue.py bar LL.po SRCDIR     function-key bar labels: unique and fitting
  catalogue.py get LL.po MSGID      the translation of one message (for tests)
  catalogue.py prefix LL.po TEXT    the translation of the message starting with TEXT
"""

import re
import sys
import unicodedata


def unescape(s):
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t', '"': '"', '\\': '\\'}.get(
        m.group(1), '\\' + m.group(1)), s)


def parse(path):
    """[(msgid, msgid_plural or None, [msgstr...], flags)] without the header."""
    out, cur, key = [], None, None

    def flush():
        nonlocal cur
        if cur and "msgid" in cur and cur["msgid"] != "":
            out.append((cur["msgid"], cur.get("msgid_plural"),
                        [cur["msgstr"][i] for i in sorted(cur["msgstr"])], cur["flags"]))
        cur = None

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                continue
            if cur is None:
                cur = {"msgstr": {}, "flags": set()}
            if line.startswith("#~"):
                continue
            if line.startswith("#,"):
                cur["flags"].update(x.strip() for x in line[2:].split(","))
                continue
            if line.startswith("#"):
                continue
            m = re.match(r'^(msgid_plural|msgid|msgstr(?:\[(\d+)\])?) "(.*)"$', line)
            if m:
                if m.group(1).startswith("msgstr"):
                    key = int(m.group(2) or 0)
                    cur["msgstr"][key] = unescape(m.group(3))
                else:
                    key = m.group(1)
                    cur[key] = unescape(m.group(3))
                continue
            m = re.match(r'^"(.*)"$', line)
            if m:
                if isinstance(key, int):
                    cur["msgstr"][key] += unescape(m.group(1))
                else:
                    cur[key] += unescape(m.group(1))
    flush()
    return out


def width(s):
    """Terminal columns: East Asian wide and full-width characters take two."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


# What may read the same in every language: no word of prose in it. Format
# conversions, punctuation, numbers, and single tokens that are names
# (commands, cmdlets, rule IDs, Azure field names, file names, key names,
# units): a token with no space that is not a plain lower-case or capitalised
# English word, or a short upper-case abbreviation.
CONV = r"%(?:\d+\$)?[-+ #0]*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d+|\*(?:\d+\$)?))?(?:hh|h|ll|l|z|j|t|L)?[diouxXeEfgGcspn%]"


def wordless(s):
    rest = re.sub(CONV, "", s)
    return not re.search(r"[A-Za-z]{2,}", rest)


def name_like(s):
    """Every word is a name: it has a digit or one of _./=$@{}- (a file,
    a command, a rule ID, SHA-256), is an upper-case abbreviation (RSA), is
    camelCase (wrapKey) or a key name (Enter). A plain word is prose."""
    words = re.findall(r"[^\s,;:()\[\]<>'\"`]+", re.sub(CONV, " ", s))
    if not words:
        return False
    for w in words:
        if re.search(r"[0-9_./=$@{}-]", w) or (len(w) >= 2 and w.isupper()) or \
                re.search(r"[a-z][A-Z]", w) or re.fullmatch(KEYNAMES, w):
            continue
        return False
    return True


def cmd_same(path, allow_path):
    allow = set()
    try:
        with open(allow_path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    allow.add(unescape(line.rstrip("\n")))
    except FileNotFoundError:
        pass
    bad, used = [], set()
    for mid, mpl, strs, _ in parse(path):
        if mpl is None and strs and strs[0] == mid:
            if wordless(mid) or name_like(mid):
                continue
            if mid in allow:
                used.add(mid)
                continue
            bad.append(mid)
    for b in bad:
        print("same as the English: %r" % b)
    for a in sorted(allow - used):
        print("allow-listed but translated or gone: %r" % a)
    return 1 if bad or allow - used else 0


# Key names a hint in a message shows the operator: the key is the same in
# every language, so the translation must show it too ("Enter: yes" ->
# "Enter: ja", "signs (s)" -> "signiert (s)").
KEYNAMES = r"\b(?:Enter(?! which)|Esc|Tab|Space|Backspace|PgUp|PgDn|Up/Down|F(?:[1-9]|1[0-2])|C-[a-z])\b"


def cmd_keys(path):
    bad = []
    for mid, mpl, strs, _ in parse(path):
        for i, s in enumerate(strs):
            src = mid if (mpl is None or i == 0) else mpl
            # Key names, and a key letter in parentheses ("signs (s)").
            want = sorted(re.findall(KEYNAMES, src) + re.findall(r"\(([A-Za-z])\)", src))
            got = sorted(k for k in re.findall(KEYNAMES, s) + re.findall(r"\(([A-Za-z])\)", s)
                         if k in want)
            if want != got:
                bad.append("%r -> %r: keys %s" % (src, s, ", ".join(want)))
    for b in bad:
        print(b)
    return 1 if bad else 0


def bar_table(srcdir):
    """From ui/action.h: (scope names, bar label, first key) of each action
    with a bar label; from ui/scr_*.c and ui/pager.c: each screen's scopes."""
    with open(srcdir + "/ui/action.h", encoding="utf-8") as f:
        text = f.read()
    acts = []
    for m in re.finditer(r'X\((\w+),\s*([\w |]+),\s*N_\("([^"]*)"\),\s*N_\("(?:[^"\\]|\\.)*"\),'
                         r'\s*\\?\s*([^,]+),', text):
        acts.append((m.group(1), set(x.strip() for x in m.group(2).split("|")), m.group(3),
                     m.group(4).strip()))
    screens = {}
    import glob
    import os
    for p in sorted(glob.glob(srcdir + "/ui/scr_*.c")):
        with open(p, encoding="utf-8") as f:
            for m in re.finditer(r"\.scopes\s*=\s*([\w |]+),", f.read()):
                screens[os.path.basename(p)] = set(x.strip() for x in m.group(1).split("|"))
    # The command view is a pager over the step screen's scopes.
    screens["command view"] = {"SC_COMMANDS", "SC_MOVE"}
    return acts, screens


def keyname(k):
    m = re.match(r"TERM_FN\(KEY_F\((\d+)\)\)", k)
    if m:
        return "F" + m.group(1), True
    return {"'\\r'": "Enter", "'\\t'": "Tab", "27": "Esc"}.get(k, k.strip("'")), False


def cmd_bar(path, srcdir, cols=80):
    tr = {mid: strs[0] for mid, mpl, strs, _ in parse(path) if mpl is None and strs}
    acts, screens = bar_table(srcdir)
    if len(acts) < 10 or len(screens) < 5:
        print("could not read the action table (%d actions, %d screens)" % (len(acts), len(screens)))
        return 1
    rc = 0
    for name, scopes in sorted(screens.items()):
        shown = [(keyname(k), tr.get(label) or label, label) for a, sc, label, k in acts
                 if sc & (scopes | {"SC_ALL"})]
        labels = [t for _, t, _ in shown]
        dup = sorted(set(x for x in labels if labels.count(x) > 1))
        if dup:
            print("%s: the bar shows %s twice" % (name, ", ".join(map(repr, dup))))
            rc = 1
        # As ui/frame.c draws it: F-keys first ("F1Help "), then Enter, Tab
        # and Esc, cut where the terminal ends. The F-keys must all show in
        # 80 columns (they do in English); the named keys may be cut.
        fkeys = [(kn, t) for (kn, isfn), t, _ in shown if isfn]
        total = sum(len(kn) + width(t) + 1 for kn, t in fkeys)
        if total > cols:
            print("%s: the function keys need %d columns of %d: %s" %
                  (name, total, cols, " ".join(kn + t for kn, t in fkeys)))
            rc = 1
    return rc


def cmd_prefix(path, text):
    for mid, mpl, strs, _ in parse(path):
        if mid.startswith(text) and strs:
            sys.stdout.write(strs[0])
            return 0
    return 1


def cmd_get(path, msgid):
    for mid, mpl, strs, _ in parse(path):
        if mid == msgid and strs:
            sys.stdout.write(strs[0])
            return 0
    return 1


if __name__ == "__main__":
    a = sys.argv[1:]
    sys.exit({"same": lambda: cmd_same(a[1], a[2]), "keys": lambda: cmd_keys(a[1]),
              "bar": lambda: cmd_bar(a[1], a[2]), "get": lambda: cmd_get(a[1], a[2]),
              "prefix": lambda: cmd_prefix(a[1], a[2])}[a[0]]())
