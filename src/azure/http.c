/* http.c: the parallel, retrying, refusing HTTP core (see http.h). */
#include "ck.h"
#include "azure/http.h"
#include "azure/azjson.h"
#include "azure/token.h"
#include "secret.h"
#include "text.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <malloc.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Responses larger than this are refused (Azure's largest here is a key
 * list page: a few kilobytes). */
#define HTTP_MAX_RESPONSE (4L * 1024 * 1024)

/* ---- allocation hygiene: every block wiped on free ---- */

static void http_wipe_free(void *p)
{
	if (!p)
		return;
	util_wipe(p, malloc_usable_size(p));
	free(p);
}

static void *http_wipe_realloc(void *p, size_t n)
{
	if (!p)
		return malloc(n);
	void *q = malloc(n ? n : 1);
	if (!q)
		return NULL;
	size_t old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	http_wipe_free(p);
	return q;
}

static char *http_wipe_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

static void *http_plain_malloc(size_t n) { return malloc(n); }
static void *http_plain_calloc(size_t n, size_t s) { return calloc(n, s); }

void http_global_init(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	cJSON_Hooks hooks = { http_plain_malloc, http_wipe_free };
	cJSON_InitHooks(&hooks);
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, http_plain_malloc, http_wipe_free,
				 http_wipe_realloc, http_wipe_strdup, http_plain_calloc) != CURLE_OK) {
		fputs("ckwizard: libcurl could not be initialised\n", stderr);
		abort();
	}
}

double http_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double http_jitter(void)
{
	unsigned int v = 0;
	if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
		v = (unsigned int)rand();
	return (double)(v % 10000) / 10000.0;
}

/* ---- client and requests ---- */

