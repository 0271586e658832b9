/* test_steps_render.c: commands per shell (quoting, subscription first,
 * loops over administrators and mailboxes, values from evidence, disarmed
 * placeholders), every line parsing with hostile plan text, and the FastTrack
 * form and onboarding e-mail drafts. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quote.h"
#include "steps_fixture.h"
#include "steps_int.h"
#include "text.h"

/* ---- rendering ---------------------------------------------------------- */
struct ev { const char *step, *id, *value; };
static const char *ev_get(void *ctx, const char *step_id, const char *evidence_id)
{
	for (const struct ev *e = ctx; e->step; e++)
		if (strcmp(e->step, step_id) == 0 && strcmp(e->id, evidence_id) == 0)
			return e->value;
	return NULL;
}

static void *fx_void(const void *p)
{
	union { const void *c; void *m; } u = { p };
	return u.m;
}

static char *render(const struct catalogue *c, const char *id, enum step_shell sh,
		    const struct ev *evs, int *ph)
{
	struct buf b = BUF_INIT;
	const struct step *s = catalogue_find(c, id);
	assert_non_null(s);
	*ph = steps_render_commands(c, s, sh, evs ? ev_get : NULL, fx_void(evs), &b);
	return buf_steal(&b);
}

static void test_steps_render_vault_create(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	int ph;
	char *ps = render(c, "vault.create/EX-USA_mailboxes/B", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_string_equal(ps,
		"Set-AzContext -SubscriptionId '22222222-2222-4222-8222-222222222222'\n"
		"New-AzKeyVault -VaultName 'Contoso-CK-EX-NA-VaultB1' -ResourceGroupName "
		"'Contoso-CK-EX-NA-RGB' -Location 'westus3' -Sku 'Premium' -EnablePurgeProtection "
		"-SoftDeleteRetentionInDays '90' -DisableRbacAuthorization\n"
		"# New-AzKeyVault gives its caller every permission (delete and purge too): remove it\n"
		"Remove-AzKeyVaultAccessPolicy -VaultName 'Contoso-CK-EX-NA-VaultB1' -ObjectId "
		"(Get-AzADUser -SignedIn).Id\n");
	char *sh = render(c, "vault.create/EX-USA_mailboxes/B", SHELL_BASH, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_true(util_has_prefix(sh, "az account set --subscription "
				       "'22222222-2222-4222-8222-222222222222'\n"));
	assert_non_null(strstr(sh, "--enable-rbac-authorization false --no-self-perms"));
	assert_non_null(strstr(sh, "--retention-days '90' --enable-purge-protection true"));
	free(ps);
	free(sh);
	/* every per-subscription Az block starts by selecting its subscription */
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		if (s->def->session != SESS_AZ)
			continue;
		struct buf b = BUF_INIT;
		steps_render_commands(c, s, SHELL_POWERSHELL, NULL, NULL, &b);
		char *want = xasprintf("Set-AzContext -SubscriptionId '%s'\n", f->p.sub[s->side].id);
		if (!util_has_prefix(b.p, want))
			fail_msg("%s does not start with Set-AzContext", s->id);
		free(want);
		buf_free(&b);
	}
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_render_loops_and_quotes(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	int ph;
	char *ps = render(c, "vault.admins/SP-NAM/A", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "-UserPrincipalName 'alice@contoso.com' -PermissionsToKeys "
				   "create,import,list,get,backup,restore\n"));
	assert_non_null(strstr(ps, "'carol@contoso.com'"));
	assert_null(strstr(ps, "delete"));
	free(ps);
	/* a mailbox with a quote: doubled for PowerShell, '\'' for sh */
	ps = render(c, "dep.exchange.assign/EX-USA_mailboxes/o'brien%2Fops@contoso.com",
		    SHELL_POWERSHELL, NULL, &ph);
	assert_non_null(strstr(ps, "Connect-ExchangeOnline -UserPrincipalName 'bob@contoso.com'\n"));
	assert_non_null(strstr(ps, "Set-Mailbox -Identity 'o''brien/ops@contoso.com' "
				   "-DataEncryptionPolicy 'USA_mailboxes'\n"));
	free(ps);
	/* Exchange has no az equivalent: PowerShell even when bash is asked */
	const struct step *s = catalogue_find(c, "dep.exchange.create/EX-USA_mailboxes");
	assert_int_equal(steps_command_shell(s, SHELL_BASH), SHELL_POWERSHELL);
	ps = render(c, "dep.exchange.create/EX-USA_mailboxes", SHELL_BASH, NULL, &ph);
	assert_true(util_has_prefix(ps, "# "));
	assert_non_null(strstr(ps, "-AzureKeyIDs 'https://Contoso-CK-EX-NA-VaultA1.vault.azure.net"
				   "/keys/Contoso-CK-EX-NA-VaultA1-Key001', 'https://"));
	free(ps);
	assert_int_equal(steps_command_shell(catalogue_find(c, "onboard.email/EX"), SHELL_BASH), -1);
	/* backup names carry the catalogue's date */
	memcpy(c->today, "20260102", 9);
	ps = render(c, "key.backup/MW/B", SHELL_BASH, NULL, &ph);
	assert_non_null(strstr(ps, "--file 'Contoso-CK-MW-NA-VaultB1-Key001-Backup-20260102.backup'"));
	free(ps);
	/* BYOK: the key is checked, not created, and no import procedure is made up */
	f->p.kv.key_source = fx_mut("import");
	struct catalogue *ci = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	assert_null(catalogue_find(ci, "key.create/MW/A"));
	ps = render(ci, "key.import/MW/A", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_null(strstr(ps, "Add-AzKeyVaultKey"));
	assert_non_null(strstr(ps, "\nGet-AzKeyVaultKey -VaultName 'Contoso-CK-MW-NA-VaultA1' -Name "
				   "'Contoso-CK-MW-NA-VaultA1-Key001' | Format-List\n"));
	free(ps);
	const struct evidence_spec *att =
		step_evidence_find(catalogue_find(ci, "key.import/MW/A"), "attestation");
	assert_non_null(att);
	assert_int_equal(att->kind, EV_TEXT);
	catalogue_free(ci);
	f->p.kv.key_source = fx_mut("create");
	/* a description that cannot be pasted safely is refused, the line disarmed */
	f->deps[2].description = "two\nlines";
	ps = render(c, "dep.multi.create/MW", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 1);
	assert_non_null(strstr(ps, "\n# NOT READY: New-M365DataAtRestEncryptionPolicy"));
	assert_null(strstr(ps, "two\nlines"));
	free(ps);
	catalogue_free(c);
	fixture_free(f);
}

/* New-MoveRequest is gone for moves inside Exchange Online: a mailbox still
 * unencrypted after a week is a case for Microsoft support. */
static void test_steps_render_no_move_request(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	int ph;
	(void)state;
	char *ps = render(c, "dep.exchange.verify/EX-USA_mailboxes/ann@contoso.com",
			  SHELL_POWERSHELL, NULL, &ph);
	assert_null(strstr(ps, "New-MoveRequest -Identity"));
	assert_non_null(strstr(ps, "Microsoft support"));
	const struct step *st = catalogue_find(c, "dep.exchange.verify/EX-USA_mailboxes/ann@contoso.com");
	assert_non_null(strstr(st->why, "contact support"));
	free(ps);
	catalogue_free(c);
	fixture_free(f);
}

static void test_steps_render_from_evidence(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	int ph;
	char *ps = render(c, "dep.sharepoint.register/SP-NAM", SHELL_POWERSHELL, NULL, &ph);
	assert_int_equal(ph, 2);
	assert_non_null(strstr(ps, "Connect-SPOService -Url 'https://contoso-admin.sharepoint.com'\n"));
	assert_non_null(strstr(ps, "Get-Command Register-SPODataEncryptionPolicy -Syntax"));
	assert_non_null(strstr(ps, "\n# NOT READY: Register-SPODataEncryptionPolicy -PrimaryKeyVaultName"));
	assert_non_null(strstr(ps, "<key version from step key.uri/SP-NAM/A>"));
	free(ps);
	const struct ev evs[] = {
		{ "key.uri/SP-NAM/A", "key_uri",
		  "https://Contoso-CK-SP-NA-VaultA1.vault.azure.net/keys/Contoso-CK-SP-NA-VaultA1-Key001/"
		  "0123456789abcdef0123456789abcdef" },
		{ "key.uri/SP-NAM/B", "key_uri",
		  "https://Contoso-CK-SP-NA-VaultB1.vault.azure.net/keys/Contoso-CK-SP-NA-VaultB1-Key001/"
		  "fedcba9876543210fedcba9876543210" },
		{ "key.backup/SP-NAM/A", "backup_file",
		  "sha256:00  /media/safe/Contoso-CK-SP-NA-VaultA1-Key001-Backup-20260101.backup" },
		{ "manage.find_dep/EX-USA_mailboxes/ann@contoso.com", "dep_guid",
		  "44444444-4444-4444-8444-444444444444" },
		{ NULL, NULL, NULL },
	};
	ps = render(c, "dep.sharepoint.register/SP-NAM", SHELL_POWERSHELL, evs, &ph);
	assert_int_equal(ph, 0);
	/* the current module takes no -Identity: the geo is the connected admin URL */
	assert_null(strstr(ps, "-Identity '"));
	assert_non_null(strstr(ps, "\nRegister-SPODataEncryptionPolicy -PrimaryKeyVaultName "
				   "'Contoso-CK-SP-NA-VaultA1' -PrimaryKeyName 'Contoso-CK-SP-NA-VaultA1-Key001' "
				   "-PrimaryKeyVersion '0123456789abcdef0123456789abcdef' "
				   "-SecondaryKeyVaultName 'Contoso-CK-SP-NA-VaultB1'"));
	assert_non_null(strstr(ps, "-SecondaryKeyVersion 'fedcba9876543210fedcba9876543210'\n"));
	free(ps);
	ps = render(c, "manage.restore/SP-NAM/A", SHELL_BASH, evs, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "--file '/media/safe/Contoso-CK-SP-NA-VaultA1-Key001-Backup-20260101.backup'"));
	free(ps);
	ps = render(c, "manage.find_dep/EX-USA_mailboxes/ann@contoso.com", SHELL_POWERSHELL, evs, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(ps, "Get-DataEncryptionPolicy -Identity '44444444-4444-4444-8444-444444444444'"));
	free(ps);
	catalogue_free(c);
	fixture_free(f);
}

/* Outside PowerShell single-quoted strings at the end of the line? */
static bool ps_line_balanced(const char *line)
{
	size_t len = strlen(line), i = 0;
	bool in = false;
	uint32_t cp, next;
	while (i < len) {
		if (text_utf8_next(line, len, &i, &cp) < 0)
			return false;
		if (!quote_ps_is_single_quote(cp))
			continue;
		if (!in) {
			in = true;
			continue;
		}
		size_t at = i;
		if (i < len && text_utf8_next(line, len, &i, &next) == 0 &&
		    quote_ps_is_single_quote(next))
			continue; /* a doubled quote inside */
		i = at;
		in = false;
	}
	return !in;
}

static int sh_syntax_ok(const char *script)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-n", "-c", script, (char *)NULL);
		_exit(127);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* With a hostile description and mailbox in the plan, every rendered line
 * still parses: PowerShell lines end outside any string, and the whole bash
 * rendering passes `sh -n`. */
static void test_steps_render_lines_parse(void **state)
{
	struct fixture *f = fixture_new();
	f->deps[0].description = "Bob's \xe2\x80\x98mailboxes\xe2\x80\x99; $(reboot) `id` \"x\"";
	f->deps[2].description = "'; Remove-Item -Recurse C:\\ #";
	struct catalogue *c = catalogue_build(&f->p, &f->inv, true, STEPS_CATALOGUE_VERSION);
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		for (int sh = 0; sh < 2; sh++) {
			struct buf b = BUF_INIT;
			steps_render_commands(c, s, (enum step_shell)sh, NULL, NULL, &b);
			if (steps_command_shell(s, (enum step_shell)sh) == SHELL_BASH) {
				buf_puts(&all, buf_str(&b));
			} else {
				char *copy = xstrdup(buf_str(&b)), *save = NULL;
				for (char *l = strtok_r(copy, "\n", &save); l;
				     l = strtok_r(NULL, "\n", &save))
					if (l[0] != '#' && !ps_line_balanced(l))
						fail_msg("%s: unbalanced PowerShell line: %s", s->id, l);
				free(copy);
			}
			buf_free(&b);
		}
	}
	assert_true(all.len > 1000);
	if (!sh_syntax_ok(all.p))
		fail_msg("the bash rendering does not parse:\n%s", all.p);
	buf_free(&all);
	catalogue_free(c);
	fixture_free(f);
}

