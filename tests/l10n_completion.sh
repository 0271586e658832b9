#!/bin/bash
# l10n_completion.sh: completion/ckwizard is what `ckwizard help --bash`
# makes from the tables, and bash itself completes with it: commands, each
# command's options (the ones `help COMMAND` lists), option values, plan
# files, session directories and the simulator's faults. To update it after
# changing src/cli.c or the fault table: ckwizard help --bash >completion/ckwizard
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 12
comp="$CK_SRCDIR/completion/ckwizard"
if "$CKW" help --bash >"$TMP/gen" 2>&1 && diff -u "$comp" "$TMP/gen" >"$TMP/diff"; then
	tap_ok "completion/ckwizard is up to date with the tables"
else
	tap_not_ok "completion/ckwizard is up to date with the tables" \
		"run: ckwizard help --bash >completion/ckwizard" "$(head -30 "$TMP/diff")"
fi
# shellcheck source=/dev/null
. "$comp"
# complete WORD...: COMPREPLY, sorted, one a line, for the line "ckwizard WORD...",
# the cursor on the last word.
complete_line() {
	COMP_WORDS=(ckwizard "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_ckwizard
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
same() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then tap_ok "$1"; else tap_not_ok "$1" "got: $(echo $2)" "want: $(echo $3)"; fi
}
cmds=$("$CKW" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' | sort)
got=$(complete_line "" | grep -v -- '^-' | grep -vx help)
same "the first word completes to every command of --help" "$got" "$cmds"
bad=""
for c in $cmds; do
	got=$(complete_line "$c" "--" | grep -vx -- --help)
	want=$("$CKW" help "$c" | sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-zA-Z-]*\).*/\2/p' | sort)
	[ -n "$want" ] && [ "$got" = "$want" ] || bad="$bad $c (got: $(echo $got); want: $(echo $want))"
done
[ -z "$bad" ] && tap_ok "each command's options complete to what help COMMAND lists" \
	|| tap_not_ok "each command's options complete to what help COMMAND lists" "$bad"
same "report --format completes to md html json" "$(complete_line report x.jsonl --format "")" \
	"$(printf 'html\njson\nmd')"
same "check --fo completes to --format" "$(complete_line check --fo)" "--format"
cd "$TMP" || exit 1
mkdir -p plans/sub contoso.ckw contoso.rehearsal
: >contoso.yaml; : >notes.txt; : >plans/a.yaml; : >j.jsonl
same "a PLAN completes to *.yaml files and directories" "$(complete_line check "")" \
	"$(printf 'contoso.ckw\ncontoso.rehearsal\ncontoso.yaml\nhome\nplans')"
same "plans/ completes inside it" "$(complete_line rehearse plans/)" "$(printf 'plans/a.yaml\nplans/sub')"
same "a JOURNAL completes to session directories and *.jsonl" "$(complete_line verify con)" \
	"$(printf 'contoso.ckw\ncontoso.rehearsal')"
same "--dir completes to directories only" "$(complete_line run contoso.yaml --dir con)" \
	"$(printf 'contoso.ckw\ncontoso.rehearsal')"
faults=$(sed -n 's/^| `\([a-z-]*\)[`[].*/\1/p' "$CK_SRCDIR/doc/simulator.md" | sort -u)
got=$(complete_line rehearse contoso.yaml --fault "" | sed 's/=$//')
[ -n "$faults" ] && same "--fault completes to the simulator's faults (doc/simulator.md)" "$got" "$faults" \
	|| tap_not_ok "--fault completes to the simulator's faults" "no faults in doc/simulator.md"
got=$(complete_line rehearse contoso.yaml --fault "vault-name-taken,expir")
same "--fault completes the last of a comma-separated list" "$got" "vault-name-taken,expiring-key="
same "operator completes to its subcommands" "$(complete_line operator "")" \
	"$(printf 'enroll\nexport\nlist')"
tap_done
