/* secret.h: memory for secrets (unlocked private keys, passphrases): locked
 * against swapping where the system allows, excluded from core dumps, and
 * wiped on free. */
#ifndef CK_SECRET_H
#define CK_SECRET_H

#include <stddef.h>

void *secret_alloc(size_t n);
void secret_free(void *p, size_t n);

#endif
