/* curl_dl.c: libcurl, loaded when a command first needs the network.
 *
 * Linking libcurl makes every process load it and the 28 libraries it
 * brings (Kerberos, LDAP, GnuTLS, SSH, RTMP...) and bind ~9,000 of their
 * symbols before main: 9 M of the 12.5 M instructions a bare start costs,
 * paid by `check`, `show` and the wizard, which never touch the network
 * (doc/bench.md). So ckwizard does not link it: the libcurl functions
 * http.c calls are defined here, and the first one used loads libcurl by
 * its soname and forwards to it. Only http.c calls libcurl. */
#define CURL_DISABLE_TYPECHECK 1 /* the functions are defined here, not checked calls */
#include "ck.h"
#include "util.h"
#include "azure/http.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libcurl's soname: its ABI version, 4 since 2006 (curl's docs/VERSIONS.md). */
#define CURL_DL_SONAME "libcurl.so.4"

/* The functions ckwizard uses, looked up by name once. A table: adding a
 * curl call to http.c means a line here and a wrapper below. */
static struct curl_dl_fns {
	CURLcode (*global_init_mem)(long, curl_malloc_callback, curl_free_callback,
				    curl_realloc_callback, curl_strdup_callback,
				    curl_calloc_callback);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
} fn;

static const struct util_dl_sym curl_dl_syms[] = {
#define CURL_DL_SYM(f) { "curl_" #f, offsetof(struct curl_dl_fns, f) }
	CURL_DL_SYM(global_init_mem), CURL_DL_SYM(easy_init), CURL_DL_SYM(easy_setopt),
	CURL_DL_SYM(easy_getinfo), CURL_DL_SYM(easy_cleanup), CURL_DL_SYM(easy_strerror),
	CURL_DL_SYM(slist_append), CURL_DL_SYM(slist_free_all), CURL_DL_SYM(multi_init),
	CURL_DL_SYM(multi_setopt), CURL_DL_SYM(multi_add_handle),
	CURL_DL_SYM(multi_remove_handle), CURL_DL_SYM(multi_perform), CURL_DL_SYM(multi_poll),
	CURL_DL_SYM(multi_info_read), CURL_DL_SYM(multi_cleanup),
#undef CURL_DL_SYM
};

/* Load libcurl and every function above, or say what is missing and stop:
 * a command that needs the network cannot go on without it. */
static void curl_dl_load(void)
{
	static bool loaded;
	const char *what;
	if (loaded)
		return;
	switch (util_dl_load(CURL_DL_SONAME, curl_dl_syms, CK_ARRAY_LEN(curl_dl_syms), &fn, &what)) {
	case 0:
		loaded = true;
		return;
	case -1:
		fprintf(stderr, _("ckwizard: cannot load %s (%s): the network commands need "
				  "libcurl (Debian: apt-get install libcurl4)\n"),
			CURL_DL_SONAME, what);
		break;
	default:
		fprintf(stderr, _("ckwizard: %s has no %s: this libcurl is too old\n"),
			CURL_DL_SONAME, what);
	}
	exit(CK_EXIT_INPUT);
}

CURLcode curl_global_init_mem(long flags, curl_malloc_callback m, curl_free_callback f,
			      curl_realloc_callback r, curl_strdup_callback s,
			      curl_calloc_callback c)
{
	curl_dl_load();
	return fn.global_init_mem(flags, m, f, r, s, c);
}

/* Every libcurl call starts after http_global_init, which loads it: the
 * wrappers below need no check of their own. */
CURL *curl_easy_init(void) { curl_dl_load(); return fn.easy_init(); }
void curl_easy_cleanup(CURL *e) { fn.easy_cleanup(e); }
const char *curl_easy_strerror(CURLcode c) { curl_dl_load(); return fn.easy_strerror(c); }
struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s)
{
	curl_dl_load();
	return fn.slist_append(l, s);
}
void curl_slist_free_all(struct curl_slist *l)
{
	if (l)
		fn.slist_free_all(l);
}
CURLM *curl_multi_init(void) { curl_dl_load(); return fn.multi_init(); }
CURLMcode curl_multi_add_handle(CURLM *m, CURL *e) { return fn.multi_add_handle(m, e); }
CURLMcode curl_multi_remove_handle(CURLM *m, CURL *e) { return fn.multi_remove_handle(m, e); }
CURLMcode curl_multi_perform(CURLM *m, int *running) { return fn.multi_perform(m, running); }
CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int n, int ms, int *ret)
{
	return fn.multi_poll(m, extra, n, ms, ret);
}
CURLMsg *curl_multi_info_read(CURLM *m, int *left) { return fn.multi_info_read(m, left); }
CURLMcode curl_multi_cleanup(CURLM *m) { return fn.multi_cleanup(m); }

/* The variadic ones take one argument whose type the option's number says
 * (curl.h: CURLOPTTYPE_* for the easy options, CURLOPTTYPE_* the same way
 * for the multi ones): a long, a curl_off_t, or a pointer (object,
 * function, string, blob). It is read as that type and passed on. */
CURLcode curl_easy_setopt(CURL *e, CURLoption opt, ...)
{
	va_list ap;
	CURLcode rc;
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = fn.easy_setopt(e, opt, va_arg(ap, long));
	else if (opt >= CURLOPTTYPE_OFF_T && opt < CURLOPTTYPE_BLOB)
		rc = fn.easy_setopt(e, opt, va_arg(ap, curl_off_t));
	else
		rc = fn.easy_setopt(e, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	va_list ap;
	CURLMcode rc;
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = fn.multi_setopt(m, opt, va_arg(ap, long));
	else if (opt >= CURLOPTTYPE_OFF_T && opt < CURLOPTTYPE_BLOB)
		rc = fn.multi_setopt(m, opt, va_arg(ap, curl_off_t));
	else
		rc = fn.multi_setopt(m, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *e, CURLINFO info, ...)
{
	va_list ap;
	va_start(ap, info);
	CURLcode rc = fn.easy_getinfo(e, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}
