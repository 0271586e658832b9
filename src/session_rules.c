/* session_rules.c: the one rule engine of dual control. Every event, live or
 * replayed (resume, report, verify), goes through sess_apply(): it either
 * refuses the event with a sentence that says which rule it breaks, or
 * changes the state. The table below says, per event type, who must sign and
 * whether the actor must sit in an open sitting and the plan be verified. */
#include "ck.h"
#include "session_rules.h"
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

typedef int (*rule_fn)(struct rule_ctx *c);

struct rule_type {
	const char *type;
	enum signers signers;
	bool in_sitting;          /* the actor (both, for SIG_BOTH) present in an open sitting */
	bool verified;            /* the current plan version verified */
	rule_fn apply;
};

static bool plan_matches(struct rule_ctx *c)
{
	long v = 0;
	const char *h = sr_str(c->p, "plan_sha256");
	if (!sr_int(c->p, "version", &v) || v != c->s->plan_version || !h ||
	    strcmp(h, c->s->plan->sha256) != 0) {
		sr_refuse(c->why, _("it names plan version %ld %s, but the current version is %ld %s"),
		       v, h ? h : "-", c->s->plan_version, c->s->plan->sha256);
		return false;
	}
	return true;
}

int sr_refuse(char **why, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (why)
		*why = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

const char *sr_str(const cJSON *p, const char *k)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, k);
	return cJSON_IsString(o) ? o->valuestring : NULL;
}

/* Integers are written by us; anything fractional or out of range is refused. */
bool sr_int(const cJSON *p, const char *k, long *out)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(p, k);
	if (!cJSON_IsNumber(o) || o->valuedouble != (double)(long)o->valuedouble)
		return false;
	*out = (long)o->valuedouble;
	return true;
}

/* Free text typed by an operator: bounded, no NUL, control or bidi. */
int sr_text(struct rule_ctx *c, const char *k, bool multiline, const char **out)
{
	const char *v = sr_str(c->p, k);
	size_t off;
	uint32_t cp;
	if (!v || !*v)
		return sr_refuse(c->why, _("\"%s\" is missing or empty"), k);
	if (strlen(v) > SESSION_MAX_TEXT)
		return sr_refuse(c->why, _("\"%s\" is longer than %d bytes"), k, SESSION_MAX_TEXT);
	if (text_find_forbidden(v, strlen(v), multiline, &off, &cp))
		return sr_refuse(c->why, _("\"%s\" holds the forbidden character U+%04X at byte %zu"),
			      k, (unsigned)cp, off);
	*out = v;
	return 0;
}

long sr_step(struct rule_ctx *c)
{
	const char *id = sr_str(c->p, "step");
	long i = id ? session_step_index(c->s, id) : -1;
	if (i < 0)
		sr_refuse(c->why, _("unknown step \"%s\""), id ? id : "(none)");
	return i;
}

const struct step *sr_cstep(struct rule_ctx *c, long i)
{
	return &c->s->cat->steps[i];
}


/* ---- session ------------------------------------------------------------ */

