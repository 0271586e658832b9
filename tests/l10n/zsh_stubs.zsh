# zsh_stubs.zsh: zsh's completion builtins and functions, as stubs that
# print what the completion function hands them (tests/l10n_completion_zsh.sh).
_describe() { local a; for a in ${(P)${@[-1]}}; do print -r -- "describe $a"; done; }
_arguments() { local a; for a in "$@"; do [[ $a == -s ]] || print -r -- "arg '$a'"; done; }
compadd() {
	local -a a; local arr=""
	while (( $# )); do
		case $1 in -a) arr=$2; shift 2 ;; -S|-P|-J|-X) shift 2 ;; --) shift; break ;; -*) shift ;; *) break ;; esac
	done
	[[ -n $arr ]] && a=(${(P)arr}) || a=("$@")
	print -r -- "add ${a[*]}"
	print -r -- "prefix $PREFIX"
}
compset() { [[ $1 == -P ]] && PREFIX=${PREFIX##$~2}; return 0; }
_files() { print -r -- "files $*"; }
