/* json.c: the session report as JSON, for tools. Its keys are a
 * documented, versioned schema (doc/report-schema.md; tests/report_schema.sh
 * fails when a key is emitted but not documented, or documented but never
 * emitted). Written from the typed report model; the key names exist only
 * here. */
#include "ck.h"
#include "report/fmt.h"
#include "report/terminals.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void j_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void j_side(cJSON *o, const char *k, int side)
{
	j_str(o, k, side == CK_SIDE_A || side == CK_SIDE_B ? sess_side_name(side) : NULL);
}

static void j_time(cJSON *o, const char *k, time_t t)
{
	char buf[21];
	if (t <= 0) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	sess_format_time(t, buf);
	cJSON_AddStringToObject(o, k, buf);
}

/* A moment: its journal line, real time and session clock (they differ
 * only in a rehearsal whose clock was moved forward). */
static void j_stamp(cJSON *o, const char *k, const struct sess_stamp *w)
{
	cJSON *x;
	if (!w->line) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	x = cJSON_AddObjectToObject(o, k);
	cJSON_AddNumberToObject(x, "line", (double)w->line);
	j_time(x, "real", w->real);
	j_time(x, "session", w->at);
}

static cJSON *j_sides(const bool by[CK_SIDES])
{
	cJSON *a = cJSON_CreateArray();
	for (int side = 0; side < CK_SIDES; side++)
		if (by[side])
			cJSON_AddItemToArray(a, cJSON_CreateString(sess_side_name(side)));
	return a;
}

static cJSON *j_strv(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

static void j_verify(const struct report_model *m, cJSON *root)
{
	static const struct {
		int code;
		const char *meaning;
	} codes[] = {
		{ CK_EXIT_OK, "valid: the ceremony is closed and every anchor given holds" },
		{ CK_EXIT_FAIL, "not valid: a line, signature or rule is broken, or an anchor differs" },
		{ CK_EXIT_INPUT, "a file could not be read, or the command was mistyped" },
		{ CK_EXIT_OPEN, "valid, but the ceremony is still open" },
	};
	cJSON *v = cJSON_AddObjectToObject(root, "verify"), *a;
	(void)m;
	cJSON_AddStringToObject(v, "command", "ckwizard verify journal.jsonl --plan plan.yaml "
					      "--head HEAD --report REPORT");
	a = cJSON_AddArrayToObject(v, "exit_codes");
	for (size_t i = 0; i < CK_ARRAY_LEN(codes); i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "code", codes[i].code);
		cJSON_AddStringToObject(x, "meaning", codes[i].meaning);
		cJSON_AddItemToArray(a, x);
	}
}

static void j_plan(const struct report_model *m, cJSON *root)
{
	const struct session *s = m->s;
	cJSON *o = cJSON_AddObjectToObject(root, "organization"), *w, *a;
	j_str(o, "name", m->org_name);
	j_str(o, "tenant_domain", m->tenant_domain);
	j_str(o, "tenant_id", m->tenant_id);
	o = cJSON_AddObjectToObject(root, "plan");
	cJSON_AddNumberToObject(o, "version", (double)s->plan_version);
	cJSON_AddStringToObject(o, "sha256", m->plan->sha256);
	j_side(o, "author", m->plan->author);
	cJSON_AddBoolToObject(o, "approved", s->approved);
	cJSON_AddBoolToObject(o, "verified", s->verified);
	j_side(o, "verifier", s->verifier);
	w = cJSON_AddArrayToObject(o, "warnings");
	for (size_t i = 0; i < s->n_warn; i++) {
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", s->warn_ids[i]);
		cJSON_AddStringToObject(x, "message", s->warn_msgs[i]);
		cJSON_AddItemToArray(w, x);
	}
	a = cJSON_AddArrayToObject(root, "operators");
	for (int side = 0; side < CK_SIDES; side++) {
		const struct plan_operator *op = &m->plan->op[side];
		cJSON *x = cJSON_CreateObject();
		char *fp = pubkey_fingerprint(op->pub);
		j_side(x, "side", side);
		j_str(x, "name", m->operator_name[side]);
		j_str(x, "upn", op->upn);
		j_str(x, "fingerprint", fp);
		cJSON_AddBoolToObject(x, "demo", pubkey_demo_find(op->pub) != NULL);
		cJSON_AddBoolToObject(x, "author", m->plan->author == side);
		cJSON_AddBoolToObject(x, "tenant_admin", m->plan->tenant_admin == side);
		cJSON_AddItemToArray(a, x);
		free(fp);
	}
}

