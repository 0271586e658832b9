/* cli_live.c: run --live: the REST backend's options, read before a
 * session exists (a typo is a usage error, not a half-made directory), and
 * the opener the session calls with the plan it replayed. */
#include "ck.h"
#include "cli_live.h"
#include "azure/http.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

static const char *const live_only[] = {
	"--execute", "--cloud", "--endpoints", "--ca-bundle", "--sign-in", "--client-id",
	"--az-config-A", "--az-config-B", "--timeout",
};

int cli_live_parse(const char *cmd, const struct cli_args *ca, struct cli_live *l)
{
	const char *v;
	memset(l, 0, sizeof(*l));
	l->on = cli_opt(ca, "--live") != NULL;
	if (!l->on) {
		for (size_t i = 0; i < CK_ARRAY_LEN(live_only); i++)
			if (cli_opt(ca, live_only[i]))
				return cli_usage_error(cmd, _("%s is for live mode: add --live"),
						       live_only[i]);
		return CK_EXIT_OK;
	}
	l->execute = cli_opt(ca, "--execute") != NULL;
	l->cfg.method = AZ_SIGNIN_DEVICE;
	l->cfg.timeout = 30;
	if ((v = cli_opt(ca, "--sign-in")) &&
	    (az_signin_parse(v, &l->cfg.method) != 0 || l->cfg.method == AZ_SIGNIN_CERT))
		return cli_usage_error(cmd, _("--sign-in is device or az for a ceremony, not %s"), v);
	if ((v = cli_opt(ca, "--timeout"))) {
		char *end;
		l->cfg.timeout = strtol(v, &end, 10);
		if (!*v || *end || l->cfg.timeout < 1 || l->cfg.timeout > 600)
			return cli_usage_error(cmd, _("--timeout is 1 to 600 seconds, not %s"), v);
	}
	const char *cloud = cli_opt(ca, "--cloud"), *file = cli_opt(ca, "--endpoints");
	if (cloud && file)
		return cli_usage_error(cmd, _("--cloud or --endpoints, not both"));
	l->cfg.ca_bundle = cli_opt(ca, "--ca-bundle");
	struct stat st;
	if (l->cfg.ca_bundle && (stat(l->cfg.ca_bundle, &st) != 0 || !S_ISREG(st.st_mode)))
		return cli_usage_error(cmd, _("--ca-bundle %s is not a readable file"), l->cfg.ca_bundle);
	l->cfg.client_id = cli_opt(ca, "--client-id");
	l->cfg.az_config[CK_SIDE_A] = cli_opt(ca, "--az-config-A");
	l->cfg.az_config[CK_SIDE_B] = cli_opt(ca, "--az-config-B");
	char *err = NULL;
	l->ep = file ? endpoints_load(file, &err) : endpoints_cloud(cloud ? cloud : "public", &err);
	if (!l->ep) {
		char *vis = text_visible_line(err);
		int rc = cli_usage_error(cmd, "%s", vis);
		free(vis);
		free(err);
		return rc;
	}
	l->cfg.ep = l->ep;
	return CK_EXIT_OK;
}

static struct backend *cli_live_open(const struct plan *p, const struct inventory *inv,
				     void *arg, char **err)
{
	struct cli_live *l = arg;
	return backend_rest_open(p, inv, &l->cfg, err);
}

void cli_live_session(struct cli_live *l, struct session_opts *o)
{
	if (!l->on)
		return;
	/* Tokens will be held: no core dump may carry them, no other process
	 * of this user may read this one's memory. */
	struct rlimit rl = { 0, 0 };
	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	http_global_init();
	o->live_open = cli_live_open;
	o->live_arg = l;
	o->execute = l->execute;
}

void cli_live_free(struct cli_live *l)
{
	endpoints_free(l->ep);
	l->ep = NULL;
}
