/* sim_m365.c: the Microsoft 365 side of the simulated tenant, modelled just
 * enough for the steps' checks: the FastTrack request, the onboarding e-mail
 * (which lets Microsoft finish the retention period), the DEPs and their
 * assignment, and the time encryption takes to show. */
#include "ck.h"
#include "azure/sim_int.h"
#include "hash.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bool is_template(const struct sim_ctx *c, const char *id)
{
	return c->s->template_id && strcmp(c->s->template_id, id) == 0;
}

/* ---- FastTrack and the e-mail -------------------------------------------- */

static char *fasttrack_id(const char *step)
{
	unsigned char h[HASH_SHA256_LEN];
	hash_sha256(step, strlen(step), h);
	unsigned long n = ((unsigned long)h[0] << 16 | (unsigned long)h[1] << 8 | h[2]) % 9000000;
	return xasprintf("%lu", 1000000 + n);
}

static void fasttrack(struct sim_ctx *c, bool perform)
{
	const struct sim_event *e = sim_event_find(c->st, "fasttrack", c->s->id);
	if (perform && !e)
		sim_event_add(c->st, c->s->id, "fasttrack", c->now);
	if (!perform && !e) {
		sim_result(c, CHECK_FAIL, R_FASTTRACK_NOT_SUBMITTED);
		return;
	}
	char *id = fasttrack_id(c->s->id);
	sim_detail(c, "RequestId", "%s", id);
	sim_result(c, CHECK_PASS, R_FASTTRACK_SUBMITTED, id);
	free(id);
}

/* Microsoft has confirmed when the retention period is Registered in every
 * subscription of the plan. */
static void email(struct sim_ctx *c, bool perform)
{
	const struct plan *p = c->st->cat->plan;
	if (perform && !sim_event_find(c->st, "email", c->s->id))
		sim_event_add(c->st, c->s->id, "email", c->now);
	const struct sim_event *e = sim_event_find(c->st, "email", c->s->id);
	if (!e) {
		sim_result(c, CHECK_FAIL, R_EMAIL_NOT_SENT);
		return;
	}
	char *sent = sim_time_text(e->at);
	sim_detail(c, "sent", "%s", sent);
	free(sent);
	long long last = 0;
	bool all = true;
	for (int side = 0; side < CK_SIDES; side++) {
		long long ready;
		const char *id = p ? p->sub[side].id : NULL;
		const char *state = sim_feature_state(c->st, sim_sub(c->st, id, false), c->now,
						      &ready);
		sim_detail(c, "RegistrationState", "%s: %s", id ? id : "?", state);
		if (strcmp(state, "Registered") != 0)
			all = false;
		if (ready > last)
			last = ready;
	}
	if (all) {
		sim_result(c, CHECK_PASS, R_MICROSOFT_CONFIRMED);
		return;
	}
	if (last) {
		char *when = sim_time_text(last);
		sim_detail(c, "simulator", "Microsoft answers at %s", when);
		free(when);
	}
	if (perform)
		sim_result(c, CHECK_PASS, R_EMAIL_SENT);
	else
		sim_result(c, CHECK_PENDING, R_WAITING_FOR_MICROSOFT);
}

/* ---- DEPs ---------------------------------------------------------------- */

static const char *dep_name(const struct inv_dep *d)
{
	return d->name ? d->name : d->id;
}

static int spo_percent(const struct sim_dep *d, long long now)
{
	long long done = now - d->created;
	if (done >= SIM_SPO_REGISTER_SECONDS)
		return 100;
	return done <= 0 ? 0 : (int)(done * 100 / SIM_SPO_REGISTER_SECONDS);
}

static void dep_show(struct sim_ctx *c)
{
	const struct inv_dep *d = c->s->dep;
	struct sim_dep *sd = d ? sim_dep(c->st, d->id) : NULL;
	if (!sd) {
		sim_result(c, CHECK_FAIL, R_DEP_MISSING, d ? dep_name(d) : "?");
		return;
	}
	sim_detail(c, "Name", "%s", sd->name);
	sim_detail(c, "AzureKeyIDs", "%s, %s", sd->uris[0], sd->uris[1]);
	bool spo = d->workload == WL_SHAREPOINT;
	int pct = spo_percent(sd, c->now);
	if (spo)
		sim_detail(c, "State", pct >= 100 ? "Registered" : "Registering (%d%%)", pct);
	else
		sim_detail(c, "Enabled", "True");
	for (int side = 0; side < CK_SIDES; side++)
		if (strcmp(sd->uris[side], d->side[side].key_uri) != 0) {
			sim_result(c, CHECK_FAIL, R_DEP_NAMES_OTHER_KEY, sd->uris[side], ck_side_letter(side), d->side[side].key_uri);
			return;
		}
	if (spo && pct < 100 && !is_template(c, "dep.sharepoint.register"))
		sim_result(c, CHECK_PENDING, R_SPO_REGISTERING, pct);
	else if (spo)
		sim_result(c, CHECK_PASS, pct < 100 ? R_SPO_ENCRYPTING : R_SPO_ENCRYPTED, pct);
	else
		sim_result(c, CHECK_PASS, R_DEP_OK, sd->name);
}