/* A Managed HSM plan, with a hostile officer name: the lists render one
 * quoted value each (",": PowerShell arrays; " ": sh words), one role line
 * per Microsoft 365 app, and every line still parses. */
static void test_steps_render_managed_hsm(void **state)
{
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/plans/contoso-hsm.yaml", src ? src : ".");
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char text[65536];
	size_t len = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	text[len] = '\0';
	free(path);
	struct buf t = BUF_INIT;
	const char *at = strstr(text, "name: Grace Gupta");
	assert_non_null(at);
	buf_add(&t, text, (size_t)(at - text));
	buf_puts(&t, "name: \"Grace O'Neil; $(id) `x` \\u2019\"");
	buf_puts(&t, at + strlen("name: Grace Gupta"));
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load_mem("hsm.yaml", t.p, t.len, &d);
	assert_non_null(p);
	struct inventory *inv = inventory_build(p, &d);
	assert_non_null(inv);
	struct catalogue *c = catalogue_build(p, inv, true, STEPS_CATALOGUE_VERSION);
	assert_non_null(c);
	int ph;
	char *o = render(c, "hsm.activate/B", SHELL_BASH, NULL, &ph);
	assert_int_equal(ph, 0);
	assert_non_null(strstr(o, "az keyvault security-domain download --hsm-name 'Contoso-CK-HSMB' "
			       "--sd-wrapping-keys 'sd-officer-1.cer' 'sd-officer-2.cer' "
			       "'sd-officer-3.cer' --sd-quorum '2' --security-domain-file "
			       "'Contoso-CK-HSMB-SecurityDomain.json'\n"));
	free(o);
	o = render(c, "hsm.activate/A", SHELL_POWERSHELL, NULL, &ph);
	assert_non_null(strstr(o, "-Certificates 'sd-officer-1.cer','sd-officer-2.cer',"
			       "'sd-officer-3.cer' -OutputPath 'Contoso-CK-HSMA-SecurityDomain.json' "
			       "-Quorum '2'\n"));
	free(o);
	o = render(c, "hsm.create/A", SHELL_POWERSHELL, NULL, &ph);
	assert_non_null(strstr(o, "-Administrator '5b7c2d1e-3f4a-4b5c-8d6e-7f8091a2b3c4' "
			       "-SoftDeleteRetentionInDays '90' -EnablePurgeProtection\n"));
	free(o);
	o = render(c, "hsm.role.service/B", SHELL_BASH, NULL, &ph);
	assert_non_null(strstr(o, "--assignee '00000002-0000-0ff1-ce00-000000000000' --scope /keys\n"));
	assert_non_null(strstr(o, "--assignee 'c066d759-24ae-40e7-a56f-027002b5d3e4' --scope /keys\n"));
	assert_null(strstr(o, "00000003-0000-0ff1-ce00-000000000000")); /* no SharePoint DEP */
	free(o);
	o = render(c, "key.create/MW/A", SHELL_BASH, NULL, &ph);
	assert_non_null(strstr(o, "az keyvault key create --hsm-name 'Contoso-CK-HSMA' "
			       "--name 'Contoso-CK-MW-NA-KeyA1' --kty RSA-HSM"));
	free(o);
	/* every line parses */
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct step *s = &c->steps[i];
		for (int sh = 0; sh < 2; sh++) {
			struct buf b = BUF_INIT;
			steps_render_commands(c, s, (enum step_shell)sh, NULL, NULL, &b);
			if (steps_command_shell(s, (enum step_shell)sh) == SHELL_BASH) {
				buf_puts(&all, buf_str(&b));
			} else {
				char *copy = xstrdup(buf_str(&b)), *save = NULL;
				for (char *l = strtok_r(copy, "\n", &save); l;
				     l = strtok_r(NULL, "\n", &save))
					if (l[0] != '#' && !ps_line_balanced(l))
						fail_msg("%s: unbalanced PowerShell line: %s", s->id, l);
				free(copy);
			}
			buf_free(&b);
		}
	}
	if (!sh_syntax_ok(all.p))
		fail_msg("the bash rendering does not parse:\n%s", all.p);
	assert_non_null(strstr(all.p, "-subj '/CN=Grace O'\\''Neil; $(id) `x` \xe2\x80\x99'"));
	buf_free(&all);
	buf_free(&t);
	catalogue_free(c);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
}

