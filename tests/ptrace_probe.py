#!/usr/bin/env python3
"""ptrace_probe.py CKWIZARD DIR: can a process of the same user read ckwizard's
memory? Starts two children of this process: a control (sleep, which keeps the
default of being dumpable) and ckwizard waiting for a passphrase on a pipe
(`operator enroll --passphrase-fd 0`, keys under DIR). Being their parent keeps
Yama's ptrace_scope 1 out of the way. For each: PTRACE_ATTACH, and opening
/proc/PID/mem; for ckwizard also its core size limit.

Prints what it saw. Exit 0: the control can be read and ckwizard cannot;
1: ckwizard can be read (or dumps core); 3: not even the control can be read
here (CAP_SYS_PTRACE missing is not the reason: Yama scope 2-3, a seccomp
filter...), so the check means nothing on this machine."""
import ctypes
import errno
import os
import subprocess
import sys
import time

PTRACE_ATTACH, PTRACE_DETACH = 16, 17
libc = ctypes.CDLL(None, use_errno=True)
libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
libc.ptrace.restype = ctypes.c_long


def state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def wait_sleeping(pid):
    # A bound, not a measurement: the child blocks in read() within moments.
    for _ in range(1000):
        if state(pid) == "S":
            return
        time.sleep(0.01)
    raise SystemExit(f"process {pid} never went to sleep")


def attach(pid):
    """'ok', or the errno name."""
    if libc.ptrace(PTRACE_ATTACH, pid, None, None) == 0:
        os.waitpid(pid, 0)
        libc.ptrace(PTRACE_DETACH, pid, None, None)
        return "ok"
    return errno.errorcode.get(ctypes.get_errno(), "?")


def mem(pid):
    try:
        with open(f"/proc/{pid}/mem", "rb"):
            return "ok"
    except OSError as e:
        return errno.errorcode.get(e.errno, "?")


def core_limit(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max core file size"):
                return line.split()[4:6]
    return ["?", "?"]


def main():
    ckw, keydir = sys.argv[1], sys.argv[2]
    try:
        with open("/proc/sys/kernel/yama/ptrace_scope") as f:
            print("yama ptrace_scope:", f.read().strip())
    except OSError:
        print("yama: not in this kernel")
    print("uid", os.getuid(), "euid", os.geteuid())
    control = subprocess.Popen(["sleep", "60"])
    rd, wr = os.pipe()
    target = subprocess.Popen([ckw, "operator", "enroll", "--name", "Probe", "--upn",
                               "probe@contoso.com", "--dir", keydir, "--passphrase-fd", "0"],
                              stdin=rd)
    os.close(rd)
    try:
        wait_sleeping(control.pid)
        wait_sleeping(target.pid)
        c_att, c_mem = attach(control.pid), mem(control.pid)
        t_att, t_mem = attach(target.pid), mem(target.pid)
        core = core_limit(target.pid)
        print(f"control: ptrace attach {c_att}, /proc/PID/mem {c_mem}")
        print(f"ckwizard: ptrace attach {t_att}, /proc/PID/mem {t_mem}, core limit {core}")
    finally:
        control.kill()
        target.kill()
        os.close(wr)
        control.wait()
        target.wait()
    if c_att != "ok" or c_mem != "ok":
        return 3
    if t_att == "ok" or t_mem == "ok" or core != ["0", "0"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
