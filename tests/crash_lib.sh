# crash_lib.sh: the helpers tests/crash_boundaries.sh and tests/crash_writers.sh
# share, sourced after tests/tap.sh: the LD_PRELOAD library
# (tests/crashshim.c) around a command, the boundaries it logged, and whether
# a failure was told with the error's text and what to do.
SHIM="$CK_BUILDDIR/tests/crashshim.so"
# The library goes before the sanitizer's runtime in the sanitizer build.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# shim AT MODE LOG CMD...: run CMD with the library (env: the kill reaches CMD)
shim() {
	at=$1 mode=$2 log=$3
	shift 3
	env CKW_SHIM_AT="$at" CKW_SHIM_MODE="$mode" CKW_SHIM_LOG="$log" LD_PRELOAD="$SHIM" "$@"
}
lines() { [ -f "$1" ] && tr -dc '\n' <"$1" | wc -c || echo 0; }
# before LOG N REGEX: how many boundaries before N match REGEX ("op file")
before() { awk -v n="$2" -v re="$3" '$1 < n && ($2 " " $3) ~ re { c++ } END { print c + 0 }' "$1"; }
# op LOG N: the boundary N as "op file-name" (a hidden temporary's suffix as .XXXXXX)
op() { awk -v n="$2" '$1 == n { f = $3; sub(/.*\//, "", f); if (f ~ /^\./) sub(/\.[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]$/, ".XXXXXX", f); sub(/ckw-new\.[A-Za-z0-9]*/, "ckw-new.XXXXXX", f); print $2, f }' "$1"; }
errtext() { [ "$1" = ENOSPC ] && echo "No space left on device" || echo "Input/output error"; }
# told FILES...: the error's text and what to do, in one of the files
WHAT_TO_DO='asks for one at the first unlock|again|free disk space|fix the device|check the disk|remove .* yourself|run .* later'
told() {
	python3 - "$ERRTEXT" "$WHAT_TO_DO" "$@" <<'PY'
import re, sys
err, todo, files = sys.argv[1], sys.argv[2], sys.argv[3:]
texts = []
for f in files:
    try:
        lines = open(f, encoding="utf-8", errors="replace").read().split("\n")
    except OSError:
        continue
    # a dialog on a dumped screen: the text between its borders, rejoined
    texts.append(" ".join(l.split("\u2502")[1] if l.count("\u2502") >= 2 else l for l in lines))
text = re.sub(r"\s+", " ", " ".join(texts))
sys.exit(0 if re.search(re.escape(err) + ".{0,300}(" + todo + ")", text, re.I) else 1)
PY
}
# tally "; A; B; A": each distinct item with its count ("A x2, B x1")
tally() { echo "${1#; }" | tr ';' '\n' | sed 's/^ *//; /^$/d' | sort | uniq -c | awk '{ c = $1; $1 = ""; printf "%s%s x%d", s, substr($0, 2), c; s = ", " }'; }
# summary LOG: each "op file" with its count; a hidden temporary's random
# suffix (six characters, spelt out: mawk has no {6}) as ".tmp"
summary() { awk '{ f = $3; sub(/.*\//, "", f); sub(/ckw-new\.[A-Za-z0-9]*/, "ckw-new", f); if (f ~ /^\./) sub(/\.[A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9][A-Za-z0-9]$/, ".tmp", f); c[$2 " " f]++ } END { for (k in c) printf "%s x%d, ", k, c[k] }' "$1" | sed 's/, $//' | tr ',' '\n' | sed 's/^ *//' | sort | paste -sd, - | sed 's/,/, /g'; }
# stopped_as_asked RC LOG K D: a run of D stopped at boundary K of LOG in
# $mode ended as it should: killed by a kill, not crashed by an error (no
# signal, no sanitizer report in D.out). Else the reason goes into $bad and
# the status is 1 (the caller goes on to the next boundary).
stopped_as_asked() {
	if [ "$mode" = kill ]; then
		[ "$1" -eq 137 ] && return 0
		bad="$bad $4(not killed at $(op "$2" "$3"): exit $1)"
	else
		[ "$1" -lt 128 ] && ! grep -q Sanitizer "$4.out" && return 0
		bad="$bad $4(crashed at $(op "$2" "$3"): exit $1)"
	fi
	return 1
}