void http_client_init(struct http_client *c, const struct endpoints *ep)
{
	memset(c, 0, sizeof(*c));
	http_global_init();
	c->ep = ep;
	c->timeout = 30;
	c->connect_timeout = 10;
	c->max_attempts = 4;
	c->backoff_base = 0.5;
	c->backoff_cap = 20;
	c->retry_after_cap = 60;
	c->max_parallel = 8;
	CURLM *m = curl_multi_init();
	if (!m)
		util_out_of_memory();
	/* Several requests to one host share a connection (HTTP/2) or reuse
	 * them in turn (HTTP/1.1). No per-host cap beside max_parallel: curl
	 * counts it per address connected to, so through connect-to lines (one
	 * address for every host) a cap of 4 held the whole audit to 4
	 * connections and closed idle ones another host was about to reuse. */
	curl_multi_setopt(m, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	c->multi = m;
}

void http_client_cleanup(struct http_client *c)
{
	if (c->multi)
		curl_multi_cleanup(c->multi);
	c->multi = NULL;
	for (size_t i = 0; i < c->n_warm; i++)
		free(c->warm[i]);
	free(c->warm);
	c->warm = NULL;
	c->n_warm = 0;
}

struct http_req *http_req_new(const char *method, const char *url, int side, const char *what)
{
	struct http_req *r = xcalloc(1, sizeof(*r));
	r->method = method;
	r->url = xstrdup(url);
	r->side = side;
	r->what = xstrdup(what ? what : url);
	r->retry_after = -1;
	return r;
}

void http_req_set_body(struct http_req *r, const char *content_type, const char *body, size_t len)
{
	if (r->body) {
		util_wipe(r->body, r->body_len);
		free(r->body);
	}
	r->content_type = content_type;
	r->body = xmalloc(len + 1);
	memcpy(r->body, body, len);
	r->body[len] = '\0';
	r->body_len = len;
}

static void http_req_reset_result(struct http_req *r)
{
	buf_free_secret(&r->resp);
	free(r->location);
	free(r->async_op);
	free(r->www_auth);
	free(r->error);
	r->location = r->async_op = r->www_auth = r->error = NULL;
	r->status = 0;
	r->fail = HTTP_OK;
	r->retry_after = -1;
}

void http_req_free(struct http_req *r)
{
	if (!r)
		return;
	http_req_reset_result(r);
	if (r->body) {
		util_wipe(r->body, r->body_len);
		free(r->body);
	}
	free(r->url);
	free(r->what);
	free(r);
}

/* ---- retry policy ---- */

bool http_retryable(const struct http_req *r)
{
	if (r->fail == HTTP_TRANSPORT) /* a time-out may come after the server acted */
		return !r->once || r->unsent;
	if (r->fail != HTTP_OK)
		return false;
	return r->status == 429 || (r->status >= 500 && r->status <= 599);
}

double http_backoff(const struct http_client *c, int attempt, double retry_after, double jitter)
{
	if (retry_after > c->retry_after_cap)
		return -1;
	double d = c->backoff_base;
	for (int i = 1; i < attempt && d < c->backoff_cap; i++)
		d *= 2;
	if (d > c->backoff_cap)
		d = c->backoff_cap;
	/* "equal jitter": half fixed, half random, so parallel clients that
	 * failed together do not retry together. */
	d = d / 2 + d / 2 * jitter;
	if (retry_after >= 0 && retry_after > d)
		d = retry_after;
	return d;
}

double http_parse_retry_after(const char *v, time_t now)
{
	while (*v == ' ')
		v++;
	if (*v >= '0' && *v <= '9') {
		char *end;
		double d = strtod(v, &end);
		while (*end == ' ' || *end == '\r' || *end == '\n')
			end++;
		return *end ? -1 : d;
	}
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (!end)
		return -1;
	time_t t = timegm(&tm);
	return t > now ? (double)(t - now) : 0;
}

void http_buf_add_wiped(struct buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = xmalloc(cap);
		if (b->p) {
			memcpy(p, b->p, b->len + 1);
			util_wipe(b->p, b->cap);
			free(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* ---- curl callbacks ---- */

static size_t http_on_body(char *data, size_t size, size_t n, void *cookie)
{
	struct http_req *r = cookie;
	size_t len = size * n;
	if (r->resp.len + len > (size_t)HTTP_MAX_RESPONSE)
		return 0; /* curl aborts the transfer: CURLE_WRITE_ERROR */
	http_buf_add_wiped(&r->resp, data, len);
	return len;
}

static char *http_header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	const char *v = line + nl + 1;
	size_t vl = len - nl - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
		vl--;
	return xstrndup(v, vl);
}

static size_t http_on_header(char *data, size_t size, size_t n, void *cookie)
{
	struct http_req *r = cookie;
	size_t len = size * n;
	char *v;
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (after a 100 Continue, say): forget the last one's */
		free(r->location);
		free(r->async_op);
		free(r->www_auth);
		r->location = r->async_op = r->www_auth = NULL;
		r->retry_after = -1;
	} else if ((v = http_header_value(data, len, "Location"))) {
		free(r->location);
		r->location = v;
	} else if ((v = http_header_value(data, len, "Azure-AsyncOperation"))) {
		free(r->async_op);
		r->async_op = v;
	} else if ((v = http_header_value(data, len, "WWW-Authenticate"))) {
		free(r->www_auth);
		r->www_auth = v;
	} else if ((v = http_header_value(data, len, "Retry-After"))) {
		r->retry_after = http_parse_retry_after(v, time(NULL));
		free(v);
	}
	return len;
}

/* Refuse before anything leaves: not https, or a token that does not belong
 * to this host or this side. */
static const char *http_precheck(const struct http_client *c, const struct http_req *r)
{
	if (!util_has_prefix(r->url, "https://"))
		return _("only https URLs are used: a token never travels in clear");
	if (r->token) {
		if (r->token->side != r->side)
			return _("a token of the other operator's side: each side's token goes "
				 "only to its own subscription's resources");
		if (!endpoints_host_allowed(c->ep, r->token->resource, r->url))
			return _("the host is not one the token is meant for");
	}
	return NULL;
}

static struct curl_slist *http_headers(const struct http_req *r)
{
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Accept: application/json");
	h = curl_slist_append(h, "Expect:");
	if (r->content_type) {
		char *ct = xasprintf("Content-Type: %s", r->content_type);
		h = curl_slist_append(h, ct);
		free(ct);
	}
	if (r->token) {
		/* Built in secret memory; curl's copy is wiped by our free hook. */
		size_t n = strlen(r->token->access) + 32;
		char *a = secret_alloc(n);
		snprintf(a, n, "Authorization: Bearer %s", r->token->access);
		h = curl_slist_append(h, a);
		secret_free(a, n);
	}
	return h;
}

static CURL *http_easy(struct http_client *c, struct http_req *r, struct curl_slist **hdrs)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_bundle);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, c->timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, c->connect_timeout);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "ckwizard/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	r->errbuf[0] = '\0';
	/* The connect-to list is rebuilt per handle: it is small, and each
	 * handle owns what it is given. */
	struct curl_slist *ct = NULL;
	for (int i = 0; c->ep && i < c->ep->n_connect_to; i++)
		ct = curl_slist_append(ct, c->ep->connect_to[i]);
	if (ct)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, ct);
	r->connect_to = ct;
	if (strcmp(r->method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else {
		if (strcmp(r->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)r->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
	}
	*hdrs = http_headers(r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, *hdrs);
	return e;
}

static enum http_fail http_classify(CURLcode code)
{
	switch (code) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return HTTP_TLS;
	case CURLE_UNSUPPORTED_PROTOCOL:
		return HTTP_REFUSED;
	default:
		return HTTP_TRANSPORT;
	}
}

static void http_finish(struct http_client *c, struct http_req *r, CURLcode code, size_t *ndone)
{
	CURL *e = r->easy;
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(c->multi, e);
	curl_easy_cleanup(e);
	curl_slist_free_all(r->hdrs);
	curl_slist_free_all(r->connect_to);
	r->easy = r->hdrs = r->connect_to = NULL;
	r->running = false;
	r->attempts++;
	r->fail = http_classify(code);
	r->unsent = code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT;
	r->status = r->fail == HTTP_OK ? status : 0;
	free(r->error);
	r->error = NULL;
	if (r->fail != HTTP_OK)
		r->error = xstrdup(r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
	if (http_retryable(r) && r->attempts < c->max_attempts) {
		double d = http_backoff(c, r->attempts, r->retry_after, http_jitter());
		if (d >= 0) {
			r->due = http_now() + d;
			return;
		}
	}
	r->done = true;
	(*ndone)++;
}

/* ---- one connection per host first ----
 * Two requests to a host nobody has talked to yet, started together, each
 * open a connection (HTTP/1.1 cannot share one; HTTP/2 is not known until
 * the first handshake ends), and a TLS handshake costs more than the
 * request: the audit asks each vault for a key and its key list at once.
 * So a host gets one request until one has finished with it; after that
 * its connection is in curl's cache, and further requests reuse it (or run
 * beside it, within max_parallel). */
struct http_host {
	char *name;                /* scheme://host[:port] of the URL */
	bool warm;
	int running;
};

static char *http_url_host(const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	return xstrndup(url, (size_t)(p - url) + strcspn(p, "/?#"));
}

/* The hosts of reqs (deduplicated), and each request's index among them. */
static struct http_host *http_hosts(const struct http_client *c, struct http_req **reqs, size_t n,
				    size_t *idx, size_t *nh)
{
	struct http_host *h = xcalloc(n ? n : 1, sizeof *h);
	*nh = 0;
	for (size_t i = 0; i < n; i++) {
		char *name = http_url_host(reqs[i]->url);
		size_t k = 0;
		while (k < *nh && strcmp(h[k].name, name) != 0)
			k++;
		if (k == *nh) {
			h[k].name = name;
			for (size_t w = 0; w < c->n_warm && !h[k].warm; w++)
				h[k].warm = strcmp(c->warm[w], name) == 0;
			(*nh)++;
		} else {
			free(name);
		}
		idx[i] = k;
	}
	return h;
}

static void http_host_finished(struct http_client *c, struct http_host *h)
{
	h->running--;
	if (h->warm)
		return;
	h->warm = true;
	c->warm = xrealloc(c->warm, (c->n_warm + 1) * sizeof *c->warm);
	c->warm[c->n_warm++] = xstrdup(h->name);
}

int http_run(struct http_client *c, struct http_req **reqs, size_t n)
{
	size_t ndone = 0, nh = 0;
	int running = 0;
	size_t *host = xcalloc(n ? n : 1, sizeof *host);
	struct http_host *hosts = http_hosts(c, reqs, n, host, &nh);
	/* Idle connections kept for reuse: enough for a vault's second request
	 * to find its first one's, bounded so that a tenant of a thousand
	 * vaults does not keep a thousand sockets (and their TLS buffers). */
	curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS,
			  4L * (c->max_parallel > 0 ? c->max_parallel : 1));
	for (size_t i = 0; i < n; i++) {
		struct http_req *r = reqs[i];
		http_req_reset_result(r);
		r->done = r->running = false;
		r->attempts = 0;
		r->due = 0;
		const char *why = http_precheck(c, r);
		if (why) {
			r->fail = HTTP_REFUSED;
			r->error = xstrdup(why);
			r->done = true;
			ndone++;
		}
	}
	if (c->progress)
		c->progress(c->progress_cookie, ndone, n);
	while (ndone < n) {
		double now = http_now(), next_due = -1;
		for (size_t i = 0; i < n; i++) {
			struct http_req *r = reqs[i];
			if (r->done || r->running)
				continue;
			if (r->due > now) {
				if (next_due < 0 || r->due < next_due)
					next_due = r->due;
				continue;
			}
			if (running >= c->max_parallel)
				continue;
			if (!hosts[host[i]].warm && hosts[host[i]].running > 0)
				continue;
			if (r->attempts > 0) {
				/* a retry starts from a clean slate */
				char *keep = r->error;
				r->error = NULL;
				http_req_reset_result(r);
				free(keep);
			}
			struct curl_slist *h = NULL;
			CURL *e = http_easy(c, r, &h);
			if (!e)
				util_out_of_memory();
			r->easy = e;
			r->hdrs = h;
			r->running = true;
			curl_multi_add_handle(c->multi, e);
			running++;
			hosts[host[i]].running++;
		}
		int still = 0;
		curl_multi_perform(c->multi, &still);
		CURLMsg *msg;
		int left;
		size_t before = ndone;
		while ((msg = curl_multi_info_read(c->multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct http_req *r = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&r);
			CURLcode code = msg->data.result;
			for (size_t i = 0; i < n; i++)
				if (reqs[i] == r)
					http_host_finished(c, &hosts[host[i]]);
			http_finish(c, r, code, &ndone);
			running--;
		}
		if (c->progress && ndone != before)
			c->progress(c->progress_cookie, ndone, n);
		if (ndone >= n)
			break;
		int wait_ms = 1000;
		if (next_due >= 0) {
			double d = (next_due - http_now()) * 1000;
			wait_ms = d < 0 ? 0 : d < wait_ms ? (int)d + 1 : wait_ms;
		}
		if (running > 0) {
			curl_multi_poll(c->multi, NULL, 0, wait_ms, NULL);
		} else if (wait_ms > 0) {
			struct timespec ts = { wait_ms / 1000, (long)(wait_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	for (size_t k = 0; k < nh; k++)
		free(hosts[k].name);
	free(hosts);
	free(host);
	return 0;
}

/* ---- messages ---- */

static const char *http_advice(const struct http_req *r, const char *code)
{
	long s = r->status;
	if (code && (strcmp(code, "ExpiredAuthenticationToken") == 0 ||
		     strcmp(code, "InvalidAuthenticationTokenTenant") == 0))
		return _("sign in again (the token expired or is for another tenant)");
	if (s == 401)
		return _("sign in again: the token was refused");
	if (s == 403)
		return _("the signed-in identity lacks permission here: ask the subscription's "
			 "owner for it (doc/azure.md lists what audit needs)");
	if (s == 404)
		return _("it does not exist, or the identity cannot see it: check the plan's "
			 "names and subscription");
	if (s == 429)
		return _("Azure is still throttling after the retries: run again later");
	if (s >= 500)
		return _("Azure failed, still after the retries: run again later, and check "
			 "Azure's status page if it persists");
	if (s >= 300 && s < 400)
		return _("redirects are never followed with a token: check the endpoints");
	return _("unexpected answer: check the endpoints and run again");
}

char *http_describe(const struct http_req *r)
{
	char *what = text_visible_line(r->what);
	char *out;
	if (r->fail == HTTP_REFUSED) {
		char *e = text_visible_line(r->error ? r->error : "");
		out = xasprintf(_("%s: not sent: %s"), what, e);
		free(e);
	} else if (r->fail == HTTP_TLS) {
		char *e = text_visible_line(r->error ? r->error : "");
		out = xasprintf(_("%s: the server's TLS certificate was refused (%s): check the "
				  "endpoint; if your organisation uses a private CA, pass "
				  "--ca-bundle FILE"), what, e);
		free(e);
	} else if (r->fail == HTTP_TRANSPORT) {
		char *e = text_visible_line(r->error ? r->error : "");
		out = xasprintf(ngettext("%s: no answer after %d attempt (%s): check the "
					 "network and run again",
					 "%s: no answer after %d attempts (%s): check the "
					 "network and run again", (unsigned long)r->attempts),
				what, r->attempts, e);
		free(e);
	} else if (r->status >= 300 && r->status < 400) {
		char *loc = text_visible_line(r->location ? r->location : "-");
		out = xasprintf(_("%s: HTTP %ld redirect to %s refused: %s"), what, r->status, loc,
				http_advice(r, NULL));
		free(loc);
	} else {
		char *code = NULL, *msg = NULL;
		azjson_error(r->resp.p, r->resp.len, &code, &msg);
		char *vc = text_visible_line(code ? code : _("(no error code)"));
		char *vm = text_visible_line(msg ? msg : _("(no message)"));
		out = xasprintf(_("%s: HTTP %ld %s: %s; %s"), what, r->status, vc, vm,
				http_advice(r, code));
		free(vc);
		free(vm);
		free(code);
		free(msg);
	}
	free(what);
	return out;
}
