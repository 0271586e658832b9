/* cli_runbook.c: `ckwizard runbook PLAN [--format md|json]
 * [--shell powershell|bash] [--management]`.
 *
 * The plan is loaded and judged exactly as `check` does: unusable input exits
 * 2, a plan with errors exits 1 (with its diagnostics on stderr) and prints no
 * runbook, since a binder built from a wrong plan would be followed to the
 * letter. Warnings are counted in the binder's header.
 *
 * Backup file names carry a date: today (UTC), or the date of
 * SOURCE_DATE_EPOCH when set (reproducible output, the golden-file test). */
#include "ck.h"
#include "cli.h"
#include "inventory.h"
#include "plan.h"
#include "rules.h"
#include "runbook.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct runbook_args {
	const char *path;
	bool json, management, offboarding;
	bool doc; /* hidden: print the template table of doc/steps.md */
	enum step_shell shell;
};

static int runbook_parse(int argc, char **argv, struct runbook_args *a)
{
	struct cli_args ca;
	memset(a, 0, sizeof *a);
	a->shell = SHELL_POWERSHELL;
	int rc = cli_parse("runbook", argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	a->path = ca.n_pos ? ca.pos[0] : NULL;
	a->management = cli_opt(&ca, "--management") != NULL;
	a->offboarding = cli_opt(&ca, "--offboarding") != NULL;
	a->doc = cli_opt(&ca, "--doc") != NULL;
	const char *fmt = cli_opt(&ca, "--format"), *sh = cli_opt(&ca, "--shell");
	if (fmt && strcmp(fmt, "md") != 0 && strcmp(fmt, "json") != 0)
		return cli_usage_error("runbook", _("--format is md or json, not %s"), fmt);
	a->json = fmt && strcmp(fmt, "json") == 0;
	if (sh && strcmp(sh, "powershell") != 0 && strcmp(sh, "bash") != 0)
		return cli_usage_error("runbook", _("--shell is powershell or bash, not %s"), sh);
	if (sh && strcmp(sh, "bash") == 0)
		a->shell = SHELL_BASH;
	if (!a->path && !a->doc)
		return cli_usage_error("runbook", _("which plan? give its path"));
	return CK_EXIT_OK;
}

/* SOURCE_DATE_EPOCH (reproducible builds' convention) pins the date. */
static void runbook_date(struct catalogue *c)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (!e || !*e)
		return;
	char *end;
	errno = 0;
	long long v = strtoll(e, &end, 10);
	struct tm tm;
	time_t t = (time_t)v;
	if (errno || *end || v < 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) {
		fprintf(stderr, _("ckwizard runbook: SOURCE_DATE_EPOCH is not a time: ignored\n"));
		return;
	}
	snprintf(c->today, sizeof c->today, "%04u%02u%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

int cli_runbook(int argc, char **argv)
{
	struct runbook_args a;
	int rc = runbook_parse(argc, argv, &a);
	if (rc != CK_EXIT_OK)
		return rc;
	if (a.doc) {
		struct buf b = BUF_INIT;
		runbook_templates_markdown(&b);
		fputs(b.p, stdout);
		buf_free(&b);
		return CK_EXIT_OK;
	}
	struct diags d = DIAGS_INIT;
	struct inventory *inv = NULL;
	struct plan *p = plan_load(a.path, &d);
	if (p) {
		inv = inventory_build(p, &d);
		rules_check(p, inv, &d);
	}
	diags_sort(&d);
	rc = rules_exit_code(&d);
	if (rc == CK_EXIT_OK && (!p || !inv))
		rc = CK_EXIT_INPUT;
	if (rc == CK_EXIT_OK && a.offboarding && plan_uses_hsm(p)) {
		/* Microsoft's offboarding steps we follow are written for vaults
		 * (access policies); an HSM takes roles away instead (doc/steps.md). */
		fprintf(stderr, _("ckwizard runbook: offboarding a plan whose keys are in Managed HSMs "
				  "has no steps yet (the roles of the Microsoft 365 apps are taken "
				  "away with Remove-AzKeyVaultRoleAssignment): do it by hand, with "
				  "Microsoft's current instructions\n"));
		rc = CK_EXIT_INPUT;
	} else if (rc != CK_EXIT_OK) {
		diags_print_text(&d, a.path, stderr);
		if (rc == CK_EXIT_INPUT)
			fprintf(stderr, _("ckwizard runbook: cannot use this plan: no runbook\n"));
		else
			fprintf(stderr, _("ckwizard runbook: the plan has errors: fix them (see "
					  "`ckwizard check`) before printing a runbook\n"));
	} else {
		struct catalogue *c =
			a.offboarding ? catalogue_build_offboarding(p, inv, STEPS_CATALOGUE_VERSION)
				      : catalogue_build(p, inv, a.management, STEPS_CATALOGUE_VERSION);
		runbook_date(c);
		const char *base = strrchr(a.path, '/');
		struct runbook_opts o = { a.shell, base ? base + 1 : a.path,
					  diags_count(&d, DIAG_WARNING), NULL, NULL };
		struct buf out = BUF_INIT;
		if (a.json)
			runbook_json(c, &o, &out);
		else
			runbook_markdown(c, &o, &out);
		if (fwrite(out.p, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
			perror("ckwizard runbook");
			rc = CK_EXIT_IO;
		}
		buf_free(&out);
		catalogue_free(c);
	}
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	return rc;
}
