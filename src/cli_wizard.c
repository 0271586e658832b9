/* cli_wizard.c: `ckwizard run` and `ckwizard rehearse`: parse the options,
 * open the session (its errors print plainly, before any screen), then hand
 * it to the screens (ui/ui.h), which take display options only. */
#include "ck.h"
#include "cli.h"
#include "cli_live.h"
#include "azure/backend.h"
#include "buf.h"
#include "session.h"
#include "util.h"
#include "../ui/ui.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static time_t wizard_fixed;
static time_t wizard_clock(void)
{
	return wizard_fixed;
}

/* A new session is created only for a wizard that can start: the terminal
 * is checked once the session's own checks have passed (so a plan refused
 * for its own reasons still says so first), before anything is created. */
struct wizard_term_check {
	const struct ui_options *uo;
	bool failed;
};

static int wizard_before_create(void *arg, char **err)
{
	struct wizard_term_check *tc = arg;
	tc->failed = ui_check_terminal(tc->uo, err) != 0;
	return tc->failed ? -1 : 0;
}

/* --as A|B: two terminals, this one holds that operator only. */
static int wizard_seat(const char *cmd, const char *v, enum session_seat *out)
{
	if (!v)
		return CK_EXIT_OK;
	if (strcmp(v, "A") && strcmp(v, "B") && strcmp(v, "a") && strcmp(v, "b"))
		return cli_usage_error(cmd, _("--as wants A or B, not '%s'"), v);
	*out = (v[0] == 'A' || v[0] == 'a') ? SESSION_SEAT_A : SESSION_SEAT_B;
	return CK_EXIT_OK;
}

/* Name this terminal (tty, Unix user) in the presence events, so the
 * journal says where each signature came from; not in scripted screen
 * tests, whose journals must not depend on where they run. */
static void wizard_name_terminal(struct session *s, const struct ui_options *uo)
{
	if (uo->script)
		return;
	const char *tty = ttyname(STDIN_FILENO);
	struct passwd *pw = getpwuid(getuid());
	char uid[32];
	snprintf(uid, sizeof uid, "uid %lu", (unsigned long)getuid());
	session_set_terminal(s, tty ? tty : _("not a terminal"), pw && pw->pw_name ? pw->pw_name : uid);
}

/* Open the session and run the screens on it; the session is freed (both
 * keys wiped) before returning. */
static int wizard_open_and_run(struct session_opts *so, const struct ui_options *uo,
			       long fixed_clock)
{
	struct wizard_term_check tc = { uo, false };
	so->before_create = wizard_before_create;
	so->before_create_arg = &tc;
	if (fixed_clock > 0) {
		/* Test mode only (a rehearsal with --ui-script): screens that show
		 * times must compare byte for byte. */
		wizard_fixed = (time_t)fixed_clock;
		session_test_set_clock(wizard_clock);
	}
	char *err = NULL;
	struct session *s = session_open(so, &err);
	if (!s) {
		fprintf(stderr, _("ckwizard: %s\n"), err ? err : _("cannot open the session"));
		free(err);
		return tc.failed ? CK_EXIT_INPUT : CK_EXIT_REFUSED;
	}
	/* join learns the mode only now: a fixed clock is for rehearsal tests */
	if (fixed_clock > 0 && session_mode(s) != SESSION_REHEARSAL) {
		fprintf(stderr, _("ckwizard: %s\n"), _("a fixed clock is for rehearsal tests only"));
		session_free(s);
		return CK_EXIT_INPUT;
	}
	/* A closed ceremony opened again: its missing reports are written now;
	 * the end screen says which are there and which were refused. */
	if (session_is_closed(s))
		session_write_reports(s, NULL);
	/* the plan is read: libyaml leaves the ceremony's memory until an
	 * amendment brings another plan (src/yaml_dl.c) */
	yaml_dl_release();
	wizard_name_terminal(s, uo);
	int rc = ui_run(s, uo);
	session_free(s);
	return rc;
}

