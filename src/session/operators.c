/* operators.c: the operators at the keyboard: finding and unlocking each
 * one's key (explicit file, keystore, or the bundled demo keys in a
 * rehearsal), checking it is the plan's key for that side, locking it again;
 * and the sittings they open and close. */
#include "ck.h"
#include "keystore.h"
#include "pin.h"
#include "session/session_int.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *find_demo_key(const struct session *s, const char *file)
{
	const char *env = getenv("CK_SRCDIR");
	/* The bundled example plans sit beside demo-operators/, so a rehearsal
	 * from a source tree finds the keys without installing anything. */
	char *plan_dir = NULL;
	if (s->plan_path) {
		const char *slash = strrchr(s->plan_path, '/');
		plan_dir = slash ? xstrndup(s->plan_path, (size_t)(slash - s->plan_path)) : xstrdup(".");
	}
	char *cands[4] = {
		s->data_dir ? xasprintf("%s/demo-operators/%s", s->data_dir, file) : NULL,
		plan_dir ? xasprintf("%s/demo-operators/%s", *plan_dir ? plan_dir : "", file) : NULL,
		env && *env ? xasprintf("%s/plans/demo-operators/%s", env, file) : NULL,
		xasprintf("%s/demo-operators/%s", PKGDATADIR, file),
	};
	free(plan_dir);
	char *found = NULL;
	for (int i = 0; i < 4; i++) {
		if (!found && cands[i] && access(cands[i], R_OK) == 0)
			found = cands[i];
		else
			free(cands[i]);
	}
	return found;
}

static char *key_path_for(const struct session *s, int side, char **err)
{
	const struct plan_operator *op = &s->plan->op[side];
	const struct pubkey_demo *demo = pubkey_demo_find(op->pub);
	char *path;
	if (s->key_path[side])
		return xstrdup(s->key_path[side]);
	if (demo && s->mode == SESSION_REHEARSAL) {
		path = find_demo_key(s, demo->file);
		if (!path)
			*err = xasprintf(_("the demo key %s was not found (looked in the data "
					   "directory, beside the plan, in $CK_SRCDIR/plans and in %s)"),
					 demo->file, PKGDATADIR);
		return path;
	}
	{
		struct keystore_entry e;
		char *dir = s->keystore_dir ? xstrdup(s->keystore_dir) : keystore_default_dir(err);
		int rc = dir ? keystore_find_key(dir, op->pub, &e, err) : -1;
		if (rc == 1)
			*err = xasprintf(_("no key for operator %s (%s) in %s: enroll it with "
					   "`ckwizard operator enroll`, or give its file with --key-%s"),
					 sess_side_name(side), op->upn, dir, sess_side_name(side));
		free(dir);
		if (rc != 0)
			return NULL;
		path = e.has_key ? xstrdup(e.key_path) : NULL;
		if (!path)
			*err = xasprintf(_("the key file of operator %s (%s) is missing"),
					 sess_side_name(side), op->upn);
		keystore_entry_free(&e);
		return path;
	}
}

int session_unlock_key(struct session *s, int side, struct keys_private *k, char **err)
{
	unsigned char pub[PUBKEY_LEN];
	char *fp_have, *fp_want;
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !s->plan || !k) {
		keys_lock(k);
		return sess_fail(err, xstrdup(_("say which operator (A or B) is unlocking")));
	}
	if (s->j && !s->hold[side]) {
		keys_lock(k);
		return sess_fail(err, xasprintf(_("operator %s signs at their own terminal (ckwizard "
						  "join): this one holds operator %s only"),
						sess_side_name(side),
						sess_side_name(ck_other_side(side))));
	}
	keys_public(k, pub);
	if (memcmp(pub, s->pub[side], PUBKEY_LEN) != 0) {
		fp_have = pubkey_fingerprint(pub);
		fp_want = pubkey_fingerprint(s->pub[side]);
		*err = xasprintf(_("this key (%s) is not operator %s's key in the plan (%s)%s"),
				 fp_have, sess_side_name(side), fp_want,
				 memcmp(pub, s->pub[ck_other_side(side)], PUBKEY_LEN) == 0
					 ? _(": it is the other operator's key; one person cannot "
					     "act as both")
					 : "");
		free(fp_have);
		free(fp_want);
		keys_lock(k);
		return -1;
	}
	if (s->mode == SESSION_RUN && pubkey_demo_find(pub)) {
		keys_lock(k);
		return sess_fail(err, xstrdup(_("the bundled demo keys are for rehearsals only")));
	}
	keys_lock(s->key[side]);
	s->key[side] = k;
	sess_pin_clear(s, side); /* a key from a file brings its PIN: session_unlock */
	return 0;
}

