#!/bin/sh
# l10n_report.sh: reports in each language of po/LINGUAS. A Markdown or HTML
# report is rendered in the language of the messages and records it (HTML's
# lang attribute, a first-line comment in Markdown); `verify --report`
# re-renders it in that language, whatever language verify itself speaks,
# and an English report still verifies under a translated verify. The JSON
# report is the same bytes in every language. Runs the test build, which
# reads the catalogues compiled into the build tree (tests/l10n.mk).
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
cd "$CK_SRCDIR" || exit 1
L10N="$CK_BUILDDIR/tests/ckwizard-l10n"
CAT="python3 $CK_SRCDIR/tests/l10n/catalogue.py"
export PYTHONDONTWRITEBYTECODE=1
J="$TDATA/journals/sample.jsonl"
langs=$(sed 's/#.*//' po/LINGUAS | tr -s ' \t' '\n\n' | grep . || true)
n=2
for l in $langs; do n=$((n + 7)); done
tap_plan $n

# English, as before: no language line in Markdown, lang="en" in HTML.
"$L10N" report "$J" --format md -o "$TMP/en.md" 2>"$TMP/err"
"$L10N" report "$J" --format html -o "$TMP/en.html" 2>>"$TMP/err"
if [ "$(head -c 2 "$TMP/en.md")" = "# " ] && grep -q '^<html lang="en">$' "$TMP/en.html"; then
	tap_ok "an English report records English (lang=\"en\"; Markdown as before)"
else
	tap_not_ok "an English report records English" "$(head -2 "$TMP/en.md" "$TMP/en.html")" "$(cat "$TMP/err")"
fi
"$L10N" report "$J" --format json -o "$TMP/en.json"
same=1
for l in $langs; do
	LANGUAGE=$l "$L10N" report "$J" --format json -o "$TMP/$l.json"
	cmp -s "$TMP/en.json" "$TMP/$l.json" || same=0
done
[ "$same" = 1 ] && tap_ok "the JSON report is the same bytes in every language ($(echo $langs))" \
	|| tap_not_ok "the JSON report is the same bytes in every language" "$(diff "$TMP/en.json" "$TMP/$l.json" | head)"

for l in $langs; do
	po="po/$l.po"
	LANGUAGE=$l "$L10N" report "$J" --format md -o "$TMP/$l.md"
	LANGUAGE=$l "$L10N" report "$J" --format html -o "$TMP/$l.html"
	# 1-2. Recorded, and translated.
	if [ "$(head -1 "$TMP/$l.md")" = "<!-- language: $l -->" ] &&
		grep -q "^<html lang=\"$l\">\$" "$TMP/$l.html"; then
		tap_ok "$l: the Markdown and HTML reports record the language"
	else
		tap_not_ok "$l: the Markdown and HTML reports record the language" \
			"$(head -1 "$TMP/$l.md")" "$(sed -n 2p "$TMP/$l.html")"
	fi
	ops=$($CAT get "$po" "Operators")
	htv=$($CAT get "$po" "How to verify this report")
	if [ -n "$ops" ] && [ -n "$htv" ] && grep -qF "## $ops" "$TMP/$l.md" &&
		grep -qF "$htv" "$TMP/$l.html" && ! grep -q "## Operators" "$TMP/$l.md"; then
		tap_ok "$l: the report's headings are translated ($ops)"
	else
		tap_not_ok "$l: the report's headings are translated" "want: $ops / $htv" \
			"$(grep '^## ' "$TMP/$l.md" | head -5)"
	fi
	# 3-4. verify in English re-renders in the report's language.
	for fmt in md html; do
		if "$L10N" verify "$J" --report "$TMP/$l.$fmt" >"$TMP/o" 2>&1 && grep -q "ok    report anchor: .*in language $l" "$TMP/o"; then
			tap_ok "$l: verify (in English) re-renders the $fmt report in $l, byte for byte"
		else
			tap_not_ok "$l: verify (in English) re-renders the $fmt report in $l" "$(sed "s/^/  /" "$TMP/o")"
		fi
	done
	# 5. Under LC_ALL=C, where glibc ignores LANGUAGE, verify still
	# re-renders in the report's language (report/lang.c).
	if LC_ALL=C "$L10N" verify "$J" --report "$TMP/$l.html" >"$TMP/o" 2>&1 &&
		grep -q "report anchor: .*in language $l" "$TMP/o"; then
		tap_ok "$l: verify under LC_ALL=C re-renders the report in $l"
	else
		tap_not_ok "$l: verify under LC_ALL=C re-renders the report in $l" "$(sed "s/^/  /" "$TMP/o")"
	fi
	# 6. verify in the language checks an English report in English.
	LANGUAGE=$l "$L10N" verify "$J" --report "$TMP/en.html" >"$TMP/o" 2>&1
	rc=$?
	LANGUAGE=$l "$L10N" verify "$J" --report "$TMP/en.md" >>"$TMP/o" 2>&1
	if [ "$rc" = 0 ] && [ $? = 0 ]; then
		tap_ok "$l: verify in $l re-renders English reports in English"
	else
		tap_not_ok "$l: verify in $l re-renders English reports in English" "$(sed "s/^/  /" "$TMP/o")"
	fi
	# 7. An edit is still caught in the language.
	sed 's/Alice Ames/Alice Ames (absent)/' "$TMP/$l.md" >"$TMP/$l-edited.md"
	if "$L10N" verify "$J" --report "$TMP/$l-edited.md" >"$TMP/o" 2>&1; then
		tap_not_ok "$l: an edited report in $l fails" "$(sed "s/^/  /" "$TMP/o")"
	else
		tap_ok "$l: an edited report in $l fails"
	fi
done
tap_done
