/* backend_rest_backup.c: the key backup's live check (key.backup,
 * manage.roll_backup; backend_rest_int.h). A Key Vault backup blob is
 * opaque, so what can be proved is what surrounds it:
 *  - the backup was taken after the key's current version was created: the
 *    time the backup was recorded (the step's evidence, or this process's
 *    own BackupKey call on the planned key, until the evidence is typed;
 *    the call's time when both name the same file)
 *    against `attributes.created` of the version GetKey answers now. A
 *    backup recorded before that does not hold the current version: drift,
 *    back up again (a key roll without a new backup looks like this). The
 *    recorded time bounds when the backup was taken from above only: an
 *    old backup typed in after a roll is not caught here;
 *  - the file on disk is the one recorded: there, not empty, with the
 *    recorded SHA-256. Otherwise the backup is lost or altered: a failure
 *    that says to take it again.
 * Nothing here needs a write permission: keys/get on the vault.
 * A Managed HSM plan's key (check.vault names the HSM, catalogue.c) is read
 * the same way on the HSM's data plane, with the HSM's token: its GetKey
 * answers in the same shape.
 * Shape: Azure/azure-rest-api-specs, Key Vault data plane 7.5 GetKey
 * (attributes.created in Unix seconds); see doc/azure.md. */
#include "ck.h"
#include "azure/audit.h"
#include "azure/azjson.h"
#include "azure/backend_rest_int.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "buf.h"
#include "hash.h"
#include "plan.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool rest_backup_step(const struct rest_state *st, const struct step *s)
{
	(void)st;
	return s->check.kind == CHECK_KEY_BACKUP && s->check.vault && s->check.key &&
	       (s->check.side == CK_SIDE_A || s->check.side == CK_SIDE_B);
}

int rest_backup_parse(const char *v, char **path, char **hex)
{
	const char *sp = v ? strstr(v, "  ") : NULL;
	if (!v || !util_has_prefix(v, "sha256:") || !sp ||
	    (size_t)(sp - v) != strlen("sha256:") + HASH_SHA256_HEX_LEN || !sp[2])
		return -1;
	*hex = xstrndup(v + strlen("sha256:"), HASH_SHA256_HEX_LEN);
	*path = xstrdup(sp + 2);
	return 0;
}

void rest_backup_remember(struct rest_state *st, const struct step *s, const char *path,
			  const char *sha256, time_t at)
{
	struct rest_backup_taken *t = NULL;
	for (size_t i = 0; i < st->n_taken; i++)
		if (util_streq(st->taken[i].step_id, s->id))
			t = &st->taken[i];
	if (!t) {
		st->taken = xrealloc(st->taken, (st->n_taken + 1) * sizeof(*st->taken));
		t = &st->taken[st->n_taken++];
		t->step_id = xstrdup(s->id);
	} else {
		free(t->path);
		free(t->sha256);
	}
	t->path = xstrdup(path);
	t->sha256 = xstrdup(sha256);
	t->at = at;
}

void rest_backup_free(struct rest_state *st)
{
	for (size_t i = 0; i < st->n_taken; i++) {
		free(st->taken[i].step_id);
		free(st->taken[i].path);
		free(st->taken[i].sha256);
	}
	free(st->taken);
	st->taken = NULL;
	st->n_taken = 0;
}

/* The backup this step recorded: its file, SHA-256 and time. The evidence
 * ("sha256:HEX  PATH", as EV_FILE_SHA256 records it) wins over this
 * process's own perform; false when neither is there. */
struct bk_recorded {
	char *path, *sha256;
	time_t at;
	bool from_evidence;
};

