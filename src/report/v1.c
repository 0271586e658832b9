/* v1.c: report format 1, kept so that `verify --report` can still
 * re-render, byte for byte, the reports teams hold from earlier versions
 * (tests/journals/, the *-report-v1 files). Frozen: never change its output. Its model
 * is a cJSON tree built from the session's typed record; v1_md.c and
 * v1_html.c walk it.
 *
 * The state is judged as of the last event (not "now"): the same journal
 * gives the same report on any day. */
#include "ck.h"
#include "report.h"
#include "report/v1.h"
#include "session/session_int.h"
#include "azure/results.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void add_time(cJSON *o, const char *k, time_t t)
{
	char buf[21];
	if (t <= 0) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	sess_format_time(t, buf);
	cJSON_AddStringToObject(o, k, buf);
}

static void add_side(cJSON *o, const char *k, int side)
{
	if (side == CK_SIDE_A || side == CK_SIDE_B)
		cJSON_AddStringToObject(o, k, sess_side_name(side));
	else
		cJSON_AddNullToObject(o, k);
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void add_stamp(cJSON *o, const struct sess_stamp *w)
{
	char t[21];
	sess_format_time(w->real, t);
	cJSON_AddNumberToObject(o, "line", (double)w->line);
	cJSON_AddStringToObject(o, "time", t);
}

static cJSON *signers(const bool by[CK_SIDES])
{
	cJSON *a = cJSON_CreateArray();
	for (int side = 0; side < CK_SIDES; side++)
		if (by[side])
			cJSON_AddItemToArray(a, cJSON_CreateString(sess_side_name(side)));
	return a;
}

static cJSON *model_operators(const struct session *s)
{
	cJSON *a = cJSON_CreateArray();
	for (int side = 0; side < CK_SIDES; side++) {
		const struct plan_operator *op = &s->plan->op[side];
		cJSON *o = cJSON_CreateObject();
		char *fp = pubkey_fingerprint(op->pub);
		add_side(o, "side", side);
		add_str(o, "name", op->name);
		add_str(o, "upn", op->upn);
		add_str(o, "fingerprint", fp);
		cJSON_AddBoolToObject(o, "demo", pubkey_demo_find(op->pub) != NULL);
		cJSON_AddBoolToObject(o, "author", s->plan->author == side);
		cJSON_AddBoolToObject(o, "tenant_admin", s->plan->tenant_admin == side);
		cJSON_AddItemToArray(a, o);
		free(fp);
	}
	return a;
}

/* The plan's history, the sittings, deviations and skips, notes and clock
 * moves, from the session's typed record, in format 1's shape. */
static void model_history(const struct session *s, cJSON *m)
{
	const struct sess_history *h = &s->h;
	cJSON *plan = cJSON_AddArrayToObject(m, "plan_history");
	cJSON *sit = cJSON_AddArrayToObject(m, "sittings");
	cJSON *dev = cJSON_AddArrayToObject(m, "deviations");
	cJSON *notes = cJSON_AddArrayToObject(m, "notes");
	cJSON *clock = cJSON_AddArrayToObject(m, "clock");
	char t[21];
	for (size_t i = 0; i < h->n_plan; i++) {
		const struct sess_plan_event *e = &h->plan[i];
		cJSON *o = cJSON_CreateObject();
		add_stamp(o, &e->when);
		cJSON_AddStringToObject(o, "event", e->type == SEV_PLAN_APPROVE ? "approve" :
					e->type == SEV_PLAN_VERIFY ? "verify" : "amend");
		cJSON_AddNumberToObject(o, "version", (double)e->version);
		cJSON_AddStringToObject(o, "sha256", e->sha256);
		add_side(o, "by", e->by);
		cJSON_AddItemToObject(o, "signed_by", signers(e->signed_by));
		if (e->type == SEV_PLAN_VERIFY) {
			cJSON *cl = cJSON_AddObjectToObject(o, "checklist");
			cJSON *ack = cJSON_AddArrayToObject(o, "acknowledged");
			for (size_t k = 0; k < e->n_check; k++)
				cJSON_AddBoolToObject(cl, e->check_ids[k], e->check_yes[k]);
			for (size_t k = 0; k < e->n_acked; k++)
				cJSON_AddItemToArray(ack, cJSON_CreateString(e->acked[k]));
		} else if (e->type == SEV_PLAN_AMEND) {
			add_str(o, "diff", e->diff);
		}
		cJSON_AddItemToArray(plan, o);
	}
	for (size_t i = 0; i < h->n_sittings; i++) {
		const struct sess_sitting *x = &h->sittings[i];
		cJSON *o = cJSON_CreateObject(), *pr;
		cJSON_AddNumberToObject(o, "line", (double)x->opened.line);
		cJSON_AddNumberToObject(o, "number", (double)x->number);
		sess_format_time(x->opened.real, t);
		cJSON_AddStringToObject(o, "opened", t);
		if (x->closed.line) {
			sess_format_time(x->closed.real, t);
			cJSON_AddStringToObject(o, "closed", t);
		} else {
			cJSON_AddNullToObject(o, "closed");
		}
		pr = cJSON_AddArrayToObject(o, "present");
		for (int side = 0; side < CK_SIDES; side++)
			if (x->present[side])
				cJSON_AddItemToArray(pr, cJSON_CreateString(sess_side_name(side)));
		cJSON_AddItemToArray(sit, o);
	}
	for (size_t i = 0; i < h->n_devs; i++) {
		const struct sess_deviation *d = &h->devs[i];
		cJSON *o = cJSON_CreateObject();
		add_stamp(o, &d->when);
		cJSON_AddStringToObject(o, "kind", d->skip ? "skip" : "deviation");
		add_str(o, "step", d->step);
		add_str(o, "reason", d->reason);
		if (d->torn_offset >= 0)
			cJSON_AddNumberToObject(o, "torn_offset", (double)d->torn_offset);
		cJSON_AddItemToObject(o, "signed_by", signers(d->signed_by));
		cJSON_AddItemToArray(dev, o);
	}
	for (size_t i = 0; i < h->n_notes; i++) {
		cJSON *o = cJSON_CreateObject();
		add_stamp(o, &h->notes[i].when);
		add_side(o, "by", h->notes[i].by);
		add_str(o, "text", h->notes[i].text);
		cJSON_AddItemToArray(notes, o);
	}
	for (size_t i = 0; i < h->n_clock; i++) {
		cJSON *o = cJSON_CreateObject();
		add_stamp(o, &h->clock[i].when);
		add_side(o, "by", h->clock[i].by);
		cJSON_AddNumberToObject(o, "seconds", (double)h->clock[i].seconds);
		cJSON_AddItemToArray(clock, o);
	}
}

static const char *evidence_label(const struct step *st, const char *id)
{
	for (size_t k = 0; k < st->n_evidence; k++)
		if (strcmp(st->evidence[k].id, id) == 0 && st->evidence[k].label)
			return st->evidence[k].label;
	return id;
}

static cJSON *model_step(const struct session *s, size_t i, time_t at)
{
	const struct step *st = &s->cat->steps[i];
	const struct sess_step *ss = sess_step_get(s, i);
	const char *blocked = NULL;
	enum session_step_state state = sess_step_state(s, i, at, &blocked);
	static const char *const names[] = { "pending", "ready", "blocked", "waiting-witness",
					     "waiting-time", "waiting-event", "done", "skipped",
					     "failed" };
	cJSON *o = cJSON_CreateObject(), *ev, *w;
	cJSON_AddStringToObject(o, "id", st->id);
	add_str(o, "title", st->title);
	add_str(o, "phase", step_phase_name(st->phase));
	add_side(o, "owner", st->owner);
	cJSON_AddBoolToObject(o, "witness_required", st->witness);
	cJSON_AddBoolToObject(o, "critical", st->critical);
	cJSON_AddStringToObject(o, "state", names[state]);
	cJSON_AddBoolToObject(o, "started", ss->started);
	add_str(o, "blocked_by", state == STEP_BLOCKED ? blocked : NULL);
	add_side(o, "confirmed_by", ss->confirmed_by);
	add_time(o, "confirmed_at", ss->confirmed_by != CK_SIDE_NONE ? ss->confirmed_at : 0);
	add_side(o, "witnessed_by", ss->witnessed_by);
	add_time(o, "witnessed_at", ss->witnessed_by != CK_SIDE_NONE ? ss->witnessed_at : 0);
	if (st->wait.kind == WAIT_NONE) {
		cJSON_AddNullToObject(o, "wait");
	} else {
		w = cJSON_AddObjectToObject(o, "wait");
		if (st->wait.kind == WAIT_HOURS) {
			cJSON_AddNumberToObject(w, "hours", st->wait.hours);
			add_time(w, "until", ss->confirmed_by != CK_SIDE_NONE
					     ? ss->confirmed_at + (time_t)st->wait.hours * 3600 : 0);
		} else {
			add_str(w, "event", st->wait.event);
			add_str(w, "arrived", ss->arrived ? ss->arrived_what : NULL);
			add_time(w, "arrived_at", ss->arrived ? ss->arrived_at : 0);
		}
	}
	ev = cJSON_AddArrayToObject(o, "evidence");
	for (size_t k = 0; k < ss->n_ev; k++) {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "id", ss->ev[k].id);
		add_str(e, "label", evidence_label(st, ss->ev[k].id));
		cJSON_AddStringToObject(e, "value", ss->ev[k].value);
		cJSON_AddNumberToObject(e, "line", (double)ss->ev[k].seq);
		cJSON_AddItemToArray(ev, e);
	}
	if (ss->has_check) {
		cJSON *c = cJSON_AddObjectToObject(o, "check");
		const struct sess_result *r = ss->check.performed ? &ss->last_perform : &ss->last_check;
		char *sum = r->code ? result_phrase(r->code, r->args, r->n_args, false)
				    : xstrdup(r->prose ? r->prose : "");
		cJSON_AddStringToObject(c, "status", check_status_name((enum check_status)ss->check.status));
		add_str(c, "summary", sum);
		add_str(c, "detail", ss->check.detail);
		add_time(c, "at", ss->check.at);
		cJSON_AddBoolToObject(c, "performed", ss->check.performed);
		free(sum);
	} else {
		cJSON_AddNullToObject(o, "check");
	}
	add_str(o, "skip_reason", ss->skipped ? ss->reason : NULL);
	return o;
}

