/* passphrase.c: reading a passphrase with no echo from the terminal, or one
 * line from a descriptor (--passphrase-fd, for scripts and tests). Never from
 * argv or the environment: both are visible to other local users (ps,
 * /proc/PID/environ) and end up in shell histories. */
#include "ck.h"
#include "keys.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define KEYS_PASS_MAX 1024

/* Read bytes one at a time up to a newline, so nothing after the line is
 * consumed from a shared descriptor. Returns the length, or -1 (EOF before
 * anything, error, or too long: *why says which). */
static long keys_read_line(int fd, char *buf, size_t cap, const char **why)
{
	size_t n = 0;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*why = strerror(errno);
			return -1;
		}
		if (r == 0) {
			if (n == 0) {
				*why = _("no passphrase was given (end of input)");
				return -1;
			}
			break;
		}
		if (c == '\n')
			break;
		if (c == '\0') {
			/* it would end the passphrase there: "abc\0def" unlocks as "abc" */
			*why = _("the passphrase holds a NUL byte, which would cut it short");
			return -1;
		}
		if (n + 1 >= cap) {
			*why = _("the passphrase is too long (1023 bytes at most)");
			return -1;
		}
		buf[n++] = c;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return (long)n;
}

/* On a terminal (/dev/tty, or fd when that is one): prompt, echo off. */
static char *keys_read_tty(const char *prompt, int fd, char *buf, char **err)
{
	int tty = fd >= 0 ? fd : open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (tty < 0) {
		*err = xstrdup(_("no terminal to read the passphrase from: use --passphrase-fd N"));
		return NULL;
	}
	struct termios old, noecho;
	if (tcgetattr(tty, &old) != 0) {
		if (tty != fd)
			close(tty);
		*err = xstrdup(_("cannot turn off echo on the terminal: use --passphrase-fd N"));
		return NULL;
	}
	/* Hold back every signal that would end or stop the process (Ctrl-C,
	 * Ctrl-Z, Ctrl-\, kill, SIGHUP, SIGPIPE, timers...) while echo is off, so
	 * the terminal is never left silent; they take effect once echo is back.
	 * Faults the process raises itself cannot wait. */
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT };
	sigset_t block, saved;
	sigfillset(&block);
	for (size_t i = 0; i < CK_ARRAY_LEN(faults); i++)
		sigdelset(&block, faults[i]);
	sigprocmask(SIG_BLOCK, &block, &saved);
	noecho = old;
	noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	noecho.c_lflag |= ICANON;
	int ok = tcsetattr(tty, TCSAFLUSH, &noecho) == 0;
	const char *why = NULL;
	long n = -1;
	if (ok) {
		(void)!write(tty, prompt, strlen(prompt));
		n = keys_read_line(tty, buf, KEYS_PASS_MAX, &why);
		(void)!write(tty, "\n", 1);
		tcsetattr(tty, TCSAFLUSH, &old);
	}
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (tty != fd)
		close(tty);
	if (!ok) {
		*err = xstrdup(_("cannot turn off echo on the terminal: use --passphrase-fd N"));
		return NULL;
	}
	if (n < 0) {
		*err = xstrdup(why);
		return NULL;
	}
	return buf;
}

char *keys_read_passphrase(const char *prompt, int fd, char **err)
{
	char *buf = xmalloc(KEYS_PASS_MAX);
	char *got;
	if (fd >= 0 && isatty(fd)) {
		/* --passphrase-fd 0 typed by hand: still no echo */
		got = keys_read_tty(prompt, fd, buf, err);
	} else if (fd >= 0) {
		const char *why = NULL;
		long n = keys_read_line(fd, buf, KEYS_PASS_MAX, &why);
		if (n < 0) {
			*err = xasprintf(_("cannot read the passphrase from descriptor %d: %s"), fd, why);
			got = NULL;
		} else {
			got = buf;
		}
	} else {
		got = keys_read_tty(prompt, -1, buf, err);
	}
	if (!got) {
		util_wipe(buf, KEYS_PASS_MAX);
		free(buf);
	}
	return got;
}
