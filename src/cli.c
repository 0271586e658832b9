/* cli.c: the command table and its options. Help text lives here and
 * nowhere else: --help, `help COMMAND` and the man page are made from it. */
#include "ck.h"
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define END { NULL, NULL, NULL, NULL, false }

static const struct cli_option check_opts[] = {
	{ "--format", NULL, "text|json", N_("output format (default text)"), false },
	{ "--doc", NULL, NULL, NULL, false }, /* the generated tables of plans/README.md */
	END
};
static const struct cli_option show_opts[] = {
	{ "--format", NULL, "text|json", N_("output format (default text)"), false },
	END
};
static const struct cli_option runbook_opts[] = {
	{ "--format", NULL, "md|json", N_("output format (default md)"), false },
	{ "--shell", NULL, "powershell|bash", N_("command flavour (default powershell)"), false },
	{ "--management", NULL, NULL, N_("include the management tasks (key roll, restore, ...)"),
	  false },
	{ "--offboarding", NULL, NULL, N_("only the offboarding and data purge ceremony"), false },
	{ "--doc", NULL, NULL, NULL, false }, /* the generated tables of doc/steps.md */
	END
};
/* The wizard's options; run and rehearse differ in the last ones. The
 * --ui-* options are test mode (scripted keys, screens to a file). */
#define WIZARD_OPTS                                                                       \
	{ "--dir", NULL, "DIR", N_("session directory (journal, plan copy, backend state)"),  \
	  false },                                                                         \
	{ "--idle-lock", NULL, "SECONDS",                                                 \
	  N_("lock the keyboard after this long idle (default 300, 0 off)"), false },      \
	{ "--key-A", NULL, "FILE", N_("operator A's private key file (default: the keystore)"), \
	  false },                                                                         \
	{ "--key-B", NULL, "FILE", N_("operator B's private key file (default: the keystore)"), \
	  false },                                                                         \
	{ "--offboarding", NULL, NULL,                                                     \
	  N_("the offboarding and data purge ceremony instead (DIR: PLAN's name + .offboarding...)"), \
	  false },                                                                         \
	{ "--as", NULL, "A|B",                                                             \
	  N_("two terminals: this one is operator A or B only; the other joins (ckwizard join)"), \
	  false },                                                                         \
	{ "--ui-script", NULL, "FILE", NULL, false },                                     \
	{ "--ui-dump", NULL, "FILE", NULL, false },                                       \
	{ "--ui-clock", NULL, "EPOCH", NULL, false }
