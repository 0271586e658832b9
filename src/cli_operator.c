/* cli_operator.c: `ckwizard operator enroll|list|export`: operators' signing
 * keys. Passphrases come from the terminal with no echo, or one line from
 * --passphrase-fd N: never from argv or the environment. */
#include "ck.h"
#include "cli.h"
#include "keys.h"
#include "keystore.h"
#include "pin.h"
#include "text.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_PASS_MIN 12 /* characters */

struct cli_op_opts {
	const char *name, *upn, *dir;
	int pass_fd, pin_fd;
	const char *action; /* enroll, list or export */
	const char *arg;    /* the one argument after it (export's UPN) */
};

static int cli_op_parse(int argc, char **argv, struct cli_op_opts *o)
{
	struct cli_args ca;
	memset(o, 0, sizeof *o);
	o->pass_fd = o->pin_fd = -1;
	/* The action and, for export, the UPN. */
	int rc = cli_parse("operator", argc, argv, 2, &ca);
	if (rc != CK_EXIT_OK)
		return rc;
	o->action = ca.n_pos ? ca.pos[0] : NULL;
	o->arg = ca.n_pos > 1 ? ca.pos[1] : NULL;
	o->name = cli_opt(&ca, "--name");
	o->upn = cli_opt(&ca, "--upn");
	o->dir = cli_opt(&ca, "--dir");
	const char *v = cli_opt(&ca, "--passphrase-fd");
	if (v) {
		char *end;
		long fd = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || fd < 0 || fd > 1024)
			return cli_usage_error("operator",
					       _("--passphrase-fd needs a file descriptor number, not "
						 "\"%s\""), v);
		o->pass_fd = (int)fd;
	}
	v = cli_opt(&ca, "--pin-fd");
	if (v) {
		char *end;
		long fd = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || fd < 0 || fd > 1024)
			return cli_usage_error("operator",
					       _("--pin-fd needs a file descriptor number, not \"%s\""),
					       v);
		o->pin_fd = (int)fd;
	}
	return CK_EXIT_OK;
}

static size_t cli_op_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* A new secret: read from fd (one line), or on a terminal (fd < 0) twice,
 * the second time to catch a typing slip. `invalid` says what is wrong with
 * it (allocated) or NULL; nothing is kept of a refused secret. */
static char *cli_op_new_secret(const char *prompt, const char *again_prompt,
			       const char *differ, int fd, char *(*invalid)(const char *),
			       char **err)
{
	char *p = keys_read_passphrase(prompt, fd, err);
	if (!p)
		return NULL;
	char *bad = invalid(p);
	if (bad) {
		util_free_secret(p);
		*err = bad;
		return NULL;
	}
	if (fd < 0) {
		char *again = keys_read_passphrase(again_prompt, -1, err);
		if (!again) {
			util_free_secret(p);
			return NULL;
		}
		int same = strcmp(p, again) == 0;
		util_free_secret(again);
		if (!same) {
			util_free_secret(p);
			*err = xstrdup(differ);
			return NULL;
		}
	}
	return p;
}

static char *cli_op_passphrase_invalid(const char *p)
{
	if (cli_op_chars(p) >= CLI_PASS_MIN)
		return NULL;
	return xasprintf(_("the passphrase is too short: use at least %d characters (a few "
			   "unrelated words are easy to type and hard to guess)"),
			 CLI_PASS_MIN);
}

static char *cli_op_pin_invalid(const char *p)
{
	const char *bad = pin_invalid(p);
	return bad ? xstrdup(bad) : NULL;
}

/* The new key's passphrase: twice on a terminal, once from a descriptor. */
static char *cli_op_new_passphrase(const struct cli_op_opts *o, char **err)
{
	return cli_op_new_secret(_("New passphrase for the key: "),
				 _("The same passphrase again: "),
				 _("the two passphrases differ: nothing was written, try again"),
				 o->pass_fd, cli_op_passphrase_invalid, err);
}

/* The signing PIN, asked before anything is written: twice on a terminal,
 * one line from --pin-fd. With --passphrase-fd and no --pin-fd, none: the
 * wizard asks for it right after the first unlock. NULL with *err NULL
 * means none. */
static char *cli_op_new_pin(const struct cli_op_opts *o, char **err)
{
	*err = NULL;
	if (o->pin_fd < 0 && o->pass_fd >= 0)
		return NULL;
	return cli_op_new_secret(_("Signing PIN (asked before each signature, 4 characters "
				   "or more): "),
				 _("The same PIN again: "),
				 _("the two PINs differ: nothing was written, try again"),
				 o->pin_fd, cli_op_pin_invalid, err);
}

static char *cli_op_dir(const struct cli_op_opts *o, char **err)
{
	return o->dir ? xstrdup(o->dir) : keystore_default_dir(err);
}

