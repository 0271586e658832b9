/* model.c: the report's typed model (model.h), built from the
 * session's typed record: step rows with their resource, latest result and
 * links to the deviations, notes and amendments that concern them. */
#include "azure/results.h"
#include "ck.h"
#include "report/model.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *key, *words;
} state_names[] = {
	[STEP_PENDING] = { "pending", N_("pending (plan not verified)") },
	[STEP_READY] = { "ready", N_("to do") },
	[STEP_BLOCKED] = { "blocked", N_("blocked by a prerequisite") },
	[STEP_WAIT_WITNESS] = { "waiting-witness", N_("waiting for witness") },
	[STEP_WAIT_TIME] = { "waiting-time", N_("waiting until a time") },
	[STEP_WAIT_EVENT] = { "waiting-event", N_("waiting for an outside event") },
	[STEP_DONE] = { "done", N_("done") },
	[STEP_SKIPPED] = { "skipped", N_("skipped") },
	[STEP_FAILED] = { "failed", N_("check failed") },
};

void report_time(char out[32], time_t t)
{
	struct tm tm;
	if (t <= 0 || !gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm))
		strcpy(out, "\u2014");
}

void report_duration(struct buf *o, long sec)
{
	static const long units[] = { 86400, 3600, 60, 1 };
	int shown = 0;
	if (sec <= 0) {
		buf_puts(o, _("no time"));
		return;
	}
	/* Two units at most: "5 days 3 hours" says enough for a review. */
	for (size_t i = 0; i < CK_ARRAY_LEN(units) && shown < 2; i++) {
		long n = sec / units[i];
		if (!n) {
			if (shown)
				break;
			continue;
		}
		buf_puts(o, shown ? " " : "");
		/* Literal plurals, one per unit, so the catalogue has each. */
		switch (i) {
		case 0:
			buf_printf(o, ngettext("%ld day", "%ld days", (unsigned long)n), n);
			break;
		case 1:
			buf_printf(o, ngettext("%ld hour", "%ld hours", (unsigned long)n), n);
			break;
		case 2:
			buf_printf(o, ngettext("%ld minute", "%ld minutes", (unsigned long)n), n);
			break;
		default:
			buf_printf(o, ngettext("%ld second", "%ld seconds", (unsigned long)n), n);
			break;
		}
		sec -= n * units[i];
		shown++;
	}
}

char *report_person(const struct report_model *m, int side)
{
	if (side != CK_SIDE_A && side != CK_SIDE_B)
		return xstrdup(_("nobody"));
	if (!m->operator_name[side] || !*m->operator_name[side])
		return xasprintf(_("operator %s"), sess_side_name(side));
	return xasprintf("%s (%s)", m->operator_name[side], sess_side_name(side));
}

const struct sess_signin *report_signin(const struct report_model *m, long line)
{
	for (size_t i = 0; line > 0 && i < m->h->n_signins; i++)
		if (m->h->signins[i].when.line == line)
			return &m->h->signins[i];
	return NULL;
}

/* What a step touches, in words a reviewer checks against the plan. */
static char *step_resource(const struct step *st)
{
	const struct step_check *k = &st->check;
	if (k->key && k->vault && st->template_id && strncmp(st->template_id, "key.", 4) == 0)
		return xasprintf(_("key %s in vault %s"), k->key, k->vault);
	if (k->vault)
		return xasprintf(_("vault %s"), k->vault);
	if (st->subject)
		return step_subject(st, true);
	if (k->resource_group)
		return xasprintf(_("resource group %s"), k->resource_group);
	if (k->subscription)
		return xasprintf(_("subscription %s"), k->subscription);
	return NULL;
}

static void push_index(size_t **v, size_t *n, size_t i)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = i;
}

/* In the language of the messages (English for the JSON report, which is
 * rendered in English); a format-1 journal's results are English prose. */
static char *result_words(const struct sess_result *r)
{
	if (!r->set)
		return NULL;
	return r->code ? result_phrase(r->code, r->args, r->n_args, true)
		       : xstrdup(r->prose ? r->prose : "");
}

static const struct sess_result *latest_result(const struct sess_step *ss)
{
	const struct sess_result *a = ss->last_check.set ? &ss->last_check : NULL;
	const struct sess_result *b = ss->last_perform.set ? &ss->last_perform : NULL;
	if (a && b)
		return a->when.line > b->when.line ? a : b;
	return a ? a : b;
}

/* The step in hand when line was recorded: started before it, not yet
 * confirmed then; the most recently started one wins. */