static void test_steps_render_email_draft(void **state)
{
	struct fixture *f = fixture_new();
	struct catalogue *c = catalogue_build(&f->p, &f->inv, false, STEPS_CATALOGUE_VERSION);
	const struct step *s = catalogue_find(c, "onboard.email/SP");
	struct buf b = BUF_INIT;
	assert_int_equal(steps_render_text(c, s, NULL, NULL, &b), 3);
	assert_true(util_has_prefix(b.p, "To: spock@microsoft.com\n"
					  "Subject: Customer Key for contoso.onmicrosoft.com\n"));
	assert_non_null(strstr(b.p, "<FastTrack request ID from step fasttrack.request/SP>"));
	buf_free(&b);
	const struct ev evs[] = {
		{ "fasttrack.request/SP", "fasttrack_id", "FT-123456" },
		{ "retention.check/A", "feature_output", "FeatureName State\nmandatory Pending" },
		{ "retention.check/B", "feature_output", "state\xe2\x80\xae evil" },
		{ NULL, NULL, NULL },
	};
	f->p.email_alias[WL_SHAREPOINT] = fx_mut("ck-onboard@example.com");
	assert_int_equal(steps_render_text(c, s, ev_get, fx_void(evs), &b), 0);
	assert_true(util_has_prefix(b.p, "To: ck-onboard@example.com\n"));
	assert_non_null(strstr(b.p, "FastTrack request ID: FT-123456\n"));
	assert_non_null(strstr(b.p, "- 11111111-1111-4111-8111-111111111111\n"));
	assert_non_null(strstr(b.p, "FeatureName State\nmandatory Pending\n"));
	assert_non_null(strstr(b.p, "state<U+202E> evil"));
	assert_non_null(strstr(b.p, "Bob Berg <bob@contoso.com>"));
	buf_free(&b);
	/* FastTrack: the form with the officers */
	s = catalogue_find(c, "fasttrack.request/EX");
	assert_int_equal(steps_render_text(c, s, NULL, NULL, &b), 0);
	assert_non_null(strstr(b.p, "Request encryption key help for Exchange"));
	assert_non_null(strstr(b.p, "Olga Officer, CISO <olga@contoso.com>"));
	buf_free(&b);
	catalogue_free(c);
	fixture_free(f);
}

