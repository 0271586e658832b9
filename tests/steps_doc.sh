#!/bin/sh
# steps_doc.sh: the template reference in doc/steps.md matches the table in
# the code. After changing src/steps_table.c: run `ckwizard runbook --doc`
# and replace the generated part of doc/steps.md with its output.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 2
tap_generated_part "$CK_SRCDIR/doc/steps.md" "runbook --doc" "step template table"
tap_done
