"""No process a test started may outlive it (tests/tap.sh, tap_reap).

Every process a shell test starts inherits HOME=$TMP/home (tests/tap.sh
exports it before anything runs), so the marker finds them all, including
ones reparented to init after their tmux server was killed. Each is given
time to end on its own (a sanitizer build's exit runs the leak check and can
take seconds on a loaded machine); whatever is still there after that is
killed and named, and the exit status is 1 so that the test fails.

usage: reap.py MARKER [GRACE_SECONDS]     (CK_REAP_GRACE overrides GRACE)
Standard library only."""

import os
import signal
import sys
import time


def tracer(pid):
    """ ' (traced by PID...)' where a process is being traced: LeakSanitizer
    checks for leaks at exit from a tracer it starts as its own child."""
    try:
        with open("/proc/%s/status" % pid) as f:
            st = dict(line.split(":", 1) for line in f if ":" in line)
        t = st.get("TracerPid", "0").strip()
        if t == "0":
            return ""
        with open("/proc/%s/status" % t) as f:
            parent = [line.split(":", 1)[1].strip() for line in f if line.startswith("PPid:")]
        mine = parent and parent[0] == str(pid)
        return " (traced by %s%s)" % (t, ", its own child: a sanitizer's exit-time check" if mine else "")
    except OSError:
        return ""


def marked(marker):
    """{pid: description} of the live processes whose environment holds the
    marker, this one and its parent (the test shell) left out."""
    skip = {os.getpid(), os.getppid()}
    want = marker.encode()
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in skip:
            continue
        try:
            with open("/proc/%s/environ" % name, "rb") as f:
                env = f.read().split(b"\0")
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read()
            with open("/proc/%s/cmdline" % name, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").strip()
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if want not in env:
            continue
        # state is the field after the parenthesised command name; a
        # zombie has ended and only waits for its parent.
        state = stat[stat.rfind(b")") + 2:][:1]
        if state == b"Z":
            continue
        found[int(name)] = cmd.decode("utf-8", "replace")[:200] + tracer(name)
    return found


def main():
    if len(sys.argv) < 2 or not sys.argv[1]:
        sys.stderr.write("usage: reap.py MARKER [GRACE_SECONDS]\n")
        return 2
    marker = sys.argv[1]
    grace = float(os.environ.get("CK_REAP_GRACE") or (sys.argv[2] if len(sys.argv) > 2 else 60))
    deadline = time.monotonic() + grace
    left = marked(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = marked(marker)
    if not left:
        return 0
    for pid, cmd in sorted(left.items()):
        print("# leftover process %d, still running %g s after the test ended, "
              "killed: %s" % (pid, grace, cmd))
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    sys.stdout.flush()
    return 1


if __name__ == "__main__":
    sys.exit(main())
