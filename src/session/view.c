/* view.c: what the screens show of a step, so ui/ reads the session
 * through session.h alone: display data copied out of the catalogue, the
 * evidence rules as the operator types, and the rendered commands. */
#include "ck.h"
#include "session.h"
#include "session/session_int.h"
#include "azure/backend.h"
#include "steps.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* session_check.status carries the backends' values unchanged. */
_Static_assert((int)SESSION_CHECK_PASS == (int)CHECK_PASS &&
	       (int)SESSION_CHECK_FAIL == (int)CHECK_FAIL &&
	       (int)SESSION_CHECK_PENDING == (int)CHECK_PENDING &&
	       (int)SESSION_CHECK_UNAVAILABLE == (int)CHECK_UNAVAILABLE,
	       "session_check_status mirrors check_status");
_Static_assert((int)SESSION_SHELL_POWERSHELL == (int)SHELL_POWERSHELL &&
	       (int)SESSION_SHELL_BASH == (int)SHELL_BASH, "session_shell mirrors step_shell");

const char *session_check_status_name(enum session_check_status st)
{
	return check_status_name((enum check_status)st);
}

const char *session_plan_path(const struct session *s)
{
	return s->j ? s->plan_path : NULL;
}

/* The evidence getter's context is void * (it is shared with the runbook);
 * session_evidence only reads through it. */
static void *sv_ctx(const struct session *s)
{
	union {
		const struct session *c;
		void *v;
	} u = { .c = s };
	return u.v;
}

static const struct step *sv_step(const struct session *s, size_t i)
{
	struct session_step_info si;
	if (i >= session_n_steps(s))
		return NULL;
	session_step_info(s, i, &si);
	return si.step;
}

bool session_step_view(const struct session *s, size_t i, struct session_step_view *out)
{
	memset(out, 0, sizeof *out);
	const struct step *st = sv_step(s, i);
	if (!st)
		return false;
	out->id = st->id;
	out->title = _(st->title);
	out->subject = st->subject;
	out->why = st->why ? _(st->why) : "";
	out->source = st->source;
	out->phase = (int)st->phase;
	out->phase_name = _(step_phase_name(st->phase));
	out->side = st->side;
	out->owner = st->owner;
	out->witness = st->witness;
	out->critical = st->critical;
	out->confirm_name = st->confirm_name;
	/* The offboarding ceremony is made of management tasks. */
	out->management = st->management && !s->cat->offboarding;
	switch (st->wait.kind) {
	case WAIT_HOURS:
		out->wait = SESSION_WAIT_HOURS;
		out->wait_hours = st->wait.hours;
		break;
	case WAIT_EVENT:
		out->wait = SESSION_WAIT_EVENT;
		out->wait_event = st->wait.event ? _(st->wait.event) : "?";
		out->wait_max_business_days = st->wait.max_business_days;
		break;
	case WAIT_NONE:
		out->wait = SESSION_WAIT_NONE;
		break;
	}
	out->n_evidence = st->n_evidence;
	return true;
}

bool session_step_evidence_view(const struct session *s, size_t i, size_t k,
				struct session_evidence_view *out)
{
	memset(out, 0, sizeof *out);
	const struct step *st = sv_step(s, i);
	if (!st || k >= st->n_evidence)
		return false;
	const struct evidence_spec *e = &st->evidence[k];
	out->id = e->id;
	out->label = _(e->label);
	out->hint = e->hint ? _(e->hint) : NULL;
	out->choices = e->choices;
	out->optional = e->optional;
	out->confirm = e->kind == EV_CONFIRM;
	out->multiline = evidence_kind_multiline(e->kind);
	out->value = session_evidence(sv_ctx(s), st->id, e->id);
	return true;
}

char *session_evidence_problem(const struct session *s, size_t i, size_t k, const char *value)
{
	const struct step *st = sv_step(s, i);
	if (!st || k >= st->n_evidence)
		return xstrdup(_("no such evidence"));
	if (!value || !*value)
		return xstrdup(_("empty"));
	char *norm = NULL, *err = NULL;
	int rc = steps_validate_evidence_with(s->cat, st, &st->evidence[k], value, session_evidence,
					      sv_ctx(s), &norm, &err);
	free(norm);
	if (rc == 0) {
		free(err);
		return NULL;
	}
	return err ? err : xstrdup(_("not valid"));
}

int session_step_commands(const struct session *s, size_t i, enum session_shell sh,
			  struct buf *out)
{
	const struct step *st = sv_step(s, i);
	if (!st)
		return 0;
	return steps_render_commands(s->cat, st, (enum step_shell)sh, session_evidence, sv_ctx(s),
				     out);
}
