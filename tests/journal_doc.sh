#!/bin/sh
# doc/journal.md's event table is written by hand (its payload and rules
# columns are prose); this keeps it to the rule table (src/session_rules.c):
# the same event types, in the same order, each signed as the table says.
# `ckwizard verify --rules` prints the table's types and signers.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 2
doc="$CK_SRCDIR/doc/journal.md"
if "$CKW" verify --rules >"$TMP/rules" 2>&1 && [ -s "$TMP/rules" ]; then
	tap_ok "ckwizard verify --rules prints the rule table"
else
	tap_not_ok "ckwizard verify --rules" "$(cat "$TMP/rules")"
fi
# Rows of the event table: | `type` | actor | signed | payload | rules |
sed -n '/^## Event types/,/^## /p' "$doc" |
	sed -n 's/^| `\([a-z.]*\)` | [^|]* | \([a-z]*\) |.*/\1 \2/p' >"$TMP/doc"
if diff -u "$TMP/doc" "$TMP/rules" >"$TMP/diff"; then
	tap_ok "doc/journal.md's event table has the rule table's types, order and signers"
else
	tap_not_ok "doc/journal.md's event table differs from src/session_rules.c" \
		"(- the document, + the rule table)" "$(cat "$TMP/diff")"
fi
tap_done
