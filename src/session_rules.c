/* session_rules.c: the one rule engine of dual control. Every event, live or
 * replayed (resume, report, verify), goes through sess_apply(): it either
 * refuses the event with a sentence that says which rule it breaks, or
 * changes the state. The table below says, per event type, who must sign and
 * whether the actor must sit in an open sitting and the plan be verified. */
#include "ck.h"
#include "session_int.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum signers {
	SIG_NONE,    /* no operator: session.open (anchored by the plan hash it embeds) */
	SIG_ACTOR,   /* exactly the actor's signature */
	SIG_PRESENT, /* every operator named present (sitting.open) */
	SIG_BOTH     /* both operators: skip, deviation, amendment, close */
};

struct rule_ctx {
	struct session *s;
	const struct journal_event *ev;
	const cJSON *p;
	time_t t;                 /* session time of the event */
	char **why;
};

typedef int (*rule_fn)(struct rule_ctx *c);

struct rule_type {
	const char *type;
	enum signers signers;
	bool in_sitting;          /* the actor (both, for SIG_BOTH) present in an open sitting */
	bool verified;            /* the current plan version verified */
	rule_fn apply;
};

static int refuse(char **why, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int refuse(char **why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (why)
		*why = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

static const char *pstr(const cJSON *p, const char *k)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, k);
	return cJSON_IsString(o) ? o->valuestring : NULL;
}

/* Integers are written by us; anything fractional or out of range is refused. */
static bool pint(const cJSON *p, const char *k, long *out)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, k);
	if (!cJSON_IsNumber(o) || o->valuedouble != (double)(long)o->valuedouble)
		return false;
	*out = (long)o->valuedouble;
	return true;
}

/* Free text typed by an operator: bounded, no NUL, control or bidi. */
static int check_text(struct rule_ctx *c, const char *k, bool multiline, const char **out)
{
	const char *v = pstr(c->p, k);
	size_t off;
	uint32_t cp;
	if (!v || !*v)
		return refuse(c->why, _("\"%s\" is missing or empty"), k);
	if (strlen(v) > SESSION_MAX_TEXT)
		return refuse(c->why, _("\"%s\" is longer than %d bytes"), k, SESSION_MAX_TEXT);
	if (text_find_forbidden(v, strlen(v), multiline, &off, &cp))
		return refuse(c->why, _("\"%s\" holds the forbidden character U+%04X at byte %zu"),
			      k, (unsigned)cp, off);
	*out = v;
	return 0;
}

static long step_lookup(struct rule_ctx *c)
{
	const char *id = pstr(c->p, "step");
	long i = id ? session_step_index(c->s, id) : -1;
	if (i < 0)
		refuse(c->why, _("unknown step \"%s\""), id ? id : "(none)");
	return i;
}

static const struct step *cstep(struct rule_ctx *c, long i)
{
	return &c->s->cat->steps[i];
}

static bool plan_matches(struct rule_ctx *c)
{
	long v = 0;
	const char *h = pstr(c->p, "plan_sha256");
	if (!pint(c->p, "version", &v) || v != c->s->plan_version || !h ||
	    strcmp(h, c->s->plan->sha256) != 0) {
		refuse(c->why, _("it names plan version %ld %s, but the current version is %ld %s"),
		       v, h ? h : "-", c->s->plan_version, c->s->plan->sha256);
		return false;
	}
	return true;
}

/* ---- session ------------------------------------------------------------ */