/* Every {{name}} a command template uses is in the variables table (so in
 * doc/steps.md). */
static void test_steps_render_variables_are_the_table(void **state)
{
	(void)state;
	const char *const tried[] = { "tenant_id", "rg_region", "backup_file", "workload" };
	for (size_t i = 0; i < CK_ARRAY_LEN(tried); i++)
		assert_true(steps_var_known(tried[i]));
	assert_false(steps_var_known("no_such_variable"));
	size_t uses = 0;
	for (size_t i = 0; i < steps_def_count(); i++) {
		const struct step_def *d = steps_def_at(i);
		const char *const *sets[] = { d->ps, d->az };
		for (size_t k = 0; k < 2; k++)
			for (size_t l = 0; sets[k] && sets[k][l]; l++)
				for (const char *p = strstr(sets[k][l], "{{"); p; p = strstr(p, "{{")) {
					const char *e = strstr(p, "}}");
					assert_non_null(e);
					char *name = xstrndup(p + 2, (size_t)(e - p - 2));
					if (strncmp(name, "ev:", 3) != 0 && !steps_var_known(name))
						fail_msg("%s uses {{%s}}, not in src/steps_vars.c", d->id,
							 name);
					free(name);
					uses++;
					p = e + 2;
				}
	}
	assert_true(uses > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps_render_vault_create),
		cmocka_unit_test(test_steps_render_loops_and_quotes),
		cmocka_unit_test(test_steps_render_no_move_request),
		cmocka_unit_test(test_steps_render_from_evidence),
		cmocka_unit_test(test_steps_render_lines_parse),
		cmocka_unit_test(test_steps_render_managed_hsm),
		cmocka_unit_test(test_steps_render_email_draft),
		cmocka_unit_test(test_steps_render_variables_are_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