cJSON *rv1_model(const struct session *s)
{
	cJSON *m = cJSON_CreateObject(), *o, *steps, *open;
	const struct plan *p = s->plan;
	time_t at = s->n_ev ? sess_parse_time(s->ev[s->n_ev - 1].time) + s->clock_offset : 0;
	const char *problem = NULL;
	cJSON_AddStringToObject(m, "report", "ckwizard session report");
	cJSON_AddNumberToObject(m, "format", 1); /* report format */
	cJSON_AddStringToObject(m, "mode", sess_mode_name(s->mode));
	cJSON_AddBoolToObject(m, "rehearsal", s->mode == SESSION_REHEARSAL);
	cJSON_AddBoolToObject(m, "demo_keys", session_uses_demo_keys(s));
	cJSON_AddStringToObject(m, "status", s->closed ? "closed" : "open");
	session_problem(s, &problem);
	add_str(m, "problem", problem);
	add_str(m, "tool", s->tool_version);
	add_time(m, "opened", s->opened_at);
	add_time(m, "as_of", at);
	o = cJSON_AddObjectToObject(m, "journal");
	cJSON_AddNumberToObject(o, "events", (double)s->n_ev);
	cJSON_AddStringToObject(o, "head", s->head);
	if (!p)
		return m;
	o = cJSON_AddObjectToObject(m, "organization");
	add_str(o, "name", p->org.name);
	add_str(o, "tenant_domain", p->org.tenant_domain);
	add_str(o, "tenant_id", p->org.tenant_id);
	o = cJSON_AddObjectToObject(m, "plan");
	cJSON_AddNumberToObject(o, "version", (double)s->plan_version);
	cJSON_AddStringToObject(o, "sha256", p->sha256);
	add_side(o, "author", p->author);
	cJSON_AddBoolToObject(o, "approved", s->approved);
	cJSON_AddBoolToObject(o, "verified", s->verified);
	add_side(o, "verifier", s->verifier);
	{
		cJSON *w = cJSON_AddArrayToObject(o, "warnings");
		for (size_t i = 0; i < s->n_warn; i++) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", s->warn_ids[i]);
			cJSON_AddStringToObject(x, "message", s->warn_msgs[i]);
			cJSON_AddItemToArray(w, x);
		}
	}
	cJSON_AddItemToObject(m, "operators", model_operators(s));
	model_history(s, m);
	steps = cJSON_AddArrayToObject(m, "steps");
	open = cJSON_AddArrayToObject(m, "open_items");
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		cJSON *st = model_step(s, i, at);
		const char *state = cJSON_GetObjectItemCaseSensitive(st, "state")->valuestring;
		if (strcmp(state, "done") && strcmp(state, "skipped")) {
			cJSON *x = cJSON_CreateObject();
			cJSON_AddStringToObject(x, "id", s->cat->steps[i].id);
			add_str(x, "title", s->cat->steps[i].title);
			cJSON_AddStringToObject(x, "state", state);
			cJSON_AddItemToArray(open, x);
		}
		cJSON_AddItemToArray(steps, st);
	}
	return m;
}

void rv1_render(const struct session *s, enum report_format f, struct buf *out)
{
	cJSON *m = rv1_model(s);
	char *txt;
	switch (f) {
	case REPORT_JSON:
		txt = cJSON_Print(m);
		buf_puts(out, txt);
		buf_putc(out, '\n');
		cJSON_free(txt);
		break;
	case REPORT_MD:
		rv1_render_md(m, out);
		break;
	case REPORT_HTML:
		rv1_render_html(m, out);
		break;
	}
	cJSON_Delete(m);
}