static int r_session_open(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *mode = pstr(c->p, "mode"), *tool = pstr(c->p, "tool");
	const char *bytes = pstr(c->p, "plan"), *h = pstr(c->p, "plan_sha256");
	char hex[HASH_SHA256_HEX_LEN + 1];
	long fmt;
	if (!pint(c->p, "format", &fmt) || fmt != SESSION_FORMAT)
		return refuse(c->why, _("unknown session format (this tool reads format %d)"),
			      SESSION_FORMAT);
	if (!mode || (strcmp(mode, "run") && strcmp(mode, "rehearsal")))
		return refuse(c->why, _("the mode must be \"run\" or \"rehearsal\""));
	if (!tool || !bytes || !h)
		return refuse(c->why, _("the tool version, plan or plan hash is missing"));
	hash_sha256_hex(bytes, strlen(bytes), hex);
	if (strcmp(hex, h) != 0)
		return refuse(c->why, _("the embedded plan's SHA-256 is %s, not the recorded %s"),
			      hex, h);
	if (sess_plan_set(s, bytes, strlen(bytes), c->why) < 0)
		return -1;
	s->mode = strcmp(mode, "run") == 0 ? SESSION_RUN : SESSION_REHEARSAL;
	if (s->mode == SESSION_RUN && session_uses_demo_keys(s))
		return refuse(c->why, _("a real ceremony (run) cannot use the bundled demo "
					"operators' keys: enroll each operator's own key"));
	free(s->tool_version);
	s->tool_version = xstrdup(tool);
	s->opened_at = c->t;
	s->plan_version = 1;
	return 0;
}

static int r_session_close(struct rule_ctx *c)
{
	c->s->closed = true;
	c->s->sitting_open = false;
	c->s->sitting_closed = c->t;
	return 0;
}

/* ---- sittings ----------------------------------------------------------- */

static int r_sitting_open(struct rule_ctx *c)
{
	struct session *s = c->s;
	const cJSON *pr = cJSON_GetObjectItemCaseSensitive(c->p, "present"), *it;
	bool present[CK_SIDES] = { false, false }, signed_by[CK_SIDES] = { false, false };
	long n;
	if (s->sitting_open)
		return refuse(c->why, _("sitting %ld is still open"), s->sitting_no);
	if (!pint(c->p, "sitting", &n) || n != s->sitting_no + 1)
		return refuse(c->why, _("the sitting must be number %ld"), s->sitting_no + 1);
	if (!cJSON_IsArray(pr) || cJSON_GetArraySize(pr) < 1 || cJSON_GetArraySize(pr) > 2)
		return refuse(c->why, _("\"present\" must list one or two operators"));
	cJSON_ArrayForEach(it, pr) {
		int side = cJSON_IsString(it) ? sess_side_parse(it->valuestring) : CK_SIDE_NONE;
		if (side == CK_SIDE_NONE || present[side])
			return refuse(c->why, _("\"present\" must list operators A and B at most once"));
		present[side] = true;
	}
	for (size_t i = 0; i < c->ev->n_sigs; i++)
		signed_by[c->ev->sigs[i].by] = true;
	for (int side = 0; side < CK_SIDES; side++)
		if (present[side] != signed_by[side])
			return refuse(c->why, _("a sitting is signed by exactly the operators present; "
						"operator %s is not"), sess_side_name(side));
	if (!present[c->ev->actor])
		return refuse(c->why, _("the actor is not among those present"));
	s->sitting_no = n;
	s->sitting_open = true;
	s->sitting_opened = c->t;
	s->sitting_closed = 0;
	memcpy(s->present, present, sizeof present);
	return 0;
}

static int r_sitting_close(struct rule_ctx *c)
{
	long n;
	if (!pint(c->p, "sitting", &n) || n != c->s->sitting_no)
		return refuse(c->why, _("the sitting to close is number %ld"), c->s->sitting_no);
	c->s->sitting_open = false;
	c->s->sitting_closed = c->t;
	return 0;
}

/* ---- plan --------------------------------------------------------------- */

static int r_plan_approve(struct rule_ctx *c)
{
	struct session *s = c->s;
	if (c->ev->actor != s->plan->author)
		return refuse(c->why, _("only the plan's author (operator %s) can approve it"),
			      sess_side_name(s->plan->author));
	if (s->approved)
		return refuse(c->why, _("this plan version is already approved"));
	if (!plan_matches(c))
		return -1;
	s->approved = true;
	return 0;
}

static bool acked(const cJSON *ack, const char *id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, ack)
		if (cJSON_IsString(it) && strcmp(it->valuestring, id) == 0)
			return true;
	return false;
}