static const struct cli_option run_opts[] = {
	WIZARD_OPTS,
	{ "--live", NULL, NULL, N_("check every Azure-side step against Azure (sign-in per operator)"),
	  false },
	{ "--execute", NULL, NULL, N_("live: also perform the Azure-side steps, each authorized first"),
	  false },
	{ "--cloud", NULL, "public|usgov|china", N_("live: the cloud (default public)"), false },
	{ "--endpoints", NULL, "FILE", N_("live: any other endpoints (doc/azure.md)"), false },
	{ "--ca-bundle", NULL, "FILE", N_("live: trust this CA bundle instead of the system's"),
	  false },
	{ "--sign-in", NULL, "device|az",
	  N_("live: device code (default) or the Azure CLI's token"), false },
	{ "--client-id", NULL, "ID", N_("live, device: the public client to sign in as"), false },
	{ "--az-config-A", NULL, "DIR", N_("live, az: operator A's AZURE_CONFIG_DIR"), false },
	{ "--az-config-B", NULL, "DIR", N_("live, az: operator B's AZURE_CONFIG_DIR"), false },
	{ "--timeout", NULL, "SECONDS", N_("live: per request (default 30)"), false },
	END
};
static const struct cli_option rehearse_opts[] = {
	WIZARD_OPTS,
	{ "--fault", NULL, "FAULT", N_("make the simulator misbehave (doc/simulator.md); repeatable"),
	  true },
	{ "--registration-delay", NULL, "SECONDS", N_("how long Microsoft takes, simulated"),
	  false },
	END
};
static const struct cli_option join_opts[] = {
	{ "--as", NULL, "A|B", N_("the operator at this terminal (required)"), false },
	{ "--key", NULL, "FILE", N_("this operator's private key file (default: the keystore)"),
	  false },
	{ "--idle-lock", NULL, "SECONDS",
	  N_("lock the keyboard after this long idle (default 300, 0 off)"), false },
	{ "--ui-script", NULL, "FILE", NULL, false },
	{ "--ui-dump", NULL, "FILE", NULL, false },
	{ "--ui-clock", NULL, "EPOCH", NULL, false },
	END
};
static const struct cli_option report_opts[] = {
	{ "--format", NULL, "md|html|json", N_("output format (default md)"), false },
	{ "--output", "-o", "FILE", N_("write to FILE (created 0600, never overwritten)"), false },
	END
};
static const struct cli_option verify_opts[] = {
	{ "--plan", NULL, "PLAN", N_("trust anchor: the plan the team holds"), false },
	{ "--head", NULL, "HASH", N_("trust anchor: the final hash noted on paper"), false },
	{ "--report", NULL, "FILE", N_("the report re-renders from the journal byte for byte"),
	  false },
	{ "--rules", NULL, NULL, NULL, false }, /* the rule table, for doc/journal.md */
	END
};
static const struct cli_option audit_opts[] = {
	{ "--format", NULL, "text|json", N_("output format (default text)"), false },
	{ "--cloud", NULL, "public|usgov|china", N_("the cloud (default public)"), false },
	{ "--endpoints", NULL, "FILE", N_("any other endpoints (doc/azure.md)"), false },
	{ "--ca-bundle", NULL, "FILE", N_("trust this CA bundle instead of the system's"), false },
	{ "--sign-in", NULL, "device|az|cert",
	  N_("device code (default), the Azure CLI's token, or an application's certificate"),
	  false },
	{ "--side", NULL, "A|B", N_("audit one side only"), false },
	{ "--client-id", NULL, "ID", N_("device: the public client to sign in as"), false },
	{ "--az-config-A", NULL, "DIR", N_("az: operator A's AZURE_CONFIG_DIR"), false },
	{ "--az-config-B", NULL, "DIR", N_("az: operator B's AZURE_CONFIG_DIR"), false },
	{ "--client-id-A", NULL, "ID", N_("cert: side A's application ID"), false },
	{ "--client-id-B", NULL, "ID", N_("cert: side B's application ID"), false },
	{ "--cert-A", NULL, "FILE", N_("cert: side A's PEM with its private key and certificate"),
	  false },
	{ "--cert-B", NULL, "FILE", N_("cert: side B's PEM with its private key and certificate"),
	  false },
	{ "--timeout", NULL, "SECONDS", N_("per request (default 30)"), false },
	END
};
static const struct cli_option operator_opts[] = {
	{ "--name", NULL, "NAME", N_("enroll: the operator's name as the plan gives it"), false },
	{ "--upn", NULL, "UPN", N_("enroll: the operator's user principal name"), false },
	{ "--dir", NULL, "DIR", N_("the key store (default $XDG_CONFIG_HOME/ckwizard/operators)"),
	  false },
	{ "--passphrase-fd", NULL, "N", N_("enroll: read the passphrase as one line from descriptor N"),
	  false },
	{ "--pin-fd", NULL, "N", N_("enroll: read the signing PIN as one line from descriptor N"),
	  false },
	END
};

