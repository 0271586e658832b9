"""The driver's own promise, checked against the tmux it runs on: once
Tmux.wait_tty_size returns, the pane's terminal keeps that size. Prints TAP.

tmux queues a burst of resizes behind a timer (doc/traps.md); a burst that
comes back to the size it reached first shows that size at once and leaves
it again later. Every resize storm of the end-to-end tests judges the screen
after this wait: were the promise broken, a storm would judge the wizard
while it draws for a size the terminal is about to leave.

Environment (set by tests/e2e_tmux_resize_queue.sh through tests/tap.sh):
TMP (the private tmux servers' sockets are there).
"""

import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tmuxdrv  # noqa: E402

HOME = (100, 30)
# Each burst starts at HOME with tmux's timer idle: its first resize goes
# out at once, the rest wait. The first two end where they were first sent.
BURSTS = [
    [(40, 10), (200, 50), (40, 10)],
    [(80, 24), (40, 10), (200, 50), (80, 24)],
    [(40, 10), (200, 50), (80, 24)],
]
IDLE = 0.3  # past tmux's timer: the next burst's first resize goes out at once
WATCH = 1.0  # seconds the size is watched after the wait returned

tap = tmuxdrv.Tap()
t = tmuxdrv.Tmux("queue")
try:
    t.start(["sleep", "600"], width=HOME[0], height=HOME[1])
    t.wait_tty_size(HOME[1], HOME[0])
    time.sleep(IDLE)
    for burst in BURSTS:
        for cols, rows in burst:
            t.resize(cols, rows)
        end = burst[-1]
        t.wait_tty_size(end[1], end[0])
        seen = []
        until = time.monotonic() + WATCH
        while time.monotonic() < until:
            size = t.tty_size()
            if size != (end[1], end[0]) and size not in seen:
                seen.append(size)
        tap.ok(not seen, "resizes %s: the terminal stays %dx%d once the driver's wait returns"
               % (burst, end[0], end[1]),
               "then it was %s" % ", ".join("%dx%d" % (c, r) for r, c in seen))
        t.resize(*HOME)
        t.wait_tty_size(HOME[1], HOME[0])
        time.sleep(IDLE)
finally:
    t.kill()
sys.exit(tap.done())