static int wizard(int argc, char **argv, bool rehearsal)
{
	const char *cmd = argv[0];
	struct session_opts o = { 0 };
	struct ui_options uo = { 0 };
	struct cli_args ca;
	long fixed_clock = 0;
	o.mode = rehearsal ? SESSION_REHEARSAL : SESSION_RUN;
	uo.idle_lock = WIZARD_IDLE_DEFAULT;
	struct buf faults = BUF_INIT;
	int rc = cli_parse(cmd, argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	const char *v;
	struct cli_live live;
	memset(&live, 0, sizeof(live));
	o.plan_path = ca.n_pos ? ca.pos[0] : NULL;
	o.offboarding = cli_opt(&ca, "--offboarding") != NULL;
	o.dir = cli_opt(&ca, "--dir");
	o.key_path[CK_SIDE_A] = cli_opt(&ca, "--key-A");
	o.key_path[CK_SIDE_B] = cli_opt(&ca, "--key-B");
	uo.script = cli_opt(&ca, "--ui-script");
	uo.dump = cli_opt(&ca, "--ui-dump");
	if ((v = cli_opt(&ca, "--idle-lock")))
		rc = wizard_number(cmd, "--idle-lock", v, 24 * 3600, &uo.idle_lock);
	if (rc == CK_EXIT_OK && (v = cli_opt(&ca, "--registration-delay")))
		rc = wizard_number(cmd, "--registration-delay", v, 30L * 24 * 3600,
				   &o.registration_delay);
	if (rc == CK_EXIT_OK)
		rc = wizard_seat(cmd, cli_opt(&ca, "--as"), &o.seat);
	if (rc == CK_EXIT_OK && (v = cli_opt(&ca, "--ui-clock")))
		rc = wizard_number(cmd, "--ui-clock", v, 4102444800L, &fixed_clock);
	size_t nfaults = ca.n_rep;
	for (size_t i = 0; i < nfaults; i++) { /* --fault, in order */
		if (i) /* an empty one stays visible to the check */
			buf_putc(&faults, ',');
		buf_puts(&faults, ca.rep[i]);
	}
	if (rc == CK_EXIT_OK && !rehearsal)
		rc = cli_live_parse(cmd, &ca, &live);
	if (rc == CK_EXIT_OK && !o.plan_path)
		rc = cli_usage_error(cmd, _("which plan? e.g. ckwizard %s plans/contoso-exchange.yaml"),
				     cmd);
	if (rc == CK_EXIT_OK && (uo.dump || fixed_clock) && !uo.script)
		rc = cli_usage_error(cmd, _("--ui-dump and --ui-clock are for --ui-script tests"));
	if (rc == CK_EXIT_OK && fixed_clock && !rehearsal)
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
		cli_live_free(&live);
		buf_free(&faults);
		return rc;
	}
	cli_live_session(&live, &o);
	char *dir = o.dir ? NULL
			  : wizard_default_dir(o.plan_path,
					       o.offboarding ? (rehearsal ? ".offboarding.rehearsal"
									  : ".offboarding.ckw")
							     : (rehearsal ? ".rehearsal" : ".ckw"));
	if (dir)
		o.dir = dir;
	o.sim_faults = faults.len ? buf_str(&faults) : NULL;
	rc = wizard_open_and_run(&o, &uo, fixed_clock);
	cli_live_free(&live);
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

/* The second operator, at their own terminal, on a session the first one
 * started: its mode and ceremony are the recorded ones. */
int cli_join(int argc, char **argv)
{
	const char *cmd = argv[0], *v;
	struct session_opts o = { 0 };
	struct ui_options uo = { 0 };
	struct cli_args ca;
	uo.idle_lock = WIZARD_IDLE_DEFAULT;
	int rc = cli_parse(cmd, argc, argv, 1, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	o.join = true;
	o.dir = ca.n_pos ? ca.pos[0] : NULL;
	uo.script = cli_opt(&ca, "--ui-script");
	uo.dump = cli_opt(&ca, "--ui-dump");
	rc = wizard_seat(cmd, cli_opt(&ca, "--as"), &o.seat);
	if (rc == CK_EXIT_OK && (v = cli_opt(&ca, "--idle-lock")))
		rc = wizard_number(cmd, "--idle-lock", v, 24 * 3600, &uo.idle_lock);
	if (rc == CK_EXIT_OK && !o.dir)
		rc = cli_usage_error(cmd, _("which session? e.g. ckwizard %s contoso-exchange.ckw --as B"),
				     cmd);
	if (rc == CK_EXIT_OK && o.seat == SESSION_SEAT_BOTH)
		rc = cli_usage_error(cmd, _("say which operator is at this terminal: --as A or --as B"));
	long fixed_clock = 0;
	if (rc == CK_EXIT_OK && (v = cli_opt(&ca, "--ui-clock")))
		rc = wizard_number(cmd, "--ui-clock", v, 4102444800L, &fixed_clock);
	if (rc == CK_EXIT_OK && (uo.dump || fixed_clock) && !uo.script)
		rc = cli_usage_error(cmd, _("--ui-dump and --ui-clock are for --ui-script tests"));
	if (rc != CK_EXIT_OK)
		return rc;
	if ((v = cli_opt(&ca, "--key")))
		o.key_path[o.seat == SESSION_SEAT_A ? CK_SIDE_A : CK_SIDE_B] = v;
	return wizard_open_and_run(&o, &uo, fixed_clock);
}
