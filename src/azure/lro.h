/* lro.h: waiting for an ARM long-running operation. A PUT/POST/DELETE that
 * answers 201 or 202 with Azure-AsyncOperation (a status resource: InProgress,
 * then Succeeded, Failed or Canceled) or Location (202 until done, then the
 * result) is polled with the same token and side, honouring Retry-After,
 * until it ends or the deadline passes. The polling URL must be on the
 * token's own host (the HTTP layer refuses anything else). Source: Azure
 * Resource Manager's async-operations guidance (doc/azure.md). */
#ifndef CK_LRO_H
#define CK_LRO_H

#include "azure/http.h"
#include "azure/token.h"

#include <time.h>

enum lro_state { LRO_DONE, LRO_FAILED, LRO_TIMEOUT, LRO_BROKEN };

/* started: the finished first request (its status and headers). When it is
 * not a long-running answer (200, 204, or an error), returns at once: DONE
 * for 2xx, FAILED otherwise. *err (caller frees) says why when not DONE;
 * *polls counts the polls made. */
enum lro_state lro_wait(struct http_client *c, const struct http_req *started,
			const struct az_token *t, double deadline, int *polls, char **err);

#endif
