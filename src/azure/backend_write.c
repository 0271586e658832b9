/* backend_write.c: the one path of a write that is a single request, for
 * the vaults' key store (backend_perform.c) and the Managed HSMs'
 * (perform_hsm.c): described for its owner to authorize as one request,
 * then performed looking first. The step's own check passing means it is
 * already as planned: recorded as found, nothing sent. Otherwise, for a
 * create, a GET of what it makes: there but different is reported and never
 * overwritten. Then the request, polled to its end when Azure answers a
 * long-running operation. Also what every writer shares: a write's failure,
 * and the files written from an answer (a backup, a security domain). */
#include "ck.h"
#include "azure/backend_rest_int.h"
#include "azure/lro.h"
#include "azure/rest.h"
#include "azure/results.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rest_write_failed(struct check_result *r, const char *name, const char *why)
{
	r->status = CHECK_FAIL;
	check_result_set(r, R_REST_WRITE_FAILED, name, why ? why : "?");
}

/* The side's tokens could not be had (a refresh refused or failing): the
 * code a check records for it too, so the session and the screens tell it
 * from a write Azure refused. Only where nothing has been sent yet. */
void rest_no_token(struct check_result *r, const char *why)
{
	r->status = CHECK_UNAVAILABLE;
	check_result_set(r, R_REST_SIDE_PROBLEM, why ? why : "?");
}

void rest_side_problem(struct check_result *r, const struct check_result *look)
{
	r->status = CHECK_UNAVAILABLE;
	check_result_set(r, util_streq(look->code, result_table[R_REST_SIDE_REFUSED].code)
				    ? R_REST_SIDE_REFUSED : R_REST_SIDE_PROBLEM,
			 look->summary ? look->summary : "?");
}

/* A file that is there already, and what an operator does about it. */
static char *rest_file_exists(const char *path, enum rest_file kind)
{
	if (kind == REST_FILE_SD)
		return xasprintf(_("%s exists already: it is never overwritten (move it away first)"),
				 path);
	return xasprintf(_("%s exists already: it is never overwritten (move it away, or keep it "
			   "and back up another day)"), path);
}

int rest_file_free(const char *path, enum rest_file kind, char **err)
{
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	*err = rest_file_exists(path, kind);
	return -1;
}

int rest_write_new(const char *path, enum rest_file kind, const unsigned char *p, size_t n,
		   char **err)
{
	if (util_write_new_file(path, p, n, 0600) == 0)
		return 0;
	*err = errno == EEXIST
		       ? rest_file_exists(path, kind)
		       : xasprintf(_("cannot write %s: %s; nothing was written under that name: "
				     "free disk space or fix the device, then perform the step "
				     "again"),
				   path, strerror(errno));
	return -1;
}

char *rest_write_describe(const struct rest_state *st, const char *method, const char *url,
			  struct cJSON *fields)
{
	cJSON *a = cJSON_CreateArray(), *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "method", method);
	cJSON_AddStringToObject(r, "path", rest_signed_path(st->ep, url));
	cJSON_AddItemToObject(r, "fields", fields);
	cJSON_AddItemToArray(a, r);
	char *txt = cJSON_PrintUnformatted(a);
	char *out = xstrdup(txt);
	cJSON_free(txt);
	cJSON_Delete(a);
	return out;
}

const char *rest_hsm_writable(const struct rest_state *st, const struct step *s,
			      struct check_result *r)
{
	int side = s->check.side;
	const char *hsm = (side == CK_SIDE_A || side == CK_SIDE_B) ? st->inv->hsm[side] : NULL;
	if (!hsm || !st->ep->hsm_suffix) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NO_LIVE_CHECK);
		return NULL;
	}
	if (!st->signed_in[side]) {
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_SIGNED_IN, ck_side_letter(side));
		return NULL;
	}
	return hsm;
}

/* Is it there? 1 yes, 0 no (404), -1 could not tell (*why). */
static int rw_exists(struct rest_state *st, const struct step *s, const char *url,
		     const struct az_token *t, char **why)
{
	struct http_req *r = http_req_new("GET", url, s->check.side, s->id);
	r->token = t;
	http_run(&st->http, &r, 1);
	int rc = r->fail == HTTP_OK && r->status == 404 ? 0
		 : r->fail == HTTP_OK && r->status == 200 ? 1 : -1;
	if (rc < 0)
		*why = http_describe(r);
	http_req_free(r);
	return rc;
}

void rest_write_perform(struct backend *b, const struct step *s, time_t now,
			const struct rest_write *q, const char *name, struct check_result *r)
{
	struct rest_state *st = b->state;
	int side = s->check.side;
	char *err = NULL;
	struct check_result look;
	memset(&look, 0, sizeof(look));
	rest_check(b, s, now, &look);
	if (look.status == CHECK_PASS || (q->pending_found && look.status == CHECK_PENDING)) {
		r->status = look.status;
		check_result_set(r, R_REST_FOUND, name);
		r->detail = look.detail;
		look.detail = NULL;
		goto done;
	}
	if (look.status == CHECK_UNAVAILABLE && result_side_problem(look.code)) {
		rest_side_problem(r, &look);
		goto done;
	}
	if (look.status == CHECK_UNAVAILABLE) {
		/* Unknown is not absent: a POST would add a key version or
		 * register blind, a PUT could replace what is there. */
		r->status = CHECK_UNAVAILABLE;
		check_result_set(r, R_REST_NOT_LOOKED, name, look.summary ? look.summary : "?");
		goto done;
	}
	const struct az_token *t = az_cred_token(&st->cred[side], q->res, now, &err);
	if (!t) {
		rest_no_token(r, err ? err : "no token");
		goto done;
	}
	if (q->look) {
		char *why = NULL;
		int ex = rw_exists(st, s, q->look, t, &why);
		if (ex != 0) {
			r->status = CHECK_FAIL;
			if (ex > 0)
				check_result_set(r, R_REST_EXISTS_WRONG, name,
						 look.summary ? look.summary : "?");
			else
				rest_write_failed(r, name, why);
			free(why);
			goto done;
		}
	}
	struct http_req *w = http_req_new(q->method, q->url, side, s->id);
	/* a POST that creates (a key: each one a new version) is sent once:
	 * after a time-out the next look tells what happened */
	w->once = strcmp(q->method, "POST") == 0;
	http_req_set_body(w, "application/json", q->body ? q->body : "",
			  q->body ? strlen(q->body) : 0);
	w->token = t;
	http_run(&st->http, &w, 1);
	int polls = 0;
	enum lro_state ls = LRO_FAILED;
	if (w->fail == HTTP_OK && w->status >= 200 && w->status < 300)
		ls = lro_wait(&st->http, w, t, http_now() + (double)(st->http.timeout * 4), &polls,
			      &err);
	char status[24];
	snprintf(status, sizeof status, "%ld", w->status);
	if (ls == LRO_DONE) {
		r->status = CHECK_PASS;
		check_result_set(r, R_REST_WRITTEN, name, status);
	} else {
		char *d = err ? xstrdup(err) : http_describe(w);
		rest_write_failed(r, name, d);
		free(d);
	}
	http_req_free(w);
done:
	check_result_free(&look);
	free(err);
}
