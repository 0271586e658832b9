#!/bin/sh
# l10n_po.sh: the gettext plumbing. po/POTFILES.in lists every file that marks
# strings; `make update-po` rebuilds ckwizard.pot with xgettext and merges a
# catalogue with msgmerge; LANGUAGE switches the messages under C.UTF-8 once a
# catalogue exists; and what machines read (commands in the runbook, the keys
# of the JSON report, rule IDs) stays the same in every language.
#
# The catalogue is a throwaway pseudo-translation made here: every message
# gets a marker in front of each line, so a translated message is visible and
# an untranslated one too. It goes into the build tree's tests/locale/xx,
# next to the real catalogues; only tests/ckwizard-l10n reads there
# (tests/l10n.mk).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 13
L10N="$CK_BUILDDIR/tests/ckwizard-l10n"
cd "$CK_SRCDIR" || exit 1

# 1-2. POTFILES.in: complete and nothing stale.
missing=""
for f in $(grep -rlE '(^|[^A-Za-z0-9_])(N?_|ngettext)\(' src ui --include='*.c' --include='*.h' |
	grep -vx 'src/ck.h' | sort); do
	grep -qx "$f" po/POTFILES.in || missing="$missing $f"
done
[ -z "$missing" ] && tap_ok "po/POTFILES.in lists every file that marks strings (_, N_, ngettext)" \
	|| tap_not_ok "po/POTFILES.in misses files" "$missing"
stale=""
for f in $(grep -v '^#' po/POTFILES.in); do [ -f "$f" ] || stale="$stale $f"; done
[ -z "$stale" ] && tap_ok "every file po/POTFILES.in lists exists" \
	|| tap_not_ok "po/POTFILES.in lists missing files" "$stale"

# 3. xgettext is told every keyword the code uses.
opts=$(sed -n '/^XGETTEXT_OPTIONS/,/[^\\]$/p' po/Makevars | tr '\\\n' '  ')
lack=""
for k in --keyword=_ --keyword=N_ --keyword=ngettext:1,2; do
	case " $opts " in *" $k "*) ;; *) lack="$lack $k" ;; esac
done
[ -z "$lack" ] && tap_ok "po/Makevars passes _, N_ and ngettext to xgettext" \
	|| tap_not_ok "po/Makevars lacks keywords" "$lack"

# 4-6. make update-po, run by the build's own po/Makefile on a copy of po/
# (modification times kept, so nothing looks out of date) with one
# catalogue "xx": the source tree is never written.
mkdir -p "$TMP/po"
cp -pR po/. "$TMP/po/"
chmod -R u+w "$TMP/po"
cat >"$TMP/po/xx.po" <<'PO'
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "no such command"
msgstr "xx no such command"
PO
rm -f "$TMP/po/ckwizard.pot"
if make -C "$CK_BUILDDIR/po" update-po srcdir="$TMP/po" UPDATEPOFILES=xx.po-update \
	DUMMYPOFILES=xx.nop >"$TMP/update.log" 2>&1 && [ -s "$TMP/po/ckwizard.pot" ]; then
	tap_ok "make update-po builds ckwizard.pot with xgettext"
else
	tap_not_ok "make update-po builds ckwizard.pot with xgettext" "$(tail -20 "$TMP/update.log")"
fi
n=$(grep -c '^msgid ' "$TMP/po/xx.po" 2>/dev/null || echo 0)
if [ "$n" -gt 1000 ] && grep -q '^msgstr "xx no such command"' "$TMP/po/xx.po"; then
	tap_ok "make update-po merges a catalogue with msgmerge ($n messages, translation kept)"
else
	tap_not_ok "make update-po merges a catalogue with msgmerge" "$n messages"
fi
warn=$(grep -i 'warning' "$TMP/update.log" | grep -v '^make' || true)
if grep -q '^msgid_plural' "$TMP/po/ckwizard.pot" && [ -z "$warn" ]; then
	tap_ok "ckwizard.pot holds plural forms, xgettext has no warning"
else
	tap_not_ok "ckwizard.pot holds plural forms, xgettext has no warning" "$warn"
fi

# 7. The pseudo-translation: every line of every message gets a marker.
mo="$CK_BUILDDIR/tests/locale/xx/LC_MESSAGES"
rm -rf "$CK_BUILDDIR/tests/locale/xx"
mkdir -p "$mo"
if { msgen "$TMP/po/ckwizard.pot" | sed 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/; s/^"Content-Type: .*/"Content-Type: text\/plain; charset=UTF-8\\n"/' |
	msgfilter --keep-header -o "$TMP/xx.po" sed -e 's/^./»&/'; } >"$TMP/pseudo.log" 2>&1 &&
	msgfmt --check -o "$mo/ckwizard.mo" "$TMP/xx.po" >>"$TMP/pseudo.log" 2>&1; then
	tap_ok "a pseudo-translation of every message passes msgfmt --check"
else
	tap_not_ok "a pseudo-translation of every message passes msgfmt --check" "$(head -20 "$TMP/pseudo.log")"
fi

# 8-9. LANGUAGE switches the messages under C.UTF-8; without it, English.
LANGUAGE=xx "$L10N" --help >"$TMP/help.xx" 2>&1
"$L10N" --help >"$TMP/help.c" 2>&1
if grep -q '^»usage: ckwizard' "$TMP/help.xx" && grep -q '^ *check *»validate' "$TMP/help.xx"; then
	tap_ok "LANGUAGE=xx under C.UTF-8 translates --help"
else
	tap_not_ok "LANGUAGE=xx under C.UTF-8 translates --help" "$(head -5 "$TMP/help.xx")"
