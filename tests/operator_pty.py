"""operator_pty.py CKW ANSWER1 ANSWER2 UPN [fd0]: run `ckwizard operator enroll`
on a pseudo-terminal and type ANSWER1/ANSWER2 at its two passphrase prompts
(with fd0: `--passphrase-fd 0`, which asks once, still without echo).

It waits for each prompt before typing (echo is off by then), so nothing
depends on timing. Prints what the terminal showed; exits with ckwizard's
status. Standard library only."""
import os
import pty
import select
import sys

ckw, answers, upn = sys.argv[1], sys.argv[2:4], sys.argv[4]
fd0 = sys.argv[5:] == ["fd0"]
pid, fd = pty.fork()
if pid == 0:
    os.execv(ckw, [ckw, "operator", "enroll", "--name", "Tia", "--upn", upn]
             + (["--passphrase-fd", "0"] if fd0 else []))
out = b""
prompts = [b"New passphrase"] + ([] if fd0 else [b"again: "])
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
        os.write(fd, answers.pop(0).encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