static bool bk_recorded(const struct rest_state *st, const struct step *s, struct bk_recorded *out)
{
	memset(out, 0, sizeof(*out));
	const char *v = st->ev_get ? st->ev_get(st->ev_ctx, s->id, "backup_file") : NULL;
	time_t at = v && st->ev_time ? st->ev_time(st->ev_ctx, s->id, "backup_file") : 0;
	if (at > 0 && rest_backup_parse(v, &out->path, &out->sha256) == 0) {
		out->at = at;
		out->from_evidence = true;
		/* The evidence is typed after the backup: when it is the file this
		 * process wrote, its BackupKey call says better when it was taken. */
		for (size_t i = 0; i < st->n_taken; i++)
			if (util_streq(st->taken[i].step_id, s->id) &&
			    util_strcaseeq(st->taken[i].sha256, out->sha256) && st->taken[i].at < at)
				out->at = st->taken[i].at;
		return true;
	}
	for (size_t i = 0; i < st->n_taken; i++)
		if (util_streq(st->taken[i].step_id, s->id)) {
			out->path = xstrdup(st->taken[i].path);
			out->sha256 = xstrdup(st->taken[i].sha256);
			out->at = st->taken[i].at;
			return true;
		}
	return false;
}

static void bk_time(time_t t, char out[24])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 24, "%lld", (long long)t);
}

/* The file as recorded: 0, or a result code with *r set (a failure). */
static int bk_file(const struct bk_recorded *rec, struct check_result *r, struct buf *d)
{
	struct stat sb;
	char hex[HASH_SHA256_HEX_LEN + 1];
	if (stat(rec->path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		buf_printf(d, "file: %s\n", errno == ENOENT ? "gone" : strerror(errno));
		r->status = CHECK_FAIL;
		check_result_set(r, R_BACKUP_FILE_GONE, rec->path);
		return -1;
	}
	buf_printf(d, "bytes: %lld\n", (long long)sb.st_size);
	if (sb.st_size == 0) {
		r->status = CHECK_FAIL;
		check_result_set(r, R_REST_BACKUP_EMPTY, rec->path);
		return -1;
	}
	if (hash_file_sha256_hex(rec->path, hex) != 0) {
		buf_printf(d, "file: %s\n", strerror(errno));
		r->status = CHECK_FAIL;
		check_result_set(r, R_BACKUP_FILE_GONE, rec->path);
		return -1;
	}
	buf_printf(d, "sha256 now: %s\n", hex);
	if (!util_strcaseeq(hex, rec->sha256)) {
		r->status = CHECK_FAIL;
		check_result_set(r, R_BACKUP_FILE_CHANGED, rec->path, hex);
		return -1;
	}
	return 0;
}

/* Judge one step from its recorded backup and Azure's answer about its key. */
static void bk_judge(const struct rest_state *st, const struct step *s, const struct bk_recorded *rec,
		     const struct http_req *g, struct check_result *r)
{
	struct buf d = BUF_INIT;
	char when[24], created[24];
	int side = s->check.side;
	bk_time(rec->at, when);
	if (rec->path)
		buf_printf(&d, "backup file: %s\nsha256: %s\nrecorded at: %s (%s)\n", rec->path,
			   rec->sha256, when, rec->from_evidence ? "evidence" : "this sitting's backup");
	cJSON *o = NULL;
	struct az_key k;
	memset(&k, 0, sizeof(k));
	const char *err = NULL;
	if (g->fail == HTTP_OK && g->status == 404) {
		r->status = CHECK_FAIL;
		check_result_set(r, R_REST_DRIFT, "exists", _("not found (HTTP 404): the plan expects it"));
	} else if (!rec->path) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_BACKUP_NOT_RECORDED, s->check.key);
	} else if (g->fail != HTTP_OK || g->status != 200) {
		char *why = http_describe(g);
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_UNCHECKED, why);
		free(why);
	} else if (!(o = azjson_parse(g->resp.p, g->resp.len, &err)) || azjson_key(o, &k, &err) != 0 ||
		   !(k.created > 0 && k.created < AZJSON_TIME_END)) {
		char *why = xasprintf(_("the answer about key %s has no usable attributes.created "
					"(%s); run again"), s->check.key, err ? err : "absent");
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_UNCHECKED, why);
		free(why);
	} else {
		struct az_kid kid;
		memset(&kid, 0, sizeof(kid));
		(void)azjson_kid_parse(k.kid, &kid);
		const char *version = kid.version ? kid.version : "?";
		bk_time((time_t)k.created, created);
		buf_printf(&d, "current version: %s\ncreated: %s\n", version, created);
		/* The file first: a lost or altered backup is the worse news. */
		if (bk_file(rec, r, &d) == 0) {
			if ((double)rec->at < k.created) {
				r->status = CHECK_FAIL;
				check_result_set(r, R_REST_BACKUP_STALE, s->check.key, when, version,
						 created);
			} else {
				r->status = CHECK_PASS;
				check_result_set(r, R_BACKUP_OK, s->check.key, version, rec->path);
			}
		}
		az_kid_clear(&kid);
	}
	if (st->identity[side])
		buf_printf(&d, "observed by: %s\n", st->identity[side]);
	r->detail = buf_steal(&d);
	az_key_clear(&k);
	cJSON_Delete(o);
}

