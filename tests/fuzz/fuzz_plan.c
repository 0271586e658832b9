/* fuzz_plan.c: libFuzzer target for the plan loader and what judges a plan
 * (untrusted input: a plan is written by one person and checked by another).
 * Besides "no crash, no leak, no undefined behaviour" it checks what the
 * loader promises: an unusable input (NULL) comes with at least one error,
 * and every diagnostic's position lies inside the input. Built by
 * `make fuzz` (clang) and replayed over its corpus by `make check` (gcc). */
#include "ck.h"
#include "diag.h"
#include "inventory.h"
#include "plan.h"
#include "rules.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load_mem("fuzz.yaml", (const char *)data, size, &d);
	if (!p && diags_count(&d, DIAG_ERROR) == 0)
		abort();
	/* YAML breaks lines at LF, CR, CR LF, U+2028 and U+2029: count each
	 * possible break once for an upper bound on the last line. */
	long lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n' || data[i] == '\r' ||
			 (data[i] == 0xE2 && i + 2 < size && data[i + 1] == 0x80 &&
			  (data[i + 2] == 0xA8 || data[i + 2] == 0xA9));
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].line < 0 || d.v[i].line > lines + 1 || d.v[i].col < 0 || !d.v[i].id ||
		    !d.v[i].message)
			abort();
	if (p && diags_count(&d, DIAG_ERROR) == 0) {
		struct inventory *inv = inventory_build(p, &d);
		rules_check(p, inv, &d);
		diags_sort(&d);
		char *json = diags_to_json(&d, "fuzz.yaml");
		free(json);
		inventory_free(inv);
	}
	plan_free(p);
	diags_free(&d);
	return 0;
}
