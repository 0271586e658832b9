/* cli_wizard.c: `ckwizard run` and `ckwizard rehearse`: parse the options,
 * then hand over to the screens (ui/ui.h), which open the session. */
#include "ck.h"
#include "cli.h"
#include "azure/backend.h"
#include "buf.h"
#include "util.h"
#include "../ui/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIZARD_IDLE_DEFAULT 300 /* seconds: a few minutes, as the user asked */

static int wizard_number(const char *cmd, const char *opt, const char *v, long max, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || !*v || *end || n < 0 || n > max)
		return cli_usage_error(cmd, _("%s wants a number from 0 to %ld, not '%s'"), opt, max, v);
	*out = n;
	return CK_EXIT_OK;
}

/* PLAN's file name without directory and extension, plus a suffix, in the
 * current directory: plans/contoso-exchange.yaml -> contoso-exchange.rehearsal */
static char *wizard_default_dir(const char *plan, const char *suffix)
{
	const char *base = strrchr(plan, '/');
	base = base ? base + 1 : plan;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	char *stem = xstrndup(base, n);
	char *d = xasprintf("%s%s", stem, suffix);
	free(stem);
	return d;
}

static int wizard(int argc, char **argv, bool rehearsal)
{
	const char *cmd = argv[0];
	struct ui_options o = { 0 };
	o.rehearsal = rehearsal;
	o.idle_lock = WIZARD_IDLE_DEFAULT;
	struct buf faults = BUF_INIT;
	int nfaults = 0;
	bool live = false;
	int rc = CK_EXIT_OK;
	for (int i = 1; i < argc && rc == CK_EXIT_OK; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = true;
		if (!strcmp(a, "--live") && !rehearsal) {
			live = true;
			takes = false;
		} else if (!strcmp(a, "--offboarding")) {
			o.offboarding = true;
			takes = false;
		} else if (a[0] != '-' && !o.plan_path) {
			o.plan_path = a;
			takes = false;
		} else if (!v && a[0] == '-') {
			rc = cli_usage_error(cmd, _("%s needs a value"), a);
			break;
		} else if (!strcmp(a, "--dir")) {
			o.dir = v;
		} else if (!strcmp(a, "--idle-lock")) {
			rc = wizard_number(cmd, a, v, 24 * 3600, &o.idle_lock);
		} else if (!strcmp(a, "--key-A")) {
			o.key_path[CK_SIDE_A] = v;
		} else if (!strcmp(a, "--key-B")) {
			o.key_path[CK_SIDE_B] = v;
		} else if (!strcmp(a, "--fault") && rehearsal) {
			if (nfaults++) /* an empty one stays visible to the check */
				buf_putc(&faults, ',');
			buf_puts(&faults, v);
		} else if (!strcmp(a, "--registration-delay") && rehearsal) {
			rc = wizard_number(cmd, a, v, 30L * 24 * 3600, &o.registration_delay);
		} else if (!strcmp(a, "--ui-script")) { /* test mode, hidden from --help */
			o.script = v;
		} else if (!strcmp(a, "--ui-dump")) {
			o.dump = v;
		} else if (!strcmp(a, "--ui-clock")) {
			rc = wizard_number(cmd, a, v, 4102444800L, &o.fixed_clock);
		} else {
			rc = cli_usage_error(cmd, _("unknown option or extra argument '%s'"), a);
			break;
		}
		if (takes)
			i++;
	}
	if (rc == CK_EXIT_OK && live) {
		fprintf(stderr, _("ckwizard run: --live (checks against Azure) is not available yet; "
				  "it comes with the REST backend. Use guide mode (without --live) or "
				  "'ckwizard rehearse'.\n"));
		rc = CK_EXIT_INPUT;
	}
	if (rc == CK_EXIT_OK && !o.plan_path)
		rc = cli_usage_error(cmd, _("which plan? e.g. ckwizard %s plans/contoso-exchange.yaml"),
				     cmd);
	if (rc == CK_EXIT_OK && (o.dump || o.fixed_clock) && !o.script)
		rc = cli_usage_error(cmd, _("--ui-dump and --ui-clock are for --ui-script tests"));
	if (rc == CK_EXIT_OK && o.fixed_clock && !rehearsal)
		rc = cli_usage_error(cmd, _("a fixed clock is for rehearsal tests only"));
	if (rc == CK_EXIT_OK && nfaults) {
		/* refuse a mistyped fault before a session directory exists */
		char *why = NULL;
		if (backend_sim_check_faults(buf_str(&faults), &why) < 0) {
			rc = cli_usage_error(cmd, "%s", why ? why : _("unknown fault"));
			free(why);
		}
	}
	if (rc != CK_EXIT_OK) {
		buf_free(&faults);
		return rc;
	}
	char *dir = o.dir ? NULL
			  : wizard_default_dir(o.plan_path,
					       o.offboarding ? (rehearsal ? ".offboarding.rehearsal"
									  : ".offboarding.ckw")
							     : (rehearsal ? ".rehearsal" : ".ckw"));
	if (dir)
		o.dir = dir;
	o.faults = faults.len ? buf_str(&faults) : NULL;
	rc = ui_run(&o);
	free(dir);
	buf_free(&faults);
	return rc;
}

int cli_run(int argc, char **argv)
{
	return wizard(argc, argv, false);
}

int cli_rehearse(int argc, char **argv)
{
	return wizard(argc, argv, true);
}
