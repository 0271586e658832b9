/* stepview.c: one step, explained: state and who acts next, owner and
 * witness, why it matters, the commands for the chosen shell, the evidence
 * and the last check. Pure text building; drawing is the list's job. */
#include "ck.h"
#include "stepview.h"
#include "session.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char *stepview_shell_name(enum session_shell sh)
{
	return sh == SESSION_SHELL_BASH ? _("bash (Azure CLI)") : _("PowerShell");
}

enum term_glyph stepview_glyph(enum session_step_state state, bool current, enum term_slot *slot)
{
	switch (state) {
	case STEP_DONE: *slot = SLOT_DONE; return G_DONE;
	case STEP_SKIPPED: *slot = SLOT_DIM; return G_SKIPPED;
	case STEP_FAILED: *slot = SLOT_FAILED; return G_FAILED;
	case STEP_WAIT_WITNESS: *slot = SLOT_WAITING; return G_WAIT_OTHER;
	case STEP_WAIT_TIME:
	case STEP_WAIT_EVENT: *slot = SLOT_WAITING; return G_WAIT_TIME;
	case STEP_BLOCKED: *slot = SLOT_DIM; return G_BLOCKED;
	case STEP_PENDING: *slot = SLOT_DIM; return G_TODO;
	case STEP_READY: break;
	}
	*slot = current ? SLOT_CURRENT : SLOT_NORMAL;
	return current ? G_CURRENT : G_TODO;
}

char *stepview_commands(struct ui *u, size_t i, enum session_shell sh, int *placeholders)
{
	struct buf b = BUF_INIT;
	*placeholders = session_step_commands(u->s, i, sh, &b);
	if (!b.len) /* a form or an e-mail: shown, copied and exported the same way */
		*placeholders = session_step_text(u->s, i, &b);
	return buf_steal(&b);
}

static void sv_add(struct lines *l, int w, const char *s, int indent, enum term_slot slot)
{
	lines_add(l, s, w, indent, 2, slot);
}

static char *sv_state(struct ui *u, const struct session_step_info *si)
{
	char tb[40];
	const char *st = session_step_state_name(si->state);
	char *who = si->who_next != CK_SIDE_NONE ? ui_op_name(u, si->who_next) : NULL;
	char *r;
	switch (si->state) {
	case STEP_WAIT_TIME:
		/* the state's own name already ends in "until" */
		r = xasprintf(_("State: waiting until %s."), ui_time(si->wait_until, tb, sizeof tb));
		break;
	case STEP_WAIT_EVENT:
		r = xasprintf(_("State: %s: %s. %s records it when it arrives (c)."), st,
			      si->wait_event ? si->wait_event : "?", who ? who : _("The owner"));
		break;
	case STEP_BLOCKED:
		r = xasprintf(_("State: %s: first %s."), st, si->blocked_by ? si->blocked_by : "?");
		break;
	case STEP_SKIPPED:
		r = xasprintf(_("State: %s. Reason: %s"), st, si->reason ? si->reason : "-");
		break;
	default:
		r = who ? xasprintf(_("State: %s. Next: %s."), st, who) : xasprintf(_("State: %s."), st);
	}
	free(who);
	return r;
}

/* The order within a step, as a short checklist with the current item
 * marked: perform or run, evidence, confirm, witness. */
static void sv_order(struct ui *u, size_t i, const struct session_step_view *st,
		     const struct session_step_info *si, int w, struct lines *out)
{
	if (si->state == STEP_SKIPPED)
		return;
	struct session_evidence_view e;
	bool any_ev = false, all_ev = true;
	for (size_t k = 0; k < st->n_evidence; k++) {
		if (!session_step_evidence_view(u->s, i, k, &e))
			continue;
		any_ev |= e.value != NULL;
		all_ev &= e.value != NULL || e.optional;
	}
	bool confirmed = si->confirmed_by != CK_SIDE_NONE;
	int ph = 0;
	char *cmd = stepview_commands(u, i, SESSION_SHELL_POWERSHELL, &ph);
	bool has_cmd = *cmd != '\0';
	free(cmd);
	struct {
		const char *name;
		bool show, done;
	} it[] = {
		{ session_mode(u->s) == SESSION_REHEARSAL ? _("perform") : _("run"), has_cmd,
		  si->check != NULL || any_ev || confirmed },
		{ _("evidence"), st->n_evidence > 0, all_ev || confirmed },
		{ _("confirm"), true, confirmed },
		{ _("witness"), st->witness, si->witnessed_by != CK_SIDE_NONE },
	};
	struct buf b = BUF_INIT;
	bool current = false;
	buf_puts(&b, _("Order:"));
	for (size_t k = 0; k < CK_ARRAY_LEN(it); k++) {
		if (!it[k].show)
			continue;
		enum term_glyph g = G_TODO;
		if (it[k].done) {
			g = G_DONE;
		} else if (!current) {
			g = G_CURRENT;
			current = true;
		}
		buf_printf(&b, " %s%s", term_glyph(g), it[k].name);
	}
	sv_add(out, w, buf_str(&b), 0, SLOT_NORMAL);
	buf_free(&b);
}

static void sv_evidence(struct ui *u, size_t i, const struct session_step_view *st, int w,
			struct lines *out)
{
	if (!st->n_evidence)
		return;
	lines_blank(out);
	sv_add(out, w, _("Evidence (e enters it; checked as you type)"), 0, SLOT_HEADING);
	for (size_t k = 0; k < st->n_evidence; k++) {
		struct session_evidence_view e;
		if (!session_step_evidence_view(u->s, i, k, &e))
			break;
		const char *v = e.value;
		char *t = xasprintf("%s %s%s: %s", term_glyph(v ? G_DONE : G_BULLET), e.label,
				    e.optional ? _(" (optional)") : "",
				    v ? v : _("not entered"));
		lines_add(out, t, w, 1, 4, v ? SLOT_NORMAL : SLOT_WARN);
		free(t);
		if (!v && e.hint)
			lines_add(out, e.hint, w, 4, 0, SLOT_DIM);
	}
}

