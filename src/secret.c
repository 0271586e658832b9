/* secret.c: locked, wiped allocations. Each secret gets whole pages of its own:
 * mlock/munlock do not nest, so two secrets sharing a page would unlock each
 * other on free. mlock may fail for unprivileged users with a small
 * RLIMIT_MEMLOCK; the memory is still wiped, so that is not fatal. */
#include "ck.h"
#include "secret.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t secret_page(void)
{
	long page = sysconf(_SC_PAGESIZE);
	return page > 0 ? (size_t)page : 4096;
}

static size_t secret_span(size_t n)
{
	size_t p = secret_page();
	return (n + p - 1) / p * p;
}

void *secret_alloc(size_t n)
{
	size_t span = secret_span(n ? n : 1);
	void *p = NULL;
	if (posix_memalign(&p, secret_page(), span) != 0 || !p)
		util_out_of_memory();
	util_wipe(p, span);
	(void)mlock(p, span);
#ifdef MADV_DONTDUMP
	(void)madvise(p, span, MADV_DONTDUMP);
#endif
	return p;
}

void secret_free(void *p, size_t n)
{
	if (!p)
		return;
	size_t span = secret_span(n ? n : 1);
	util_wipe(p, span);
#ifdef MADV_DODUMP
	(void)madvise(p, span, MADV_DODUMP);
#endif
	(void)munlock(p, span);
	free(p);
}
