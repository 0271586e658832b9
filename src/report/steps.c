/* steps.c: the step table and each step's details: what it touches,
 * who did and witnessed it and when, its evidence and results, and the
 * deviations, notes and amendments that concern it. */
#include "ck.h"
#include "report/fmt.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void rw_steps_table(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	static const char *const one[] = { "#", N_("Step"), N_("Resource"), N_("Owner"), N_("Witness"),
					   N_("State"), N_("Confirmed (real time)"), NULL };
	static const char *const two[] = { "#", N_("Step"), N_("Resource"), N_("Owner"), N_("Witness"),
					   N_("State"), N_("Confirmed (real time)"),
					   N_("Confirmed (simulated clock)"), NULL };
	rw_heading(f, o, 2, "steps", _("Steps"));
	f->table(o, "steps-table", m->two_clocks ? two : one);
	for (size_t i = 0; i < m->n_steps; i++) {
		const struct report_step *r = &m->steps[i];
		char t[32], id[32];
		buf_printf(o, "%s%ld%s", f->row_open, r->number, f->cell);
		f->text(o, _(r->step->title));
		buf_puts(o, " ");
		f->code(o, r->step->id);
		if (r->active) {
			snprintf(id, sizeof id, "step-%ld", r->number);
			buf_puts(o, " ");
			rw_link(f, o, id, _("details"));
		}
		buf_puts(o, f->cell);
		f->text(o, r->resource);
		buf_puts(o, f->cell);
		rw_person(f, m, o, r->step->owner);
		buf_puts(o, f->cell);
		if (r->ss->witnessed_by != CK_SIDE_NONE)
			rw_person(f, m, o, r->ss->witnessed_by);
		else
			buf_puts(o, r->step->witness ? _("required") : "\u2014");
		buf_puts(o, f->cell);
		f->state(o, r->state_key, r->state_words);
		buf_puts(o, f->cell);
		report_time(t, r->ss->confirmed_by != CK_SIDE_NONE ? r->ss->confirm_at.real : 0);
		buf_puts(o, t);
		if (m->two_clocks) {
			report_time(t, r->ss->confirmed_by != CK_SIDE_NONE ? r->ss->confirm_at.at : 0);
			buf_printf(o, "%s%s", f->cell, t);
		}
		buf_puts(o, f->row_close);
	}
	buf_puts(o, f->table_close);
}

/* Live: the identity Azure vouched for, as the sign-in on that line named it. */
static void w_observer(const struct report_fmt *f, const struct report_model *m, struct buf *o,
		       const struct sess_result *res)
{
	const struct sess_signin *si = res->observer ? report_signin(m, res->observer) : NULL;
	if (!si)
		return;
	char *who = xasprintf(_("%s (object %s, tenant %s)"), si->upn, si->oid, si->tenant);
	buf_puts(o, _(", signed in as "));
	f->text(o, who);
	free(who);
}

/* A check or perform result: who, when, status, what it found. */
static void w_result(const struct report_fmt *f, const struct report_model *m, struct buf *o,
		     const struct sess_result *res, bool perform, const char *text)
{
	buf_printf(o, _("%s%s by "), f->li,
		   !perform ? _("Checked")
		   : m->rehearsal ? _("Performed on the simulator") : _("Performed in Azure"));
	rw_person(f, m, o, res->by);
	w_observer(f, m, o, res);
	buf_puts(o, _(" at "));
	rw_when(m, o, &res->when);
	buf_printf(o, ": %s%s%s \u2014 ", f->strong_open,
		   check_status_name((enum check_status)res->status), f->strong_close);
	f->text(o, text);
	if (res->detail && *res->detail) {
		f->block(o, res->detail);
		if (f->block_ends_item)
			return;
	}
	buf_puts(o, f->li_end);
}

/* Live --execute: what the owner authorized before the perform in Azure,
 * and the witness's co-signature (the writes that cannot be undone). */
static void w_authorized(const struct report_fmt *f, const struct report_model *m, struct buf *o,
			 const struct sess_step *ss)
{
	const struct sess_auth_done *d = &ss->auth_done;
	if (!d->requests || !ss->last_perform.set)
		return;
	buf_printf(o, _("%sAuthorized by "), f->li);
	rw_person(f, m, o, d->by);
	buf_puts(o, _(" at "));
	rw_when(m, o, &d->at);
	if (d->cosigned.line) {
		buf_puts(o, _(", co-signed by "));
		rw_person(f, m, o, d->cosigned_by);
		buf_puts(o, _(" at "));
		rw_when(m, o, &d->cosigned);
	}
	buf_puts(o, _(": the writes "));
	f->code(o, d->requests);
	buf_puts(o, f->li_end);
}

/* The last perform and the last check, in the order they were recorded. */
static void w_results(const struct report_fmt *f, const struct report_model *m, struct buf *o,
		      const struct report_step *r)
{
	const struct sess_result *c = &r->ss->last_check, *p = &r->ss->last_perform;
	bool perform_first = p->set && (!c->set || p->when.line < c->when.line);
	if (perform_first) {
		w_authorized(f, m, o, r->ss);
		w_result(f, m, o, p, true, r->perform_text);
	}
	if (c->set)
		w_result(f, m, o, c, false, r->check_text);
	if (p->set && !perform_first) {
		w_authorized(f, m, o, r->ss);
		w_result(f, m, o, p, true, r->perform_text);
	}
}

