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
	for line in "$@"; do printf '# %s\n' "$line"; done
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
tap_done() { [ "$tap_failed" -eq 0 ]; exit $?; }
