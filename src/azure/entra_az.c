/* entra_az.c: a token from the Azure CLI's own sign-in. The program is run
 * directly (no shell), its answer read from a pipe into secret memory; the
 * operator signs in with `az login` beforehand, one configuration directory
 * per operator when both share a machine (--az-config-A/B).
 *
 * Its standard error is read too, not inherited: the wizard's screen is a
 * curses screen that az's warnings would write over, and az's own last line
 * ("Please run 'az login'...") is what the operator needs in the message. A
 * run is bounded: an az waiting on a network, or on a prompt it cannot show
 * (its input is /dev/null), is killed after as long as a request's attempts
 * may take, so a sign-in never hangs. */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/entra_int.h"
#include "secret.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define AZ_MAX_OUTPUT (256 * 1024)
#define AZ_MAX_STDERR 4096
#define AZ_MIN_LIMIT 30 /* seconds: az itself starts slowly */

enum az_end { AZ_EXITED, AZ_SIGNALLED, AZ_TIMED_OUT, AZ_TOO_LONG };

struct az_run {
	enum az_end end;
	int code;             /* exit status, or the signal */
	char *out;            /* secret memory, cap bytes */
	size_t cap, len;
	char err[AZ_MAX_STDERR];
	size_t elen;
};

static double az_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what fd has into dst (at most cap-1 bytes kept); false at its end. */
static bool az_drain(int fd, char *dst, size_t cap, size_t *len, bool *full)
{
	char sink[512];
	ssize_t n;
	if (*len < cap - 1)
		n = read(fd, dst + *len, cap - 1 - *len);
	else
		n = read(fd, sink, sizeof sink);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	if (*len < cap - 1) {
		*len += (size_t)n;
		if (*len >= cap - 1)
			*full = true;
	}
	dst[*len] = '\0';
	return true;
}

