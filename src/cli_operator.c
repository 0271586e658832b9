/* cli_operator.c: `ckwizard operator enroll|list|export`: operators' signing
 * keys. Passphrases come from the terminal with no echo, or one line from
 * --passphrase-fd N: never from argv or the environment. */
#include "ck.h"
#include "cli.h"
#include "keys.h"
#include "keystore.h"
#include "text.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_PASS_MIN 12 /* characters */

struct cli_op_opts {
	const char *name, *upn, *dir;
	int pass_fd;
	const char *arg; /* the one positional argument (export's UPN) */
};

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]: the value, or NULL. */
static const char *cli_op_value(int argc, char **argv, int *i, const char *opt, bool *bad)
{
	size_t n = strlen(opt);
	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*bad = true;
		return NULL;
	}
	return argv[++*i];
}

static int cli_op_parse(int argc, char **argv, int from, struct cli_op_opts *o)
{
	memset(o, 0, sizeof *o);
	o->pass_fd = -1;
	for (int i = from; i < argc; i++) {
		bool bad = false;
		const char *v;
		if ((v = cli_op_value(argc, argv, &i, "--name", &bad)))
			o->name = v;
		else if ((v = cli_op_value(argc, argv, &i, "--upn", &bad)))
			o->upn = v;
		else if ((v = cli_op_value(argc, argv, &i, "--dir", &bad)))
			o->dir = v;
		else if ((v = cli_op_value(argc, argv, &i, "--passphrase-fd", &bad))) {
			char *end;
			long fd = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || fd < 0 || fd > 1024)
				return cli_usage_error("operator",
						       _("--passphrase-fd needs a file descriptor "
							 "number, not \"%s\""), v);
			o->pass_fd = (int)fd;
		} else if (bad)
			return cli_usage_error("operator", _("%s needs a value"), argv[i]);
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cli_usage_error("operator", _("unknown option %s"), argv[i]);
		else if (!o->arg)
			o->arg = argv[i];
		else
			return cli_usage_error("operator", _("unexpected argument \"%s\""), argv[i]);
	}
	return 0;
}

static size_t cli_op_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The new key's passphrase: twice on a terminal, once from a descriptor. */
static char *cli_op_new_passphrase(const struct cli_op_opts *o, char **err)
{
	char *p = keys_read_passphrase(_("New passphrase for the key: "), o->pass_fd, err);
	if (!p)
		return NULL;
	if (cli_op_chars(p) < CLI_PASS_MIN) {
		util_free_secret(p);
		*err = xasprintf(_("the passphrase is too short: use at least %d characters (a few "
				   "unrelated words are easy to type and hard to guess)"),
				 CLI_PASS_MIN);
		return NULL;
	}
	if (o->pass_fd < 0) {
		char *again = keys_read_passphrase(_("The same passphrase again: "), -1, err);
		if (!again) {
			util_free_secret(p);
			return NULL;
		}
		int same = strcmp(p, again) == 0;
		util_free_secret(again);
		if (!same) {
			util_free_secret(p);
			*err = xstrdup(_("the two passphrases differ: nothing was written, try again"));
			return NULL;
		}
	}
	return p;
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
	char *warn = NULL;
	bool exists = false;
	int rc = keystore_enroll(dir, o->dir == NULL, o->name, o->upn, pass, &e, &warn, &exists,
				 &err);
	util_free_secret(pass);
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
	if (o->arg || o->name || o->upn || o->pass_fd >= 0)
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
	if (!o->arg || o->name || o->upn || o->pass_fd >= 0)
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
	if (argc < 2)
		return cli_usage_error("operator", _("say what to do: enroll, list or export"));
	struct cli_op_opts o;
	int rc = cli_op_parse(argc, argv, 2, &o);
	if (rc != 0)
		return rc;
	if (strcmp(argv[1], "enroll") == 0)
		return cli_op_enroll(&o);
	if (strcmp(argv[1], "list") == 0)
		return cli_op_list(&o);
	if (strcmp(argv[1], "export") == 0)
		return cli_op_export(&o);
	return cli_usage_error("operator", _("unknown action \"%s\": enroll, list or export"),
			       argv[1]);
}