static int r_plan_verify(struct rule_ctx *c)
{
	struct session *s = c->s;
	const cJSON *cl = cJSON_GetObjectItemCaseSensitive(c->p, "checklist");
	const cJSON *ack = cJSON_GetObjectItemCaseSensitive(c->p, "acknowledged");
	if (!s->approved)
		return refuse(c->why, _("the author must approve the plan before it is verified"));
	if (s->verified)
		return refuse(c->why, _("this plan version is already verified"));
	if (c->ev->actor == s->plan->author)
		return refuse(c->why, _("the plan's author cannot verify their own plan: "
					"operator %s must"), sess_side_name(ck_other_side(s->plan->author)));
	if (!plan_matches(c))
		return -1;
	if (!cJSON_IsObject(cl) || !cJSON_IsArray(ack))
		return refuse(c->why, _("the checklist or the acknowledged warnings are missing"));
	for (size_t i = 0; i < session_n_checklist; i++)
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cl, session_checklist[i].id)))
			return refuse(c->why, _("checklist item \"%s\" is not answered yes"),
				      session_checklist[i].id);
	for (size_t i = 0; i < s->n_warn; i++)
		if (!acked(ack, s->warn_ids[i]))
			return refuse(c->why, _("warning %s is not acknowledged"), s->warn_ids[i]);
	s->verified = true;
	s->verifier = c->ev->actor;
	return 0;
}

static int r_plan_amend(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *bytes = pstr(c->p, "plan"), *h = pstr(c->p, "plan_sha256");
	char hex[HASH_SHA256_HEX_LEN + 1];
	unsigned char old_pub[CK_SIDES][PUBKEY_LEN];
	int old_author = s->plan->author;
	long v;
	if (!pint(c->p, "version", &v) || v != s->plan_version + 1)
		return refuse(c->why, _("an amendment must be plan version %ld"), s->plan_version + 1);
	if (!bytes || !h || !pstr(c->p, "diff"))
		return refuse(c->why, _("the amendment's plan, hash or diff is missing"));
	hash_sha256_hex(bytes, strlen(bytes), hex);
	if (strcmp(hex, h) != 0)
		return refuse(c->why, _("the amended plan's SHA-256 is %s, not the recorded %s"), hex, h);
	memcpy(old_pub, s->pub, sizeof old_pub);
	if (sess_plan_set(s, bytes, strlen(bytes), c->why) < 0)
		return -1;
	/* An amendment changes resources, never the people: swapping an operator's
	 * key would let anyone re-sign the rest of the ceremony. */
	if (memcmp(old_pub, s->pub, sizeof old_pub) != 0 || s->plan->author != old_author)
		return refuse(c->why, _("an amendment cannot change the operators' keys or the "
					"author: start a new session for new operators"));
	s->plan_version = v;
	s->approved = true; /* both signed it, the author included */
	s->verified = false;
	s->verifier = CK_SIDE_NONE;
	return 0;
}

/* ---- steps -------------------------------------------------------------- */

static int need_owner(struct rule_ctx *c, const struct step *st)
{
	if (c->ev->actor != st->owner)
		return refuse(c->why, _("step %s belongs to operator %s; operator %s cannot do it"),
			      st->id, sess_side_name(st->owner), sess_side_name(c->ev->actor));
	return 0;
}

static int need_open_step(struct rule_ctx *c, long i)
{
	const struct sess_step *ss = &c->s->steps[i];
	if (ss->skipped)
		return refuse(c->why, _("step %s was skipped"), cstep(c, i)->id);
	if (ss->confirmed_by != CK_SIDE_NONE)
		return refuse(c->why, _("step %s is already confirmed"), cstep(c, i)->id);
	return 0;
}

static int need_prereqs(struct rule_ctx *c, long i)
{
	const char *blocked = NULL;
	if (sess_step_state(c->s, (size_t)i, c->t, &blocked) == STEP_BLOCKED)
		return refuse(c->why, _("step %s needs step %s done first"), cstep(c, i)->id,
			      blocked ? blocked : "?");
	return 0;
}

