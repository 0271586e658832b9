/* cli.c: the command table. Help text lives here and nowhere else. */
#include "ck.h"
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct cli_command cli_commands[] = {
	{ "check", "PLAN [--format text|json]",
	  N_("validate a setup plan strictly"),
	  N_("Loads PLAN, checks it against every rule and prints diagnostics as\n"
	     "FILE:LINE:COLUMN: SEVERITY[ID]: FIELD: message, each followed by a hint.\n"
	     "  --format text|json  output format (default text)\n"
	     "Exit: 0 valid (warnings allowed), 1 the plan breaks rules, 2 unusable input."),
	  cli_check },
	{ "show", "PLAN [--format text|json]",
	  N_("print the expanded inventory a verifier reads"),
	  N_("Expands PLAN into every resource by its final name: resource groups,\n"
	     "vaults, keys, backup files and key URIs per side, with regions,\n"
	     "subscriptions, operators and officers.\n"
	     "  --format text|json  output format (default text)"),
	  cli_show },
	{ "runbook", "PLAN [--format md|json] [--shell powershell|bash] [--management] [--offboarding]",
	  N_("print the whole ordered procedure with its commands"),
	  N_("A printable ceremony binder: phases, each step with why it matters, owner,\n"
	     "witness, waits, the exact commands, the evidence to record, a checkbox and\n"
	     "signature lines.\n"
	     "  --format md|json            output format (default md)\n"
	     "  --shell powershell|bash     command flavour (default powershell)\n"
	     "  --management                include the management tasks (key roll, restore, ...)\n"
	     "  --offboarding               only the offboarding and data purge ceremony\n"
	     "Backup file names carry today's date (UTC), or SOURCE_DATE_EPOCH's when set.\n"
	     "Exit: 0 printed, 1 the plan breaks rules (nothing printed), 2 unusable input,\n"
	     "5 the output could not be written."),
	  cli_runbook },
	{ "run", "PLAN [--dir DIR] [--offboarding] [--idle-lock SECONDS] [--key-A FILE] [--key-B FILE]",
	  N_("run the ceremony wizard (guide mode: operators run the commands)"),
	  N_("Starts or resumes the session in DIR (default: PLAN's name + .ckw).\n"
	     "  --dir DIR             session directory (journal, plan copy, backend state)\n"
	     "  --offboarding         the offboarding and data purge ceremony instead (default\n"
	     "                        DIR: PLAN's name + .offboarding.ckw)\n"
	     "  --idle-lock SECONDS   lock the keyboard after this long idle (default 300, 0 off)\n"
	     "  --key-A/--key-B FILE  an operator's private key file (default: the keystore)\n"
	     "  --live                live checks against Azure (not available yet)"),
	  cli_run },
	{ "rehearse", "PLAN [--dir DIR] [--offboarding] [--fault FAULT]... [--registration-delay SECONDS]",
	  N_("run the wizard against the built-in Azure simulator"),
	  N_("Practice and demo: everything is recorded and watermarked REHEARSAL.\n"
	     "The bundled demo operators may be used here only.\n"
	     "  --dir DIR                     session directory (default: PLAN's name + .rehearsal)\n"
	     "  --offboarding                 rehearse the offboarding ceremony (the simulated\n"
	     "                                tenant starts onboarded)\n"
	     "  --fault FAULT                 make the simulator misbehave (doc/simulator.md)\n"
	     "  --registration-delay SECONDS  how long Microsoft takes, simulated\n"
	     "  --idle-lock SECONDS           lock after this long idle (default 300, 0 off)"),
	  cli_rehearse },
	{ "report", "JOURNAL [--format md|html|json] [-o FILE]",
	  N_("render a session report from a journal"),
	  N_("Deterministic: the same journal renders the same bytes.\n"
	     "  --format md|html|json  output format (default md)\n"
	     "  -o FILE                write to FILE (created 0600, never overwritten)"),
	  cli_report },
	{ "verify", "JOURNAL [--plan PLAN] [--head HASH] [--report FILE]",
	  N_("prove a journal (and a report) was not altered"),
	  N_("Checks the hash chain, every signature against the keys of the embedded\n"
	     "plan, and the dual-control rules.\n"
	     "  --plan PLAN    trust anchor: the plan the team holds\n"
	     "  --head HASH    trust anchor: the final hash noted on paper\n"
	     "  --report FILE  the report re-renders from the journal byte for byte\n"
	     "Exit: 0 all holds, 3 valid but the ceremony is still open, 1 it fails."),
	  cli_verify },
	{ "audit", "PLAN [--format text|json] [--cloud NAME | --endpoints FILE] [--ca-bundle FILE] "
	  "[--sign-in device|az|cert] [--side A|B] ...",
	  N_("check the plan's whole inventory in Azure, read-only"),
	  N_("Signs in each side's operator (the identity the plan names; the other\n"
	     "side's token is never used), then checks in parallel: subscription state,\n"
	     "tenant and offer; the retention-period feature; the Key Vault provider;\n"
	     "resource groups; vaults (SKU, soft delete, purge protection, permission\n"
	     "model, region, access policies exactly as planned); keys (type, size,\n"
	     "operations, enabled, no expiry, recovery level, URI). Nothing is changed.\n"
	     "  --format text|json        output format (default text)\n"
	     "  --cloud public|usgov|china   the cloud (default public)\n"
	     "  --endpoints FILE          any other endpoints (doc/azure.md)\n"
	     "  --ca-bundle FILE          trust this CA bundle instead of the system's\n"
	     "  --sign-in device|az|cert  device code (default), the Azure CLI's token,\n"
	     "                            or an application's certificate\n"
	     "  --side A|B                audit one side only\n"
	     "  --client-id ID            device: the public client to sign in as\n"
	     "  --az-config-A/-B DIR      az: each operator's AZURE_CONFIG_DIR\n"
	     "  --client-id-A/-B ID       cert: each side's application ID\n"
	     "  --cert-A/-B FILE          cert: PEM with its private key and certificate\n"
	     "  --timeout SECONDS         per request (default 30)\n"
	     "Exit: 0 all holds, 1 drift, 2 usage or an invalid plan, 3 could not check\n"
	     "everything (listed), 4 a sign-in was refused (not the plan's identity)."),
	  cli_audit },
	{ "operator", "enroll|list|export ...",
	  N_("manage operators' signing keys"),
	  N_("  enroll --name NAME --upn UPN [--dir DIR] [--passphrase-fd N]\n"
	     "         make an Ed25519 key pair, the private key encrypted with a passphrase\n"
	     "  list [--dir DIR]          list enrolled operators and fingerprints\n"
	     "  export UPN [--dir DIR]    print the public key line for a plan\n"
	     "Key files: DIR/UPN.key (encrypted PKCS#8, scrypt) and DIR/UPN.pub, mode 0600,\n"
	     "never overwritten; DIR defaults to $XDG_CONFIG_HOME/ckwizard/operators.\n"
	     "The passphrase (12 characters or more) is read from the terminal with no\n"
	     "echo, or as one line from descriptor N: never from the command line."),
	  cli_operator },
};
const unsigned cli_n_commands = CK_ARRAY_LEN(cli_commands);

const struct cli_command *cli_find(const char *name)
{
	for (unsigned i = 0; i < cli_n_commands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

void cli_print_command_help(const struct cli_command *c)
{
	printf(_("usage: ckwizard %s %s\n"), c->name, c->args);
	printf("%s\n\n%s\n", _(c->summary), _(c->help));
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
