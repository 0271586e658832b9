/* util.c: allocation and string helpers. Out of memory is fatal: a ceremony
 * tool that half-records an event is worse than one that stops. */
#include "ck.h"
#include "util.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void util_oom(void)
{
	fputs("ckwizard: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		util_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		util_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		util_oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	/* Most results are short: formatted once into the stack and copied,
	 * not measured by a first pass and then formatted again (the step
	 * catalogue and the plan checks make thousands). The stack copy is
	 * wiped, as a caller may format a secret. */
	char tmp[256];
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		util_oom();
	char *p = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof tmp)
		memcpy(p, tmp, (size_t)n + 1);
	else
		vsnprintf(p, (size_t)n + 1, fmt, ap);
	util_wipe(tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void util_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

void util_free_secret(char *s)
{
	if (!s)
		return;
	util_wipe(s, strlen(s));
	free(s);
}

int util_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

int util_strcaseeq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcasecmp(a, b) == 0;
}

int util_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t util_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

unsigned util_shared_file_mode(const char *dir)
{
	struct stat st;
	if (!dir || stat(dir, &st) != 0)
		return 0600;
	return util_group_shared(st.st_mode) ? 0660 : 0600;
}

bool util_group_shared(unsigned mode)
{
	return (mode & S_ISGID) && (mode & 0070) == 0070 && !(mode & 0007);
}