static int r_step_start(struct rule_ctx *c)
{
	long i = step_lookup(c);
	if (i < 0 || need_owner(c, cstep(c, i)) || need_open_step(c, i) || need_prereqs(c, i))
		return -1;
	c->s->steps[i].started = true;
	return 0;
}

static const struct evidence_spec *spec_find(const struct step *st, const char *id)
{
	for (size_t k = 0; id && k < st->n_evidence; k++)
		if (strcmp(st->evidence[k].id, id) == 0)
			return &st->evidence[k];
	return NULL;
}

static int r_step_evidence(struct rule_ctx *c)
{
	long i = step_lookup(c);
	const struct evidence_spec *e;
	const char *v;
	struct sess_step *ss;
	if (i < 0 || need_owner(c, cstep(c, i)) || need_open_step(c, i))
		return -1;
	e = spec_find(cstep(c, i), pstr(c->p, "evidence"));
	if (!e)
		return refuse(c->why, _("step %s asks for no evidence \"%s\""), cstep(c, i)->id,
			      pstr(c->p, "evidence") ? pstr(c->p, "evidence") : "(none)");
	if (check_text(c, "value", e->kind == EV_TEXT, &v) < 0)
		return -1;
	ss = &c->s->steps[i];
	for (size_t k = 0; k < ss->n_ev; k++)
		if (strcmp(ss->ev[k].id, e->id) == 0) { /* a correction: the later value counts */
			free(ss->ev[k].value);
			ss->ev[k].value = xstrdup(v);
			ss->ev[k].seq = c->ev->seq;
			return 0;
		}
	ss->ev = xrealloc(ss->ev, (ss->n_ev + 1) * sizeof *ss->ev);
	ss->ev[ss->n_ev++] = (struct sess_evidence){ xstrdup(e->id), xstrdup(v), c->ev->seq };
	return 0;
}

static int r_step_check_common(struct rule_ctx *c, bool performed)
{
	long i = step_lookup(c);
	const char *st = pstr(c->p, "status"), *sum = pstr(c->p, "summary");
	const char *det = pstr(c->p, "detail");
	int status = -1;
	struct sess_step *ss;
	if (i < 0)
		return -1;
	for (int k = CHECK_PASS; k <= CHECK_UNAVAILABLE; k++)
		if (st && strcmp(st, check_status_name((enum check_status)k)) == 0)
			status = k;
	if (status < 0 || !sum || !det)
		return refuse(c->why, _("a check needs a known status, a summary and a detail"));
	if (performed && c->s->mode != SESSION_REHEARSAL)
		return refuse(c->why, _("steps are performed on the simulator only in a rehearsal"));
	if (performed && need_owner(c, cstep(c, i)))
		return -1;
	ss = &c->s->steps[i];
	free(ss->check_summary);
	free(ss->check_detail);
	ss->check_summary = xstrdup(sum);
	ss->check_detail = xstrdup(det);
	ss->has_check = true;
	ss->check = (struct session_check){ status, ss->check_summary, ss->check_detail, c->t,
					    performed };
	return 0;
}

static int r_step_check(struct rule_ctx *c) { return r_step_check_common(c, false); }
static int r_step_perform(struct rule_ctx *c) { return r_step_check_common(c, true); }