static void dep_create(struct sim_ctx *c)
{
	const struct inv_dep *d = c->s->dep;
	if (!d) {
		sim_result(c, CHECK_FAIL, R_NO_DEP_NAMED);
		return;
	}
	if (sim_dep(c->st, d->id)) {
		sim_detail(c, "note", "the policy exists already");
		dep_show(c);
		return;
	}
	for (int side = 0; side < CK_SIDES; side++) {
		char *why = sim_key_usable(c->st, d->side[side].key_uri, d->workload, c->now);
		if (why) {
			sim_result(c, CHECK_FAIL, R_KEY_UNUSABLE, d->side[side].key_uri, why);
			free(why);
			return;
		}
	}
	c->st->deps = sim_grow(c->st->deps, &c->st->n_deps, sizeof *c->st->deps);
	struct sim_dep *sd = &c->st->deps[c->st->n_deps - 1];
	sd->id = xstrdup(d->id);
	sd->name = xstrdup(dep_name(d));
	sd->uris[0] = xstrdup(d->side[CK_SIDE_A].key_uri);
	sd->uris[1] = xstrdup(d->side[CK_SIDE_B].key_uri);
	sd->created = c->now;
	dep_show(c);
}

/* ---- Assignments and encryption ------------------------------------------ */

static char *mailbox_of(const struct sim_ctx *c)
{
	/* dep.multi.* assign the tenant, not a mailbox. */
	return c->s->dep && c->s->dep->workload == WL_MULTI ? xstrdup("*") : sim_id_tail(c->s);
}

static void assign(struct sim_ctx *c, bool perform)
{
	const struct inv_dep *d = c->s->dep;
	if (!d || !sim_dep(c->st, d->id)) {
		sim_result(c, CHECK_FAIL, R_DEP_MISSING_FOR_ASSIGNMENT, d ? dep_name(d) : "?");
		return;
	}
	char *mb = mailbox_of(c);
	struct sim_assign *a = sim_assign(c->st, d->id, mb);
	if (perform && !a) {
		c->st->assigns = sim_grow(c->st->assigns, &c->st->n_assigns, sizeof *c->st->assigns);
		a = &c->st->assigns[c->st->n_assigns - 1];
		a->dep = xstrdup(d->id);
		a->mailbox = xstrdup(mb);
		a->at = c->now;
	}
	if (!a) {
		if (strcmp(mb, "*") == 0)
			sim_result(c, CHECK_FAIL, R_TENANT_NOT_ASSIGNED, dep_name(d));
		else
			sim_result(c, CHECK_FAIL, R_DEP_NOT_ASSIGNED, mb, dep_name(d));
	} else {
		char *when = sim_time_text(a->at);
		sim_detail(c, strcmp(mb, "*") ? "Mailbox" : "Assignment", "%s",
			   strcmp(mb, "*") ? mb : "tenant");
		sim_detail(c, "DataEncryptionPolicy", "%s", dep_name(d));
		sim_detail(c, "assigned", "%s", when);
		free(when);
		if (strcmp(mb, "*") == 0)
			sim_result(c, CHECK_PASS, R_TENANT_ASSIGNED_DEP, dep_name(d));
		else
			sim_result(c, CHECK_PASS, R_MAILBOX_ASSIGNED_DEP, mb, dep_name(d));
	}
	free(mb);
}

static void encrypted(struct sim_ctx *c)
{
	const struct inv_dep *d = c->s->dep;
	char *mb = mailbox_of(c);
	struct sim_assign *a = d ? sim_assign(c->st, d->id, mb) : NULL;
	sim_detail(c, "Mailbox", "%s", mb);
	if (!a) {
		sim_detail(c, "IsEncrypted", "False");
		sim_result(c, CHECK_FAIL, R_MAILBOX_HAS_NO_DEP, mb);
	} else if (c->now < a->at + SIM_MAILBOX_ENCRYPT_SECONDS) {
		char *when = sim_time_text(a->at + SIM_MAILBOX_ENCRYPT_SECONDS);
		sim_detail(c, "IsEncrypted", "False");
		sim_detail(c, "simulator", "encrypted at %s", when);
		sim_result(c, CHECK_PENDING, R_MAILBOX_NOT_ENCRYPTED_YET, when);
		free(when);
	} else {
		sim_detail(c, "IsEncrypted", "True");
		sim_result(c, CHECK_PASS, R_MAILBOX_ENCRYPTED, mb);
	}
	free(mb);
}

/* ---- Dispatch ------------------------------------------------------------ */

static void m365(struct sim_ctx *c, enum sim_effect e, bool perform)
{
	switch (e) {
	case SIM_E_FASTTRACK: fasttrack(c, perform); return;
	case SIM_E_EMAIL: email(c, perform); return;
	case SIM_E_DEP_CREATE:
	case SIM_E_SPO_REGISTER:
		if (perform && !is_template(c, "dep.sharepoint.verify"))
			dep_create(c);
		else
			dep_show(c);
		return;
	case SIM_E_ASSIGN:
		assign(c, perform && !is_template(c, "dep.multi.verify"));
		return;
	case SIM_E_ENCRYPTED: encrypted(c); return;
	case SIM_E_ONBOARD_VALIDATE: sim_onboard(c, false, perform); return;
	case SIM_E_ONBOARD_ENABLE: sim_onboard(c, true, perform); return;
	default:
		sim_result(c, CHECK_UNAVAILABLE, R_SIM_NO_SUCH_CHECK);
		return;
	}
}

void sim_m365_perform(struct sim_ctx *c, enum sim_effect e)
{
	m365(c, e, true);
}

void sim_m365_check(struct sim_ctx *c, enum sim_effect e)
{
	m365(c, e, false);
}