static void j_history(const struct report_model *m, cJSON *root)
{
	const struct sess_history *h = m->h;
	cJSON *a = cJSON_AddArrayToObject(root, "plan_history");
	for (size_t i = 0; i < h->n_plan; i++) {
		const struct sess_plan_event *e = &h->plan[i];
		cJSON *x = cJSON_CreateObject(), *cl;
		j_stamp(x, "at", &e->when);
		cJSON_AddStringToObject(x, "event", e->type == SEV_PLAN_APPROVE ? "approve" :
					e->type == SEV_PLAN_VERIFY ? "verify" : "amend");
		cJSON_AddNumberToObject(x, "version", (double)e->version);
		cJSON_AddStringToObject(x, "sha256", e->sha256);
		j_side(x, "by", e->by);
		cJSON_AddItemToObject(x, "signed_by", j_sides(e->signed_by));
		cl = cJSON_AddArrayToObject(x, "checklist");
		for (size_t k = 0; k < e->n_check; k++) {
			cJSON *c = cJSON_CreateObject();
			cJSON_AddStringToObject(c, "id", e->check_ids[k]);
			cJSON_AddBoolToObject(c, "yes", e->check_yes[k]);
			cJSON_AddItemToArray(cl, c);
		}
		cJSON_AddItemToObject(x, "acknowledged", j_strv(e->acked, e->n_acked));
		j_str(x, "diff", e->diff);
		cJSON_AddItemToObject(x, "steps_changed", j_strv(e->reset_steps, e->n_reset));
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(root, "sittings");
	for (size_t i = 0; i < h->n_sittings; i++) {
		const struct sess_sitting *st = &h->sittings[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddNumberToObject(x, "number", (double)st->number);
		j_stamp(x, "opened", &st->opened);
		j_stamp(x, "closed", &st->closed);
		cJSON_AddItemToObject(x, "present", j_sides(st->present));
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(root, "deviations");
	for (size_t i = 0; i < h->n_devs; i++) {
		const struct sess_deviation *d = &h->devs[i];
		cJSON *x = cJSON_CreateObject();
		j_stamp(x, "at", &d->when);
		cJSON_AddStringToObject(x, "kind", d->skip ? "skip" : "deviation");
		j_str(x, "step", d->step);
		j_str(x, "reason", d->reason);
		if (d->torn_offset >= 0)
			cJSON_AddNumberToObject(x, "torn_offset", (double)d->torn_offset);
		else
			cJSON_AddNullToObject(x, "torn_offset");
		cJSON_AddItemToObject(x, "signed_by", j_sides(d->signed_by));
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(root, "notes");
	for (size_t i = 0; i < h->n_notes; i++) {
		cJSON *x = cJSON_CreateObject();
		const char *step = NULL;
		for (size_t k = 0; k < m->n_steps && !step; k++)
			for (size_t n = 0; n < m->steps[k].n_notes; n++)
				if (m->steps[k].notes[n] == i)
					step = m->steps[k].step->id;
		j_stamp(x, "at", &h->notes[i].when);
		j_side(x, "by", h->notes[i].by);
		j_str(x, "text", h->notes[i].text);
		j_str(x, "step", step);
		cJSON_AddItemToArray(a, x);
	}
	report_json_presence(m, root);
	if (h->n_signins) { /* live mode only: reports of other sessions keep their bytes */
		a = cJSON_AddArrayToObject(root, "azure_sign_ins");
		for (size_t i = 0; i < h->n_signins; i++) {
			cJSON *x = cJSON_CreateObject();
			j_stamp(x, "at", &h->signins[i].when);
			j_side(x, "by", h->signins[i].by);
			j_side(x, "subscription", h->signins[i].sub);
			j_str(x, "upn", h->signins[i].upn);
			j_str(x, "oid", h->signins[i].oid);
			j_str(x, "tenant", h->signins[i].tenant);
			cJSON_AddItemToArray(a, x);
		}
	}
	a = cJSON_AddArrayToObject(root, "clock");
	for (size_t i = 0; i < h->n_clock; i++) {
		cJSON *x = cJSON_CreateObject();
		j_stamp(x, "at", &h->clock[i].when);
		j_side(x, "by", h->clock[i].by);
		cJSON_AddNumberToObject(x, "seconds", (double)h->clock[i].seconds);
		cJSON_AddNumberToObject(x, "offset", (double)h->clock[i].offset);
		cJSON_AddItemToArray(a, x);
	}
}

/* Live: the identity Azure vouched for when the result was observed (the
 * sign-in it names); the key is absent from other sessions' results, so
 * their reports keep their bytes. */
static void j_observer(const struct report_model *m, cJSON *x, const struct sess_result *res)
{
	const struct sess_signin *si = res->observer ? report_signin(m, res->observer) : NULL;
	if (!si)
		return;
	cJSON *o = cJSON_AddObjectToObject(x, "observer");
	j_str(o, "upn", si->upn);
	j_str(o, "oid", si->oid);
	j_str(o, "tenant", si->tenant);
	cJSON_AddNumberToObject(o, "signed_in", (double)si->when.line);
}

/* Live --execute: the last perform in Azure, with the authorization it
 * consumed (and its co-signature); absent where nothing was performed. */
static void j_azure_perform(const struct report_model *m, cJSON *o, const struct sess_step *ss)
{
	const struct sess_auth_done *d = &ss->auth_done;
	if (!d->requests || !ss->last_perform.set)
		return;
	cJSON *x = cJSON_AddObjectToObject(o, "azure_perform");
	j_stamp(x, "authorized", &d->at);
	j_side(x, "authorized_by", d->by);
	j_stamp(x, "cosigned", &d->cosigned);
	j_side(x, "cosigned_by", d->cosigned.line ? d->cosigned_by : CK_SIDE_NONE);
	j_str(x, "requests", d->requests); /* as signed: compact JSON */
	j_stamp(x, "performed", &ss->last_perform.when);
	j_side(x, "performed_by", ss->last_perform.by);
	cJSON_AddStringToObject(x, "status",
				check_status_name((enum check_status)ss->last_perform.status));
	j_observer(m, x, &ss->last_perform);
}

static cJSON *j_result(const struct report_model *m, const struct report_step *r)
{
	const struct sess_result *res = r->result;
	cJSON *x;
	if (!res)
		return cJSON_CreateNull();
	x = cJSON_CreateObject();
	cJSON_AddStringToObject(x, "kind", res == &r->ss->last_perform ? "perform" : "check");
	cJSON_AddStringToObject(x, "status", check_status_name((enum check_status)res->status));
	j_str(x, "code", res->code);
	cJSON_AddItemToObject(x, "args", j_strv(res->args, res->n_args));
	j_str(x, "text", r->result_text);
	j_str(x, "detail", res->detail);
	j_stamp(x, "at", &res->when);
	j_side(x, "by", res->by);
	j_observer(m, x, res);
	return x;
}

static cJSON *j_step(const struct report_model *m, const struct report_step *r)
{
	const struct step *st = r->step;
	const struct sess_step *ss = r->ss;
	cJSON *o = cJSON_CreateObject(), *a, *w;
	cJSON_AddNumberToObject(o, "number", (double)r->number);
	cJSON_AddStringToObject(o, "id", st->id);
	j_str(o, "title", st->title);
	j_str(o, "resource", r->resource);
	j_str(o, "phase", step_phase_name(st->phase));
	j_side(o, "owner", st->owner);
	cJSON_AddBoolToObject(o, "witness_required", st->witness);
	cJSON_AddBoolToObject(o, "critical", st->critical);
	j_str(o, "confirm_name", st->critical ? st->confirm_name : NULL);
	j_str(o, "typed", ss->typed);
	cJSON_AddStringToObject(o, "state", r->state_key);
	cJSON_AddBoolToObject(o, "started", ss->started);
	j_str(o, "blocked_by", r->blocked_by);
	j_side(o, "confirmed_by", ss->confirmed_by);
	j_stamp(o, "confirmed", ss->confirmed_by != CK_SIDE_NONE ? &ss->confirm_at
								  : &(struct sess_stamp){ 0, 0, 0 });
	j_side(o, "witnessed_by", ss->witnessed_by);
	j_stamp(o, "witnessed", ss->witnessed_by != CK_SIDE_NONE ? &ss->witness_at
								  : &(struct sess_stamp){ 0, 0, 0 });
	if (st->wait.kind == WAIT_NONE) {
		cJSON_AddNullToObject(o, "wait");
	} else {
		w = cJSON_AddObjectToObject(o, "wait");
		if (st->wait.kind == WAIT_HOURS) {
			cJSON_AddNumberToObject(w, "hours", st->wait.hours);
			j_time(w, "until", r->wait_until);
		} else {
			cJSON_AddNullToObject(w, "hours");
			cJSON_AddNullToObject(w, "until");
		}
		j_str(w, "event", st->wait.kind == WAIT_EVENT ? st->wait.event : NULL);
		j_str(w, "arrived", ss->arrived ? ss->arrived_what : NULL);
		j_stamp(w, "arrived_at", ss->arrived ? &ss->arrive_at : &(struct sess_stamp){ 0, 0, 0 });
	}
	a = cJSON_AddArrayToObject(o, "evidence");
	for (size_t k = 0; k < ss->n_ev; k++) {
		const struct evidence_spec *e = step_evidence_find(st, ss->ev[k].id);
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "id", ss->ev[k].id);
		j_str(x, "label", e && e->label ? e->label : ss->ev[k].id);
		cJSON_AddStringToObject(x, "value", ss->ev[k].value);
		cJSON_AddNumberToObject(x, "line", (double)ss->ev[k].seq);
		cJSON_AddItemToArray(a, x);
	}
	cJSON_AddItemToObject(o, "result", j_result(m, r));
	j_azure_perform(m, o, ss);
	j_str(o, "skip_reason", ss->skipped ? ss->reason : NULL);
	a = cJSON_AddArrayToObject(o, "deviations");
	for (size_t k = 0; k < r->n_devs; k++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)m->h->devs[r->devs[k]].when.line));
	a = cJSON_AddArrayToObject(o, "notes");
	for (size_t k = 0; k < r->n_notes; k++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)m->h->notes[r->notes[k]].when.line));
	a = cJSON_AddArrayToObject(o, "amendments");
	for (size_t k = 0; k < r->n_amends; k++)
		cJSON_AddItemToArray(a, cJSON_CreateNumber((double)m->h->plan[r->amends[k]].version));
	return o;
}