static int r_session_open(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *mode = sr_str(c->p, "mode"), *tool = sr_str(c->p, "tool");
	const char *bytes = sr_str(c->p, "plan"), *h = sr_str(c->p, "plan_sha256");
	char hex[HASH_SHA256_HEX_LEN + 1];
	long fmt;
	if (!sr_int(c->p, "format", &fmt) || fmt != SESSION_FORMAT)
		return sr_refuse(c->why, _("unknown session format (this tool reads format %d)"),
			      SESSION_FORMAT);
	if (!mode || (strcmp(mode, "run") && strcmp(mode, "rehearsal")))
		return sr_refuse(c->why, _("the mode must be \"run\" or \"rehearsal\""));
	if (!tool || !bytes || !h)
		return sr_refuse(c->why, _("the tool version, plan or plan hash is missing"));
	long cv = 1;
	if (cJSON_GetObjectItemCaseSensitive(c->p, "catalogue") &&
	    (!sr_int(c->p, "catalogue", &cv) || cv < 2 || cv > (long)STEPS_CATALOGUE_VERSION))
		return sr_refuse(c->why, _("step catalogue version %ld is not one this ckwizard knows "
					"(1 to %u)"), cv, STEPS_CATALOGUE_VERSION);
	s->cat_version = (unsigned)cv;
	const char *cer = sr_str(c->p, "ceremony");
	if (cJSON_GetObjectItemCaseSensitive(c->p, "ceremony") &&
	    (!cer || strcmp(cer, "offboarding") != 0 || cv < 2))
		return sr_refuse(c->why, _("the ceremony must be \"offboarding\" (catalogue 2 or "
					"later), or absent"));
	s->offboarding = cer != NULL;
	hash_sha256_hex(bytes, strlen(bytes), hex);
	if (strcmp(hex, h) != 0)
		return sr_refuse(c->why, _("the embedded plan's SHA-256 is %s, not the recorded %s"),
			      hex, h);
	if (sess_plan_set(s, bytes, strlen(bytes), c->why) < 0)
		return -1;
	s->mode = strcmp(mode, "run") == 0 ? SESSION_RUN : SESSION_REHEARSAL;
	if (s->mode == SESSION_RUN && session_uses_demo_keys(s))
		return sr_refuse(c->why, _("a real ceremony (run) cannot use the bundled demo "
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
		return sr_refuse(c->why, _("sitting %ld is still open"), s->sitting_no);
	if (!sr_int(c->p, "sitting", &n) || n != s->sitting_no + 1)
		return sr_refuse(c->why, _("the sitting must be number %ld"), s->sitting_no + 1);
	if (!cJSON_IsArray(pr) || cJSON_GetArraySize(pr) < 1 || cJSON_GetArraySize(pr) > 2)
		return sr_refuse(c->why, _("\"present\" must list one or two operators"));
	cJSON_ArrayForEach(it, pr) {
		int side = cJSON_IsString(it) ? sess_side_parse(it->valuestring) : CK_SIDE_NONE;
		if (side == CK_SIDE_NONE || present[side])
			return sr_refuse(c->why, _("\"present\" must list operators A and B at most once"));
		present[side] = true;
	}
	for (size_t i = 0; i < c->ev->n_sigs; i++)
		signed_by[c->ev->sigs[i].by] = true;
	for (int side = 0; side < CK_SIDES; side++)
		if (present[side] != signed_by[side])
			return sr_refuse(c->why, _("a sitting is signed by exactly the operators present; "
						"operator %s is not"), sess_side_name(side));
	if (!present[c->ev->actor])
		return sr_refuse(c->why, _("the actor is not among those present"));
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
	if (!sr_int(c->p, "sitting", &n) || n != c->s->sitting_no)
		return sr_refuse(c->why, _("the sitting to close is number %ld"), c->s->sitting_no);
	c->s->sitting_open = false;
	c->s->sitting_closed = c->t;
	return 0;
}

/* ---- plan --------------------------------------------------------------- */

static int r_plan_approve(struct rule_ctx *c)
{
	struct session *s = c->s;
	if (c->ev->actor != s->plan->author)
		return sr_refuse(c->why, _("only the plan's author (operator %s) can approve it"),
			      sess_side_name(s->plan->author));
	if (s->approved)
		return sr_refuse(c->why, _("this plan version is already approved"));
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
		return sr_refuse(c->why, _("the author must approve the plan before it is verified"));
	if (s->verified)
		return sr_refuse(c->why, _("this plan version is already verified"));
	if (c->ev->actor == s->plan->author)
		return sr_refuse(c->why, _("the plan's author cannot verify their own plan: "
					"operator %s must"), sess_side_name(ck_other_side(s->plan->author)));
	if (!plan_matches(c))
		return -1;
	if (!cJSON_IsObject(cl) || !cJSON_IsArray(ack))
		return sr_refuse(c->why, _("the checklist or the acknowledged warnings are missing"));
	for (size_t i = 0; i < session_n_checklist; i++)
		if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cl, session_checklist[i].id)))
			return sr_refuse(c->why, _("checklist item \"%s\" is not answered yes"),
				      session_checklist[i].id);
	for (size_t i = 0; i < s->n_warn; i++)
		if (!acked(ack, s->warn_ids[i]))
			return sr_refuse(c->why, _("warning %s is not acknowledged"), s->warn_ids[i]);
	s->verified = true;
	s->verifier = c->ev->actor;
	return 0;
}

