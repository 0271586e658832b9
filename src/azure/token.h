/* token.h: an access token as ckwizard holds it. The token string lives in
 * secret_alloc() memory (locked, excluded from core dumps, wiped on free) and
 * is never printed, logged or written: only its claims are shown. */
#ifndef CK_TOKEN_H
#define CK_TOKEN_H

#include "azure/endpoints.h"

#include <stddef.h>
#include <time.h>

struct az_token {
	char *access;            /* secret memory, NUL-terminated */
	size_t cap;              /* bytes allocated for access */
	enum az_resource resource;
	int side;                /* CK_SIDE_A/B: whose requests it may go with */
	time_t expires;          /* the JWT's exp (0 if it has none) */
	char *oid, *tid, *upn, *appid; /* claims (NULL when absent) */
};

/* A token from its string: copied into secret memory and its claims read
 * from the JWT payload (not verified: TLS to the authority vouches for it).
 * NULL with *err when it is not a JWT or has no oid and tid. */
struct az_token *az_token_new(const char *access, size_t len, enum az_resource r, int side,
			      char **err);
void az_token_free(struct az_token *t);
/* Who the token is, for screens and records: "upn (oid), tenant tid". */
char *az_token_identity(const struct az_token *t);

#endif
