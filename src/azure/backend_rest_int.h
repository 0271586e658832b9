/* backend_rest_int.h: the REST backend's state, shared by its checks
 * (backend_rest.c), its writes (backend_perform.c) and its seam
 * (backend_rest_open.c). */
#ifndef CK_BACKEND_REST_INT_H
#define CK_BACKEND_REST_INT_H

#include "azure/backend_rest.h"
#include "azure/http.h"

struct rest_state {
	const struct plan *plan;
	const struct inventory *inv;
	const struct endpoints *ep;
	struct http_client http;
	struct az_cred cred[CK_SIDES];
	bool signed_in[CK_SIDES];
	char *refused[CK_SIDES];      /* why an audit refused the side's identity */
	char *identity[CK_SIDES];
	char *oid[CK_SIDES];
	char *who[CK_SIDES];
	struct backend_rest_config cfg;
	const struct backend_ui *ui;  /* during a batch only */
	evidence_get_fn ev_get;       /* the session's recorded evidence, or NULL */
	evidence_time_fn ev_time;     /* when it was recorded, or NULL */
	void *ev_ctx;
	/* the backups this process wrote (--execute), before any is recorded */
	struct rest_backup_taken *taken;
	size_t n_taken;
};

/* backend_rest_backup.c, below backend_rest.c: the key backup's check
 * (key.backup, manage.roll_backup). remember: a backup this process wrote,
 * checked by the same step until its evidence is recorded. check: results
 * for the n steps (each a backup step, rest_backup_step), one Key Vault
 * read each, in parallel. */
struct rest_backup_taken {
	char *step_id, *path, *sha256;
	time_t at;
};
bool rest_backup_step(const struct rest_state *st, const struct step *s);
/* A backup file as EV_FILE_SHA256 records it, "sha256:HEX  PATH": 0 with
 * *path and *hex (caller frees), -1 when v is not one. */
int rest_backup_parse(const char *v, char **path, char **hex);
void rest_backup_remember(struct rest_state *st, const struct step *s, const char *path,
			  const char *sha256, time_t at);
struct audit;
/* au: the audit just run, for each side's problem and, in a Managed HSM
 * plan, what it found of the keys (an HSM not activated holds none). */
void rest_backup_check(struct rest_state *st, const struct audit *au,
		       const struct step *const *steps, size_t n, time_t now,
		       struct check_result *results);
void rest_backup_free(struct rest_state *st);

/* backend_rest.c: one step checked with the side's credential, or a batch
 * of them as one audit. */
int rest_check(struct backend *b, const struct step *s, time_t now, struct check_result *r);
int rest_check_batch(struct backend *b, const struct step *const *steps, size_t n,
		     time_t now, const struct backend_ui *ui, struct check_result *results);
struct cJSON;
/* backend_write.c: a write that is one request, as both key stores' writers
 * (backend_perform.c, perform_hsm.c) make it. */
struct rest_write {
	const char *method;
	const char *url;
	const char *look;     /* GET before a create: is it there? (NULL: no look) */
	const char *body;     /* JSON, or NULL for an empty body */
	enum az_resource res; /* whose token */
	bool pending_found;   /* the step's check pending counts as found */
};
/* The one request as the owner authorizes it: [{method, path, fields}]
 * (fields is taken over); caller frees. */
char *rest_write_describe(const struct rest_state *st, const char *method, const char *url,
			  struct cJSON *fields);
/* Look, then write q (polled when long-running), filling r with found,
 * exists-wrong, written or write-failed for name; rest-side-problem when
 * the side's tokens could not be had, rest-side-refused when its sign-in
 * was refused (nothing sent in either). */
void rest_write_perform(struct backend *b, const struct step *s, time_t now,
			const struct rest_write *q, const char *name, struct check_result *r);
/* A write that failed: r fails, naming what was written and why. */
void rest_write_failed(struct check_result *r, const char *name, const char *why);
/* Nothing sent: the side's tokens could not be had (why). */
void rest_no_token(struct check_result *r, const char *why);
/* The look before a write could not ask Azure (look's code, as
 * result_side_problem): r says the same, so nothing is sent. */
void rest_side_problem(struct check_result *r, const struct check_result *look);
/* The files written from an answer, each with its advice when it exists. */
enum rest_file { REST_FILE_BACKUP, REST_FILE_SD };
/* Is path free to be written? Asked before Azure is asked at all: 0, or -1
 * with *err. */
int rest_file_free(const char *path, enum rest_file kind, char **err);
/* Write n bytes to a new file path, 0600, never over an existing one nor
 * through a symbolic link; a kill leaves the name absent or whole
 * (util_write_new_file), never a short file that could be kept for a
 * whole one. 0, or -1 with *err. */
int rest_write_new(const char *path, enum rest_file kind, const unsigned char *p, size_t n,
		   char **err);
/* The HSM a Managed HSM write of s goes to, or NULL with r set: no HSM on
 * the step's side, no HSM data plane in the endpoints, or not signed in. */
const char *rest_hsm_writable(const struct rest_state *st, const struct step *s,
			      struct check_result *r);
/* backend_perform.c: the seam's describe and perform (--execute). */
int rest_describe(struct backend *b, const struct step *s, char **requests, char **err);
int rest_perform(struct backend *b, const struct step *s, time_t now, struct check_result *r);
/* backend_perform_vault.c: the writes inside a vault that take more than
 * one request or write a file (access policies, backups). describe: 0 with
 * *requests, 1 not one of these steps, -1 with *err (could not describe);
 * perform: 0 done (*r set), 1 not one of these steps. */
int rest_vault_describe(struct rest_state *st, const struct step *s, time_t now, char **requests,
			char **err);
int rest_vault_perform(struct backend *b, const struct step *s, time_t now,
		       struct check_result *r);
/* backend_perform_restore.c: the restore task, from the recorded backup;
 * return values as rest_vault_describe and rest_vault_perform. */
int rest_restore_describe(struct rest_state *st, const struct step *s, char **requests,
			  char **err);
int rest_restore_perform(struct backend *b, const struct step *s, time_t now,
			 struct check_result *r);

#endif
