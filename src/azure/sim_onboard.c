/* sim_onboard.c: the Customer Key onboarding service, simulated (catalogue
 * version 2, plans with onboarding: service). Validate looks at what
 * Microsoft would look at (both keys usable by the workload's service
 * principal, the retention period Registered in both subscriptions) and
 * lists what fails in FailedValidations; Enable repeats the validation and,
 * when nothing fails, records the tenant as onboarded for the DEP's
 * scenario. The fault onboarding-validation makes the first Validate fail
 * with a listed item, once: validating again after the "fix" passes. */
#include "ck.h"
#include "azure/sim_int.h"
#include "hash.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A request ID in GUID form, the same for the same step and attempt. */
static char *request_id(const char *step, size_t attempt)
{
	unsigned char h[HASH_SHA256_LEN];
	char *seed = xasprintf("%s#%zu", step, attempt);
	hash_sha256(seed, strlen(seed), h);
	free(seed);
	return xasprintf("%02x%02x%02x%02x-%02x%02x-4%01x%02x-a%01x%02x-%02x%02x%02x%02x%02x%02x",
			 h[0], h[1], h[2], h[3], h[4], h[5], h[6] & 15, h[7], h[8] & 15, h[9],
			 h[10], h[11], h[12], h[13], h[14], h[15]);
}

static size_t attempts(const struct sim_state *st, const char *step)
{
	size_t n = 0;
	for (size_t i = 0; i < st->n_events; i++)
		n += strcmp(st->events[i].step, step) == 0;
	return n;
}

/* What the service would list in FailedValidations (empty: none). */
static void failed_validations(struct sim_ctx *c, struct buf *out)
{
	const struct plan *p = c->st->cat->plan;
	const struct inv_dep *d = c->s->dep;
	for (int side = 0; d && side < CK_SIDES; side++) {
		char *why = sim_key_usable(c->st, d->side[side].key_uri, (int)d->workload, c->now);
		if (why)
			buf_printf(out, "%sKeyIdentifier%d: %s", out->len ? "; " : "", side + 1, why);
		free(why);
		long long ready;
		const char *sub = p ? p->sub[side].id : NULL;
		const char *state = sim_feature_state(c->st, sim_sub(c->st, sub, false), c->now,
						      &ready);
		if (strcmp(state, "Registered") != 0)
			buf_printf(out, "%sSubscription%d: mandatoryRetentionPeriodEnabled is %s",
				   out->len ? "; " : "", side + 1, state);
	}
}

void sim_onboard(struct sim_ctx *c, bool enable, bool perform)
{
	const char *what = enable ? "onboard-enabled" : "onboard-validated";
	if (!perform) {
		const struct sim_event *e = sim_event_find(c->st, what, c->s->id);
		if (e)
			sim_result(c, CHECK_PASS, enable ? R_ONBOARDING_ENABLED_OK
							       : R_ONBOARDING_VALIDATED_OK);
		else
			sim_result(c, CHECK_FAIL, enable ? R_ONBOARDING_NOT_ENABLED
							       : R_ONBOARDING_NOT_VALIDATED);
		return;
	}
	char *id = request_id(c->s->id, attempts(c->st, c->s->id));
	struct buf failed = BUF_INIT;
	sim_detail(c, "RequestId", "%s", id);
	sim_detail(c, "OnboardingMode", "%s", enable ? "Enable" : "Validate");
	if (!enable && sim_fault_active(c->st, "onboarding-validation")) {
		sim_fault_spend(c->st, "onboarding-validation");
		buf_puts(&failed, "KeyIdentifier2: the service principal cannot unwrap with the key "
				  "(simulated fault)");
	} else {
		failed_validations(c, &failed);
	}
	if (failed.len) {
		sim_event_add(c->st, c->s->id, "onboard-failed", c->now);
		sim_detail(c, "ValidationResult", "Failed");
		sim_detail(c, "FailedValidations", "%s", failed.p);
		sim_result(c, CHECK_FAIL, R_ONBOARDING_VALIDATION_FAILED, id, failed.p);
	} else {
		sim_event_add(c->st, c->s->id, what, c->now);
		sim_detail(c, "ValidationResult", "Passed");
		sim_detail(c, "FailedValidations", "(none)");
		sim_result(c, CHECK_PASS, enable ? R_ONBOARDING_ENABLED
						 : R_ONBOARDING_VALIDATION_PASSED, id);
	}
	buf_free(&failed);
	free(id);
}