static int r_step_confirm(struct rule_ctx *c)
{
	struct session *s = c->s;
	long i = step_lookup(c);
	const struct step *st;
	struct sess_step *ss;
	const char *res;
	char *want;
	if (i < 0)
		return -1;
	st = cstep(c, i);
	ss = &s->steps[i];
	if (need_owner(c, st) || need_open_step(c, i) || need_prereqs(c, i))
		return -1;
	for (size_t k = 0; k < st->n_evidence; k++)
		if (!st->evidence[k].optional && !session_evidence(s, st->id, st->evidence[k].id))
			return refuse(c->why, _("step %s needs the evidence \"%s\" before it is confirmed"),
				      st->id, st->evidence[k].id);
	if (st->critical && !util_streq(pstr(c->p, "typed"), st->confirm_name))
		return refuse(c->why, _("step %s is critical: the name typed must be \"%s\""),
			      st->id, st->confirm_name ? st->confirm_name : "");
	if (st->witness && !s->present[ck_other_side(st->owner)])
		return refuse(c->why, _("step %s needs a witness: operator %s must be present"),
			      st->id, sess_side_name(ck_other_side(st->owner)));
	if (ss->has_check && ss->check.status == CHECK_FAIL)
		return refuse(c->why, _("the last check of step %s failed: fix it and check again, "
					"or record a deviation"), st->id);
	res = pstr(c->p, "resources");
	want = sess_step_resources(st);
	if (!res || strcmp(res, want) != 0) {
		refuse(c->why, _("the confirmation of step %s names other resources than the plan's"),
		       st->id);
		free(want);
		return -1;
	}
	ss->confirmed_by = c->ev->actor;
	ss->confirmed_at = c->t;
	ss->confirm_seq = c->ev->seq;
	free(ss->resources);
	ss->resources = want;
	return 0;
}

static int r_step_wait(struct rule_ctx *c)
{
	long i = step_lookup(c);
	const struct step *st;
	const char *kind = pstr(c->p, "kind");
	char until[21];
	if (i < 0)
		return -1;
	st = cstep(c, i);
	if (need_owner(c, st))
		return -1;
	if (c->s->steps[i].confirmed_by == CK_SIDE_NONE || st->wait.kind == WAIT_NONE)
		return refuse(c->why, _("step %s has no wait to start"), st->id);
	if (st->wait.kind == WAIT_HOURS) {
		sess_format_time(c->s->steps[i].confirmed_at + (time_t)st->wait.hours * 3600, until);
		if (!util_streq(kind, "until") || !util_streq(pstr(c->p, "until"), until))
			return refuse(c->why, _("step %s waits until %s"), st->id, until);
	} else if (!util_streq(kind, "event")) {
		return refuse(c->why, _("step %s waits for an outside event"), st->id);
	}
	return 0;
}

static int r_step_witness(struct rule_ctx *c)
{
	long i = step_lookup(c);
	const struct step *st;
	struct sess_step *ss;
	if (i < 0)
		return -1;
	st = cstep(c, i);
	ss = &c->s->steps[i];
	if (!st->witness)
		return refuse(c->why, _("step %s needs no witness"), st->id);
	if (ss->confirmed_by == CK_SIDE_NONE)
		return refuse(c->why, _("step %s must be confirmed by its owner before it is "
					"witnessed"), st->id);
	if (ss->witnessed_by != CK_SIDE_NONE)
		return refuse(c->why, _("step %s is already witnessed"), st->id);
	if (c->ev->actor == st->owner)
		return refuse(c->why, _("the owner of step %s cannot witness it: operator %s must"),
			      st->id, sess_side_name(ck_other_side(st->owner)));
	ss->witnessed_by = c->ev->actor;
	ss->witnessed_at = c->t;
	return 0;
}

static int r_step_event(struct rule_ctx *c)
{
	long i = step_lookup(c);
	const struct step *st;
	struct sess_step *ss;
	const char *what;
	if (i < 0)
		return -1;
	st = cstep(c, i);
	ss = &c->s->steps[i];
	if (need_owner(c, st))
		return -1;
	if (st->wait.kind != WAIT_EVENT || ss->confirmed_by == CK_SIDE_NONE || ss->arrived)
		return refuse(c->why, _("step %s is not waiting for an outside event"), st->id);
	if (check_text(c, "what", true, &what) < 0)
		return -1;
	ss->arrived = true;
	ss->arrived_at = c->t;
	ss->arrived_what = xstrdup(what);
	return 0;
}

static int r_step_skip(struct rule_ctx *c)
{
	long i = step_lookup(c);
	const char *reason;
	if (i < 0 || need_open_step(c, i) || check_text(c, "reason", true, &reason) < 0)
		return -1;
	c->s->steps[i].skipped = true;
	c->s->steps[i].reason = xstrdup(reason);
	return 0;
}

