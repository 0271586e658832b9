/* endpoints.h: where a cloud's services live. Three clouds by name, anything
 * else (a sovereign cloud we do not know, a private test fake) from an
 * endpoints file. doc/azure.md lists the values and the file format.
 *
 * Every URL is https: the parser refuses http:// and anything else, because a
 * bearer token must never travel in clear. */
#ifndef CK_ENDPOINTS_H
#define CK_ENDPOINTS_H

#include <stdbool.h>

/* What a token is for. One token serves one resource (Entra issues it for
 * one audience), and the HTTP layer refuses to send it anywhere else. */
enum az_resource { AZ_RES_ARM, AZ_RES_VAULT, AZ_RES_GRAPH, AZ_RES_HSM, AZ_RES_COUNT };
/* Every sign-in buys the first three; a Managed HSM token (its own audience)
 * only when the plan keeps its keys in Managed HSMs. */
#define AZ_RES_BASIC AZ_RES_HSM

struct endpoints {
	char *name;           /* "public", "usgov", "china", or the file's name= */
	char *authority;      /* https://login.microsoftonline.com (no tenant, no slash) */
	char *arm;            /* https://management.azure.com */
	char *vault_suffix;   /* vault.azure.net: a vault is https://NAME.SUFFIX */
	char *hsm_suffix;     /* managedhsm.azure.net: https://NAME.SUFFIX; NULL when an
			       * endpoints file names none */
	char *resource[AZ_RES_COUNT]; /* token audiences: ARM, vault, Graph, HSM */
	char *graph;          /* https://graph.microsoft.com */
	char **connect_to;    /* curl --connect-to entries "HOST:PORT:CHOST:CPORT" */
	int n_connect_to;
};

/* The named clouds (public, usgov, china); NULL with *err for other names. */
struct endpoints *endpoints_cloud(const char *name, char **err);
/* Read an endpoints file ("key = value" lines, # comments); NULL with *err
 * naming the file and line. */
struct endpoints *endpoints_load(const char *path, char **err);
struct endpoints *endpoints_parse(const char *name, const char *text, char **err);
void endpoints_free(struct endpoints *e);

/* The base URL of a vault: https://NAME.SUFFIX (caller frees). */
char *endpoints_vault_url(const struct endpoints *e, const char *vault);
/* Is url's host one a token for resource r may be sent to? ARM tokens go to
 * the ARM host only, vault tokens to *.SUFFIX only, Managed HSM tokens to
 * *.HSM-SUFFIX only, Graph tokens to Graph. */
bool endpoints_host_allowed(const struct endpoints *e, enum az_resource r, const char *url);
/* "ARM", "Key Vault", "Microsoft Graph", "Managed HSM". */
const char *endpoints_resource_name(enum az_resource r);

/* Names of the built-in clouds, for help and docs. */
extern const char *const endpoints_cloud_names[];

#endif
