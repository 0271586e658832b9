#!/bin/sh
# l10n_completion_zsh.sh: completion/_ckwizard is what `ckwizard help --zsh`
# makes from the command, option and fault tables (the ones bash completion
# is made from), zsh reads it, and for each command it hands zsh's
# _arguments exactly the options `help COMMAND` lists, with the values each
# takes. zsh's completion builtins are stubbed to print what they are given
# (tests/l10n/zsh_stubs.zsh): what is checked is the function's dispatch and
# its specs, not zsh's own matching. To update after changing src/cli.c or
# the fault table: ckwizard help --zsh >completion/_ckwizard
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 7
comp="$CK_SRCDIR/completion/_ckwizard"
if "$CKW" help --zsh >"$TMP/gen" 2>&1 && diff -u "$comp" "$TMP/gen" >"$TMP/diff"; then
	tap_ok "completion/_ckwizard is up to date with the tables"
else
	tap_not_ok "completion/_ckwizard is up to date with the tables" \
		"run: ckwizard help --zsh >completion/_ckwizard" "$(head -30 "$TMP/diff")"
fi
if ! command -v zsh >/dev/null 2>&1; then
	tap_not_ok "zsh is installed (.ci/deps installs it)"
	for i in 3 4 5 6 7; do tap_not_ok "zsh is needed"; done
	exit 1
fi
if zsh -n "$comp" 2>"$TMP/err"; then tap_ok "zsh parses completion/_ckwizard"
else tap_not_ok "zsh parses completion/_ckwizard" "$(cat "$TMP/err")"; fi
# zcomp WORD...: what the function hands zsh for "ckwizard WORD...", the
# cursor on the last word.
zcomp() {
	# Sourced as zsh autoloads it: the file defines the functions and runs
	# _ckwizard once.
	zsh -f -c '. "$1"; f=$2; shift 2; words=(ckwizard "$@"); CURRENT=$#words; . "$f"' \
		zcomp "$CK_SRCDIR/tests/l10n/zsh_stubs.zsh" "$comp" "$@" 2>&1
}
cmds=$("$CKW" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' | sort)
got=$(zcomp "" | sed -n 's/^describe \([a-z]*\):.*/\1/p' | sort)
if [ -n "$cmds" ] && [ "$got" = "$cmds" ]; then tap_ok "the first word offers every command of --help"
else tap_not_ok "the first word offers every command of --help" "got: $(echo $got)" "want: $(echo $cmds)"; fi
bad=""
for c in $cmds; do
	got=$(zcomp "$c" "--" | sed -n "s/^arg '\(--[a-zA-Z-]*\)=*\[.*/\1/p" | grep -vx -- --help | sort)
	want=$("$CKW" help "$c" | sed -n 's/^  \(-[a-z], \)\{0,1\}\(--[a-zA-Z-]*\).*/\2/p' | sort)
	[ -n "$want" ] && [ "$got" = "$want" ] || bad="$bad $c (got: $(echo $got); want: $(echo $want))"
done
[ -z "$bad" ] && tap_ok "each command's options are what help COMMAND lists" \
	|| tap_not_ok "each command's options are what help COMMAND lists" "$bad"
got=$(zcomp report x.jsonl --format "" | grep "^arg '--format=")
case $got in *":format:(md html json)'") tap_ok "report --format takes md, html or json" ;;
*) tap_not_ok "report --format takes md, html or json" "$got" ;; esac
got=$(zcomp check "" | grep "^arg '1:")
case $got in *'_files -g "*.yaml(-.)"'"'") tap_ok "a PLAN completes to *.yaml files" ;;
*) tap_not_ok "a PLAN completes to *.yaml files" "$got" ;; esac
faults=$(sed -n 's/^| `\([a-z-]*\)[`[].*/\1/p' "$CK_SRCDIR/doc/simulator.md" | sort -u)
zsh -f -c '. "$1"; words=(ckwizard); CURRENT=1; . "$2" >/dev/null; PREFIX="vault-name-taken=x,exp"; _ckwizard_faults' zf \
	"$CK_SRCDIR/tests/l10n/zsh_stubs.zsh" "$comp" >"$TMP/faults"
got=$(sed -n 's/^add //p' "$TMP/faults" | tr ' ' '\n' | sed 's/=$//' | sort)
if [ -n "$faults" ] && [ "$got" = "$faults" ] && grep -qx 'prefix exp' "$TMP/faults"; then
	tap_ok "--fault offers the simulator's faults (doc/simulator.md), after a comma too"
else
	tap_not_ok "--fault offers the simulator's faults" "got: $(echo $got)" "want: $(echo $faults)" \
		"$(grep prefix "$TMP/faults")"
fi
tap_done
