/* entra_az.c: a token from the Azure CLI's own sign-in. The program is run
 * directly (no shell), its answer read from a pipe into secret memory; the
 * operator signs in with `az login` beforehand, one configuration directory
 * per operator when both share a machine (--az-config-A/B). */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/entra_int.h"
#include "secret.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define AZ_MAX_OUTPUT (256 * 1024)

/* Runs argv with stdout into out (at most cap-1 bytes); returns the exit
 * status, or -1 with errno when it could not run. */
static int az_run(char *const argv[], const char *config_dir, char *out, size_t cap, size_t *len)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(fds[1], 1);
		if (config_dir)
			setenv("AZURE_CONFIG_DIR", config_dir, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	*len = 0;
	for (;;) {
		ssize_t n = read(fds[0], out + *len, cap - 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
		if (*len >= cap - 1) {
			kill(pid, SIGTERM);
			break;
		}
	}
	out[*len] = '\0';
	close(fds[0]);
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
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
	char *out = secret_alloc(AZ_MAX_OUTPUT);
	size_t len = 0;
	int st = az_run(argv, c->az_config, out, AZ_MAX_OUTPUT, &len);
	int rc = -1;
	if (st < 0) {
		*err = xasprintf(_("side %c: could not run %s (%s): install the Azure CLI or use "
				   "--sign-in device"), ck_side_letter(c->side), prog, strerror(errno));
	} else if (st == 127) {
		*err = xasprintf(_("side %c: %s was not found: install the Azure CLI or use "
				   "--sign-in device"), ck_side_letter(c->side), prog);
	} else if (st != 0) {
		*err = xasprintf(_("side %c: '%s account get-access-token' failed (exit %d): sign "
				   "in first with 'az login --tenant %s' as this side's operator"),
				 ck_side_letter(c->side), prog, st, c->tenant);
	} else if (len >= AZ_MAX_OUTPUT - 1) {
		*err = xasprintf(_("side %c: %s printed more than expected"), ck_side_letter(c->side),
				 prog);
	} else {
		const char *perr = NULL;
		cJSON *o = azjson_parse(out, len, &perr);
		const char *access = o ? azjson_str(o, "accessToken") : NULL;
		if (!access) {
			*err = xasprintf(_("side %c: %s printed no accessToken (%s)"),
					 ck_side_letter(c->side), prog, perr ? perr : _("field missing"));
		} else {
			struct az_token *t = az_token_new(access, strlen(access), r, c->side, err);
			if (t) {
				az_token_free(c->tok[r]);
				c->tok[r] = t;
				rc = 0;
			}
		}
		cJSON_Delete(o);
	}
	secret_free(out, AZ_MAX_OUTPUT);
	for (size_t i = 0; i < CK_ARRAY_LEN(args); i++)
		free(argv[i]);
	return rc;
}