static void w_evidence(const struct report_fmt *f, struct buf *o, const struct report_step *r)
{
	for (size_t k = 0; k < r->ss->n_ev; k++) {
		const struct sess_evidence *ev = &r->ss->ev[k];
		const struct evidence_spec *e = step_evidence_find(r->step, ev->id);
		buf_printf(o, _("%sEvidence "), f->li);
		f->text(o, e && e->label ? _(e->label) : ev->id);
		buf_printf(o, _(" (line %ld): "), ev->seq);
		/* One line reads best as code; more need a block to keep their lines. */
		if (strchr(ev->value, '\n')) {
			f->block(o, ev->value);
			if (f->block_ends_item)
				continue;
		} else {
			f->code(o, ev->value);
		}
		buf_puts(o, f->li_end);
	}
}

static void w_step_links(const struct report_fmt *f, const struct report_model *m, struct buf *o,
			 const struct report_step *r)
{
	char id[48], words[160];
	for (size_t k = 0; k < r->n_devs; k++) {
		const struct sess_deviation *d = &m->h->devs[r->devs[k]];
		snprintf(id, sizeof id, "dev-%ld", d->when.line);
		snprintf(words, sizeof words, _("%s (line %ld)"), d->skip ? _("Skip") : _("Deviation"),
			 d->when.line);
		buf_puts(o, f->li);
		rw_link(f, o, id, words);
		buf_puts(o, ": ");
		f->text(o, d->reason);
		buf_puts(o, f->li_end);
	}
	for (size_t k = 0; k < r->n_notes; k++) {
		const struct sess_note *n = &m->h->notes[r->notes[k]];
		snprintf(id, sizeof id, "note-%ld", n->when.line);
		snprintf(words, sizeof words, _("Note (line %ld)"), n->when.line);
		buf_puts(o, f->li);
		rw_link(f, o, id, words);
		buf_puts(o, _(" by "));
		rw_person(f, m, o, n->by);
		buf_puts(o, ": ");
		f->text(o, n->text);
		buf_puts(o, f->li_end);
	}
	for (size_t k = 0; k < r->n_amends; k++) {
		const struct sess_plan_event *e = &m->h->plan[r->amends[k]];
		snprintf(id, sizeof id, "plan-v%ld-%ld", e->version, e->when.line);
		snprintf(words, sizeof words, _("plan version %ld"), e->version);
		buf_printf(o, _("%sChanged by the amendment to "), f->li);
		rw_link(f, o, id, words);
		buf_puts(o, f->li_end);
	}
}

void rw_step(const struct report_fmt *f, const struct report_model *m, struct buf *o,
	     const struct report_step *r)
{
	const struct step *st = r->step;
	const struct sess_step *ss = r->ss;
	char id[32], t[32];
	snprintf(id, sizeof id, "step-%ld", r->number);
	buf_puts(o, f->step_open);
	f->heading(o, 3, id);
	buf_printf(o, "%ld. ", r->number);
	f->text(o, _(st->title));
	if (r->resource) {
		buf_puts(o, ": ");
		f->text(o, r->resource);
	}
	buf_puts(o, f->heading_end[3]);
	buf_printf(o, _("%s%sStep "), f->ul_open, f->li);
	f->code(o, st->id);
	buf_printf(o, _(" (%s); owner "), _(step_phase_name(st->phase)));
	rw_person(f, m, o, st->owner);
	buf_printf(o, "%s%s%s", st->witness ? _("; witness required") : "",
		   st->critical ? _("; critical") : "", f->li_end);
	buf_printf(o, _("%sState: "), f->li);
	f->state(o, r->state_key, r->state_words);
	if (r->blocked_by) {
		buf_puts(o, _(" (needs "));
		rw_step_link(f, m, o, r->blocked_by);
		buf_puts(o, ")");
	}
	buf_puts(o, f->li_end);
	if (ss->confirmed_by != CK_SIDE_NONE) {
		buf_printf(o, _("%sConfirmed by "), f->li);
		rw_person(f, m, o, ss->confirmed_by);
		buf_puts(o, _(" at "));
		rw_when(m, o, &ss->confirm_at);
		buf_puts(o, f->li_end);
	}
	if (st->critical && ss->typed) {
		buf_printf(o, _("%sCritical: the owner typed the resource name "), f->li);
		f->code(o, ss->typed);
		buf_puts(o, f->li_end);
	}
	if (ss->witnessed_by != CK_SIDE_NONE) {
		buf_printf(o, _("%sWitnessed by "), f->li);
		rw_person(f, m, o, ss->witnessed_by);
		buf_puts(o, _(" at "));
		rw_when(m, o, &ss->witness_at);
		buf_printf(o, _(" (line %ld, signed by the witness)%s"), ss->witness_at.line, f->li_end);
	}
	if (st->wait.kind == WAIT_HOURS) {
		buf_printf(o, _("%sWait: "), f->li);
		report_duration(o, (long)st->wait.hours * 3600);
		report_time(t, r->wait_until);
		if (r->wait_until)
			buf_printf(o, _(", until %s%s"), t, m->two_clocks ? _(" (simulated clock)") : "");
		buf_puts(o, f->li_end);
	} else if (st->wait.kind == WAIT_EVENT) {
		buf_printf(o, _("%sWait for: "), f->li);
		f->text(o, st->wait.event);
		if (ss->arrived) {
			buf_puts(o, _("; arrived "));
			rw_when(m, o, &ss->arrive_at);
			buf_puts(o, ": ");
			f->text(o, ss->arrived_what);
		}
		buf_puts(o, f->li_end);
	}
	w_evidence(f, o, r);
	w_results(f, m, o, r);
	if (ss->skipped) {
		buf_printf(o, _("%sSkipped: "), f->li);
		f->text(o, ss->reason);
		buf_puts(o, f->li_end);
	}
	w_step_links(f, m, o, r);
	buf_puts(o, f->ul_close);
	buf_puts(o, f->step_close);
}