static int r_plan_amend(struct rule_ctx *c)
{
	struct session *s = c->s;
	const char *bytes = sr_str(c->p, "plan"), *h = sr_str(c->p, "plan_sha256");
	char hex[HASH_SHA256_HEX_LEN + 1];
	unsigned char old_pub[CK_SIDES][PUBKEY_LEN];
	int old_author = s->plan->author;
	long v;
	if (!sr_int(c->p, "version", &v) || v != s->plan_version + 1)
		return sr_refuse(c->why, _("an amendment must be plan version %ld"), s->plan_version + 1);
	if (!bytes || !h || !sr_str(c->p, "diff"))
		return sr_refuse(c->why, _("the amendment's plan, hash or diff is missing"));
	hash_sha256_hex(bytes, strlen(bytes), hex);
	if (strcmp(hex, h) != 0)
		return sr_refuse(c->why, _("the amended plan's SHA-256 is %s, not the recorded %s"), hex, h);
	memcpy(old_pub, s->pub, sizeof old_pub);
	if (sess_plan_set(s, bytes, strlen(bytes), c->why) < 0)
		return -1;
	/* An amendment changes resources, never the people: swapping an operator's
	 * key would let anyone re-sign the rest of the ceremony. */
	if (memcmp(old_pub, s->pub, sizeof old_pub) != 0 || s->plan->author != old_author)
		return sr_refuse(c->why, _("an amendment cannot change the operators' keys or the "
					"author: start a new session for new operators"));
	s->plan_version = v;
	s->approved = true; /* both signed it, the author included */
	s->verified = false;
	s->verifier = CK_SIDE_NONE;
	return 0;
}

static int r_deviation(struct rule_ctx *c)
{
	const char *reason;
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(c->p, "step");
	if (!cJSON_IsNull(st) && sr_step(c) < 0)
		return -1;
	return sr_text(c, "reason", true, &reason);
}

static int r_note(struct rule_ctx *c)
{
	const char *text;
	return sr_text(c, "text", true, &text);
}

