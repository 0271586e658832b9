/* secret.c: locked, wiped allocations. mlock may fail for unprivileged users
 * with a small RLIMIT_MEMLOCK; the memory is still wiped, so that is not fatal. */
#include "ck.h"
#include "secret.h"
#include "util.h"

#include <stdlib.h>
#include <sys/mman.h>

void *secret_alloc(size_t n)
{
	void *p = xcalloc(1, n);
	(void)mlock(p, n);
#ifdef MADV_DONTDUMP
	(void)madvise((void *)((unsigned long)p & ~4095UL), n + ((unsigned long)p & 4095UL),
		      MADV_DONTDUMP);
#endif
	return p;
}

void secret_free(void *p, size_t n)
{
	if (!p)
		return;
	util_wipe(p, n);
	(void)munlock(p, n);
	free(p);
}
