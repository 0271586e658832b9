/* walk.c: the report, section by section, walked once over the typed
 * report model; each format gives a table of emitters (fmt.h).
 *
 * For a reviewing team: people by name, every time on the clock it was
 * recorded with (a rehearsal's simulated clock is shown beside the real one,
 * never mixed in one column), each deviation, skip, note and amendment both
 * in its own list and under the step it concerns, and how to verify. */
#include "ck.h"
#include "report/fmt.h"
#include "report/terminals.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A person, escaped: "Alice Ames (A)". */
static const struct {
	const char *id, *word, *says;
} banners[] = {
	{ "rehearsal", N_("REHEARSAL"),
	  N_("a practice run against the built-in simulator. Nothing here happened in Azure.") },
	{ "demo", N_("DEMO KEYS"),
	  N_("the bundled demo operators signed this journal: it proves nothing about real people.") },
};

static void w_banners(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	const bool on[] = { m->rehearsal, m->demo_keys };
	for (size_t i = 0; i < CK_ARRAY_LEN(banners); i++)
		if (on[i]) {
			f->banner(o, banners[i].id, _(banners[i].word));
			buf_puts(o, _(banners[i].says));
			buf_puts(o, f->banner_close);
		}
	if (m->problem) {
		f->banner(o, "problem", _("JOURNAL PROBLEM"));
		f->text(o, m->problem);
		buf_puts(o, f->banner_close);
	}
}

static void w_row(const struct report_fmt *f, struct buf *o, const char *k)
{
	buf_printf(o, "%s%s%s", f->row_open, _(k), f->cell);
}

static void w_summary(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	static const char *const cols[] = { "", "", NULL };
	const struct session *s = m->s;
	const struct sess_closing *cl = &m->h->closing;
	f->table(o, "summary", cols);
	w_row(f, o, N_("Organisation"));
	f->text(o, m->org_name);
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Tenant"));
	f->text(o, m->tenant_domain);
	buf_puts(o, " (");
	f->text(o, m->tenant_id);
	buf_printf(o, ")%s", f->row_close);
	w_row(f, o, N_("Status"));
	if (cl->closed) {
		buf_puts(o, _("closed "));
		rw_when(m, o, &cl->when);
		buf_puts(o, _(", signed by "));
		rw_people(f, m, o, cl->signed_by);
	} else {
		buf_printf(o, _("%sopen%s: the ceremony was not closed"), f->strong_open, f->strong_close);
	}
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Mode"));
	buf_puts(o, m->rehearsal ? _("rehearsal (simulator)") : _("run (a real ceremony)"));
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Opened"));
	rw_when(m, o, &m->first);
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Last event"));
	rw_when(m, o, &m->last);
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Took"));
	report_duration(o, (long)(m->last.real - m->first.real));
	if (m->two_clocks) {
		buf_puts(o, _(" of real time; "));
		report_duration(o, (long)(m->last.at - m->first.at));
		buf_puts(o, _(" on the simulated clock"));
	}
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Plan"));
	buf_printf(o, _("version %ld, SHA-256 %s%s%s, "), s->plan_version, f->code_open, m->plan->sha256,
		   f->code_close);
	if (s->verified) {
		buf_puts(o, _("verified by "));
		rw_person(f, m, o, s->verifier);
	} else {
		buf_printf(o, _("%snot verified%s"), f->strong_open, f->strong_close);
	}
	buf_puts(o, f->row_close);
	w_row(f, o, N_("Tool"));
	f->text(o, s->tool_version);
	buf_printf(o, _("; journal format %ld, report format %d%s"), m->h->format, REPORT_FORMAT,
		   f->row_close);
	w_row(f, o, N_("Journal"));
	buf_printf(o, _("%zu events%s"), s->n_ev, f->row_close);
	buf_puts(o, f->table_close);
}

/* The counts a reviewer starts from, each a link to its list. */
static void w_counts(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	const struct {
		char *words;
		const char *id;
	} c[] = {
		{ xasprintf(ngettext("%zu open item", "%zu open items", m->n_open), m->n_open),
		  "open-items" },
		{ xasprintf(ngettext("%zu deviation", "%zu deviations", m->n_deviations),
			    m->n_deviations), "deviations" },
		{ xasprintf(ngettext("%zu skip", "%zu skips", m->n_skips), m->n_skips), "deviations" },
		{ xasprintf(ngettext("%zu note", "%zu notes", m->h->n_notes), m->h->n_notes), "notes" },
		{ xasprintf(ngettext("%zu amendment", "%zu amendments", m->n_amends), m->n_amends),
		  "plan-history" },
	};
	buf_printf(o, _("%s%zu steps: "), f->p_open, m->n_steps);
	for (size_t i = 0; i < CK_ARRAY_LEN(c); i++) {
		buf_puts(o, i ? ", " : "");
		rw_link(f, o, c[i].id, c[i].words);
		free(c[i].words);
	}
	buf_printf(o, ".%s", f->p_close);
	buf_printf(o, "%s%s%s%s%s", f->head_open, _("Journal head hash (note it on paper):"),
		   f->head_mid, m->s->head, f->head_close);
}