const struct cli_command cli_commands[] = {
	{ "check", "PLAN", N_("validate a setup plan strictly"),
	  N_("Loads PLAN, checks it against every rule and prints diagnostics as\n"
	     "FILE:LINE:COLUMN: SEVERITY[ID]: FIELD: message, each followed by a hint.\n"
	     "Exit: 0 valid (warnings allowed), 1 the plan breaks rules, 2 unusable input."),
	  check_opts, cli_check },
	{ "show", "PLAN", N_("print the expanded inventory a verifier reads"),
	  N_("Expands PLAN into every resource by its final name: resource groups,\n"
	     "vaults, keys, backup files and key URIs per side, with regions,\n"
	     "subscriptions, operators and officers."),
	  show_opts, cli_show },
	{ "runbook", "PLAN", N_("print the whole ordered procedure with its commands"),
	  N_("A printable ceremony binder: phases, each step with why it matters, owner,\n"
	     "witness, waits, the exact commands, the evidence to record, a checkbox and\n"
	     "signature lines. Backup file names carry today's date (UTC), or\n"
	     "SOURCE_DATE_EPOCH's when set.\n"
	     "Exit: 0 printed, 1 the plan breaks rules (nothing printed), 2 unusable input,\n"
	     "5 the output could not be written."),
	  runbook_opts, cli_runbook },
	{ "run", "PLAN", N_("run the ceremony wizard (guide mode: operators run the commands)"),
	  N_("Starts or resumes the session in DIR (default: PLAN's name + .ckw).\n"
	     "Demo operator keys are refused. A new session directory is created only\n"
	     "after every check has passed (the wizard needs a terminal), built beside\n"
	     "its place and renamed into it: it appears whole or not at all. A directory\n"
	     "an older version left half-made is refused with the command that removes it.\n"
	     "A plan whose keys are in Managed HSMs has no offboarding steps yet:\n"
	     "--offboarding refuses it."),
	  run_opts, cli_run },
	{ "rehearse", "PLAN", N_("run the wizard against the built-in Azure simulator"),
	  N_("Practice and demo: everything is recorded and watermarked REHEARSAL.\n"
	     "The bundled demo operators may be used here only. The session directory\n"
	     "defaults to PLAN's name + .rehearsal and is created as for run: whole or\n"
	     "not at all."),
	  rehearse_opts, cli_rehearse },
	{ "join", "SESSION_DIR", N_("join a ceremony from the second operator's own terminal"),
	  N_("Two terminals, one ceremony: the first operator starts it with run or\n"
	     "rehearse --as A (or B); the other opens the same session directory from\n"
	     "their own terminal (another SSH session, another Unix user of the same\n"
	     "group) with join --as B (or A). Each process unlocks only its own\n"
	     "operator's key, once per sitting; each screen follows the other's appends;\n"
	     "what needs the other operator (a witness, the plan's verification, a\n"
	     "skip, a deviation, the closing) is signed at their terminal. The session's\n"
	     "mode and ceremony are the recorded ones. Joining, leaving and a terminal\n"
	     "lost are recorded; the sitting ends when the last operator leaves."),
	  join_opts, cli_join },
	{ "report", "JOURNAL", N_("render a session report from a journal"),
	  N_("JOURNAL is a journal file or a session directory.\n"
	     "Deterministic: the same journal renders the same bytes."),
	  report_opts, cli_report },
	{ "verify", "JOURNAL", N_("prove a journal (and a report) was not altered"),
	  N_("Checks the hash chain, every signature against the keys of the embedded\n"
	     "plan, and the dual-control rules; JOURNAL is a journal file or a session\n"
	     "directory. A plan in the journal whose operator key is a small-order or\n"
	     "non-canonical Ed25519 point (one under which anyone can sign) fails with\n"
	     "\"operator keys\".\n"
	     "Exit: 0 all holds, 3 valid but the ceremony is still open, 1 it fails."),
	  verify_opts, cli_verify },
	{ "audit", "PLAN", N_("check the plan's whole inventory in Azure, read-only"),
	  N_("Signs in each side's operator (the identity the plan names; the other\n"
	     "side's token is never used), then checks in parallel: subscription state,\n"
	     "tenant and offer; the retention-period feature; the Key Vault provider;\n"
	     "resource groups; vaults (SKU, soft delete, purge protection, permission\n"
	     "model, region, access policies exactly as planned); keys (type, size,\n"
	     "operations, enabled, no expiry, recovery level, URI). Nothing is changed.\n"
	     "A plan whose keys are in Managed HSMs: each HSM (activation, region, soft\n"
	     "delete, purge protection, initial administrators), its keys and its local\n"
	     "role assignments (each Microsoft 365 app's role, no other principal with\n"
	     "key rights); an endpoints file must then name hsm-suffix.\n"
	     "A token is only ever sent to its own side's resources; only https is used,\n"
	     "certificates are always verified, redirects are never followed.\n"
	     "Exit: 0 all holds, 1 drift, 2 usage or an invalid plan, 3 could not check\n"
	     "everything (listed), 4 a sign-in was refused (not the plan's identity)."),
	  audit_opts, cli_audit },
	{ "operator", "enroll|list|export [UPN]", N_("manage operators' signing keys"),
	  N_("enroll --name NAME --upn UPN: make an Ed25519 key pair, the private key\n"
	     "encrypted with a passphrase. list: enrolled operators and fingerprints.\n"
	     "export UPN: the public key line for a plan.\n"
	     "Key files: DIR/UPN.key (encrypted PKCS#8, scrypt) and DIR/UPN.pub, mode 0600,\n"
	     "never overwritten. The passphrase (12 characters or more) is read from the\n"
	     "terminal with no echo, or from --passphrase-fd: never from the command line.\n"
	     "The signing PIN (asked before each signature once the key is unlocked) is\n"
	     "kept as a salted scrypt hash in DIR/UPN.pin; from --pin-fd in scripts."),
	  operator_opts, cli_operator },
};
const unsigned cli_n_commands = CK_ARRAY_LEN(cli_commands);

