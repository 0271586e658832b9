"""operator_pty.py CKW ANSWER1 ANSWER2 UPN [fd0|SIGNAL]: run `ckwizard operator
enroll` on a pseudo-terminal and type ANSWER1/ANSWER2 at its two passphrase
prompts, then 4826 at both signing PIN prompts (with fd0: `--passphrase-fd
0`, which asks once, still without echo, and no PIN).
With a signal name (SIGTERM, ...): send it once the first prompt is up (echo
off), then type the answer; the terminal must have its echo back when the
process is gone. Prints "echo on" or "echo off" last; exits 0 only when the
signal ended the process and echo is on.

It waits for each prompt before typing (echo is off by then), so nothing
depends on timing. Prints what the terminal showed; exits with ckwizard's
status. Standard library only."""
import os
import pty
import select
import signal
import sys
import termios

ckw, answers, upn = sys.argv[1], sys.argv[2:4], sys.argv[4]
fd0 = sys.argv[5:] == ["fd0"]
sig = getattr(signal, sys.argv[5]) if sys.argv[5:] and sys.argv[5].startswith("SIG") else None
pid, fd = pty.fork()
if pid == 0:
    os.execv(ckw, [ckw, "operator", "enroll", "--name", "Tia", "--upn", upn]
             + (["--passphrase-fd", "0"] if fd0 else []))
out = b""
prompts = [b"New passphrase"] + ([] if fd0 else [b"again: "])
# On a terminal the signing PIN follows, asked twice too (4826 both times).
if not fd0 and not sig:
    prompts += [b"Signing PIN", b"PIN again: "]
    answers += ["4826", "4826"]
while True:
    ready, _, _ = select.select([fd], [], [], 30)
    if not ready:  # a guard against hanging, not a timing assertion
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    out += chunk
    if prompts and prompts[0] in out:
        prompts.pop(0)
        if sig:
            os.kill(pid, sig)
        try:
            os.write(fd, answers.pop(0).encode() + b"\n")
        except OSError:  # the child is gone already
            pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
if sig:
    echo = termios.tcgetattr(fd)[3] & termios.ECHO
    print("\necho on" if echo else "\necho off")
    sys.exit(0 if echo and os.WIFSIGNALED(status) and os.WTERMSIG(status) == sig else 1)
sys.exit(os.waitstatus_to_exitcode(status))
