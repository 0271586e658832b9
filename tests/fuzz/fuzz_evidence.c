/* fuzz_evidence.c: libFuzzer target for the evidence validators (untrusted
 * input: whatever an operator pastes, and on replay whatever a journal
 * handed over by others records). The catalogue of the test base plan is
 * built once; the first two bytes pick a step and one of its evidence
 * fields, the rest is the value. Backup-file evidence is left out: its value
 * is a path the validator opens, and a fuzzer must not read the machine.
 * Checks: a refusal always says why; an accepted value is normalised to
 * something that is accepted again unchanged (validation is idempotent). */
#include "ck.h"
#include "diag.h"
#include "inventory.h"
#include "plan.h"
#include "rules.h"
#include "steps.h"
#include "../plan_base_yaml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct catalogue *fuzz_catalogue(void)
{
	static struct catalogue *c;
	if (!c) {
		struct diags d = DIAGS_INIT;
		struct plan *p = plan_load_mem("base.yaml", test_plan_base,
					       sizeof test_plan_base - 1, &d);
		struct inventory *inv = p ? inventory_build(p, &d) : NULL;
		c = inv ? catalogue_build(p, inv, true, STEPS_CATALOGUE_VERSION) : NULL;
		diags_free(&d);
		if (!c)
			abort(); /* the base plan must build */
		/* plan and inventory live as long as the catalogue: the process */
	}
	return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catalogue *c = fuzz_catalogue();
	if (size < 2)
		return 0;
	const struct step *s = &c->steps[data[0] % c->n_steps];
	if (s->n_evidence == 0)
		return 0;
	const struct evidence_spec *e = &s->evidence[data[1] % s->n_evidence];
	if (e->kind == EV_FILE_SHA256)
		return 0;
	char *value = malloc(size - 1);
	if (!value)
		return 0;
	memcpy(value, data + 2, size - 2);
	value[size - 2] = '\0';
	char *norm = NULL, *err = NULL;
	if (steps_validate_evidence(c, s, e, value, &norm, &err) == 0) {
		if (!norm || err)
			abort();
		char *again = NULL, *err2 = NULL;
		if (steps_validate_evidence(c, s, e, norm, &again, &err2) != 0 ||
		    strcmp(again, norm) != 0)
			abort();
		free(again);
		free(err2);
	} else if (!err || norm) {
		abort();
	}
	free(norm);
	free(err);
	free(value);
	return 0;
}