int session_unlock(struct session *s, int side, const char *passphrase, char **err)
{
	char *path;
	struct keys_private *k;
	if ((side != CK_SIDE_A && side != CK_SIDE_B) || !s->plan)
		return sess_fail(err, xstrdup(_("say which operator (A or B) is unlocking")));
	path = key_path_for(s, side, err);
	if (!path)
		return -1;
	k = keys_unlock_file(path, passphrase, err);
	int rc = k ? session_unlock_key(s, side, k, err) : -1;
	if (rc == 0 && sess_pin_load(s, side, path, err) != 0) {
		session_lock(s, side);
		rc = -1;
	}
	free(path);
	return rc;
}

void session_lock(struct session *s, int side)
{
	if (side == CK_SIDE_A || side == CK_SIDE_B) {
		keys_lock(s->key[side]);
		s->key[side] = NULL;
		sess_pin_clear(s, side);
		sess_live_sign_out(s, side); /* a token lives no longer than the key */
	}
}

/* The signing PIN before a signature (hash and state: pin_gate.c). */
int session_pin_check(struct session *s, int side, const char *pin, char **err)
{
	enum session_pin st = session_pin_state(s, side);
	if (st == SESSION_PIN_NONE && (side == CK_SIDE_A || side == CK_SIDE_B) && s->key[side])
		return 0; /* no file behind the key: nothing to gate (fixtures) */
	if (st != SESSION_PIN_SET)
		return sess_fail(err, xstrdup(_("this operator's key is locked: the passphrase "
						"comes first")));
	if (pin_verify(s->pin_line[side], pin) == 1) {
		s->pin_fails[side] = 0;
		return 0;
	}
	if (++s->pin_fails[side] >= SESSION_PIN_TRIES) {
		session_lock(s, side);
		*err = xasprintf(_("Wrong PIN, %d times: the key of operator %s is locked until "
				   "the passphrase is typed again."), SESSION_PIN_TRIES,
				 sess_side_name(side));
		return -2;
	}
	int left = SESSION_PIN_TRIES - s->pin_fails[side];
	*err = xasprintf(ngettext("Wrong PIN: %d try left before the key is locked.",
				  "Wrong PIN: %d tries left before the key is locked.", (unsigned long)left),
			 left);
	return -1;
}

/* A sitting left open by a crash or a quit is closed by one of those
 * present in it; when none of them is here, the new sitting ends it
 * ("stale", rules.c), but only once no ckwizard of theirs holds its claim
 * on the journal: a live sitting is joined, never ended. */
static int sitting_open_locked(struct session *s, const int *sides, int n, char **err)
{
	cJSON *p, *arr;
	int closer = CK_SIDE_NONE;
	for (int i = 0; s->sitting_open && i < n && closer == CK_SIDE_NONE; i++)
		if (s->present[sides[i]])
			closer = sides[i];
	if (s->sitting_open && closer != CK_SIDE_NONE) {
		p = cJSON_CreateObject();
		cJSON_AddNumberToObject(p, "sitting", (double)s->sitting_no);
		if (sess_record(s, SEV_SITTING_CLOSE, closer, p, &closer, 1, err) < 0)
			return -1;
	}
	p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "sitting", (double)(s->sitting_no + 1));
	arr = cJSON_AddArrayToObject(p, "present");
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(sess_side_name(sides[i])));
	if (s->sitting_open) {
		for (int side = 0; side < CK_SIDES; side++)
			if (s->present[side] && s->j && journal_claimed_elsewhere(s->j, side)) {
				cJSON_Delete(p);
				return sess_fail(err, xasprintf(_("sitting %ld is open, and operator %s's "
								  "ckwizard is still in it: join it "
								  "(ckwizard join) or wait until they "
								  "close it"),
								s->sitting_no, sess_side_name(side)));
			}
		char last[21];
		sess_format_time(s->h.last.real, last);
		cJSON *st = cJSON_AddObjectToObject(p, "stale");
		cJSON_AddNumberToObject(st, "sitting", (double)s->sitting_no);
		cJSON_AddStringToObject(st, "last_seen", last);
	}
	sess_add_terminal(s, p);
	return sess_record(s, SEV_SITTING_OPEN, sides[0], p, sides, (size_t)n, err);
}

int session_sitting_open(struct session *s, const bool present[CK_SIDES], char **err)
{
	int sides[CK_SIDES], n = 0;
	for (int side = 0; side < CK_SIDES; side++)
		if (present[side])
			sides[n++] = side;
	if (n == 0)
		return sess_fail(err, xstrdup(_("at least one operator must be present")));
	if (sess_txn_begin(s, err) < 0)
		return -1;
	int rc = sitting_open_locked(s, sides, n, err);
	sess_txn_end(s);
	return rc;
}

int session_sitting_close(struct session *s, int side, char **err)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddNumberToObject(p, "sitting", (double)s->sitting_no);
	return sess_record1(s, SEV_SITTING_CLOSE, side, p, err);
}