/* In a Managed HSM plan, the audit's word that the step's key is not there
 * (an HSM not activated holds no usable key, whatever its data plane
 * answers: audit_hsm.c), else NULL. */
static const struct audit_finding *bk_absent(const struct rest_state *st, const struct audit *au,
					     const struct step *s)
{
	if (!plan_uses_hsm(st->plan))
		return NULL;
	for (size_t i = 0; i < au->n; i++) {
		const struct audit_finding *f = &au->f[i];
		if (f->side == s->check.side && f->status == AUDIT_DRIFT &&
		    util_streq(f->kind, "key") && util_streq(f->check, "exists") &&
		    util_strcaseeq(f->name, s->check.key))
			return f;
	}
	return NULL;
}

void rest_backup_check(struct rest_state *st, const struct audit *au,
		       const struct step *const *steps, size_t n, time_t now,
		       struct check_result *results)
{
	struct http_req **reqs = xcalloc(n + 1, sizeof(*reqs));
	struct bk_recorded *rec = xcalloc(n + 1, sizeof(*rec));
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		const struct step *s = steps[i];
		struct check_result *r = &results[i];
		int side = s->check.side;
		char *err = NULL;
		memset(r, 0, sizeof(*r));
		r->status = CHECK_UNAVAILABLE;
		const struct az_token *t = NULL;
		const struct audit_finding *gone = NULL;
		bool hsm = plan_uses_hsm(st->plan);
		if (!st->signed_in[side]) {
			check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(side));
		} else if (au->side[side].problem) {
			check_result_set(r, au->side[side].refused ? R_REST_SIDE_REFUSED
								   : R_REST_SIDE_PROBLEM,
					 au->side[side].problem);
		} else if ((gone = bk_absent(st, au, s))) {
			r->status = CHECK_FAIL;
			check_result_set(r, R_REST_DRIFT, "exists", gone->detail);
		} else if (hsm && !st->ep->hsm_suffix) {
			check_result_set(r, R_REST_NO_LIVE_CHECK);
		} else if (!(t = az_cred_token(&st->cred[side], hsm ? AZ_RES_HSM : AZ_RES_VAULT, now,
					       &err))) {
			check_result_set(r, R_REST_SIDE_PROBLEM, err ? err : "?");
		} else {
			char *url = hsm ? mhsm_url_key(st->ep, s->check.vault, s->check.key)
					: kv_url_key(st->ep, s->check.vault, s->check.key);
			char *what = xasprintf(hsm ? _("key %s in managed HSM %s (%c)")
						   : _("key %s in vault %s (%c)"),
					       s->check.key, s->check.vault, ck_side_letter(side));
			/* the key is read even when no backup is recorded: a key
			 * that is not there is the answer then */
			(void)bk_recorded(st, s, &rec[i]);
			reqs[i] = http_req_new("GET", url, side, what);
			reqs[i]->token = t;
			free(url);
			free(what);
			nr++;
		}
		free(err);
		if (!reqs[i])
			r->detail = xstrdup("");
	}
	/* every read at once: http_run takes the requests it is given */
	struct http_req **batch = xcalloc(nr + 1, sizeof(*batch));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (reqs[i])
			batch[k++] = reqs[i];
	if (k)
		http_run(&st->http, batch, k);
	free(batch);
	for (size_t i = 0; i < n; i++) {
		if (reqs[i])
			bk_judge(st, steps[i], &rec[i], reqs[i], &results[i]);
		http_req_free(reqs[i]);
		free(rec[i].path);
		free(rec[i].sha256);
	}
	free(reqs);
	free(rec);
}
