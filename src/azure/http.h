/* http.h: the HTTP core under every Azure module: libcurl's multi interface
 * runs a batch of requests in parallel over reused connections (HTTP/2 where
 * the server offers it), with the rules a client holding bearer tokens must
 * keep:
 *   - https only (CURLOPT_PROTOCOLS_STR "https"), peer and host verified,
 *     a private CA only through an explicit bundle file;
 *   - redirects are never followed: a 3xx is an error;
 *   - a token is sent only to the hosts of its resource (endpoints.h) and
 *     only for its own side (A's token to A's requests);
 *   - every request has a time limit; 429 (honouring Retry-After), 5xx and
 *     transport failures get a bounded number of retries with exponential
 *     backoff and jitter.
 * Responses are read by azjson.h; errors are worded by http_describe(). */
#ifndef CK_HTTP_H
#define CK_HTTP_H

#include "azure/endpoints.h"
#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct az_token;

enum http_fail {
	HTTP_OK,          /* a response arrived (any status; see status) */
	HTTP_TRANSPORT,   /* no usable response: network, timeout, dropped */
	HTTP_TLS,         /* the server's certificate was refused */
	HTTP_REFUSED      /* we refused to send: wrong host or side for the token, not https */
};

struct http_req {
	/* filled by the caller */
	const char *method;        /* "GET", "POST", "PUT", "PATCH" */
	char *url;                 /* owned */
	char *body;                /* owned (wiped on free), NULL for none */
	size_t body_len;
	const char *content_type;  /* for body: "application/json", form, ... */
	const struct az_token *token; /* bearer, borrowed; NULL for none */
	int side;                  /* the side this request is for (token must match) */
	char *what;                /* owned: the resource, for messages ("vault X (A)") */
	void *user;                /* caller's cookie */
	bool once;                 /* not idempotent (a key's creation): never sent
				    * again once it may have reached the server */
	/* results */
	enum http_fail fail;
	long status;               /* HTTP status, 0 when none */
	struct buf resp;           /* body (wiped on free: token responses land here) */
	char *location, *async_op; /* Location, Azure-AsyncOperation headers */
	char *www_auth;            /* WWW-Authenticate */
	char *error;               /* transport/refusal detail, NULL on HTTP_OK */
	int attempts;
	/* private to http.c */
	double retry_after;        /* seconds from the last response, -1 none */
	double due;                /* monotonic time to start the next attempt */
	void *easy;
	void *hdrs, *connect_to;   /* curl_slist */
	char errbuf[256];          /* CURL_ERROR_SIZE */
	bool unsent;               /* the last attempt never reached the server */
	bool running, done;
};

struct http_client {
	const struct endpoints *ep;
	const char *ca_bundle;     /* NULL: the system's trust store */
	long timeout;              /* seconds for a whole request (default 30) */
	long connect_timeout;      /* seconds (default 10) */
	int max_attempts;          /* per request, including the first (default 4) */
	double backoff_base;       /* seconds (default 0.5), doubled per attempt */
	double backoff_cap;        /* seconds (default 20) */
	double retry_after_cap;    /* longest Retry-After honoured (default 60); longer gives up */
	int max_parallel;          /* default 8 */
	/* Called after each finished attempt: done of total requests. */
	void (*progress)(void *cookie, size_t done, size_t total);
	void *progress_cookie;
	void *multi;               /* private */
	char **warm;               /* private: hosts a request has finished with */
	size_t n_warm;
};

/* Install allocation hooks in cJSON and libcurl that wipe every block on free
 * (both keep copies of tokens), and initialise libcurl. Call once, before any
 * other curl or cJSON use in the process. Idempotent. */
void http_global_init(void);

void http_client_init(struct http_client *c, const struct endpoints *ep);
void http_client_cleanup(struct http_client *c);

/* A new request (url copied); side is CK_SIDE_A/B; what is copied. */
struct http_req *http_req_new(const char *method, const char *url, int side, const char *what);
void http_req_set_body(struct http_req *r, const char *content_type, const char *body, size_t len);
void http_req_free(struct http_req *r);

/* Run every request to completion (retries included). Returns 0; each
 * request carries its own outcome. */
int http_run(struct http_client *c, struct http_req **reqs, size_t n);

/* One line for a person: the resource, the status, Azure's error code and
 * message (made visible), and what to do. Caller frees. */
char *http_describe(const struct http_req *r);

/* Is the outcome worth another attempt? (429, 5xx, transport) */
bool http_retryable(const struct http_req *r);
/* Seconds to wait before attempt n (1-based, n >= 1: the first retry), given
 * a Retry-After (or < 0) and a jitter fraction in [0,1). -1: give up
 * (Retry-After longer than the cap). */
double http_backoff(const struct http_client *c, int attempt, double retry_after, double jitter);
/* Parse a Retry-After value (delta seconds, or an HTTP date); -1 if bad. */
double http_parse_retry_after(const char *v, time_t now);

/* buf_add for buffers that hold secrets: when the buffer must grow, the
 * old block is wiped before it is freed (realloc would leave a copy). */
void http_buf_add_wiped(struct buf *b, const void *data, size_t n);

/* The process's monotonic clock in seconds. */
double http_now(void);

#endif
