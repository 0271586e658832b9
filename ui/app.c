/* app.c: the wizard's one loop, on a session the command layer opened (so
 * its errors print plainly before any screen): owns the screen switch, and
 * acts on the flags and requests (ui_goto, ui_route) the screens' handlers
 * leave. It is the top of ui/: it names the screens, and nothing calls it
 * but the command layer. */
#include "ck.h"
#include "app.h"
#include "session.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

/* Everything of the ceremony done or skipped? (The management tasks are
 * not part of the first ceremony; the offboarding ceremony is made of them.) */
static bool app_all_done(const struct session *s)
{
	size_t n = session_n_steps(s);
	for (size_t i = 0; i < n; i++) {
		struct session_step_info si;
		struct session_step_view sv;
		if (session_step_view(s, i, &sv) && sv.management)
			continue;
		session_step_info(s, i, &si);
		if (si.state != STEP_DONE && si.state != STEP_SKIPPED)
			return false;
	}
	return true;
}

/* Where a screen's ui_route() request leads: the screen the session's state
 * calls for. Here, not beside ui_route(), because it names the screens. */
static const struct ui_screen *app_route_target(struct ui *u)
{
	enum session_blocker b = session_blocker(u->s);
	struct session_plan_status ps;
	session_plan_status(u->s, &ps);
	if (b == SESSION_CLOSED || app_all_done(u->s))
		return &screen_end;
	if (b == SESSION_PLAN_CHANGED || !ps.approved || !ps.verified)
		return &screen_review;
	struct session_wait_item *w = NULL;
	bool all_waiting = false;
	size_t n = session_waits(u->s, &w, &all_waiting);
	free(w);
	return n && all_waiting ? &screen_wait : &screen_steps;
}

static void app_route(struct ui *u)
{
	ui_goto(u, app_route_target(u));
}

static bool app_quit_ok(struct ui *u)
{
	return ui_confirm(u, _("Quit"),
			  _("Leave the wizard? The journal is always consistent: nothing "
			    "recorded is lost, and the session resumes where it stopped.")) == UA_OK;
}

/* Quitting ends the sitting now, so the journal records when it really
 * ended; signed by an operator still unlocked (the one at the keyboard
 * first). With nobody unlocked it stays open and the next sitting closes it,
 * as after a crash. */
static void app_close_sitting(struct ui *u)
{
	struct session_sitting st;
	session_sitting(u->s, &st);
	if (!st.open || session_is_closed(u->s))
		return;
	if (session_two_terminals(u->s)) {
		ui_two_leave(u);
		return;
	}
	int order[CK_SIDES] = { u->active == CK_SIDE_NONE ? CK_SIDE_A : u->active, 0 };
	order[1] = ck_other_side(order[0]);
	for (int k = 0; k < CK_SIDES; k++) {
		char *err = NULL;
		if (!session_is_unlocked(u->s, order[k]) || !session_is_present(u->s, order[k]))
			continue;
		if (session_sitting_close(u->s, order[k], &err) == 0)
			return;
		free(err);
	}
}

static void app_loop(struct ui *u)
{
	while (!u->leaving) {
		if (u->cosign_msg) { /* an action both sign went to the other terminal */
			char *msg = u->cosign_msg;
			u->cosign_msg = NULL;
			ui_cosign_wait(u, msg);
			continue;
		}
		if (u->follow_route) {
			/* What the other terminal recorded may call for another
			 * screen; the same one is only redrawn, keeping its place. */
			const struct ui_screen *t = app_route_target(u);
			u->follow_route = false;
			if (t != u->screen && !u->next)
				ui_goto(u, t);
			continue;
		}
		if (u->route) {
			u->route = false;
			app_route(u);
			continue;
		}
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
		u->stopped = session_failed(u->s);
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
		if (a == ACT_DEVIATE && ui_two_torn_again(u))
			continue;
		u->pin_fresh = CK_SIDE_NONE; /* a new action: a PIN typed before does not count */
		int f = u->screen->act(u, (enum ui_action)a, key);
		if (!(f & UF_HANDLED) && a == ACT_QUIT)
			f |= UF_QUIT;
		if (f & UF_QUIT_NOW)
			break;
		if ((f & UF_QUIT) && app_quit_ok(u)) {
			app_close_sitting(u);
			break;
		}
	}
}

int ui_check_terminal(const struct ui_options *o, char **err)
{
	struct term_opts to = { o->script, o->dump, o->idle_lock };
	return term_check(&to, err);
}

int ui_run(struct session *s, const struct ui_options *o)
{
	struct term_opts to = { o->script, o->dump, o->idle_lock };
	char *err = NULL;
	if (term_open(&to, &err) != 0) {
		fprintf(stderr, _("ckwizard: %s\n"), err);
		free(err);
		return CK_EXIT_INPUT;
	}
	struct ui u = { 0 };
	u.s = s;
	u.opt = o;
	u.rehearsal = session_mode(s) == SESSION_REHEARSAL;
	u.active = CK_SIDE_NONE;
	u.pin_fresh = CK_SIDE_NONE;
	u.exit_code = CK_EXIT_OK;
	u.tick = ui_follow_tick;
	u.sync = ui_follow_sync;
	ui_update_header(&u);
	ui_goto(&u, session_is_closed(s) ? &screen_end : &screen_start);
	app_loop(&u);
	/* Two terminals: a signal or a hang-up leaves the sitting too, so the
	 * other screen shows it at once (a kill -9 is noticed by the other). */
	if (u.leaving)
		ui_two_leave(&u);
	if (u.screen && u.screen->leave)
		u.screen->leave(&u);
	term_close();
	const char *dir = session_dir(s) ? session_dir(s) : "";
	const char *head = session_head(s) ? session_head(s) : "";
	if (session_is_closed(s)) {
		struct session_report r[SESSION_N_REPORTS];
		printf(_("The ceremony is closed. Journal head: %s\n"), head);
		session_reports(s, r);
		for (size_t i = 0; i < SESSION_N_REPORTS; i++)
			if (r[i].state == SESSION_REPORT_WRITTEN)
				printf(_("Report written: %s\n"), r[i].path);
			else
				printf(_("Report NOT written: %s: %s\n"), r[i].path,
				       r[i].why ? r[i].why : _("missing; run the same command to write it"));
		session_reports_free(r);
	} else
		printf(_("Session saved in %s (journal head %.16s...). Run the same command to "
			 "resume.\n"), dir, head);
	free(u.header);
	free(u.msg);
	free(u.cosign_msg);
	free(u.witness_asked);
	return u.exit_code;
}