void report_render_json(const struct report_model *m, struct buf *out)
{
	const struct session *s = m->s;
	cJSON *root = cJSON_CreateObject(), *o, *a;
	char *txt;
	cJSON_AddStringToObject(root, "report", "ckwizard session report");
	cJSON_AddNumberToObject(root, "format", REPORT_FORMAT);
	cJSON_AddNumberToObject(root, "journal_format", (double)m->h->format);
	cJSON_AddStringToObject(root, "mode", sess_mode_name(s->mode));
	cJSON_AddBoolToObject(root, "rehearsal", m->rehearsal);
	cJSON_AddBoolToObject(root, "demo_keys", m->demo_keys);
	cJSON_AddBoolToObject(root, "simulated_clock", m->two_clocks);
	cJSON_AddStringToObject(root, "status", m->closed ? "closed" : "open");
	j_str(root, "problem", m->problem);
	j_str(root, "tool", s->tool_version);
	j_stamp(root, "opened", &m->first);
	j_stamp(root, "last_event", &m->last);
	o = cJSON_AddObjectToObject(root, "journal");
	cJSON_AddNumberToObject(o, "events", (double)s->n_ev);
	cJSON_AddStringToObject(o, "head", s->head);
	j_verify(m, root);
	if (m->plan) {
		j_plan(m, root);
		j_history(m, root);
		o = cJSON_AddObjectToObject(root, "summary");
		cJSON_AddNumberToObject(o, "steps", (double)m->n_steps);
		cJSON_AddNumberToObject(o, "open", (double)m->n_open);
		cJSON_AddNumberToObject(o, "deviations", (double)m->n_deviations);
		cJSON_AddNumberToObject(o, "skips", (double)m->n_skips);
		cJSON_AddNumberToObject(o, "notes", (double)m->h->n_notes);
		cJSON_AddNumberToObject(o, "amendments", (double)m->n_amends);
		a = cJSON_AddArrayToObject(root, "steps");
		for (size_t i = 0; i < m->n_steps; i++)
			cJSON_AddItemToArray(a, j_step(m, &m->steps[i]));
		o = cJSON_AddObjectToObject(root, "closing");
		cJSON_AddBoolToObject(o, "closed", m->h->closing.closed);
		j_stamp(o, "at", &m->h->closing.when);
		cJSON_AddItemToObject(o, "signed_by", j_sides(m->h->closing.signed_by));
		a = cJSON_AddArrayToObject(root, "open_items");
		for (size_t i = 0; i < m->n_steps; i++) {
			const struct report_step *r = &m->steps[i];
			cJSON *x;
			if (r->state == STEP_DONE || r->state == STEP_SKIPPED)
				continue;
			x = cJSON_CreateObject();
			cJSON_AddNumberToObject(x, "number", (double)r->number);
			cJSON_AddStringToObject(x, "id", r->step->id);
			cJSON_AddStringToObject(x, "state", r->state_key);
			cJSON_AddItemToArray(a, x);
		}
	}
	txt = cJSON_Print(root);
	buf_puts(out, txt);
	buf_putc(out, '\n');
	cJSON_free(txt);
	cJSON_Delete(root);
}