static void sv_check(struct ui *u, const struct session_step_info *si, int w,
		     struct lines *out)
{
	lines_blank(out);
	sv_add(out, w, session_mode(u->s) == SESSION_REHEARSAL ? _("Check (v runs it; p performs the step in the simulator)")
					 : _("Check (v records it)"), 0, SLOT_HEADING);
	if (!si->check) {
		sv_add(out, w, _("not checked yet"), 1, SLOT_DIM);
		return;
	}
	char tb[40];
	enum term_slot slot = si->check->status == SESSION_CHECK_PASS ? SLOT_DONE :
			      si->check->status == SESSION_CHECK_FAIL ? SLOT_FAILED : SLOT_WARN;
	char *t = xasprintf("%s%s %s: %s", si->check->performed ? _("performed, ") : "",
			    session_check_status_name(si->check->status),
			    ui_time(si->check->at, tb, sizeof tb),
			    si->check->summary ? si->check->summary : "");
	sv_add(out, w, t, 1, slot);
	free(t);
	if (si->check->detail)
		lines_add(out, si->check->detail, w, 3, 2, SLOT_NORMAL);
	if (si->check->status == SESSION_CHECK_FAIL)
		/* The session compares the plan file when it opens: an amendment
		 * (a vault name taken, say) is picked up by running again. */
		sv_add(out, w, _("If the plan must change (a name is taken, say): edit the plan "
				 "file, press q and run the same command again; the change is shown "
				 "for both operators to sign and verify."), 1, SLOT_DIM);
}

void stepview_build(struct ui *u, size_t i, enum session_shell sh, int w, struct lines *out)
{
	struct session_step_info si;
	struct session_step_view sv;
	if (!session_step_view(u->s, i, &sv))
		return;
	session_step_info(u->s, i, &si);
	const struct session_step_view *st = &sv;
	char *t;
	if (st->subject)
		t = xasprintf("%s: %s", st->title, st->subject);
	else
		t = xstrdup(st->title);
	sv_add(out, w, t, 0, SLOT_HEADING);
	free(t);
	t = xasprintf(_("Step %zu of %zu: %s"), i + 1, session_n_steps(u->s), st->id);
	sv_add(out, w, t, 0, SLOT_DIM);
	free(t);
	t = sv_state(u, &si);
	sv_add(out, w, t, 0, si.state == STEP_FAILED ? SLOT_FAILED : SLOT_CURRENT);
	free(t);
	sv_order(u, i, st, &si, w, out);
	char *owner = ui_op_name(u, st->owner);
	char *witness = st->witness ? ui_op_name(u, ck_other_side(st->owner)) : xstrdup(_("none"));
	t = xasprintf(_("Owner: %s.  Witness: %s."), owner, witness);
	sv_add(out, w, t, 0, SLOT_NORMAL);
	free(t);
	free(owner);
	free(witness);
	if (st->critical && st->confirm_name) {
		t = xasprintf(_("Critical: to confirm, type the resource name %s"), st->confirm_name);
		sv_add(out, w, t, 0, SLOT_WARN);
		free(t);
	}
	if (st->wait == SESSION_WAIT_HOURS) {
		t = xasprintf(_("Wait: %d hours after this step."), st->wait_hours);
		sv_add(out, w, t, 0, SLOT_WAITING);
		free(t);
	} else if (st->wait == SESSION_WAIT_EVENT) {
		t = st->wait_max_business_days > 0
			    ? xasprintf(_("Wait: until %s (up to %d business days)."), st->wait_event,
					st->wait_max_business_days)
			    : xasprintf(_("Wait: until %s."), st->wait_event);
		sv_add(out, w, t, 0, SLOT_WAITING);
		free(t);
	}
	if (st->source) {
		t = xasprintf(_("Source: %s"), st->source);
		sv_add(out, w, t, 0, SLOT_DIM);
		free(t);
	}
	lines_blank(out);
	sv_add(out, w, _("Why it matters"), 0, SLOT_HEADING);
	lines_add(out, st->why, w, 1, 0, SLOT_NORMAL);
	lines_blank(out);
	int ph = 0;
	char *cmd = stepview_commands(u, i, sh, &ph);
	struct buf shell = BUF_INIT;
	session_step_commands(u->s, i, sh, &shell);
	t = !shell.len && *cmd ? xstrdup(_("To send or fill in (l shows it plainly, to copy)"))
			       : xasprintf(_("Commands for %s (b switches)"), stepview_shell_name(sh));
	buf_free(&shell);
	sv_add(out, w, t, 0, SLOT_HEADING);
	free(t);
	if (*cmd) {
		lines_add_code(out, cmd, w, 1, 2, SLOT_NORMAL);
		if (ph > 0) {
			t = xasprintf(ngettext("%d value still to fill in: enter the evidence "
					       "of the earlier steps first.",
					       "%d values still to fill in: enter the evidence "
					       "of the earlier steps first.", (unsigned long)ph),
				      ph);
			sv_add(out, w, t, 1, SLOT_WARN);
			free(t);
		}
		sv_add(out, w, _("l: full width to copy    X: export to a file    y: clipboard"), 1,
		       SLOT_DIM);
	} else {
		sv_add(out, w, _("none: this step is done outside a shell"), 1, SLOT_DIM);
	}
	free(cmd);
	sv_evidence(u, i, st, w, out);
	sv_check(u, &si, w, out);
}
