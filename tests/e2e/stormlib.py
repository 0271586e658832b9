"""stormlib: resize storms on whatever screen a tmux-driven wizard shows.

Used by tests/e2e/storms.py (the screens of a rehearsal's first sitting) and,
with CK_LATE_STORMS set, by tests/e2e/rehearsal.py (the wait screen, the end
screen) and tests/e2e/two_terminals.py (the co-signing request on the other
terminal), whose walks are the only ones that reach those screens.

A storm is a run of resizes at random (a seeded generator: the caller prints
the seed) ending at a given size. Once the terminal has its last size and the
screen has stopped changing, the screen as the storm left it must equal a
clean draw at that size (Ctrl-L: the whole screen drawn again from the
state), with the header's REHEARSAL at the right edge or, below 80x24, the
request to enlarge naming the size. Standard library only.
"""

import os
import random
import re

import tmuxdrv

SIZES = [(40, 10), (80, 24), (200, 50)]
HOME_SIZE = (100, 30)


def whole(screen, cols, rows):
    """The screen is drawn for cols x rows: the header's REHEARSAL ends at
    the last column, or (too small) the request to enlarge names the size."""
    if cols < 80 or rows < 24:
        return re.search(r"enlarge[\s\S]*\(it is %dx%d now\)" % (cols, rows), screen) is not None
    first = screen.splitlines()[0] if screen else ""
    # REHEARSAL ends one column short of the edge (the last column is
    # left free: a terminal may scroll when it is written)
    return first.rstrip().endswith("REHEARSAL") and len(first.rstrip()) in (cols - 1, cols)


def steady(screen):
    """The screen without what the clock changes: a minute turning between
    two looks is not a redraw defect."""
    screen = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "<time>", screen)
    return re.sub(r"\(\d+ hours? from now\)", "(<n> hours from now)", screen)


class Stormer:
    """tap: a tmuxdrv.Tap; rng: a random.Random; ends: the sizes storms end
    at; length: resizes a storm. figures maps (screen, LANG) to [storms,
    redrawn whole]."""

    def __init__(self, tap, rng, ends, length, home=HOME_SIZE):
        self.tap, self.rng, self.ends, self.length, self.home = tap, rng, ends, length, home
        self.figures = {}

    def storm(self, t, name, lang, end, still=None):
        """One storm; False (not counted) where still, a pattern of the
        screen stormed, no longer matches the clean draw: another terminal
        moved this one on meanwhile (resizes and keys hold off the tick on
        which it follows the journal)."""
        sizes = [self.rng.choice(SIZES + [self.home]) for _ in range(self.length - 1)] + [end]
        for cols, rows in sizes:
            t.resize(cols, rows)
        t.wait_tty_size(end[1], end[0])
        # the wizard has drawn for the last size (bounded wait), then nothing
        # moves any more: that is the screen the storm left
        tmuxdrv.poll_until(lambda: whole(t.capture(), end[0], end[1]))
        left = t.settle()
        t.keys("C-l")
        clean = t.settle()
        small = end[0] < 80 or end[1] < 24  # the request to enlarge shows instead
        if still and not small and not re.search(still, clean):
            print("# %s, LANG=%s: the screen moved on during a storm ending at %dx%d "
                  "(the other terminal): not counted" % (name, lang, end[0], end[1]), flush=True)
            t.resize(*self.home)
            t.wait_tty_size(self.home[1], self.home[0])
            return False
        ok = steady(left) == steady(clean) and whole(clean, end[0], end[1])
        st = self.figures.setdefault((name, lang), [0, 0])
        st[0] += 1
        st[1] += ok
        self.tap.ok(ok, "%s, LANG=%s: a storm of %d resizes ending at %dx%d: redrawn whole" % (
            name, lang, len(sizes), end[0], end[1]),
            "sizes %s\n-- as left --\n%s\n-- clean draw --\n%s" % (sizes, left, clean))
        # back to the working size, the screen as it was
        t.resize(*self.home)
        t.wait_tty_size(self.home[1], self.home[0])
        t.settle()
        return True

    def storms(self, t, name, lang, back_pattern, others_move=False):
        """A storm ending at each end size, then one alternating fast
        between the smallest and the largest; back_pattern must show again.
        others_move: another terminal may end this screen meanwhile; the
        storms then stop there, and whatever shows is left to the caller."""
        still = back_pattern if others_move else None
        for end in self.ends:
            if not self.storm(t, name, lang, end, still):
                return
        for cols, rows in [(40, 10), (200, 50)] * (self.length // 2):
            t.resize(cols, rows)
        if self.storm(t, name + " (alternating)", lang, self.home, still):
            t.wait_for(back_pattern)

    def print_figures(self):
        print("# | Screen | LANG | Storms | Redrawn whole |")
        print("# |---|---|---|---|")
        for (name, lang), (n, ok) in self.figures.items():
            print("# | %s | %s | %d | %d |" % (name, lang, n, ok))


def from_env(tap, env_name="CK_LATE_STORMS"):
    """A Stormer when env_name is set ("full": every end size, 12 resizes a
    storm; anything else: 40x10 and 80x24, 6 resizes), else None. Prints the
    seed (CK_STORM_SEED repeats a run)."""
    mode = os.environ.get(env_name)
    if not mode:
        return None
    seed = int(os.environ.get("CK_STORM_SEED") or random.SystemRandom().randrange(1 << 30))
    print("# storm seed %d (CK_STORM_SEED=%d repeats this run)" % (seed, seed), flush=True)
    full = mode == "full"
    return Stormer(tap, random.Random(seed), SIZES if full else [(40, 10), (80, 24)],
                   12 if full else 6)
