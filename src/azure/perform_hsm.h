/* perform_hsm.h: --execute's writes for a plan whose keys are in Managed
 * HSMs (perform_hsm.c): the HSM and its keys. backend_rest.c hands these
 * steps here, and only the registrations and resource groups of such a plan
 * to the vault writers (backend_perform.c). */
#ifndef CK_PERFORM_HSM_H
#define CK_PERFORM_HSM_H

#include "azure/backend_rest_int.h"

#include <stdbool.h>
#include <time.h>

/* Is s one of the HSM plan's steps written here (hsm.create, key.create,
 * the two role steps, the activation, the key backups)? */
bool rest_hsm_writes(const struct step *s);
/* As the seam's describe and perform: 0 with *requests, 1 not written (*err
 * says why); perform fills r. */
int rest_hsm_describe(struct rest_state *st, const struct step *s, char **requests, char **err);
int rest_hsm_perform(struct backend *b, const struct step *s, time_t now, struct check_result *r);

/* perform_hsm_roles.c, below perform_hsm.c: hsm.role.admins (1),
 * hsm.role.service (2), else 0; their describe and perform. */
int rest_hsm_roles_kind(const struct step *s);
int rest_hsm_roles_describe(struct rest_state *st, const struct step *s, char **requests,
			    char **err);
int rest_hsm_roles_perform(struct backend *b, const struct step *s, time_t now,
			   struct check_result *r);

/* perform_hsm_sd.c, below perform_hsm.c: is s the activation
 * (hsm.activate)? Its describe and perform: the security-domain download. */
bool rest_hsm_sd_kind(const struct step *s);
int rest_hsm_sd_describe(struct rest_state *st, const struct step *s, char **requests,
			 char **err);
int rest_hsm_sd_perform(struct backend *b, const struct step *s, time_t now,
			struct check_result *r);

#endif
