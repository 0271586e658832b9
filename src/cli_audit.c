/* cli_audit.c: `ckwizard audit PLAN`: sign in per side, check the whole
 * inventory read-only, print what holds and what drifted. */
#include "ck.h"
#include "azure/audit.h"
#include "cli.h"
#include "inventory.h"
#include "plan.h"
#include "rules.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct cli_audit_args {
	const char *plan, *cloud, *endpoints, *ca_bundle, *client_id;
	const char *az_config[CK_SIDES], *sp_client[CK_SIDES], *cert[CK_SIDES];
	bool json;
	int only_side;            /* CK_SIDE_NONE: both */
	enum az_signin method;
	long timeout;
};

static int cli_audit_parse(int argc, char **argv, struct cli_audit_args *a)
{
	const char *cmd = "audit";
	struct cli_args ca;
	memset(a, 0, sizeof(*a));
	a->only_side = CK_SIDE_NONE;
	a->method = AZ_SIGNIN_DEVICE;
	a->timeout = 30;
	int rc = cli_parse(cmd, argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	const char *v;
	a->plan = ca.n_pos ? ca.pos[0] : NULL;
	if ((v = cli_opt(&ca, "--format"))) {
		if (strcmp(v, "json") == 0)
			a->json = true;
		else if (strcmp(v, "text") != 0)
			return cli_usage_error(cmd, _("--format is text or json, not %s"), v);
	}
	a->cloud = cli_opt(&ca, "--cloud");
	a->endpoints = cli_opt(&ca, "--endpoints");
	a->ca_bundle = cli_opt(&ca, "--ca-bundle");
	if ((v = cli_opt(&ca, "--sign-in")) && az_signin_parse(v, &a->method) != 0)
		return cli_usage_error(cmd, _("--sign-in is device, az or cert, not %s"), v);
	if ((v = cli_opt(&ca, "--side"))) {
		if (strcmp(v, "A") != 0 && strcmp(v, "B") != 0)
			return cli_usage_error(cmd, _("--side is A or B, not %s"), v);
		a->only_side = v[0] == 'A' ? CK_SIDE_A : CK_SIDE_B;
	}
	a->client_id = cli_opt(&ca, "--client-id");
	if ((v = cli_opt(&ca, "--timeout"))) {
		char *end;
		a->timeout = strtol(v, &end, 10);
		if (*end || a->timeout < 1 || a->timeout > 600)
			return cli_usage_error(cmd, _("--timeout is 1 to 600 seconds, not %s"), v);
	}
	a->az_config[CK_SIDE_A] = cli_opt(&ca, "--az-config-A");
	a->az_config[CK_SIDE_B] = cli_opt(&ca, "--az-config-B");
	a->sp_client[CK_SIDE_A] = cli_opt(&ca, "--client-id-A");
	a->sp_client[CK_SIDE_B] = cli_opt(&ca, "--client-id-B");
	a->cert[CK_SIDE_A] = cli_opt(&ca, "--cert-A");
	a->cert[CK_SIDE_B] = cli_opt(&ca, "--cert-B");
	if (!a->plan)
		return cli_usage_error(cmd, _("which plan? give its path"));
	if (a->cloud && a->endpoints)
		return cli_usage_error(cmd, _("--cloud or --endpoints, not both"));
	struct stat st;
	if (a->ca_bundle && (stat(a->ca_bundle, &st) != 0 || !S_ISREG(st.st_mode)))
		return cli_usage_error(cmd, _("--ca-bundle %s is not a readable file"), a->ca_bundle);
	for (int s = 0; s < CK_SIDES; s++) {
		bool wanted = a->only_side == CK_SIDE_NONE || a->only_side == s;
		if (a->method == AZ_SIGNIN_CERT && wanted && (!a->sp_client[s] || !a->cert[s]))
			return cli_usage_error(cmd, _("--sign-in cert needs --client-id-%c and --cert-%c"),
					       ck_side_letter(s), ck_side_letter(s));
	}
	if (a->method == AZ_SIGNIN_CERT && a->only_side == CK_SIDE_NONE &&
	    util_strcaseeq(a->sp_client[0], a->sp_client[1]))
		return cli_usage_error(cmd, _("each side needs its own application: --client-id-A "
					      "and --client-id-B are the same"));
	return CK_EXIT_OK;
}

static void cli_audit_progress(void *cookie, size_t done, size_t total)
{
	(void)cookie;
	/* The terminal controls stay outside the message translators see. */
	fputs("\r\033[K", stderr);
	fprintf(stderr, ngettext("audit: %zu of %zu request answered",
				 "audit: %zu of %zu requests answered", total), done, total);
	if (done == total)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/* Tokens are about to be held: no core dump may carry them, and no other
 * process of this user may read this one's memory. Harmless if the process
 * already did it at start. */
static void cli_audit_harden(void)
{
	struct rlimit rl = { 0, 0 };
	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static struct plan *cli_audit_plan(const char *path, struct inventory **inv)
{
	struct diags d = DIAGS_INIT;
	*inv = NULL;
	struct plan *p = plan_load(path, &d);
	if (p) {
		*inv = inventory_build(p, &d);
		rules_check(p, *inv, &d);
	}
	diags_sort(&d);
	if (!p || !*inv || diags_count(&d, DIAG_ERROR)) {
		diags_print_text(&d, path, stderr);
		char *vis = text_visible_line(path);
		fprintf(stderr, _("ckwizard audit: %s is not a valid plan: fix it first "
				  "(ckwizard check)\n"), vis);
		free(vis);
		diags_free(&d);
		inventory_free(*inv);
		*inv = NULL;
		plan_free(p);
		return NULL;
	}
	diags_free(&d);
	return p;
}

int cli_audit(int argc, char **argv)
{
	struct cli_audit_args a;
	int rc = cli_audit_parse(argc, argv, &a);
	if (rc != CK_EXIT_OK)
		return rc;
	char *err = NULL;
	struct endpoints *ep = a.endpoints ? endpoints_load(a.endpoints, &err)
					   : endpoints_cloud(a.cloud ? a.cloud : "public", &err);
	if (!ep) {
		char *vis = text_visible_line(err);
		rc = cli_usage_error("audit", "%s", vis);
		free(vis);
		free(err);
		return rc;
	}
	struct inventory *inv = NULL;
	struct plan *p = cli_audit_plan(a.plan, &inv);
	if (!p) {
		endpoints_free(ep);
		return CK_EXIT_INPUT;
	}
	if (plan_uses_hsm(p) && !ep->hsm_suffix) {
		rc = cli_usage_error("audit", _("the plan keeps its keys in Managed HSMs: the "
						"endpoints file must name hsm-suffix"));
		inventory_free(inv);
		plan_free(p);
		endpoints_free(ep);
		return rc;
	}
	cli_audit_harden();
	struct http_client http;
	http_client_init(&http, ep);
	http.ca_bundle = a.ca_bundle;
	http.timeout = a.timeout;
	http.connect_timeout = a.timeout < 10 ? a.timeout : 10;
	if (isatty(STDERR_FILENO)) {
		http.progress = cli_audit_progress;
		http.progress_cookie = NULL;
	}
	struct az_cred cred[CK_SIDES];
	char *who[CK_SIDES] = { NULL, NULL };
	struct audit au;
	memset(&au, 0, sizeof(au));
	au.plan = p;
	au.inv = inv;
	au.ep = ep;
	au.http = &http;
	for (int s = 0; s < CK_SIDES; s++) {
		az_cred_init(&cred[s], a.method, s, &http, p->org.tenant_id);
		if (a.only_side != CK_SIDE_NONE && a.only_side != s)
			continue;
		const struct plan_operator *op = &p->op[p->sub[s].operator_side];
		who[s] = xasprintf(_("operator %c (%s, %s), subscription %c"),
				   ck_side_letter(p->sub[s].operator_side), op->name, op->upn,
				   ck_side_letter(s));
		cred[s].who = who[s];
		if (a.method == AZ_SIGNIN_CERT) {
			cred[s].client_id = xstrdup(a.sp_client[s]);
			cred[s].cert_path = xstrdup(a.cert[s]);
			au.side[s].expect_app = a.sp_client[s];
		} else {
			if (a.client_id)
				cred[s].client_id = xstrdup(a.client_id);
			if (a.az_config[s])
				cred[s].az_config = xstrdup(a.az_config[s]);
			au.side[s].expect_upn = op->upn;
			au.side[s].expect_oid = op->object_id;
		}
		au.side[s].cred = &cred[s];
	}
	audit_run(&au, time(NULL));
	for (int s = 0; s < CK_SIDES; s++) {
		az_cred_free(&cred[s]);
		free(who[s]);
	}
	if (a.json) {
		char *j = audit_json(&au);
		puts(j);
		free(j);
	} else {
		audit_print_text(&au, stdout);
	}
	rc = audit_exit_code(&au);
	if (fflush(stdout) != 0)
		rc = CK_EXIT_IO;
	audit_free(&au);
	http_client_cleanup(&http);
	inventory_free(inv);
	plan_free(p);
	endpoints_free(ep);
	return rc;
}
