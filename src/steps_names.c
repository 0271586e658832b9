/* steps_names.c: display names of phases. */
#include "ck.h"
#include "steps.h"

static const char *const step_phase_names[PHASE_COUNT] = {
	[PHASE_PREPARE] = N_("Prepare"),
	[PHASE_ONBOARD] = N_("Onboard with Microsoft"),
	[PHASE_VAULTS] = N_("Key vaults"),
	[PHASE_KEYS] = N_("Keys"),
	[PHASE_DEPS] = N_("Data encryption policies"),
	[PHASE_VERIFY] = N_("Verify encryption"),
	[PHASE_MANAGE] = N_("Management tasks"),
};

const char *step_phase_name(enum step_phase ph)
{
	return ph < PHASE_COUNT ? step_phase_names[ph] : "?";
}