static int r_deviation(struct rule_ctx *c)
{
	const char *reason;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(c->p, "step");
	if (!cJSON_IsNull(st) && step_lookup(c) < 0)
		return -1;
	return check_text(c, "reason", true, &reason);
}

static int r_note(struct rule_ctx *c)
{
	const char *text;
	return check_text(c, "text", true, &text);
}

static int r_clock_advance(struct rule_ctx *c)
{
	long sec, off;
	if (c->s->mode != SESSION_REHEARSAL)
		return refuse(c->why, _("only a rehearsal's clock can be moved forward"));
	if (!pint(c->p, "seconds", &sec) || sec <= 0 || sec > 400L * 86400 ||
	    !pint(c->p, "offset", &off) || off != c->s->clock_offset + sec)
		return refuse(c->why, _("a clock advance must be 1 s to 400 days, and the new "
					"offset the old plus that"));
	c->s->clock_offset = off;
	return 0;
}

static const struct rule_type rule_types[] = {
	{ "session.open",  SIG_NONE,    false, false, r_session_open },
	{ "sitting.open",  SIG_PRESENT, false, false, r_sitting_open },
	{ "sitting.close", SIG_ACTOR,   true,  false, r_sitting_close },
	{ "plan.approve",  SIG_ACTOR,   true,  false, r_plan_approve },
	{ "plan.verify",   SIG_ACTOR,   true,  false, r_plan_verify },
	{ "plan.amend",    SIG_BOTH,    true,  false, r_plan_amend },
	{ "step.start",    SIG_ACTOR,   true,  true,  r_step_start },
	{ "step.evidence", SIG_ACTOR,   true,  true,  r_step_evidence },
	{ "step.check",    SIG_ACTOR,   true,  true,  r_step_check },
	{ "step.perform",  SIG_ACTOR,   true,  true,  r_step_perform },
	{ "step.confirm",  SIG_ACTOR,   true,  true,  r_step_confirm },
	{ "step.wait",     SIG_ACTOR,   true,  true,  r_step_wait },
	{ "step.witness",  SIG_ACTOR,   true,  true,  r_step_witness },
	{ "step.event",    SIG_ACTOR,   true,  true,  r_step_event },
	{ "step.skip",     SIG_BOTH,    true,  true,  r_step_skip },
	{ "deviation",     SIG_BOTH,    true,  false, r_deviation },
	{ "note",          SIG_ACTOR,   true,  false, r_note },
	{ "clock.advance", SIG_ACTOR,   true,  false, r_clock_advance },
	{ "session.close", SIG_BOTH,    true,  false, r_session_close },
};

static int check_signers(struct session *s, const struct journal_event *ev,
			 const struct rule_type *rt, bool check_sigs, char **why)
{
	bool seen[CK_SIDES] = { false, false };
	char msg[128];
	if (rt->signers == SIG_NONE) {
		if (ev->actor != CK_SIDE_NONE || ev->n_sigs)
			return refuse(why, _("%s has no actor and no signature"), ev->type);
		return 0;
	}
	if (ev->actor != CK_SIDE_A && ev->actor != CK_SIDE_B)
		return refuse(why, _("%s needs an actor, operator A or B"), ev->type);
	for (size_t i = 0; i < ev->n_sigs; i++) {
		int by = ev->sigs[i].by;
		if ((by != CK_SIDE_A && by != CK_SIDE_B) || seen[by])
			return refuse(why, _("a signature is repeated or not by operator A or B"));
		seen[by] = true;
		if (check_sigs) {
			journal_sig_message(ev->hash, msg, sizeof msg);
			if (pubkey_verify(s->pub[by], msg, strlen(msg), ev->sigs[i].sig) != 1)
				return refuse(why, _("operator %s's signature does not match the "
						     "plan's key for operator %s"),
					      sess_side_name(by), sess_side_name(by));
		}
	}
	if (!seen[ev->actor])
		return refuse(why, _("%s by operator %s is not signed by operator %s"), ev->type,
			      sess_side_name(ev->actor), sess_side_name(ev->actor));
	if (rt->signers == SIG_ACTOR && ev->n_sigs != 1)
		return refuse(why, _("%s is signed by its actor alone"), ev->type);
	if (rt->signers == SIG_BOTH && ev->n_sigs != 2)
		return refuse(why, _("%s needs the signatures of both operators"), ev->type);
	return 0;
}

