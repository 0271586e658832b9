#!/bin/sh
# dumpable.sh: a process of the same user can neither ptrace ckwizard nor read
# its /proc/PID/mem, and ckwizard dumps no core, while a control process of
# that user can be read (tests/ptrace_probe.py). Root's CAP_SYS_PTRACE would
# make the check pass whatever ckwizard does, so as root it runs the probe as
# nobody (setpriv), from a directory nobody can read.
. "${CK_SRCDIR:-$(dirname "$0")/..}/tests/tap.sh"
tap_plan 1
name="a same-user process cannot read ckwizard's memory (not dumpable, no core)"

if [ "$(id -u)" -eq 0 ]; then
	if ! command -v setpriv >/dev/null; then
		echo "ok 1 # SKIP $name: running as root without setpriv (util-linux)"
		exit 0
	fi
	# mktemp's 0700 directory would shut nobody out
	PUB=$(mktemp -d /tmp/ckw-dumpable.XXXXXX)
	trap 'rm -rf "$TMP" "$PUB"' EXIT
	chmod 755 "$PUB"
	cp "$CKW" "$TDATA/ptrace_probe.py" "$PUB/"
	chmod 755 "$PUB/ckwizard" "$PUB/ptrace_probe.py"
	mkdir "$PUB/keys" && chown 65534:65534 "$PUB/keys"
	# the system's python: a per-user one (pyenv) is out of nobody's reach
	py=/usr/bin/python3
	[ -x "$py" ] || py=$(command -v python3)
	run() { (cd "$PUB" && HOME="$PUB" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$py" "$PUB/ptrace_probe.py" "$PUB/ckwizard" "$PUB/keys"); }
else
	run() { python3 "$TDATA/ptrace_probe.py" "$CKW" "$TMP/keys"; }
fi
run >"$TMP/probe.out" 2>&1
rc=$?
case $rc in
0) tap_ok "$name" ;;
3) echo "ok 1 # SKIP $name: even the control process cannot be traced here"
   sed 's/^/# /' "$TMP/probe.out" ;;
*) tap_not_ok "$name" "$(cat "$TMP/probe.out")" ;;
esac
tap_done
