/* yaml_dl.c: libyaml, opened while a plan is read and closed again by the
 * wizard once its session is open.
 *
 * The wizard reads its plan when the session opens and, for the rest of the
 * ceremony, only when an amendment brings another. Linked, libyaml's pages
 * stayed mapped for the whole ceremony (128 KB of the peak after both
 * operators unlocked; doc/bench.md, "Sixth round: memory"). So the ckwizard
 * binary does not link it: the six libyaml functions src/ydoc.c calls are
 * defined here under their own names, the first call opens libyaml by its
 * soname and forwards to it (as src/crypto_dl.c does for libcrypto), and
 * yaml_dl_release closes it; the next plan read opens it again.
 *
 * A libyaml that cannot be opened makes yaml_parser_initialize fail with
 * the reason in the parser's problem field, which src/ydoc.c reports as
 * the plan's error (L007): nothing exits with the wizard's screen up, and
 * nothing is written to stderr under it (an amendment's plan is read with
 * the screen up).
 *
 * The unit tests and fuzz targets link libyaml directly and do not use this
 * file; only the ckwizard binary does (Makefile.am). */
#include "ck.h"
#include "cli.h"
#include "util.h"

#include <yaml.h>

#include <dlfcn.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* libyaml's soname: 0.2.x keeps the ABI of 0.1 (its ChangeLog); found as
 * the dynamic loader would have found it at start. */
#define YAML_DL_SONAME "libyaml-0.so.2"

struct yaml_dl_fns {
	int (*yaml_parser_initialize)(yaml_parser_t *parser);
	void (*yaml_parser_set_input_string)(yaml_parser_t *parser, const unsigned char *input,
					     size_t size);
	void (*yaml_parser_set_encoding)(yaml_parser_t *parser, yaml_encoding_t encoding);
	int (*yaml_parser_parse)(yaml_parser_t *parser, yaml_event_t *event);
	void (*yaml_event_delete)(yaml_event_t *event);
	void (*yaml_parser_delete)(yaml_parser_t *parser);
};
static struct yaml_dl_fns fn;

#define YAML_DL_SYM(name) { #name, offsetof(struct yaml_dl_fns, name) }
static const struct util_dl_sym yaml_dl_syms[] = {
	YAML_DL_SYM(yaml_parser_initialize), YAML_DL_SYM(yaml_parser_set_input_string),
	YAML_DL_SYM(yaml_parser_set_encoding), YAML_DL_SYM(yaml_parser_parse),
	YAML_DL_SYM(yaml_event_delete), YAML_DL_SYM(yaml_parser_delete),
};

static bool yaml_dl_loaded;
/* why libyaml could not be opened, for the parser's problem field */
static char yaml_dl_why[512];

/* Every other function is called only on a parser that
 * yaml_parser_initialize started, so with libyaml open. */
int yaml_parser_initialize(yaml_parser_t *parser)
{
	const char *what;
	if (!yaml_dl_loaded) {
		int rc = util_dl_load(YAML_DL_SONAME, yaml_dl_syms, CK_ARRAY_LEN(yaml_dl_syms), &fn,
				      &what);
		if (rc != 0) {
			snprintf(yaml_dl_why, sizeof(yaml_dl_why),
				 rc == -1 ? _("cannot load %s (%s)")
					  : _("%s has no %s: this is not libyaml 0.2"),
				 YAML_DL_SONAME, what);
			memset(parser, 0, sizeof(*parser));
			parser->error = YAML_MEMORY_ERROR;
			parser->problem = yaml_dl_why;
			return 0;
		}
		yaml_dl_loaded = true;
	}
	return fn.yaml_parser_initialize(parser);
}

void yaml_parser_set_input_string(yaml_parser_t *parser, const unsigned char *input, size_t size)
{
	fn.yaml_parser_set_input_string(parser, input, size);
}

void yaml_parser_set_encoding(yaml_parser_t *parser, yaml_encoding_t encoding)
{
	fn.yaml_parser_set_encoding(parser, encoding);
}

int yaml_parser_parse(yaml_parser_t *parser, yaml_event_t *event)
{
	return fn.yaml_parser_parse(parser, event);
}

void yaml_event_delete(yaml_event_t *event)
{
	fn.yaml_event_delete(event);
}

void yaml_parser_delete(yaml_parser_t *parser)
{
	fn.yaml_parser_delete(parser);
}

void yaml_dl_release(void)
{
	if (!yaml_dl_loaded)
		return;
	/* util_dl_load keeps no handle: this one is a second reference to
	 * the same library (RTLD_NOLOAD opens nothing new), so two closes
	 * drop both */
	void *h = dlopen(YAML_DL_SONAME, RTLD_NOW | RTLD_NOLOAD);
	if (h) {
		dlclose(h);
		dlclose(h);
	}
	yaml_dl_loaded = false;
}