static void w_verify(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	static const char *const cols[] = { N_("Exit code"), N_("Meaning"), NULL };
	static const struct {
		int code;
		const char *meaning;
	} codes[] = {
		{ CK_EXIT_OK, N_("valid: the ceremony is closed and every anchor given holds") },
		{ CK_EXIT_FAIL, N_("not valid: a line, signature or rule is broken, or an anchor differs") },
		{ CK_EXIT_INPUT, N_("a file could not be read, or the command was mistyped") },
		{ CK_EXIT_OPEN, N_("valid, but the ceremony is still open") },
	};
	rw_heading(f, o, 2, "verify", _("How to verify this report"));
	buf_printf(o, _("%sWith the journal, the plan the team holds on paper and the head hash noted "
		      "at the ceremony, run:%s"), f->p_open, f->p_close);
	f->block(o, "ckwizard verify journal.jsonl --plan plan.yaml --report THIS-REPORT \\\n"
		    "    --head HEAD");
	buf_printf(o, _("%swhere HEAD is %s%s%s. It replays every line, checks every signature "
		      "against the plan's keys and re-renders this report byte for byte.%s"),
		   f->p_open, f->code_open, m->s->head, f->code_close, f->p_close);
	f->table(o, "exit-codes", cols);
	for (size_t i = 0; i < CK_ARRAY_LEN(codes); i++)
		buf_printf(o, "%s%d%s%s%s", f->row_open, codes[i].code, f->cell, _(codes[i].meaning),
			   f->row_close);
	buf_puts(o, f->table_close);
}

static void w_clocks(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	long moved = m->h->n_clock ? m->h->clock[m->h->n_clock - 1].offset : 0;
	if (!m->two_clocks)
		return;
	buf_printf(o, _("%s%sTwo clocks.%s Times are real (wall clock) times. This rehearsal moved "
		      "its simulated clock forward by "), f->p_open, f->strong_open, f->strong_close);
	report_duration(o, moved);
	buf_puts(o, _(" in all ("));
	rw_link(f, o, "clock", _("simulated clock"));
	buf_printf(o, _("); the steps ran on that clock, so their times are also shown on it, in a "
		      "column of their own.%s"), f->p_close);
}

static void w_operators(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	static const char *const cols[] = { N_("Side"), N_("Name"), "UPN", N_("Key fingerprint"), N_("Roles"), NULL };
	rw_heading(f, o, 2, "operators", _("Operators"));
	f->table(o, "operators-table", cols);
	for (int side = 0; side < CK_SIDES; side++) {
		const struct plan_operator *op = &m->plan->op[side];
		char *fp = pubkey_fingerprint(op->pub);
		bool demo = pubkey_demo_find(op->pub) != NULL, first = true;
		const char *roles[] = { m->plan->author == side ? _("plan author") : NULL,
					m->plan->tenant_admin == side ? _("tenant admin") : NULL,
					demo ? _("DEMO KEY") : NULL };
		buf_printf(o, "%s%s%s", f->row_open, sess_side_name(side), f->cell);
		f->text(o, m->operator_name[side]);
		buf_puts(o, f->cell);
		f->text(o, op->upn);
		buf_puts(o, f->cell);
		f->code(o, fp);
		buf_puts(o, f->cell);
		for (size_t i = 0; i < CK_ARRAY_LEN(roles); i++)
			if (roles[i]) {
				buf_printf(o, "%s%s", first ? "" : ", ", roles[i]);
				first = false;
			}
		buf_printf(o, "%s%s", first ? "\u2014" : "", f->row_close);
		free(fp);
	}
	buf_puts(o, f->table_close);
}