/* Runs argv, its output into r; returns -1 with errno when it could not run. */
static int az_run(char *const argv[], const char *config_dir, long limit, struct az_run *r)
{
	int out[2], err[2];
	if (pipe2(out, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(err, O_CLOEXEC) != 0) {
		close(out[0]);
		close(out[1]);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (config_dir)
			setenv("AZURE_CONFIG_DIR", config_dir, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	r->out[0] = '\0';
	r->err[0] = '\0';
	r->end = AZ_EXITED;
	double deadline = az_clock() + (double)limit;
	struct pollfd pf[2] = { { out[0], POLLIN, 0 }, { err[0], POLLIN, 0 } };
	bool full = false, efull = false;
	while (pf[0].fd >= 0 || pf[1].fd >= 0) {
		double left = deadline - az_clock();
		if (left <= 0) {
			r->end = AZ_TIMED_OUT;
			break;
		}
		int n = poll(pf, 2, (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !pf[i].revents)
				continue;
			bool more = i == 0 ? az_drain(pf[i].fd, r->out, r->cap, &r->len, &full)
					   : az_drain(pf[i].fd, r->err, sizeof r->err, &r->elen, &efull);
			if (!more) {
				close(pf[i].fd);
				pf[i].fd = -1;
			}
		}
		if (full) {
			r->end = AZ_TOO_LONG;
			break;
		}
	}
	for (int i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	if (r->end != AZ_EXITED)
		kill(pid, SIGKILL);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (r->end == AZ_EXITED && WIFSIGNALED(st)) {
		r->end = AZ_SIGNALLED;
		r->code = WTERMSIG(st);
	} else if (r->end == AZ_EXITED) {
		r->code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	}
	return 0;
}

/* az's error line on standard error (its first "ERROR:" line, else its
 * last line), made visible, for a message: "" when none. A line that could
 * carry a token (a JWT begins "eyJ") is not shown. */
static char *az_last_words(const struct az_run *r)
{
	char buf[AZ_MAX_STDERR];
	memcpy(buf, r->err, r->elen + 1);
	char *line = NULL, *save = NULL;
	for (char *l = strtok_r(buf, "\r\n", &save); l; l = strtok_r(NULL, "\r\n", &save)) {
		if (!line || strncmp(line, "ERROR", 5) != 0)
			line = l;
	}
	if (!line || !*line)
		return xstrdup("");
	if (strstr(line, "eyJ"))
		return xstrdup(_(" (its message is not shown: it may hold a token)"));
	if (strlen(line) > 200)
		line[200] = '\0';
	char *v = text_visible_line(line);
	char *out = xasprintf(" (\"%s\")", v);
	free(v);
	return out;
}

static long az_limit(const struct az_cred *c)
{
	long attempts = c->http->max_attempts > 0 ? c->http->max_attempts : 1;
	long limit = c->http->timeout * attempts;
	return limit < AZ_MIN_LIMIT ? AZ_MIN_LIMIT : limit;
}

int entra_az_token(struct az_cred *c, enum az_resource r, char **err)
{
	const char *prog = c->az_program ? c->az_program : "az";
	const char *args[] = { prog, "account", "get-access-token", "--resource",
			       c->http->ep->resource[r], "--tenant", c->tenant, "--output", "json" };
	char *argv[CK_ARRAY_LEN(args) + 1];
	for (size_t i = 0; i < CK_ARRAY_LEN(args); i++)
		argv[i] = xstrdup(args[i]);
	argv[CK_ARRAY_LEN(args)] = NULL;
	struct az_run run;
	memset(&run, 0, sizeof run);
	run.cap = AZ_MAX_OUTPUT;
	run.out = secret_alloc(run.cap);
	long limit = az_limit(c);
	int st = az_run(argv, c->az_config, limit, &run);
	int side = ck_side_letter(c->side);
	char *said = st == 0 ? az_last_words(&run) : xstrdup("");
	int rc = -1;
	if (st < 0) {
		*err = xasprintf(_("side %c: could not run %s (%s): install the Azure CLI or use "
				   "--sign-in device"), side, prog, strerror(errno));
	} else if (run.end == AZ_TIMED_OUT) {
		*err = xasprintf(_("side %c: '%s account get-access-token' gave no answer in %ld "
				   "seconds and was stopped%s: check the network and that '%s login' "
				   "works, then run again"), side, prog, limit, said, prog);
	} else if (run.end == AZ_TOO_LONG) {
		*err = xasprintf(_("side %c: %s printed more than expected and was stopped: check "
				   "that '%s' is the Azure CLI, or use --sign-in device"), side, prog,
				 prog);
	} else if (run.end == AZ_SIGNALLED) {
		*err = xasprintf(_("side %c: '%s account get-access-token' was killed by signal %d "
				   "(%s)%s: run again; if it happens again, check the Azure CLI's "
				   "installation or use --sign-in device"), side, prog, run.code,
				 strsignal(run.code), said);
	} else if (run.code == 127) {
		*err = xasprintf(_("side %c: %s was not found: install the Azure CLI or use "
				   "--sign-in device"), side, prog);
	} else if (run.code != 0) {
		*err = xasprintf(_("side %c: '%s account get-access-token' failed (exit %d)%s: sign "
				   "in first with 'az login --tenant %s' as this side's operator"),
				 side, prog, run.code, said, c->tenant);
	} else {
		const char *perr = NULL;
		cJSON *o = azjson_parse(run.out, run.len, &perr);
		const char *access = o ? azjson_str(o, "accessToken") : NULL;
		if (!access) {
			*err = xasprintf(_("side %c: %s printed no accessToken (%s): check that '%s' is "
					   "the Azure CLI and up to date, or use --sign-in device"),
					 side, prog, perr ? perr : _("field missing"), prog);
		} else {
			char *terr = NULL;
			struct az_token *t = az_token_new(access, strlen(access), r, c->side, &terr);
			if (t) {
				az_token_free(c->tok[r]);
				c->tok[r] = t;
				rc = 0;
			} else {
				*err = xasprintf(_("side %c: the token %s printed is unusable (%s): sign "
						   "in again with 'az login --tenant %s'"), side, prog,
						 terr, c->tenant);
				free(terr);
			}
		}
		cJSON_Delete(o);
	}
	free(said);
	secret_free(run.out, run.cap);
	for (size_t i = 0; i < CK_ARRAY_LEN(args); i++)
		free(argv[i]);
	return rc;
}
