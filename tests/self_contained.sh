#!/bin/sh
# The project stands on its own: no comment or document points outside the
# repository (to the notes folder beside it, or the trap and Azure notes kept
# there) or carries a work-tracking tag (an owner or contract naming a team in
# brackets, a pointer to an issue). What the code relies on is in
# doc/traps.md and doc/sources.md. The patterns below are spelled with
# character classes so that this file does not match itself.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 2
cd "$CK_SRCDIR" || exit 1
self=tests/self_contained.sh
files=$(ls -d src ui tests doc plans po configure.ac Makefile.am ./*.mk README DESIGN.md .ci 2>/dev/null)
teams='plan|steps|journal|wizard|session|model|procedure|operators|azure|bench|hardening|hsm|i18n|trust|ui'
# shellcheck disable=SC2086 # the list of paths is split on purpose
hits=$(grep -rnIE "\.\./shar[e]d|TRAP[S]\.md|AZUR[E]\.md|(Owner|Contract for|[Aa]dded by|owned by):? \[[a-z0-9]+\]|[[]($teams)[]]|this [i]ssue|a later [i]ssue" \
	$files 2>/dev/null | grep -v "^$self:" || true)
[ -z "$hits" ] && tap_ok "no reference outside the repository, no work-tracking tag" \
	|| tap_not_ok "references outside the repository or work-tracking tags" "$hits"
# The documents those references were replaced with exist and are shipped.
missing=""
for d in doc/traps.md doc/sources.md; do
	[ -s "$d" ] && grep -q "$d" Makefile.am src/*.mk tests/*.mk ui/*.mk || missing="$missing $d"
done
[ -z "$missing" ] && tap_ok "doc/traps.md and doc/sources.md are there and distributed" \
	|| tap_not_ok "missing or not distributed:$missing"
tap_done