fi
if grep -q '^usage: ckwizard' "$TMP/help.c" && ! grep -q '»' "$TMP/help.c"; then
	tap_ok "without LANGUAGE the messages stay English"
else
	tap_not_ok "without LANGUAGE the messages stay English" "$(head -5 "$TMP/help.c")"
fi
LANGUAGE=xx "$L10N" check "$TDATA/plans-bad/$(ls "$TDATA/plans-bad" | head -1)" >"$TMP/check.xx" 2>&1
if grep -q '»' "$TMP/check.xx"; then tap_ok "LANGUAGE=xx translates check's diagnostics"
else tap_not_ok "LANGUAGE=xx translates check's diagnostics" "$(head -5 "$TMP/check.xx")"; fi

# 10-11. Machines read the same in every language: the commands of the
# runbook and the keys (and rule IDs) of the JSON outputs.
plan="$PLANS/contoso-all.yaml"
export SOURCE_DATE_EPOCH=1764547200
json_machine() { # the keys at every depth, the command texts, the rule IDs
	python3 -c '
import json, re, sys
def walk(v, out):
    if isinstance(v, dict):
        for k, x in v.items():
            out.append("key " + k)
            if k in ("commands", "command") and isinstance(x, dict) and "text" in x:
                # What a reader is told inside a command (a comment, the
                # <placeholder> for a value still to come) is prose.
                t = re.sub(r"<[^<>\n]*>", "<>", x["text"])
                t = re.sub(r"#[^\n]*", "#", t)
                out.append("val %s=%s" % (k, t))
                continue
            if k in ("command", "commands", "id", "template", "kind", "side", "owner", "rule", "code", "event", "type", "severity", "subject"):
                out.append("val %s=%s" % (k, json.dumps(x, sort_keys=True)))
            walk(x, out)
    elif isinstance(v, list):
        for x in v:
            walk(x, out)
out = []
walk(json.load(sys.stdin), out)
print("\n".join(out))'
}
ok=1 detail=""
for fmt in "runbook $plan --format json --management" "runbook $plan --format json --offboarding" \
	"check $plan --format json" "show $plan --format json" \
	"report $TDATA/journals/sample.jsonl --format json"; do
	# shellcheck disable=SC2086 # fmt is split on purpose
	"$L10N" $fmt 2>/dev/null | json_machine >"$TMP/m.c" || true
	# shellcheck disable=SC2086
	LANGUAGE=xx "$L10N" $fmt 2>/dev/null | json_machine >"$TMP/m.xx" || true
	if [ ! -s "$TMP/m.c" ] || ! diff -u "$TMP/m.c" "$TMP/m.xx" >"$TMP/m.diff"; then
		ok=0 detail="$detail
$fmt: $(head -12 "$TMP/m.diff" 2>/dev/null)"
	fi
done
[ "$ok" = 1 ] && tap_ok "JSON keys, commands and rule IDs are the same in every language" \
	|| tap_not_ok "JSON keys, commands and rule IDs are the same in every language" "$detail"
# 12. No message is itself a rule ID, a JSON key of those outputs, or a cmdlet
# name (Verb-Noun) of the step catalogue's command templates.
"$CKW" runbook "$plan" --format json --management 2>/dev/null |
	python3 -c '
import json, re, sys
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            print(k)
            if k in ("command", "commands"):
                for c in (x if isinstance(x, list) else [x]):
                    for w in re.findall(r"\b[A-Z][a-z]+-[A-Za-z0-9]+\b", json.dumps(c)):
                        print(w)
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
walk(json.load(sys.stdin))' >"$TMP/machine"
"$CKW" report "$TDATA/journals/sample.jsonl" --format json 2>/dev/null |
	python3 -c '
import json, sys
def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            print(k); walk(x)
    elif isinstance(v, list):
        for x in v: walk(x)
walk(json.load(sys.stdin))' >>"$TMP/machine"
"$CKW" check --doc | sed -n 's/^| \([A-Z][A-Z]*[0-9][0-9]*\) |.*/\1/p' >>"$TMP/machine"
msgcat --no-wrap "$TMP/po/ckwizard.pot" 2>/dev/null | sed -n 's/^msgid "\(.*\)"$/\1/p' |
	sort -u >"$TMP/msgids"
# Plain lower-case words ("hint", "state") are English words too and may be
# labels elsewhere; that they never change a JSON key is checked above.
marked=$(sort -u "$TMP/machine" | grep -v '^[a-z]*$' | grep -Fxf - "$TMP/msgids" || true)
if [ "$(wc -l <"$TMP/machine")" -gt 20 ] && [ -z "$marked" ]; then
	tap_ok "no rule ID, JSON key or cmdlet name is marked for translation"
else
	tap_not_ok "no rule ID, JSON key or cmdlet name is marked for translation" \
		"$(wc -l <"$TMP/machine") machine names; marked: $marked"
fi
# 13. A count in a sentence goes through ngettext: no message says
# "warning(s)", and check's summary is singular or plural as it should be.
"$CKW" check "$PLANS/contoso-exchange.yaml" >"$TMP/one.c" 2>&1
paren=$(msgcat --no-wrap "$TMP/po/ckwizard.pot" 2>/dev/null | grep '^msgid.*[a-z](s)' || true)
if tail -1 "$TMP/one.c" | grep -q ' warnings*$' && [ -z "$paren" ]; then
	tap_ok "counts go through ngettext: no message says \"thing(s)\""
else
	tap_not_ok "counts go through ngettext: no message says \"thing(s)\"" \
		"$(tail -1 "$TMP/one.c")" "$paren"
fi
rm -rf "$CK_BUILDDIR/tests/locale/xx"
tap_done
