/* backend.h: the seam between the ceremony and Azure.
 *
 * A backend answers the live checks a step describes (struct step_check) and,
 * where asked, performs a step. Two implementations are planned:
 *   sim   an in-process simulated tenant persisted in the session directory
 *         for rehearsals and demos;
 *   rest  libcurl + cJSON against ARM, the Key Vault data plane and Graph
 *         (backend_rest.h): checks, one credential per side; with
 *         --execute, the writes a step's owner authorized (describe, then
 *         perform: see doc/azure.md).
 * The session layer (session.c) is the only caller; the UI never is.
 * Times are passed in (session_now()) so a rehearsal's simulated clock and a
 * real one are the same to a backend. */
#ifndef CK_BACKEND_H
#define CK_BACKEND_H

#include "steps.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum check_status {
	CHECK_PASS,        /* what the step needs is there */
	CHECK_FAIL,        /* it is not: detail says what was seen */
	CHECK_PENDING,     /* not yet (e.g. feature still Registering) */
	CHECK_UNAVAILABLE  /* could not look (guide mode, network, permission, no
			      * live check for this step) */
};

struct check_result {
	enum check_status status;
	const char *code;  /* what was found (azure/results.h); the journal records it */
	char **args;       /* its arguments: the observed values */
	size_t n_args;
	char *summary;     /* the code phrased, one line, translated (for a screen) */
	char *detail;      /* observed values, one "name: value" a line (journal evidence) */
};
/* Fill r's code, arguments and summary from a result code and the values
 * its sentence takes (azure/results.h); the status is the caller's. */
void check_result_set(struct check_result *r, int result_id, ...);
#include <stdarg.h>
void check_result_setv(struct check_result *r, int result_id, va_list ap);

struct backend;

/* When the session recorded a step's evidence value: the real time of its
 * journal line, or 0 when none is recorded. */
typedef time_t (*evidence_time_fn)(void *ctx, const char *step_id, const char *evidence_id);

/* What a backend may ask of the person at the keyboard, routed through the
 * session's callbacks so that ui/ never reaches curl. Any member may be NULL. */
struct backend_ui {
	/* Device-code sign-in: show the operator of side (who: "operator A
	 * (Alice Ames, alice@...)") where to sign in and the code to type. */
	void (*show_code)(void *cookie, int side, const char *who, const char *url,
			  const char *code);
	/* A batch is under way: done of total requests answered (redraw). */
	void (*progress)(void *cookie, size_t done, size_t total);
	void *cookie;
};

struct backend_ops {
	const char *name;  /* "sim", "rest" */
	int (*check)(struct backend *b, const struct step *s, time_t now, struct check_result *r);
	/* Do what the step's commands would do (rehearsal; later --execute).
	 * Returns 0 with r filled (FAIL when Azure would have refused, with the
	 * error it would give); -1 only when the backend itself broke (r filled
	 * with why). check likewise. */
	int (*perform)(struct backend *b, const struct step *s, time_t now, struct check_result *r);
	/* Persist state (sim: <dir>/sim.json, written 0600 via a temp file + rename). */
	int (*save)(struct backend *b, char **err);
	void (*free)(struct backend *b);
	/* The grown seam (REST); NULL in a backend that needs none (the sim).
	 * sign_in: the operator of side signs in; 0 with *identity ("upn
	 * (object ..., tenant ...)", for the journal), or -1 with *err, e.g.
	 * refused because the token is not the plan's operator for side. In
	 * two-terminal mode each process signs in its own side only. */
	int (*sign_in)(struct backend *b, int side, const struct backend_ui *ui, time_t now,
		       char **identity, char **err);
	void (*sign_out)(struct backend *b, int side);
	/* Whether side's sign-in still holds: false once Entra refused its
	 * refresh token for good (a check found it), so that its owner signs
	 * in again. NULL: the sign-in holds until sign_out. */
	bool (*signed_in)(struct backend *b, int side);
	/* Why side's sign-in no longer holds (signed_in false while signed
	 * in): another identity found, or its refresh refused for good. A
	 * check of one side looks at both, so this may be the other's news.
	 * NULL when it holds, or the backend cannot say; caller frees. */
	char *(*signed_out_why)(struct backend *b, int side);
	/* Check n steps at once (in parallel where the backend can), each with
	 * its own side's credential: results[i] for steps[i], filled as check()
	 * fills one. Returns 0, or -1 when the backend itself broke. */
	int (*check_batch)(struct backend *b, const struct step *const *steps, size_t n,
			   time_t now, const struct backend_ui *ui, struct check_result *results);
	/* --execute: the writes perform would send for step s, as a JSON
	 * array of {"method", "path", "fields"} (fields: the body's meaningful
	 * members), for the owner to authorize before anything is sent; perform
	 * then sends exactly these (after looking: an existing correct resource
	 * is found, a wrong one reported, never overwritten). 0 with *requests
	 * (caller frees), 1 when the step writes nothing to Azure (guided), -1
	 * with *err. NULL: the backend writes nothing. */
	int (*describe)(struct backend *b, const struct step *s, char **requests, char **err);
	/* The session's recorded evidence, for a write whose input was recorded
	 * by an earlier step rather than planned (the restore reads the backup
	 * file key.backup recorded, and its SHA-256). get and ctx outlive the
	 * backend. NULL: the backend needs none. */
	void (*set_evidence)(struct backend *b, evidence_get_fn get, void *ctx);
	/* ... and when each value was recorded, asked with set_evidence's ctx:
	 * the backup's check compares it with the key's current version.
	 * NULL: the backend needs none. */
	void (*set_evidence_time)(struct backend *b, evidence_time_fn when);
};