static long step_in_hand(const struct report_model *m, long line)
{
	long best = -1, best_line = 0;
	for (size_t i = 0; i < m->n_steps; i++) {
		const struct sess_step *ss = m->steps[i].ss;
		if (ss->start_at.line && ss->start_at.line < line &&
		    (!ss->confirm_at.line || ss->confirm_at.line > line) && ss->start_at.line > best_line) {
			best = (long)i;
			best_line = ss->start_at.line;
		}
	}
	return best;
}

static void link_history(struct report_model *m)
{
	const struct sess_history *h = m->h;
	for (size_t d = 0; d < h->n_devs; d++) {
		long i = h->devs[d].step ? session_step_index(m->s, h->devs[d].step) : -1;
		if (h->devs[d].skip)
			m->n_skips++;
		else
			m->n_deviations++;
		if (i >= 0)
			push_index(&m->steps[i].devs, &m->steps[i].n_devs, d);
	}
	for (size_t k = 0; k < h->n_notes; k++) {
		long i = step_in_hand(m, h->notes[k].when.line);
		if (i >= 0)
			push_index(&m->steps[i].notes, &m->steps[i].n_notes, k);
	}
	for (size_t p = 0; p < h->n_plan; p++) {
		if (h->plan[p].type != SEV_PLAN_AMEND)
			continue;
		m->n_amends++;
		for (size_t r = 0; r < h->plan[p].n_reset; r++) {
			long i = session_step_index(m->s, h->plan[p].reset_steps[r]);
			if (i >= 0)
				push_index(&m->steps[i].amends, &m->steps[i].n_amends, p);
		}
	}
}

void report_model_build(const struct session *s, struct report_model *m)
{
	time_t at = s->h.last.at;
	memset(m, 0, sizeof *m);
	m->s = s;
	m->h = &s->h;
	m->plan = s->plan;
	session_problem(s, &m->problem);
	m->rehearsal = s->mode == SESSION_REHEARSAL;
	m->closed = s->closed;
	m->first = s->h.opened;
	m->last = s->h.last;
	m->two_clocks = s->h.n_clock > 0;
	report_lang_now(m->lang);
	if (!s->plan)
		return;
	m->demo_keys = session_uses_demo_keys(s);
	m->org_name = s->plan->org.name;
	m->tenant_domain = s->plan->org.tenant_domain;
	m->tenant_id = s->plan->org.tenant_id;
	for (int side = 0; side < CK_SIDES; side++)
		m->operator_name[side] = s->plan->op[side].name;
	m->n_steps = s->cat ? s->cat->n_steps : 0;
	m->steps = xcalloc(m->n_steps ? m->n_steps : 1, sizeof *m->steps);
	for (size_t i = 0; i < m->n_steps; i++) {
		struct report_step *r = &m->steps[i];
		const struct sess_result *res;
		r->number = (long)i + 1;
		r->step = &s->cat->steps[i];
		r->ss = sess_step_get(s, i);
		r->state = sess_step_state(s, i, at, &r->blocked_by);
		if (r->state != STEP_BLOCKED)
			r->blocked_by = NULL;
		r->state_key = state_names[r->state].key;
		r->state_words = _(state_names[r->state].words);
		r->resource = step_resource(r->step);
		res = latest_result(r->ss);
		r->result = res;
		if (res)
			r->result_text = result_words(res);
		r->check_text = result_words(&r->ss->last_check);
		r->perform_text = result_words(&r->ss->last_perform);
		if (r->step->wait.kind == WAIT_HOURS && r->ss->confirmed_by != CK_SIDE_NONE)
			r->wait_until = r->ss->confirmed_at + (time_t)r->step->wait.hours * 3600;
		m->n_open += r->state != STEP_DONE && r->state != STEP_SKIPPED;
	}
	link_history(m);
	for (size_t i = 0; i < m->n_steps; i++) {
		struct report_step *r = &m->steps[i];
		r->active = r->ss->started || r->ss->confirmed_by != CK_SIDE_NONE || r->ss->n_ev ||
			    r->result || r->ss->skipped || r->n_devs || r->n_notes;
	}
}

void report_model_free(struct report_model *m)
{
	for (size_t i = 0; i < m->n_steps; i++) {
		free(m->steps[i].resource);
		free(m->steps[i].result_text);
		free(m->steps[i].check_text);
		free(m->steps[i].perform_text);
		free(m->steps[i].devs);
		free(m->steps[i].notes);
		free(m->steps[i].amends);
	}
	free(m->steps);
	memset(m, 0, sizeof *m);
}
