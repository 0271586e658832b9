# tests/tap.sh: a small TAP library for the shell tests (sourced).
# Pins the environment the way tig's tests do, so results never depend on the
# machine: HOME, XDG dirs, TZ, locale, terminal size.
set -u
: "${CK_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CK_BUILDDIR:=$CK_SRCDIR}"
CKW="$CK_BUILDDIR/ckwizard"
PLANS="$CK_SRCDIR/plans"
TDATA="$CK_SRCDIR/tests"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ckw-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# A signal (Ctrl-C, a kill) ends a test through tap_interrupted: dash runs
# the EXIT trap (which removes $TMP and stops a test's fakes) on exit only,
# not when a signal ends the shell. First the private tmux servers whose
# sockets are in $TMP (tap_e2e_setup) are stopped: once $TMP is gone, nothing
# could reach them, and with remain-on-exit they would run for good.
tap_interrupted() {
	for s in "$TMP"/tmux-*/*; do
		[ -S "$s" ] && tmux -S "$s" kill-server 2>/dev/null
	done
	exit "$1"
}
trap 'tap_interrupted 129' HUP
trap 'tap_interrupted 130' INT
trap 'tap_interrupted 143' TERM
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8 COLUMNS=80 LINES=24
unset LANGUAGE NO_COLOR
mkdir -p "$HOME"

tap_n=0
tap_failed=0
tap_plan() { echo "1..$1"; }
tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
tap_not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	# every line of a diagnostic is a comment: a line of it that starts
	# with "ok" must not count as a test
	for line in "$@"; do printf '%s\n' "$line" | sed 's/^/# /'; done
}
# tap_check NAME COMMAND...: ok when the command succeeds.
tap_check() {
	name=$1; shift
	if out=$("$@" 2>&1); then tap_ok "$name"; else tap_not_ok "$name" "$out"; fi
}
# run_ck EXPECTED_EXIT OUTFILE ARGS...: run ckwizard, keep stdout+stderr.
run_ck() {
	want=$1 outf=$2; shift 2
	"$CKW" "$@" >"$outf" 2>&1
	got=$?
	[ "$got" -eq "$want" ]
}
# tap_e2e_setup: what every tmux end-to-end test does before its python
# driver: export what the drivers read (no __pycache__ in the source tree,
# read-only under distcheck), keep the private tmux servers' sockets in $TMP
# (removed with it) so that a test run from inside tmux never talks to the
# outer server, and fail plainly where tmux or python3 is missing.
tap_e2e_setup() {
	trap 'tap_exit_reaped' EXIT
	export CK_SRCDIR CKW PLANS TMP HOME PYTHONDONTWRITEBYTECODE=1
	export TMUX_TMPDIR="$TMP"
	unset TMUX TMUX_PANE
	if ! command -v tmux >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
		tap_not_ok "tmux and python3 are needed for the end-to-end tests (.ci/deps installs them)"
		tap_plan 1
		exit 1
	fi
}
# tap_exit_reaped [CMD]: the end-to-end tests' exit trap. Runs CMD (a
# test's own clean-up, such as stopping its fakes), then fails the test if
# any process it started is still there (tests/reap.py: a wizard left
# spinning after its tmux server was killed once went unnoticed), then
# removes $TMP. Keeps the test's own exit status otherwise.
tap_exit_reaped() {
	tap_st=$?
	[ $# -eq 0 ] || "$@"
	if ! python3 "$CK_SRCDIR/tests/reap.py" "HOME=$HOME"; then
		# A sanitizer build's wizard can hang for good in LeakSanitizer's
		# exit-time check once its terminal is gone (seen in CI's sanitizer
		# stage: doc/traps.md); reap.py has named and killed it. Only a
		# build without sanitizers fails the test for a leftover.
		nm -D "$CKW" 2>/dev/null | grep -q __asan_init || tap_st=1
	fi
	rm -rf "$TMP"
	exit $tap_st
}
# tap_check_without LIB: `check` on $PLAN gives the same report and exit
# status when LD_LIBRARY_PATH=$TMP/empty offers no usable LIB (a library
# opened on first use, which check never needs). Writes check.want and
# check.out in the current directory.
tap_check_without() {
	"$CKW" check "$PLAN" >check.want 2>&1
	tap_want=$?
	LD_LIBRARY_PATH="$TMP/empty" "$CKW" check "$PLAN" >check.out 2>&1
	tap_rc=$?
	if [ $tap_rc -eq $tap_want ] && cmp -s check.want check.out; then
		tap_ok "check needs no $1: the same report and exit"
	else
		tap_not_ok "check needs no $1: the same report and exit" \
			"exit $tap_rc: $(diff check.want check.out | head)"
	fi
}
# tap_wizard DIR [ENV...]: the wizard on plan.yaml (in the current
# directory), with ENV, its start screen dumped to DIR.dump, then quit; its
# session DIR.session, its output DIR.out, the loader's log $TMP/DIR.ld.*
tap_wizard() {
	tap_dir=$1
	shift
	printf '<Dump>' >keys
	env "$@" LD_DEBUG=files LD_DEBUG_OUTPUT="$TMP/$tap_dir.ld" "$CKW" rehearse plan.yaml \
		--dir "$tap_dir.session" --idle-lock 0 --ui-script keys --ui-dump "$tap_dir.dump" \
		>"$tap_dir.out" 2>&1
}
# tap_unusable_lib SONAME RC WHAT: two checks that the wizard, finding under
# SONAME first (LD_LIBRARY_PATH comes first, as for any library) a file
# that is no library at all ($TMP/empty), then a real library that is not
# WHAT (libcjson, in $TMP/other), stops with exit RC, says why, and creates
# no session.
tap_unusable_lib() {
	mkdir -p "$TMP/empty" "$TMP/other"
	: >"$TMP/empty/$1"
	cp "$(ldd "$CKW" | sed -n 's/.*libcjson[^ ]* => \([^ ]*\) .*/\1/p')" "$TMP/other/$1"
	for tap_d in empty other; do
		tap_wizard "$tap_d" LD_LIBRARY_PATH="$TMP/$tap_d"
		tap_rc=$?
		case $tap_d in
		empty) tap_want="cannot load $1" ;;
		other) tap_want="$1 has no " ;;
		esac
		if [ $tap_rc -eq "$2" ] && grep -q "$tap_want" "$tap_d.out" && [ ! -e "$tap_d.session" ]; then
			tap_ok "the wizard without a usable $3 ($tap_d) stops: $tap_want"
		else
			tap_not_ok "the wizard without a usable $3 ($tap_d) stops: $tap_want" \
				"exit $tap_rc; $(ls -d "$tap_d.session" 2>/dev/null) $(cat "$tap_d.out")"
		fi
	done
}
tap_done() { [ "$tap_failed" -eq 0 ]; exit $?; }
# tap_generated_part DOC "SUBCOMMAND --doc" WHAT: two test points: the
# generator runs, and the part of DOC between its "generated by `ckwizard
# SUBCOMMAND --doc`" marker and "end of generated part" equals its output.
# Leaves the generator's output in $TMP/doc for further checks.
tap_generated_part() {
	doc=$1 gen=$2 what=$3
	sed -n "/^<!-- generated by \`ckwizard $gen\`/,/^<!-- end of generated part -->/p" \
		"$doc" >"$TMP/part"
	# shellcheck disable=SC2086 # gen is "subcommand --doc", split on purpose
	if "$CKW" $gen >"$TMP/doc" 2>&1; then
		tap_ok "ckwizard $gen prints the $what"
	else
		tap_not_ok "ckwizard $gen prints the $what" "$(cat "$TMP/doc")"
	fi
	if diff -u "$TMP/part" "$TMP/doc" >"$TMP/diff"; then
		tap_ok "${doc#"$CK_SRCDIR"/} is up to date with the $what"
	else
		tap_not_ok "${doc#"$CK_SRCDIR"/} is up to date with the $what" \
			"run: ckwizard $gen, and replace the generated part" "$(head -40 "$TMP/diff")"
	fi
}

# tap_not_linked LIB: one check that $CKW does not link LIB (readelf's NEEDED
# entries): ckwizard opens it on first use instead.
# A binary readelf cannot read, or one with no NEEDED entry at all (every
# dynamic executable needs libc), fails: no list is no proof.
tap_not_linked() {
	needed=$(readelf -d "$CKW" 2>&1 | grep NEEDED)
	if ! printf '%s\n' "$needed" | grep -q 'libc\.so'; then
		tap_not_ok "ckwizard does not link $1" "readelf -d $CKW lists no libc:" \
			"$(readelf -d "$CKW" 2>&1 | head -5)"
	elif printf '%s\n' "$needed" | grep -q "$1"; then
		tap_not_ok "ckwizard does not link $1" "$needed"
	else
		tap_ok "ckwizard does not link $1"
	fi
}
