/* cli_live.h: run --live's options (the REST backend's configuration) and
 * the function the session opens its live backend with. */
#ifndef CK_CLI_LIVE_H
#define CK_CLI_LIVE_H

#include "azure/backend_rest.h"
#include "cli.h"
#include "session.h"

#include <stdbool.h>

struct cli_live {
	bool on;                       /* --live */
	bool execute;                  /* --execute */
	struct backend_rest_config cfg;
	struct endpoints *ep;
};

/* Read the live options of ca into *l (nothing opened unless --live). A
 * usage error is printed and returned as CK_EXIT_INPUT; else CK_EXIT_OK. */
int cli_live_parse(const char *cmd, const struct cli_args *ca, struct cli_live *l);
/* Hand the session what opens the REST backend (session_opts.live_open). */
void cli_live_session(struct cli_live *l, struct session_opts *o);
void cli_live_free(struct cli_live *l);

#endif
