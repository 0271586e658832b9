/* backend_perform_restore.c: --execute's restore task (manage.restore): the
 * backup recorded by key.backup put back into the vault it came from with
 * Key Vault's RestoreKey. Its input is not planned but recorded, so it comes
 * from the session's evidence (backend_ops.set_evidence): the file and the
 * SHA-256 recorded when the backup was taken. Looks first: a key of that
 * name already there is found as planned (nothing to restore) or reported
 * (RestoreKey would refuse it anyway); a file whose SHA-256 is no longer
 * the recorded one is never sent. Recovering a soft-deleted key (keys/
 * recover, the step's first choice) stays with the operators.
 * Shape: Azure/azure-rest-api-specs, Key Vault data plane 7.5 RestoreKey
 * (POST /keys/restore, body {"value": base64url}); see doc/azure.md. */
#include "ck.h"
#include "azure/backend_rest_int.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "hash.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Key Vault backups are kilobytes; anything this large is not one. */
#define RS_MAX_BACKUP (1024L * 1024L)

static bool rs_is_restore(const struct step *s)
{
	return util_streq(s->template_id, "manage.restore") && s->check.vault && s->check.key &&
	       s->dep && (s->check.side == CK_SIDE_A || s->check.side == CK_SIDE_B);
}

/* The backup key.backup recorded for this vault: its path and SHA-256
 * (recorded as "sha256:HEX  PATH"); -1 with *err when none is. */
static int rs_recorded(const struct rest_state *st, const struct step *s, char **path,
		       char **hex, char **err)
{
	char *id = xasprintf("key.backup/%s/%c", s->dep->id, ck_side_letter(s->check.side));
	const char *v = st->ev_get ? st->ev_get(st->ev_ctx, id, "backup_file") : NULL;
	free(id);
	if (rest_backup_parse(v, path, hex) < 0) {
		*err = xasprintf(_("no backup of key %s is recorded in this session (the backup "
				   "step's file): restore it yourself from your copy"), s->check.key);
		return -1;
	}
	return 0;
}

static char *rs_url(const struct rest_state *st, const struct step *s)
{
	return dp_url(st->ep, DP_VAULT, s->check.vault, DP_KEY_RESTORE, NULL);
}

int rest_restore_describe(struct rest_state *st, const struct step *s, char **requests,
			  char **err)
{
	if (!rs_is_restore(s))
		return 1;
	char *path = NULL, *hex = NULL;
	if (rs_recorded(st, s, &path, &hex, err) < 0)
		return -1;
	char *url = rs_url(st, s);
	cJSON *a = cJSON_CreateArray(), *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "method", "POST");
	cJSON_AddStringToObject(r, "path", rest_signed_path(st->ep, url));
	cJSON *f = cJSON_AddObjectToObject(r, "fields");
	cJSON_AddStringToObject(f, "key", s->check.key);
	cJSON_AddStringToObject(f, "file", path);
	cJSON_AddStringToObject(f, "sha256", hex);
	cJSON_AddItemToArray(a, r);
	*requests = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	free(url);
	free(path);
	free(hex);
	return 0;
}

/* The file's bytes (a regular file, not a link, not empty, bounded): NULL
 * with *err. */
