/* entra_int.h: shared between entra.c, entra_az.c and entra_cert.c only. */
#ifndef CK_ENTRA_INT_H
#define CK_ENTRA_INT_H

#include "azure/entra.h"

char *entra_url(const struct az_cred *c, const char *leaf);
char *entra_scope(const struct az_cred *c, enum az_resource r, bool offline);
struct http_req *entra_post(struct az_cred *c, const char *leaf, struct buf *form, const char *what);
char *entra_failure(const struct http_req *r, const char *doing);
int entra_take_tokens(struct az_cred *c, enum az_resource res, const struct http_req *r, char **err);
int entra_az_token(struct az_cred *c, enum az_resource r, char **err);
int entra_cert_token(struct az_cred *c, enum az_resource r, time_t now, char **err);

#endif