static void w_plan_event(const struct report_fmt *f, const struct report_model *m, struct buf *o,
			 const struct sess_plan_event *e)
{
	char id[32];
	snprintf(id, sizeof id, "plan-v%ld-%ld", e->version, e->when.line);
	buf_puts(o, f->li);
	f->anchor(o, id);
	rw_when(m, o, &e->when);
	buf_printf(o, _(" (line %ld): version %ld %s%s%s "), e->when.line, e->version, f->code_open,
		   e->sha256, f->code_close);
	if (e->type == SEV_PLAN_APPROVE) {
		buf_puts(o, _("approved by its author "));
		rw_person(f, m, o, e->by);
	} else if (e->type == SEV_PLAN_VERIFY) {
		buf_puts(o, _("verified by "));
		rw_person(f, m, o, e->by);
		buf_puts(o, _("; checklist answered yes:"));
		for (size_t k = 0; k < e->n_check; k++) {
			buf_puts(o, " ");
			f->code(o, e->check_ids[k]);
			if (!e->check_yes[k])
				buf_printf(o, _(" (%sno%s)"), f->strong_open, f->strong_close);
		}
		buf_puts(o, _("; warnings acknowledged:"));
		if (!e->n_acked)
			buf_puts(o, _(" none"));
		for (size_t k = 0; k < e->n_acked; k++) {
			buf_puts(o, " ");
			f->code(o, e->acked[k]);
		}
	} else {
		buf_puts(o, _("amended, signed by "));
		rw_people(f, m, o, e->signed_by);
		buf_printf(o, _("; steps it changed: %zu"), e->n_reset);
		for (size_t k = 0; k < e->n_reset && k < 50; k++) {
			buf_puts(o, k ? ", " : " (");
			rw_step_link(f, m, o, e->reset_steps[k]);
		}
		buf_puts(o, e->n_reset ? ")" : "");
		if (e->diff) {
			buf_puts(o, ":");
			f->block(o, e->diff);
			if (f->block_ends_item)
				return;
		}
	}
	buf_puts(o, f->li_end);
}

static void w_plan(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	const struct session *s = m->s;
	rw_heading(f, o, 2, "plan-history", _("Plan approval, verification and amendments"));
	buf_puts(o, f->ul_open);
	if (!m->h->n_plan)
		buf_printf(o, _("%sThe plan was never approved.%s"), f->li, f->li_end);
	for (size_t i = 0; i < m->h->n_plan; i++)
		w_plan_event(f, m, o, &m->h->plan[i]);
	buf_puts(o, f->ul_close);
	if (!s->n_warn)
		return;
	buf_printf(o, _("%sRule warnings of the current version:%s%s"), f->p_open, f->p_close, f->ul_open);
	for (size_t i = 0; i < s->n_warn; i++) {
		buf_puts(o, f->li);
		f->code(o, s->warn_ids[i]);
		buf_puts(o, " ");
		f->text(o, s->warn_msgs[i]);
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->ul_close);
}

static void w_sittings(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	static const char *const cols[] = { "#", N_("Opened (real time)"), N_("Closed (real time)"),
					    N_("Length"), N_("Present"), NULL };
	char t[32];
	rw_heading(f, o, 2, "sittings", _("Sittings"));
	f->table(o, "sittings-table", cols);
	for (size_t i = 0; i < m->h->n_sittings; i++) {
		const struct sess_sitting *st = &m->h->sittings[i];
		report_time(t, st->opened.real);
		buf_printf(o, "%s%ld%s%s%s", f->row_open, st->number, f->cell, t, f->cell);
		if (st->closed.line) {
			report_time(t, st->closed.real);
			buf_puts(o, t);
			/* nobody closed it: its ckwizard died, and the next sitting
			 * ended it at the last line seen in it */
			if (st->closed_stale)
				buf_printf(o, _(" (last seen, line %ld; ended by the next sitting)"),
					   st->closed.line);
			buf_puts(o, f->cell);
			report_duration(o, (long)(st->closed.real - st->opened.real));
		} else {
			buf_printf(o, "%s%s\u2014", _("still open"), f->cell);
		}
		buf_puts(o, f->cell);
		rw_people(f, m, o, st->present);
		buf_puts(o, f->row_close);
	}
	buf_puts(o, f->table_close);
}

static void w_deviations(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	rw_heading(f, o, 2, "deviations", _("Deviations and skips"));
	buf_puts(o, f->ul_open);
	if (!m->h->n_devs)
		buf_printf(o, _("%sNone.%s"), f->li, f->li_end);
	for (size_t i = 0; i < m->h->n_devs; i++) {
		const struct sess_deviation *d = &m->h->devs[i];
		char id[32];
		snprintf(id, sizeof id, "dev-%ld", d->when.line);
		buf_puts(o, f->li);
		f->anchor(o, id);
		rw_when(m, o, &d->when);
		buf_printf(o, _(" (line %ld): %s"), d->when.line, d->skip ? _("skip") : _("deviation"));
		if (d->step) {
			buf_puts(o, _(" of "));
			rw_step_link(f, m, o, d->step);
		}
		if (d->torn_offset >= 0)
			buf_printf(o, _(" (torn journal tail at byte %ld set aside)"), d->torn_offset);
		buf_puts(o, _(", signed by "));
		rw_people(f, m, o, d->signed_by);
		buf_puts(o, ": ");
		f->text(o, d->reason);
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->ul_close);
}