static unsigned char *rs_read(const char *path, size_t *n, char **err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    sb.st_size > RS_MAX_BACKUP) {
		*err = fd < 0 ? xasprintf(_("cannot read %s: %s"), path, strerror(errno))
			      : xasprintf(_("%s is not a key backup (a regular file of 1 byte to 1 "
					    "MiB)"), path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	unsigned char *p = xmalloc((size_t)sb.st_size);
	size_t off = 0;
	while (off < (size_t)sb.st_size) {
		ssize_t r = read(fd, p + off, (size_t)sb.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	close(fd);
	if (off != (size_t)sb.st_size) {
		*err = xasprintf(_("cannot read %s: it changed while read"), path);
		free(p);
		return NULL;
	}
	*n = off;
	return p;
}

/* base64url without padding, as Key Vault's byte fields are. */
static char *rs_b64url(const unsigned char *p, size_t n)
{
	char *b = hash_base64(p, n);
	size_t k = 0;
	for (char *c = b; *c; c++) {
		if (*c == '=')
			break;
		b[k++] = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	}
	b[k] = 0;
	return b;
}

int rest_restore_perform(struct backend *b, const struct step *s, time_t now,
			 struct check_result *r)
{
	struct rest_state *st = b->state;
	if (!rs_is_restore(s))
		return 1;
	int side = s->check.side;
	if (!st->signed_in[side]) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(side));
		return 0;
	}
	char *err = NULL, *path = NULL, *hex = NULL, *url = NULL, *body = NULL, *b64 = NULL;
	unsigned char *blob = NULL;
	size_t n = 0;
	char *name = xasprintf(_("key %s"), s->check.key);
	const struct az_token *t = az_cred_token(&st->cred[side], AZ_RES_VAULT, now, &err);
	if (!t) { /* nothing sent: the authorization stands (rest_no_token) */
		rest_no_token(r, err);
		goto done;
	}
	if (rs_recorded(st, s, &path, &hex, &err) < 0) {
		rest_write_failed(r, name, err);
		goto done;
	}
	/* look first: is a key of that name there? */
	char *kurl = kv_url_key(st->ep, s->check.vault, s->check.key);
	struct http_req *g = http_req_new("GET", kurl, side, name);
	free(kurl);
	g->token = t;
	http_run(&st->http, &g, 1);
	long gs = g->fail == HTTP_OK ? g->status : 0;
	if (gs != 404) {
		if (gs == 200) {
			struct check_result look;
			memset(&look, 0, sizeof(look));
			rest_check(b, s, now, &look);
			/* A look that could not answer (a token refused or
			 * lost on the way, Azure unreachable) says nothing of
			 * the key: only a GET went out, the authorization
			 * stands, and the reason is the look's own. */
			if (look.status == CHECK_UNAVAILABLE && result_side_problem(look.code)) {
				rest_side_problem(r, &look);
			} else if (look.status == CHECK_UNAVAILABLE) {
				r->status = CHECK_UNAVAILABLE;
				check_result_set(r, R_REST_NOT_LOOKED, name,
						 look.summary ? look.summary : "?");
			} else if (look.status == CHECK_PASS) {
				r->status = CHECK_PASS;
				check_result_set(r, R_REST_FOUND, name);
			} else {
				r->status = CHECK_FAIL;
				check_result_set(r, R_REST_EXISTS_WRONG, name,
						 look.summary ? look.summary : "?");
			}
			r->detail = look.detail;
			look.detail = NULL;
			check_result_free(&look);
		} else {
			char *d = http_describe(g);
			rest_write_failed(r, name, d);
			free(d);
		}
		http_req_free(g);
		goto done;
	}
	http_req_free(g);
	blob = rs_read(path, &n, &err);
	if (!blob) {
		rest_write_failed(r, name, err);
		goto done;
	}
	char now_hex[HASH_SHA256_HEX_LEN + 1];
	hash_sha256_hex(blob, n, now_hex);
	if (!util_strcaseeq(now_hex, hex)) {
		char *why = xasprintf(_("%s changed since the backup was recorded (SHA-256 %s, "
					"recorded %s): it is not sent"), path, now_hex, hex);
		rest_write_failed(r, name, why);
		free(why);
		goto done;
	}
	b64 = rs_b64url(blob, n);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "value", b64);
	body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	url = rs_url(st, s);
	struct http_req *w = http_req_new("POST", url, side, name);
	http_req_set_body(w, "application/json", body, strlen(body));
	w->token = t;
	http_run(&st->http, &w, 1);
	if (w->fail == HTTP_OK && w->status >= 200 && w->status < 300) {
		char status[24];
		snprintf(status, sizeof status, "%ld", w->status);
		r->status = CHECK_PASS;
		check_result_set(r, R_REST_WRITTEN, name, status);
		r->detail = xasprintf("restored from: %s\nsha256: %s\nobserved by: %s\n", path, hex,
				      st->identity[side] ? st->identity[side] : "?");
	} else {
		char *d = http_describe(w);
		rest_write_failed(r, name, d);
		free(d);
	}
	http_req_free(w);
done:
	free(blob);
	free(b64);
	free(body);
	free(url);
	free(path);
	free(hex);
	free(name);
	free(err);
	return 0;
}