const struct cli_command *cli_find(const char *name)
{
	for (unsigned i = 0; i < cli_n_commands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

/* ---- Parsing ------------------------------------------------------------- */

/* The option arg names ("--format" or "--format=json"): its index, or -1;
 * *inline_val points after '=' when given so. */
static int cli_match(const struct cli_option *opts, const char *arg, const char **inline_val)
{
	*inline_val = NULL;
	for (int i = 0; opts[i].name; i++) {
		const char *names[2] = { opts[i].name, opts[i].alias };
		for (int k = 0; k < 2; k++) {
			size_t n = names[k] ? strlen(names[k]) : 0;
			if (!n || strncmp(arg, names[k], n) != 0)
				continue;
			if (arg[n] == '\0')
				return i;
			if (arg[n] == '=') {
				*inline_val = arg + n + 1;
				return i;
			}
		}
	}
	return -1;
}

int cli_parse(const char *cmd, int argc, char **argv, size_t max_pos, struct cli_args *a)
{
	memset(a, 0, sizeof *a);
	a->cmd = cli_find(cmd);
	if (!a->cmd)
		return cli_usage_error(cmd, _("no such command"));
	const struct cli_option *opts = a->cmd->opts;
	bool only_pos = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *v;
		if (!only_pos && strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			if (a->n_pos >= max_pos || a->n_pos >= CLI_MAX_POS)
				return cli_usage_error(cmd, _("unexpected argument \"%s\""), arg);
			a->pos[a->n_pos++] = arg;
			continue;
		}
		int k = cli_match(opts, arg, &v);
		if (k < 0)
			return cli_usage_error(cmd, _("unknown option %s"), arg);
		if (!opts[k].value) {
			if (v)
				return cli_usage_error(cmd, _("%s takes no value"), opts[k].name);
			a->val[k] = "";
			continue;
		}
		if (!v) {
			if (i + 1 >= argc)
				return cli_usage_error(cmd, _("%s needs a value (%s)"), opts[k].name,
						       opts[k].value);
			v = argv[++i];
		}
		/* An empty value is never what was meant: `--dir ''` would make the
		 * session in the current directory's parent path "", `-o ''` a file
		 * named nothing. Refuse it here, once, for every option. */
		if (!*v)
			return cli_usage_error(cmd, _("%s needs a value, and \"\" is empty (%s)"),
					       opts[k].name, opts[k].value);
		if (opts[k].repeat) {
			if (a->n_rep >= CLI_MAX_REPEAT)
				return cli_usage_error(cmd, _("%s given too many times"), opts[k].name);
			a->rep[a->n_rep++] = v;
		}
		a->val[k] = v;
	}
	return CK_EXIT_OK;
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
	for (int i = 0; a->cmd && a->cmd->opts[i].name; i++)
		if (strcmp(a->cmd->opts[i].name, name) == 0)
			return a->val[i];
	return NULL;
}

/* ---- Help and the man page ---------------------------------------------- */

void cli_print_command_help(const struct cli_command *c)
{
	printf(_("usage: ckwizard %s %s%s\n"), c->name, c->args,
	       c->opts[0].name ? _(" [options]") : "");
	printf("%s\n", _(c->summary));
	bool any = false;
	for (const struct cli_option *o = c->opts; o->name; o++) {
		if (!o->help)
			continue;
		if (!any)
			printf(_("\nOptions:\n"));
		any = true;
		char spell[80];
		snprintf(spell, sizeof spell, "%s%s%s%s%s", o->alias ? o->alias : "",
			 o->alias ? ", " : "", o->name, o->value ? " " : "", o->value ? o->value : "");
		printf("  %-30s %s\n", spell, _(o->help));
	}
	if (c->help)
		printf("\n%s\n", _(c->help));
}

/* roff text: a backslash doubled, a minus sign escaped, and a line that
 * would start with a control character guarded. */
static void cli_roff(const char *s, bool line_start)
{
	for (; *s; s++) {
		if (line_start && (*s == '.' || *s == '\''))
			fputs("\\&", stdout);
		line_start = *s == '\n';
		if (*s == '\\')
			fputs("\\e", stdout);
		else if (*s == '-')
			fputs("\\-", stdout);
		else
			putchar(*s);
	}
}

void cli_print_man(void)
{
	puts(".\\\" generated by `ckwizard help --man`: do not edit by hand");
	for (unsigned i = 0; i < cli_n_commands; i++) {
		const struct cli_command *c = &cli_commands[i];
		printf(".TP\n.B %s \\fI", c->name);
		cli_roff(c->args, false);
		puts("\\fR");
		const char *sum = _(c->summary); /* a sentence in the man page */
		putchar(*sum >= 'a' && *sum <= 'z' ? *sum - 'a' + 'A' : *sum);
		cli_roff(sum + 1, false);
		puts(".");
		if (c->help) {
			cli_roff(_(c->help), true);
			putchar('\n');
		}
		bool any = false;
		for (const struct cli_option *o = c->opts; o->name; o++) {
			if (!o->help)
				continue;
			if (!any)
				puts(".RS");
			any = true;
			fputs(".TP\n.B ", stdout);
			if (o->alias) {
				cli_roff(o->alias, false);
				fputs(", ", stdout);
			}
			cli_roff(o->name, false);
			if (o->value) {
				fputs(" \\fI", stdout);
				cli_roff(o->value, false);
				fputs("\\fR", stdout);
			}
			putchar('\n');
			cli_roff(_(o->help), true);
			putchar('\n');
		}
		if (any)
			puts(".RE");
	}
	puts(".\\\" end of generated part");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "ckwizard %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, _("\nTry 'ckwizard help %s'.\n"), cmd);
	return CK_EXIT_INPUT;
}