static int cli_op_enroll(const struct cli_op_opts *o)
{
	char *why = NULL, *err = NULL;
	if (!o->name || !o->upn || o->arg)
		return cli_usage_error("operator", _("enroll needs --name NAME and --upn UPN"));
	if (keystore_name_ok(o->name, &why) != 0 || keystore_upn_ok(o->upn, &why) != 0) {
		int rc = cli_usage_error("operator", "%s", why);
		free(why);
		return rc;
	}
	char *dir = cli_op_dir(o, &err);
	if (!dir) {
		fprintf(stderr, "ckwizard operator: %s\n", err);
		free(err);
		return CK_EXIT_INPUT;
	}
	struct keystore_entry e;
	if (keystore_find(dir, o->upn, &e, &err) == 0) {
		fprintf(stderr, _("ckwizard operator: %s <%s> is enrolled in %s already (%s): "
				  "ckwizard never overwrites a key\n"), e.name, e.upn, dir, e.fingerprint);
		keystore_entry_free(&e);
		free(dir);
		return CK_EXIT_REFUSED;
	}
	char *pass = cli_op_new_passphrase(o, &err);
	if (!pass) {
		fprintf(stderr, "ckwizard operator: %s\n", err);
		free(err);
		free(dir);
		return CK_EXIT_INPUT;
	}
	char *pin = cli_op_new_pin(o, &err);
	if (!pin && err) {
		util_free_secret(pass);
		fprintf(stderr, "ckwizard operator: %s\n", err);
		free(err);
		free(dir);
		return CK_EXIT_INPUT;
	}
	char *warn = NULL;
	bool exists = false;
	int rc = keystore_enroll(dir, o->dir == NULL, o->name, o->upn, pass, &e, &warn, &exists,
				 &err);
	util_free_secret(pass);
	if (rc == 0 && pin) {
		char *pin_path = pin_path_for_key(e.key_path);
		if (pin_write(pin_path, pin, NULL, &err) != 0) {
			fprintf(stderr, _("ckwizard operator: the key is enrolled, but its signing "
					  "PIN is not: %s; the wizard asks for one at the first "
					  "unlock\n"), err);
			free(err);
			err = NULL;
		}
		free(pin_path);
	}
	if (pin)
		util_free_secret(pin);
	if (rc != 0) {
		fprintf(stderr, "ckwizard operator: %s\n", err);
		free(err);
		free(dir);
		return exists ? CK_EXIT_REFUSED : CK_EXIT_IO;
	}
	char *vname = text_visible_line(e.name);
	printf(_("Enrolled %s <%s>.\n"), vname, e.upn);
	printf(_("The line for the plan (operators: A or B):\n"));
	printf("  key: \"%s\"\n", e.key_line);
	printf(_("fingerprint: %s\n"), e.fingerprint);
	printf(_("private key: %s (encrypted with your passphrase)\n"), e.key_path);
	printf(_("public key:  %s\n"), e.pub_path);
	if (warn)
		fprintf(stderr, _("ckwizard operator: warning: %s\n"), warn);
	free(vname);
	free(warn);
	keystore_entry_free(&e);
	free(dir);
	return CK_EXIT_OK;
}

static int cli_op_list(const struct cli_op_opts *o)
{
	char *err = NULL;
	if (o->arg || o->name || o->upn || o->pass_fd >= 0 || o->pin_fd >= 0)
		return cli_usage_error("operator", _("list takes only --dir DIR"));
	char *dir = cli_op_dir(o, &err);
	struct keystore_entry *es = NULL;
	size_t n = 0;
	if (!dir || keystore_list(dir, &es, &n, &err) != 0) {
		fprintf(stderr, "ckwizard operator: %s\n", err);
		free(err);
		free(dir);
		return CK_EXIT_INPUT;
	}
	if (n == 0)
		printf(_("No operators enrolled in %s.\n"), dir);
	for (size_t i = 0; i < n; i++) {
		char *vname = text_visible_line(es[i].name);
		if (es[i].refused)
			printf(_("%s  %s  KEY REFUSED: %s\n"), es[i].upn, vname, es[i].refused);
		else
			printf("%s  %s  %s%s%s\n", es[i].upn, vname, es[i].fingerprint,
			       es[i].demo ? _("  (demo: rehearsals only)") : "",
			       es[i].has_key ? "" : _("  (private key file missing)"));
		free(vname);
		keystore_entry_free(&es[i]);
	}
	free(es);
	free(dir);
	return CK_EXIT_OK;
}

static int cli_op_export(const struct cli_op_opts *o)
{
	char *err = NULL;
	if (!o->arg || o->name || o->upn || o->pass_fd >= 0 || o->pin_fd >= 0)
		return cli_usage_error("operator", _("export needs the operator's UPN (and at most "
						     "--dir DIR)"));
	char *dir = cli_op_dir(o, &err);
	struct keystore_entry e;
	int rc = dir ? keystore_find(dir, o->arg, &e, &err) : -1;
	if (rc < 0) {
		fprintf(stderr, "ckwizard operator: %s\n", err);
		free(err);
		free(dir);
		return CK_EXIT_INPUT;
	}
	if (rc > 0) {
		fprintf(stderr, _("ckwizard operator: no operator %s in %s (see 'ckwizard operator "
				  "list')\n"), o->arg, dir);
		free(dir);
		return CK_EXIT_INPUT;
	}
	printf("%s\n", e.key_line);
	keystore_entry_free(&e);
	free(dir);
	return CK_EXIT_OK;
}

int cli_operator(int argc, char **argv)
{
	struct cli_op_opts o;
	int rc = cli_op_parse(argc, argv, &o);
	if (rc != CK_EXIT_OK)
		return rc;
	if (!o.action)
		return cli_usage_error("operator", _("say what to do: enroll, list or export"));
	if (strcmp(o.action, "enroll") == 0)
		return cli_op_enroll(&o);
	if (strcmp(o.action, "list") == 0)
		return cli_op_list(&o);
	if (strcmp(o.action, "export") == 0)
		return cli_op_export(&o);
	return cli_usage_error("operator", _("unknown action \"%s\": enroll, list or export"),
			       o.action);
}