static void w_notes(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	rw_heading(f, o, 2, "notes", _("Notes"));
	buf_puts(o, f->ul_open);
	if (!m->h->n_notes)
		buf_printf(o, _("%sNone.%s"), f->li, f->li_end);
	for (size_t i = 0; i < m->h->n_notes; i++) {
		const struct sess_note *n = &m->h->notes[i];
		char id[32];
		snprintf(id, sizeof id, "note-%ld", n->when.line);
		buf_puts(o, f->li);
		f->anchor(o, id);
		rw_when(m, o, &n->when);
		buf_printf(o, _(" (line %ld), "), n->when.line);
		rw_person(f, m, o, n->by);
		for (size_t k = 0; k < m->n_steps; k++)
			for (size_t j = 0; j < m->steps[k].n_notes; j++)
				if (m->steps[k].notes[j] == i) {
					buf_puts(o, _(", during "));
					rw_step_link(f, m, o, m->steps[k].step->id);
				}
		buf_puts(o, ": ");
		f->text(o, n->text);
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->ul_close);
}

static void w_clock(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	if (!m->h->n_clock)
		return;
	rw_heading(f, o, 2, "clock", _("Simulated clock"));
	buf_puts(o, f->ul_open);
	for (size_t i = 0; i < m->h->n_clock; i++) {
		const struct sess_clock_move *c = &m->h->clock[i];
		buf_puts(o, f->li);
		rw_when(m, o, &c->when);
		buf_printf(o, _(" (line %ld): "), c->when.line);
		rw_person(f, m, o, c->by);
		buf_puts(o, _(" moved the rehearsal clock forward "));
		report_duration(o, c->seconds);
		buf_puts(o, f->li_end);
	}
	buf_puts(o, f->ul_close);
}

/* Live mode: who Azure vouched for, per subscription; every live check in
 * the step details names its observer ("observed by"). */
static void w_signins(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	if (!m->h->n_signins)
		return;
	rw_heading(f, o, 2, "azure-sign-ins", _("Azure sign-ins"));
	buf_puts(o, f->ul_open);
	for (size_t i = 0; i < m->h->n_signins; i++) {
		const struct sess_signin *si = &m->h->signins[i];
		buf_puts(o, f->li);
		rw_when(m, o, &si->when);
		buf_printf(o, _(" (line %ld): "), si->when.line);
		rw_person(f, m, o, si->by);
		buf_printf(o, _(" signed in for subscription %s as "), si->sub == CK_SIDE_A ? "A" : "B");
		f->text(o, si->upn);
		buf_puts(o, _(" (object "));
		f->text(o, si->oid);
		buf_puts(o, _(", tenant "));
		f->text(o, si->tenant);
		buf_printf(o, ")%s", f->li_end);
	}
	buf_puts(o, f->ul_close);
}

static void w_open_items(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	rw_heading(f, o, 2, "open-items", _("Open items"));
	buf_puts(o, f->ul_open);
	if (!m->n_open)
		buf_printf(o, _("%sNone: every step is done or skipped.%s"), f->li, f->li_end);
	for (size_t i = 0; i < m->n_steps; i++) {
		const struct report_step *r = &m->steps[i];
		if (r->state == STEP_DONE || r->state == STEP_SKIPPED)
			continue;
		buf_puts(o, f->li);
		rw_step_link(f, m, o, r->step->id);
		buf_puts(o, " ");
		f->text(o, _(r->step->title));
		if (r->resource) {
			buf_puts(o, " (");
			f->text(o, r->resource);
			buf_puts(o, ")");
		}
		buf_printf(o, ": %s%s", r->state_words, f->li_end);
	}
	buf_puts(o, f->ul_close);
}

void report_walk(const struct report_fmt *f, const struct report_model *m, struct buf *o)
{
	f->doc_open(o, m);
	if (!m->plan) {
		buf_printf(o, _("%sThe journal holds no usable session.%s"), f->p_open, f->p_close);
		f->doc_close(o);
		return;
	}
	w_banners(f, m, o);
	w_summary(f, m, o);
	w_counts(f, m, o);
	w_clocks(f, m, o);
	w_verify(f, m, o);
	w_operators(f, m, o);
	w_plan(f, m, o);
	w_sittings(f, m, o);
	rw_presence(f, m, o);
	w_signins(f, m, o);
	rw_steps_table(f, m, o);
	rw_heading(f, o, 2, "details", _("Step details"));
	buf_printf(o, _("%sSteps with something recorded.%s"), f->p_open, f->p_close);
	for (size_t i = 0; i < m->n_steps; i++)
		if (m->steps[i].active)
			rw_step(f, m, o, &m->steps[i]);
	w_deviations(f, m, o);
	w_notes(f, m, o);
	w_clock(f, m, o);
	w_open_items(f, m, o);
	buf_printf(o, _("%sJournal head hash: %s%s%s%s"), f->p_open, f->code_open, m->s->head,
		   f->code_close, f->p_close);
	f->doc_close(o);
}
