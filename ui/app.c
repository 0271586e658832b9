/* app.c: the wizard's one loop. Opens the session before the screen (so
 * errors print plainly), owns the screen switch, and acts on the flags the
 * screens' handlers return. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

static time_t app_fixed;
static time_t app_clock(void)
{
	return app_fixed;
}

/* A new session is created only for a wizard that can start: the terminal
 * is checked once the session's own checks have passed (so a plan refused
 * for its own reasons still says so first), before anything is created. */
struct app_term_check {
	const struct term_opts *to;
	bool failed;
};

static int app_before_create(void *arg, char **err)
{
	struct app_term_check *tc = arg;
	tc->failed = term_check(tc->to, err) != 0;
	return tc->failed ? -1 : 0;
}

static struct session *app_open_session(const struct ui_options *o, struct app_term_check *tc)
{
	struct session_opts so = { 0 };
	so.before_create = app_before_create;
	so.before_create_arg = tc;
	so.plan_path = o->plan_path;
	so.dir = o->dir;
	so.mode = o->rehearsal ? SESSION_REHEARSAL : SESSION_RUN;
	so.sim_faults = o->faults;
	so.registration_delay = o->registration_delay;
	so.offboarding = o->offboarding;
	so.key_path[CK_SIDE_A] = o->key_path[CK_SIDE_A];
	so.key_path[CK_SIDE_B] = o->key_path[CK_SIDE_B];
	if (o->fixed_clock > 0) {
		/* Test mode only (cli_wizard.c allows it with --ui-script in a
		 * rehearsal): screens that show times must compare byte for byte. */
		app_fixed = (time_t)o->fixed_clock;
		session_test_set_clock(app_clock);
	}
	char *err = NULL;
	struct session *s = session_open(&so, &err);
	if (!s) {
		fprintf(stderr, _("ckwizard: %s\n"), err ? err : _("cannot open the session"));
		free(err);
	}
	return s;
}

const char *ui_time(time_t t, char *buf, size_t cap)
{
	struct tm tm;
	if (!t || !gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm))
		snprintf(buf, cap, "-");
	return buf;
}

/* Everything of the ceremony done or skipped? (The management tasks are
 * not part of the first ceremony; the offboarding ceremony is made of them.) */
static bool app_all_done(const struct session *s)
{
	size_t n = session_n_steps(s);
	for (size_t i = 0; i < n; i++) {
		struct session_step_info si;
		session_step_info(s, i, &si);
		if (si.step && si.step->management && !session_catalogue(s)->offboarding)
			continue;
		if (si.state != STEP_DONE && si.state != STEP_SKIPPED)
			return false;
	}
	return true;
}

void ui_route(struct ui *u)
{
	enum session_blocker b = session_blocker(u->s);
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	if (b == SESSION_CLOSED || app_all_done(u->s)) {
		ui_goto(u, &screen_end);
		return;
	}
	if (b == SESSION_PLAN_CHANGED || !ps.approved || !ps.verified) {
		ui_goto(u, &screen_review);
		return;
	}
	struct session_wait_item *w = NULL;
	bool all_waiting = false;
	size_t n = session_waits(u->s, &w, &all_waiting);
	free(w);
	ui_goto(u, n && all_waiting ? &screen_wait : &screen_steps);
}

static bool app_quit_ok(struct ui *u)
{
	return ui_confirm(u, _("Quit"),
			  _("Leave the wizard? The journal is always consistent: nothing "
			    "recorded is lost, and the session resumes where it stopped.")) == UA_OK;
}

static void app_loop(struct ui *u)
{
	while (!u->leaving) {
		if (u->next) {
			if (u->screen && u->screen->leave)
				u->screen->leave(u);
			u->screen = u->next;
			u->next = NULL;
			if (u->screen->enter)
				u->screen->enter(u);
			continue;
		}
		if (u->lock_pending) {
			ui_idle_lock(u);
			continue;
		}
		ui_draw(u);
		int key = 0;
		int a = ui_event(u, &key, u->screen->scopes);
		if (a < 0)
			break;
		if (u->lock_pending || (a == ACT_NONE && key == 0))
			continue; /* idle or resize: redraw */
		if (a == ACT_HELP) {
			ui_help(u);
			continue;
		}
		int f = u->screen->act(u, (enum ui_action)a, key);
		if (!(f & UF_HANDLED) && a == ACT_QUIT)
			f |= UF_QUIT;
		if (f & UF_QUIT_NOW)
			break;
		if ((f & UF_QUIT) && app_quit_ok(u))
			break;
	}
}

int ui_run(const struct ui_options *o)
{
	struct term_opts to = { o->script, o->dump, o->idle_lock };
	struct app_term_check tc = { &to, false };
	char *err = NULL;
	struct session *s = app_open_session(o, &tc);
	if (!s)
		return tc.failed ? CK_EXIT_INPUT : CK_EXIT_REFUSED;
	if (term_open(&to, &err) != 0) {
		fprintf(stderr, _("ckwizard: %s\n"), err);
		free(err);
		session_free(s);
		return CK_EXIT_INPUT;
	}
	struct ui u = { 0 };
	u.s = s;
	u.opt = o;
	u.active = CK_SIDE_NONE;
	u.exit_code = CK_EXIT_OK;
	ui_update_header(&u);
	ui_goto(&u, session_is_closed(s) ? &screen_end : &screen_start);
	app_loop(&u);
	if (u.screen && u.screen->leave)
		u.screen->leave(&u);
	term_close();
	bool closed = session_is_closed(s);
	char *dir = xstrdup(session_dir(s) ? session_dir(s) : "");
	char *head = xstrdup(session_head(s) ? session_head(s) : "");
	session_free(s); /* wipes both keys */
	if (closed)
		printf(_("The ceremony is closed. Journal head: %s\nReports are in %s\n"), head, dir);
	else
		printf(_("Session saved in %s (journal head %.16s...). Run the same command to "
			 "resume.\n"), dir, head);
	free(dir);
	free(head);
	free(u.header);
	free(u.msg);
	return u.exit_code;
}