int sess_apply(struct session *s, const struct journal_event *ev, bool check_sigs, char **why)
{
	const struct rule_type *rt = NULL;
	struct rule_ctx c = { s, ev, ev->payload, 0, why };
	time_t t = sess_parse_time(ev->time);
	for (size_t i = 0; i < CK_ARRAY_LEN(rule_types); i++)
		if (strcmp(rule_types[i].type, ev->type) == 0)
			rt = &rule_types[i];
	if (!rt)
		return refuse(why, _("unknown event type \"%s\""), ev->type);
	if (t == (time_t)-1)
		return refuse(why, _("the time \"%s\" is not a UTC time"), ev->time);
	c.t = t + s->clock_offset;
	if (s->closed)
		return refuse(why, _("the session is closed: nothing can follow session.close"));
	if ((ev->seq == 1) != (strcmp(ev->type, "session.open") == 0))
		return refuse(why, _("a journal starts with session.open, and only once"));
	if (!cJSON_IsObject(ev->payload))
		return refuse(why, _("the payload is not an object"));
	if (check_signers(s, ev, rt, check_sigs, why) < 0)
		return -1;
	if (rt->in_sitting) {
		if (!s->sitting_open)
			return refuse(why, _("%s outside a sitting: open a sitting first"), ev->type);
		if (!s->present[ev->actor] ||
		    (rt->signers == SIG_BOTH && !(s->present[0] && s->present[1])))
			return refuse(why, _("%s needs %s present in the sitting"), ev->type,
				      rt->signers == SIG_BOTH ? _("both operators")
							       : _("its operator"));
	}
	if (rt->verified && !s->verified)
		return refuse(why, _("no step can be worked on before the plan is approved by its "
				     "author and verified by the other operator"));
	return rt->apply(&c);
}

/* The state a confirmed or skipped step is in; -1 for one still open. A
 * prerequisite only needs this part: it was itself confirmed with its own
 * prerequisites done, so no recursion through the catalogue is needed. */
static int closed_state(const struct session *s, size_t i, time_t now)
{
	const struct step *st = &s->cat->steps[i];
	const struct sess_step *ss = &s->steps[i];
	if (ss->skipped)
		return STEP_SKIPPED;
	if (ss->confirmed_by == CK_SIDE_NONE)
		return -1;
	if (st->witness && ss->witnessed_by == CK_SIDE_NONE)
		return STEP_WAIT_WITNESS;
	if (st->wait.kind == WAIT_HOURS && now < ss->confirmed_at + (time_t)st->wait.hours * 3600)
		return STEP_WAIT_TIME;
	if (st->wait.kind == WAIT_EVENT && !ss->arrived)
		return STEP_WAIT_EVENT;
	return STEP_DONE;
}

enum session_step_state sess_step_state(const struct session *s, size_t i, time_t now,
					const char **blocked_by)
{
	const struct step *st = &s->cat->steps[i];
	const struct sess_step *ss = &s->steps[i];
	int cs = closed_state(s, i, now);
	if (cs >= 0)
		return (enum session_step_state)cs;
	if (!s->verified)
		return STEP_PENDING;
	for (size_t k = 0; k < st->n_prereqs; k++) {
		long j = session_step_index(s, st->prereqs[k]);
		int ps;
		if (j < 0 || (size_t)j == i)
			continue; /* the catalogue's own tests keep its references whole */
		ps = closed_state(s, (size_t)j, now);
		if (ps != STEP_DONE && ps != STEP_SKIPPED) {
			if (blocked_by)
				*blocked_by = st->prereqs[k];
			return STEP_BLOCKED;
		}
	}
	if (ss->started && ss->has_check && ss->check.status == CHECK_FAIL)
		return STEP_FAILED;
	return STEP_READY;
}