struct backend {
	const struct backend_ops *ops;
	void *state;
};

/* The simulator. faults: NULL or a comma-separated list, e.g.
 * "vault-name-taken=Contoso-CK-EX-NA-VaultB1,missing-permission,expiring-key"
 * (documented in doc/simulator.md). registration_delay: seconds between the
 * onboarding e-mail and Microsoft completing the retention period.
 * state_path: if the file exists it is read strictly (a damaged file is
 * refused, never overwritten) and its recorded faults and delay win: faults
 * given here must then be NULL, "" or the same string. Otherwise a new tenant
 * is started and nothing is written until save. Backup files are written
 * next to state_path. NULL with *err (caller frees) on failure. */
struct backend *backend_sim_open(const char *state_path, const struct catalogue *cat,
				 const char *faults, long registration_delay, char **err);

static inline int backend_check(struct backend *b, const struct step *s, time_t now,
				struct check_result *r)
{
	return b->ops->check(b, s, now, r);
}
static inline int backend_perform(struct backend *b, const struct step *s, time_t now,
				  struct check_result *r)
{
	return b->ops->perform ? b->ops->perform(b, s, now, r) : -1;
}
/* Batched checks through whichever the backend offers: check_batch, or one
 * check() after another (the sim). */
static inline int backend_check_batch(struct backend *b, const struct step *const *steps,
				      size_t n, time_t now, const struct backend_ui *ui,
				      struct check_result *results)
{
	if (b->ops->check_batch)
		return b->ops->check_batch(b, steps, n, now, ui, results);
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		if (b->ops->check(b, steps[i], now, &results[i]) < 0)
			rc = -1;
	return rc;
}
/* 0 when the backend needs no sign-in. */
static inline int backend_sign_in(struct backend *b, int side, const struct backend_ui *ui,
				  time_t now, char **identity, char **err)
{
	*identity = NULL;
	return b->ops->sign_in ? b->ops->sign_in(b, side, ui, now, identity, err) : 0;
}

/* Check a fault string before anything is created (the command line can
 * refuse a typo with a usage error instead of leaving a session directory
 * behind): 0, or -1 with *err naming the known faults (caller frees). */
int backend_sim_check_faults(const char *faults, char **err);

/* The session rebuilds its catalogue when the plan is amended (a vault name
 * taken, say), and the simulator reads the plan (SKU, retention,
 * administrators) through it: hand the new one over before the next call, or
 * save and open the backend again (what session.c does). The catalogue is
 * borrowed, never freed by the backend. */
void backend_set_catalogue(struct backend *b, const struct catalogue *cat);

/* The simulator's faults, as data (sim_faults.c): doc/simulator.md and any
 * help screen list them from here. */
struct sim_fault_info {
	const char *name;     /* "missing-permission" */
	const char *value;    /* what "=VALUE" may say, or NULL if it takes none */
	const char *help;     /* N_(): what goes wrong and how the operator fixes it */
};
extern const struct sim_fault_info sim_fault_table[];
extern const size_t sim_fault_count;

/* Default seconds between the onboarding e-mail and Microsoft finishing the
 * retention period, when the caller passes registration_delay <= 0. */
#define SIM_DEFAULT_REGISTRATION_DELAY (3L * 24 * 3600)

void check_result_free(struct check_result *r);
const char *check_status_name(enum check_status st);
void backend_free(struct backend *b);

#endif
