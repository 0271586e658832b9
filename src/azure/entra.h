/* entra.h: signing in to Entra ID, one credential per operator's side.
 *
 * Three ways (doc/azure.md describes each with its sources):
 *   device   OAuth 2.0 device authorization grant (RFC 8628) on the v2.0
 *            endpoint: prints a URL and a code, polls; the refresh token then
 *            buys the Key Vault and Graph tokens (one token per resource);
 *   az       `az account get-access-token --resource R --tenant T`, run
 *            without a shell, its JSON read from a pipe;
 *   cert     a service principal's client credentials with a client
 *            assertion: an RS256 JWT signed with the certificate's key.
 * Tokens and refresh tokens stay in secret memory; nothing is written.
 * az_cred_token() hands out a token with at least AZ_TOKEN_MARGIN seconds
 * left, refreshing it first when needed. */
#ifndef CK_ENTRA_H
#define CK_ENTRA_H

#include "azure/endpoints.h"
#include "azure/http.h"
#include "azure/token.h"

#include <stdio.h>
#include <time.h>

#define AZ_TOKEN_MARGIN 300

enum az_signin { AZ_SIGNIN_DEVICE, AZ_SIGNIN_AZ, AZ_SIGNIN_CERT, AZ_SIGNIN_COUNT };

/* The public client the device flow signs in as by default: the Azure CLI's
 * well-known application ID (doc/azure.md). */
#define AZ_DEFAULT_PUBLIC_CLIENT "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

struct az_cred {
	enum az_signin method;
	int side;                 /* CK_SIDE_A/B: every token is for this side only */
	struct http_client *http; /* borrowed */
	char *tenant;             /* tenant ID the plan names */
	char *client_id;          /* device: public client; cert: the application */
	char *cert_path;          /* cert: PEM with the private key and certificate */
	char *az_config;          /* az: AZURE_CONFIG_DIR, NULL for the default */
	char *az_program;         /* az: program to run (default "az", found in PATH) */
	FILE *prompt;             /* device: where the URL and code are shown */
	const char *who;          /* device: "operator A (Alice Ames)" for the prompt */
	/* device: show the URL and code through the caller instead of prompt */
	void (*show_code)(void *cookie, int side, const char *who, const char *url,
			  const char *code);
	void *show_cookie;
	/* private */
	char *refresh;            /* secret memory */
	size_t refresh_cap;
	struct az_token *tok[AZ_RES_COUNT];
	/* device: Entra refused the refresh token for good (invalid_grant):
	 * no token until the side signs in again, which its owner does */
	bool lost;
	/* the identity of the first token (object ID, tenant): every later
	 * one, of any service, refreshed or not, must be of it; one that is
	 * not refuses the sign-in (refused) until the side signs in again */
	char *oid, *tid;
	char *identity; /* the first token's, as az_token_identity words it */
	bool refused;
};

const char *az_signin_name(enum az_signin m);
int az_signin_parse(const char *s, enum az_signin *m);

void az_cred_init(struct az_cred *c, enum az_signin m, int side, struct http_client *http,
		  const char *tenant);
void az_cred_free(struct az_cred *c);

/* A token for resource r valid for AZ_TOKEN_MARGIN seconds more, or NULL
 * with *err (caller frees) saying what went wrong and what to do. */
const struct az_token *az_cred_token(struct az_cred *c, enum az_resource r, time_t now,
				     char **err);

/* Is the token the identity the plan names for this side? The tenant must
 * be the plan's; for a person, the object ID must be expect_oid when that is
 * given, else the upn must be expect_upn (ignoring case); for an
 * application, its appid must equal expect_app. 0, or -1 with *err. */
int az_identity_check(const struct az_token *t, const char *tenant, const char *expect_upn,
		      const char *expect_oid, const char *expect_app, char **err);

/* ---- pieces, exposed for the unit tests ---- */

/* application/x-www-form-urlencoded value escaping into b. */
void az_form_add(struct buf *b, const char *name, const char *value);
/* What a device-code poll answer means. */
enum az_poll { AZ_POLL_TOKEN, AZ_POLL_PENDING, AZ_POLL_SLOW_DOWN, AZ_POLL_DECLINED,
	       AZ_POLL_EXPIRED, AZ_POLL_ERROR };
enum az_poll az_poll_classify(long status, const char *body, size_t len);
/* The signed client assertion for a certificate (secret memory, caller
 * frees with secret_free(p, *cap)); NULL with *err. */
char *az_client_assertion(const char *pem_path, const char *client_id, const char *audience,
			  time_t now, size_t *cap, char **err);

#endif