static int r_clock_advance(struct rule_ctx *c)
{
	long sec, off;
	if (c->s->mode != SESSION_REHEARSAL)
		return sr_refuse(c->why, _("only a rehearsal's clock can be moved forward"));
	if (!sr_int(c->p, "seconds", &sec) || sec <= 0 || sec > 400L * 86400 ||
	    !sr_int(c->p, "offset", &off) || off != c->s->clock_offset + sec)
		return sr_refuse(c->why, _("a clock advance must be 1 s to 400 days, and the new "
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
	{ "step.start",    SIG_ACTOR,   true,  true,  sr_step_start },
	{ "step.evidence", SIG_ACTOR,   true,  true,  sr_step_evidence },
	{ "step.check",    SIG_ACTOR,   true,  true,  sr_step_check },
	{ "step.perform",  SIG_ACTOR,   true,  true,  sr_step_perform },
	{ "step.confirm",  SIG_ACTOR,   true,  true,  sr_step_confirm },
	{ "step.wait",     SIG_ACTOR,   true,  true,  sr_step_wait },
	{ "step.witness",  SIG_ACTOR,   true,  true,  sr_step_witness },
	{ "step.event",    SIG_ACTOR,   true,  true,  sr_step_event },
	{ "step.skip",     SIG_BOTH,    true,  true,  sr_step_skip },
	{ "deviation",     SIG_BOTH,    true,  false, r_deviation },
	{ "note",          SIG_ACTOR,   true,  false, r_note },
	{ "clock.advance", SIG_ACTOR,   true,  false, r_clock_advance },
	{ "session.close", SIG_BOTH,    true,  false, r_session_close },
};

bool session_rule_at(size_t i, const char **type, const char **signers)
{
	static const char *const names[] = { [SIG_NONE] = "none", [SIG_ACTOR] = "actor",
					     [SIG_PRESENT] = "present", [SIG_BOTH] = "both" };
	if (i >= CK_ARRAY_LEN(rule_types))
		return false;
	*type = rule_types[i].type;
	*signers = names[rule_types[i].signers];
	return true;
}

static int check_signers(struct session *s, const struct journal_event *ev,
			 const struct rule_type *rt, bool check_sigs, char **why)
{
	bool seen[CK_SIDES] = { false, false };
	char msg[128];
	if (rt->signers == SIG_NONE) {
		if (ev->actor != CK_SIDE_NONE || ev->n_sigs)
			return sr_refuse(why, _("%s has no actor and no signature"), ev->type);
		return 0;
	}
	if (ev->actor != CK_SIDE_A && ev->actor != CK_SIDE_B)
		return sr_refuse(why, _("%s needs an actor, operator A or B"), ev->type);
	for (size_t i = 0; i < ev->n_sigs; i++) {
		int by = ev->sigs[i].by;
		if ((by != CK_SIDE_A && by != CK_SIDE_B) || seen[by])
			return sr_refuse(why, _("a signature is repeated or not by operator A or B"));
		seen[by] = true;
		if (check_sigs) {
			journal_sig_message(ev->hash, msg, sizeof msg);
			if (pubkey_verify(s->pub[by], msg, strlen(msg), ev->sigs[i].sig) != 1)
				return sr_refuse(why, _("operator %s's signature does not match the "
						     "plan's key for operator %s"),
					      sess_side_name(by), sess_side_name(by));
		}
	}
	if (!seen[ev->actor])
		return sr_refuse(why, _("%s by operator %s is not signed by operator %s"), ev->type,
			      sess_side_name(ev->actor), sess_side_name(ev->actor));
	if (rt->signers == SIG_ACTOR && ev->n_sigs != 1)
		return sr_refuse(why, _("%s is signed by its actor alone"), ev->type);
	if (rt->signers == SIG_BOTH && ev->n_sigs != 2)
		return sr_refuse(why, _("%s needs the signatures of both operators"), ev->type);
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
		return sr_refuse(why, _("unknown event type \"%s\""), ev->type);
	if (t == (time_t)-1)
		return sr_refuse(why, _("the time \"%s\" is not a UTC time"), ev->time);
	c.t = t + s->clock_offset;
	if (s->closed)
		return sr_refuse(why, _("the session is closed: nothing can follow session.close"));
	if ((ev->seq == 1) != (strcmp(ev->type, "session.open") == 0))
		return sr_refuse(why, _("a journal starts with session.open, and only once"));
	if (!cJSON_IsObject(ev->payload))
		return sr_refuse(why, _("the payload is not an object"));
	if (check_signers(s, ev, rt, check_sigs, why) < 0)
		return -1;
	if (rt->in_sitting) {
		if (!s->sitting_open)
			return sr_refuse(why, _("%s outside a sitting: open a sitting first"), ev->type);
		if (!s->present[ev->actor] ||
		    (rt->signers == SIG_BOTH && !(s->present[0] && s->present[1])))
			return sr_refuse(why, _("%s needs %s present in the sitting"), ev->type,
				      rt->signers == SIG_BOTH ? _("both operators")
							       : _("its operator"));
	}
	if (rt->verified && !s->verified)
		return sr_refuse(why, _("no step can be worked on before the plan is approved by its "
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
	if (ss->started && ss->has_check && ss->check.status == SESSION_CHECK_FAIL)
		return STEP_FAILED;
	return STEP_READY;
}
