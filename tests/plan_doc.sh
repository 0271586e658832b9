#!/bin/sh
# plan_doc.sh: the generated part of plans/README.md (fields, rules, regions)
# matches the tables in the code. To update it after changing a table:
#   ckwizard check --doc, and paste between the two generated-part markers.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 3

tap_generated_part "$PLANS/README.md" "check --doc" "field, rule and region tables"
# Every rule ID the corpus or the code names is documented, and every
# documented CK rule has a broken plan (the corpus) that triggers it.
missing=""
for id in $(sed -n 's/^| \(CK[0-9]*\) | \(error\|warning\) .*/\1/p' "$TMP/doc"); do
	[ "$id" = CK015 ] && continue # every example plan triggers it
	grep -qs "^# expect: $id " "$TDATA"/plans-bad/*.yaml || missing="$missing $id"
done
if [ -z "$missing" ]; then
	tap_ok "every CK rule has a broken plan in tests/plans-bad"
else
	tap_not_ok "every CK rule has a broken plan in tests/plans-bad" "missing:$missing"
fi
tap_done
