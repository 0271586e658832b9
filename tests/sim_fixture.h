/* sim_fixture.h: the world the simulator tests run in (an example plan, its
 * catalogue, a simulator backend over a temporary sim.json) and the steps
 * they keep repeating. Shared by test_sim.c, test_sim_vault.c and
 * test_sim_state.c so each stays one sitting long. */
#ifndef CK_TESTS_SIM_FIXTURE_H
#define CK_TESTS_SIM_FIXTURE_H

#include <stdbool.h>

#include "azure/backend.h"
#include "inventory.h"
#include "plan.h"
#include "steps.h"

#define T0 1795000000L          /* 2026-11-18: any fixed start */
#define DAY 86400L

struct world {
	struct plan *plan;
	struct inventory *inv;
	struct catalogue *cat;
	char dir[64];
	char *path;                 /* <dir>/sim.json */
	struct backend *b;
	long now;
};

struct world *fx_world_new(const char *plan_file, const char *faults, long delay);
void fx_world_free(struct world *w);
/* cmocka teardown: frees the running test's world even when an assertion
 * jumped out of it (no temporary directories left behind). */
int fx_teardown(void **state);

const struct step *fx_step(struct world *w, const char *id);
/* Run a check or a perform; with detail, "summary\ndetail" (caller frees). */
enum check_status fx_run(struct world *w, const char *id, bool perform, char **detail);
enum check_status fx_check(struct world *w, const char *id);
enum check_status fx_perform(struct world *w, const char *id);
/* Fails the test unless the step answers want with text in its output. */
void fx_detail_has(struct world *w, const char *id, bool perform, enum check_status want,
		   const char *text);

/* The onboarding part, up to Registered in both subscriptions. */
void fx_onboard(struct world *w);
/* Resource provider and resource group of one side: what a vault needs. */
void fx_vault_prereqs(struct world *w, char side);
/* Perform "TEMPLATE/EX-USA_mailboxes/SIDE" for each template, each passing. */
void fx_perform_vault_steps(struct world *w, char side, const char *const *templates, size_t n);
/* Provider, group, vault, access, for one side of the Exchange DEP; returns
 * what granting the service principal answered (a fault may spoil it). */
enum check_status fx_vault_side(struct world *w, char side);
/* Save the state and open it again with these faults; both must work. */
void fx_save_and_reopen(struct world *w, const char *faults);

#endif
