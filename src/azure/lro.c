/* lro.c: polling long-running operations (see lro.h). */
#include "ck.h"
#include "azure/azjson.h"
#include "azure/lro.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LRO_DEFAULT_WAIT 5.0

static void lro_sleep(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (double)(time_t)s) * 1e9) };
	while (nanosleep(&ts, &ts) != 0)
		;
}

enum lro_state lro_wait(struct http_client *c, const struct http_req *started,
			const struct az_token *t, double deadline, int *polls, char **err)
{
	*polls = 0;
	*err = NULL;
	if (started->fail != HTTP_OK || started->status < 200 || started->status >= 300) {
		*err = http_describe(started);
		return LRO_FAILED;
	}
	const char *url = started->async_op ? started->async_op : started->location;
	if ((started->status != 201 && started->status != 202) || !url)
		return LRO_DONE;
	bool async = started->async_op != NULL;
	char *poll_url = xstrdup(url);
	double wait = started->retry_after >= 0 ? started->retry_after : LRO_DEFAULT_WAIT;
	enum lro_state st = LRO_TIMEOUT;
	for (int i = 0; i < 1000; i++) {
		if (wait > c->retry_after_cap)
			wait = c->retry_after_cap;
		if (http_now() + wait > deadline) {
			char *w = text_visible_line(started->what);
			*err = xasprintf(_("%s: still running at the deadline: check it later"), w);
			free(w);
			break;
		}
		lro_sleep(wait);
		struct http_req *r = http_req_new("GET", poll_url, started->side, started->what);
		r->token = t;
		http_run(c, &r, 1);
		(*polls)++;
		wait = r->retry_after >= 0 ? r->retry_after : LRO_DEFAULT_WAIT;
		if (r->fail != HTTP_OK || r->status >= 300) {
			*err = http_describe(r);
			http_req_free(r);
			st = LRO_BROKEN;
			break;
		}
		if (!async) {
			/* Location: 202 while running, then the result */
			bool running = r->status == 202;
			if (r->location) {
				free(poll_url);
				poll_url = xstrdup(r->location);
			}
			http_req_free(r);
			if (!running) {
				st = LRO_DONE;
				break;
			}
			continue;
		}
		const char *perr = NULL;
		cJSON *o = azjson_parse(r->resp.p, r->resp.len, &perr);
		const char *status = o ? azjson_str(o, "status") : NULL;
		if (!status) {
			char *w = text_visible_line(started->what);
			*err = xasprintf(_("%s: the operation's status is unreadable (%s)"), w,
					 perr ? perr : _("no status"));
			free(w);
			st = LRO_BROKEN;
		} else if (util_strcaseeq(status, "Succeeded") || util_strcaseeq(status, "Success")) {
			/* "Success": the security domain's OperationStatus
			 * (securitydomain.json, doc/azure.md) */
			st = LRO_DONE;
		} else if (util_strcaseeq(status, "Failed") || util_strcaseeq(status, "Canceled")) {
			char *w = text_visible_line(started->what);
			char *vs = text_visible_line(status);
			const char *code = azjson_str(o, "error.code"), *msg = azjson_str(o, "error.message");
			if (!msg)
				msg = azjson_str(o, "status_details");
			char *vc = text_visible_line(code ? code : "-"), *vm = text_visible_line(msg ? msg : "-");
			*err = xasprintf(_("%s: the operation ended %s: %s: %s"), w, vs, vc, vm);
			free(w);
			free(vs);
			free(vc);
			free(vm);
			st = LRO_FAILED;
		} else {
			cJSON_Delete(o);
			http_req_free(r);
			continue; /* InProgress, or a provider-specific running state */
		}
		cJSON_Delete(o);
		http_req_free(r);
		break;
	}
	free(poll_url);
	return st;
}
