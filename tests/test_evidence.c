/* test_evidence.c: evidence is accepted in its documented forms only, and
 * normalised; a key URI must name the step's own vault and key; a backup file
 * must exist, be regular, follow the naming pattern, and its hash is what is
 * recorded; copies must match it. */
#include "ck.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "quote.h"
#include "steps_fixture.h"
#include "steps_int.h"

struct fx {
	struct fixture *f;
	struct catalogue *c;
};

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof *x);
	x->f = fixture_new();
	x->c = catalogue_build(&x->f->p, &x->f->inv, true, STEPS_CATALOGUE_VERSION);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	catalogue_free(x->c);
	fixture_free(x->f);
	free(x);
	return 0;
}

/* Validate value for (step, evidence id); returns 0/-1, *out normalised. */
static int val(struct fx *x, const char *step, const char *evid, const char *value, char **out)
{
	const struct step *s = catalogue_find(x->c, step);
	assert_non_null(s);
	const struct evidence_spec *e = step_evidence_find(s, evid);
	assert_non_null(e);
	char *err = NULL, *norm = NULL;
	int rc = steps_validate_evidence(x->c, s, e, value, &norm, &err);
	if (rc == 0) {
		assert_null(err);
		assert_non_null(norm);
	} else {
		assert_null(norm);
		assert_non_null(err);
		assert_true(strlen(err) > strlen(_(e->label)) + 2); /* says what is wrong */
	}
	free(err);
	if (out)
		*out = norm;
	else
		free(norm);
	return rc;
}

static void ok_as(struct fx *x, const char *step, const char *evid, const char *value,
		  const char *want)
{
	char *n = NULL;
	if (val(x, step, evid, value, &n) != 0)
		fail_msg("%s/%s refused: %s", step, evid, value);
	assert_string_equal(n, want);
	free(n);
}

static void bad(struct fx *x, const char *step, const char *evid, const char *value)
{
	if (val(x, step, evid, value, NULL) == 0)
		fail_msg("%s/%s accepted: %s", step, evid, value);
}

static void test_evidence_fasttrack_ids(void **state)
{
	struct fx *x = *state;
	const char *s = "fasttrack.request/EX";
	ok_as(x, s, "fasttrack_id", " 123456 ", "123456");
	ok_as(x, s, "fasttrack_id", "FT-2023-0042", "FT-2023-0042");
	bad(x, s, "fasttrack_id", "123");                 /* too short */
	bad(x, s, "fasttrack_id", "ABCDEFGH");            /* no digit */
	bad(x, s, "fasttrack_id", "-12345");
	bad(x, s, "fasttrack_id", "12--345");
	bad(x, s, "fasttrack_id", "12 345");
	bad(x, s, "fasttrack_id", "1234'; rm");
	bad(x, s, "fasttrack_id", "12345678901234567890123456789012345678901");
	bad(x, s, "fasttrack_id", "\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4"); /* Arabic-Indic digits */
}

/* The tool's own version, compared number by number with what the rendered
 * commands need: the Az rollup's 4.4.0, "4.1" or "hello" used to pass. */
static void test_evidence_tool_version_numeric(void **state)
{
	struct fx *x = *state;
	const char *s = "prereq.tools/A";
	ok_as(x, s, "tool_version", "Az.KeyVault 6.2.1", "Az.KeyVault 6.2.1");
	ok_as(x, s, "tool_version", " az.keyvault   6.10.0 ", "Az.KeyVault 6.10.0");
	ok_as(x, s, "tool_version", "Az.KeyVault 6.0.0", "Az.KeyVault 6.0.0");
	ok_as(x, s, "tool_version", "azure-cli 2.67.0", "azure-cli 2.67.0");
	ok_as(x, s, "tool_version", "azure-cli 2.10", "azure-cli 2.10"); /* 10 > 5, not "1" < "5" */
	bad(x, s, "tool_version", "Az.KeyVault 5.3.0");  /* no -DisableRbacAuthorization */
	bad(x, s, "tool_version", "Az.KeyVault 4.1");
	bad(x, s, "tool_version", "Az 12.0.0");          /* the rollup is not the module */
	bad(x, s, "tool_version", "4.4.0");
	bad(x, s, "tool_version", "hello");
	bad(x, s, "tool_version", "Az.KeyVault hello");
	bad(x, s, "tool_version", "Az.KeyVault 6.2.1-preview");
	bad(x, s, "tool_version", "Az.KeyVault 6..1");
	bad(x, s, "tool_version", "azure-cli 2.4.9");
	bad(x, s, "tool_version", "Az.KeyVault 99999999999.0");
	assert_int_equal(steps_version_cmp("6.10.0", "6.9.1"), 1);
	assert_int_equal(steps_version_cmp("6.0", "6.0.0"), 0);
	assert_int_equal(steps_version_cmp("x", "6.0.0"), -2);
}

static void test_evidence_onboarding_request(void **state)
{
	struct fx *x = *state;
	struct fx y = { x->f, NULL };
	x->f->p.onboarding = fx_mut("service");
	y.c = catalogue_build(&x->f->p, &x->f->inv, false, STEPS_CATALOGUE_VERSION);
	const char *s = "onboard.service.validate/EX-USA_mailboxes";
	ok_as(&y, s, "request_id", "3F2B9C1E-7d4a-4e5b-9a6c-0d1e2f3a4b5c",
	      "3F2B9C1E-7d4a-4e5b-9a6c-0d1e2f3a4b5c");
	bad(&y, s, "request_id", "abc");
	bad(&y, s, "request_id", "abcdefgh");
	bad(&y, s, "request_id", "12 34 56");
	bad(&y, s, "request_id", "1234'; rm");
	ok_as(&y, s, "result", "Passed", "passed");
	bad(&y, s, "result", "failed"); /* fix, validate again: only a pass is recorded */
	catalogue_free(y.c);
}

/* The access check compares every permission list of every principal with
 * the plan; the creator's leftover default policy fails it. */
static void test_evidence_access_list_every_principal(void **state)
{
	struct fx *x = *state;
	const char *s = "vault.access_check/EX-USA_mailboxes/A";
	const char *admins =
		"Alice Ames (alice@contoso.com) | keys: create, import, list, get, backup, restore | "
		"secrets: | certificates: | storage:\n"
		"Carol (CAROL@contoso.com) | keys: Get, List, Create, Import, Backup, Restore | "
		"secrets:  | certificates:  | storage: \n";
	const char *sp = "Office 365 Exchange Online | keys: wrapKey, unwrapKey, get | secrets: | "
			 "certificates: | storage:\n";
	char *good = xasprintf("%s%s", admins, sp);
	char *n = NULL;
	assert_int_equal(val(x, s, "policies", good, &n), 0);
	assert_non_null(strstr(n, "Office 365 Exchange Online | keys"));
	free(n);
	/* the service principal by application ID, CRLF as pasted from Windows */
	char *crlf = xasprintf("%s00000002-0000-0ff1-ce00-000000000000 | keys: get,wrapKey,unwrapKey"
			       "\r\n", admins);
	assert_int_equal(val(x, s, "policies", crlf, NULL), 0);
	char *creator = xasprintf("%sdave@contoso.com | keys: all | secrets: all\n", good);
	char *del = xasprintf("Alice (alice@contoso.com) | keys: create, import, list, get, backup, "
			      "restore, delete\nCarol (carol@contoso.com) | keys: create, import, "
			      "list, get, backup, restore\n%s", sp);
	char *secrets = xasprintf("Alice (alice@contoso.com) | keys: create, import, list, get, "
				  "backup, restore | secrets: get, list, set, delete, purge\n"
				  "Carol (carol@contoso.com) | keys: create, import, list, get, "
				  "backup, restore\n%s", sp);
	char *sp_extra = xasprintf("%sOffice 365 Exchange Online | keys: wrapKey, unwrapKey, get, "
				   "decrypt\n", admins);
	char *no_sp = xstrdup(admins);
	char *one_admin = xasprintf("Alice (alice@contoso.com) | keys: create, import, list, get, "
				    "backup, restore\n%s", sp);
	bad(x, s, "policies", creator);   /* a principal the plan does not name */
	bad(x, s, "policies", del);       /* delete is never permanent */
	bad(x, s, "policies", secrets);   /* the creator-administrator's other lists */
	bad(x, s, "policies", sp_extra);
	bad(x, s, "policies", no_sp);
	bad(x, s, "policies", one_admin); /* carol is missing */
	bad(x, s, "policies", "alice@contoso.com keys create");
	char *dup = xasprintf("Alice (alice@contoso.com) | keys: get, get, get, get, get, get\n"
			      "Carol (carol@contoso.com) | keys: create, import, list, get, backup, "
			      "restore\n%s", sp);
	bad(x, s, "policies", dup); /* six names, not the six permissions */
	free(dup);
	bad(x, s, "policies", "Alice (alice@contoso.com) | colour: blue\n");
	free(good);
	free(crlf);
	free(creator);
	free(del);
	free(secrets);
	free(sp_extra);
	free(no_sp);
	free(one_admin);
}

/* The replacement keys of the second roll method: a new key in this
 * policy's own vault of the named side, versionless, not the current one. */
static void test_evidence_new_key_uri(void **state)
{
	struct fx *x = *state;
	const char *s = "manage.replace.exchange/EX-USA_mailboxes";
	ok_as(x, s, "new_uri_A", "https://contoso-ck-ex-na-vaulta1.vault.azure.net:443/keys/Key002",
	      "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/Key002");
	ok_as(x, s, "new_uri_B", "https://Contoso-CK-EX-NA-VaultB1.vault.azure.net/keys/New-1",
	      "https://Contoso-CK-EX-NA-VaultB1.vault.azure.net/keys/New-1");
	bad(x, s, "new_uri_A", "https://Contoso-CK-EX-NA-VaultB1.vault.azure.net/keys/Key002");
	bad(x, s, "new_uri_A", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			       "Contoso-CK-EX-NA-VaultA1-Key001"); /* the current key */
	bad(x, s, "new_uri_A", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/Key002/"
			       "0123456789abcdef0123456789abcdef");
	bad(x, s, "new_uri_A", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/Key 2");
	bad(x, s, "new_uri_A", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net.evil/keys/K");
	bad(x, s, "new_uri_A", "http://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/Key002");
	bad(x, s, "new_uri_A", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/K'; rm");
}

static void test_evidence_guid_and_subscription(void **state)
{
	struct fx *x = *state;
	ok_as(x, "sub.create/A", "subscription_id", "{11111111-1111-4111-8111-111111111111}",
	      "11111111-1111-4111-8111-111111111111");
	bad(x, "sub.create/A", "subscription_id", "22222222-2222-4222-8222-222222222222");
	bad(x, "sub.create/B", "subscription_id", "2222222-22222-4222-8222-222222222222");
	ok_as(x, "manage.find_dep/EX-USA_mailboxes/ann@contoso.com", "dep_guid",
	      "ABCDEF01-2345-6789-ABCD-EF0123456789", "abcdef01-2345-6789-abcd-ef0123456789");
	bad(x, "manage.find_dep/EX-USA_mailboxes/ann@contoso.com", "dep_guid", "not-a-guid");
}

static void test_evidence_key_uri_names_own_vault_and_key(void **state)
{
	struct fx *x = *state;
	const char *s = "key.uri/EX-USA_mailboxes/A";
	const char *base = "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			   "Contoso-CK-EX-NA-VaultA1-Key001";
	ok_as(x, s, "key_uri", base, base);
	char *v = xasprintf("%s/0123456789ABCDEF0123456789abcdef", base);
	char *want = xasprintf("%s/0123456789abcdef0123456789abcdef", base);
	ok_as(x, s, "key_uri", v, want);
	free(v);
	/* :443 and case differences in the host are Key Vault's own spelling */
	ok_as(x, s, "key_uri",
	      "https://contoso-ck-ex-na-vaulta1.vault.azure.net:443/keys/Contoso-CK-EX-NA-VaultA1-Key001/"
	      "0123456789abcdef0123456789abcdef",
	      want);
	free(want);
	/* the other side's vault, another DEP's key, other hosts and schemes */
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultB1.vault.azure.net/keys/"
			     "Contoso-CK-EX-NA-VaultB1-Key001");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			     "Contoso-CK-SP-NA-VaultA1-Key001");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key0012");
	/* a vault plan's key is never on a Managed HSM */
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.managedhsm.azure.net/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key001");
	bad(x, s, "key_uri", "http://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key001");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net.evil.example/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key001");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net:8443/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key001");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/secrets/"
			     "Contoso-CK-EX-NA-VaultA1-Key001");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key001/1234");
	bad(x, s, "key_uri", "https://Contoso-CK-EX-NA-VaultA1.vault.azure.net/keys/"
			     "Contoso-CK-EX-NA-VaultA1-Key001/0123456789abcdef0123456789abcdef/x");
	/* SharePoint and a roll need the version */
	bad(x, "key.uri/SP-NAM/B", "key_uri", "https://Contoso-CK-SP-NA-VaultB1.vault.azure.net/keys/"
					      "Contoso-CK-SP-NA-VaultB1-Key001");
	ok_as(x, "key.uri/SP-NAM/B", "key_uri",
	      "https://Contoso-CK-SP-NA-VaultB1.vault.azure.net/keys/Contoso-CK-SP-NA-VaultB1-Key001/"
	      "0123456789abcdef0123456789abcdef",
	      "https://Contoso-CK-SP-NA-VaultB1.vault.azure.net/keys/Contoso-CK-SP-NA-VaultB1-Key001/"
	      "0123456789abcdef0123456789abcdef");
	bad(x, "manage.roll/MW/A", "key_uri", "https://Contoso-CK-MW-NA-VaultA1.vault.azure.net/keys/"
					      "Contoso-CK-MW-NA-VaultA1-Key001");
}

static void test_evidence_choice_date_confirm_text(void **state)
{
	struct fx *x = *state;
	ok_as(x, "key.expiry/MW/A", "expiry", "NONE", "none");
	ok_as(x, "key.expiry/MW/A", "expiry", "9999-12-31", "9999-12-31");
	bad(x, "key.expiry/MW/A", "expiry", "2030-01-01");
	bad(x, "key.expiry/MW/A", "expiry", "");
	ok_as(x, "onboard.email/MW", "sent_on", "2024-02-29", "2024-02-29");
	bad(x, "onboard.email/MW", "sent_on", "2023-02-29");
	bad(x, "onboard.email/MW", "sent_on", "2024-13-01");
	/* A date error says which part is wrong. */
	const char *dates[][2] = { { "2024-13-01", "month 13" }, { "2023-02-29", "day 29" },
				   { "1999-01-01", "year 1999" }, { "2024-00-10", "month 0" } };
	const struct step *em = catalogue_find(x->c, "onboard.email/MW");
	assert_non_null(em);
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		char *err = NULL, *norm = NULL;
		assert_int_equal(steps_validate_evidence(x->c, em, step_evidence_find(em, "sent_on"),
							 dates[i][0], &norm, &err), -1);
		if (!err || !strstr(err, dates[i][1]))
			fail_msg("%s: \"%s\" does not say \"%s\"", dates[i][0], err ? err : "",
				 dates[i][1]);
		free(err);
	}
	bad(x, "onboard.email/MW", "sent_on", "24-01-01");
	bad(x, "onboard.email/MW", "sent_on", "2024/01/01");
	/* The e-mail was sent: a day after today anywhere on Earth is refused,
	 * and says so; today is accepted. */
	{
		char *err = NULL, *norm = NULL, day[11];
		time_t later = time(NULL) + 3 * 86400, now = time(NULL);
		struct tm tm;
		strftime(day, sizeof day, "%Y-%m-%d", gmtime_r(&later, &tm));
		assert_int_equal(steps_validate_evidence(x->c, em, step_evidence_find(em, "sent_on"),
							 day, &norm, &err), -1);
		assert_non_null(err);
		assert_non_null(strstr(err, "future"));
		free(err);
		bad(x, "onboard.email/MW", "sent_on", "2999-01-01");
		strftime(day, sizeof day, "%Y-%m-%d", gmtime_r(&now, &tm));
		ok_as(x, "onboard.email/MW", "sent_on", day, day);
	}
	ok_as(x, "onboard.email/MW", "sent", "Yes", "yes");
	bad(x, "onboard.email/MW", "sent", "no");
	ok_as(x, "retention.check/A", "feature_output", "Name State\nfeature\tPending",
	      "Name State\nfeature\tPending");
	ok_as(x, "retention.check/A", "feature_output", "Name State\r\nfeature Pending\r\n",
	      "Name State\nfeature Pending\n");
	/* Line ends are recorded as LF only, so the recorded value is accepted
	 * unchanged on replay: "\r\r\n" used to become "\r\n", which replay
	 * turned into "\n" and refused (found by tests/fuzz/fuzz_evidence.c). */
	ok_as(x, "retention.check/A", "feature_output", "a\r\r\nb\rc", "a\n\nb\nc");
	ok_as(x, "retention.check/A", "feature_output", "a\n\nb\nc", "a\n\nb\nc");
	bad(x, "retention.check/A", "feature_output", "   \n");
	bad(x, "retention.check/A", "feature_output", "ok\x1b[2Jhidden");
	bad(x, "retention.check/A", "feature_output", "ok\xe2\x80\xae" "evil");
	bad(x, "retention.check/A", "feature_output", "bad \xff utf-8");
	char *big = xmalloc(5000);
	memset(big, 'a', 4999);
	big[4999] = '\0';
	bad(x, "retention.check/A", "feature_output", big);
	free(big);
}

static void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
}

struct rec { const char *value; };
static const char *get_backup(void *ctx, const char *step_id, const char *evidence_id)
{
	(void)step_id;
	return strcmp(evidence_id, "backup_file") == 0 ? ((struct rec *)ctx)->value : NULL;
}

static void test_evidence_backup_file_and_copies(void **state)
{
	struct fx *x = *state;
	char dir[] = "/tmp/ck-evidence-XXXXXX";
	assert_non_null(mkdtemp(dir));
	const char *s = "key.backup/EX-USA_mailboxes/B";
	char *rdir = realpath(dir, NULL); /* what the validator records */
	assert_non_null(rdir);
	char *good = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260102.backup", rdir);
	free(rdir);
	write_file(good, "backup blob");
	char hex[HASH_SHA256_HEX_LEN + 1];
	hash_sha256_hex("backup blob", 11, hex);
	char *want = xasprintf("sha256:%s  %s", hex, good);
	char *norm = NULL;
	assert_int_equal(val(x, s, "backup_file", good, &norm), 0);
	assert_string_equal(norm, want);

	/* a relative path is recorded absolute */
	char *cwd = getcwd(NULL, 0);
	assert_int_equal(chdir(dir), 0);
	char *rel = NULL;
	assert_int_equal(val(x, s, "backup_file", "./Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260102.backup",
			     &rel), 0);
	assert_string_equal(rel, want);
	free(rel);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);

	/* wrong date, other key's name, missing, empty, directory, symlink */
	char *baddate = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20261302.backup", dir);
	write_file(baddate, "x");
	bad(x, s, "backup_file", baddate);
	char *other = xasprintf("%s/Contoso-CK-EX-NA-VaultA1-Key001-Backup-20260102.backup", dir);
	write_file(other, "x");
	bad(x, s, "backup_file", other);
	char *missing = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260103.backup", dir);
	bad(x, s, "backup_file", missing);
	char *empty = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260104.backup", dir);
	write_file(empty, "");
	bad(x, s, "backup_file", empty);
	char *sub = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260105.backup", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	bad(x, s, "backup_file", sub);
	char *link = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260106.backup", dir);
	assert_int_equal(symlink(good, link), 0);
	bad(x, s, "backup_file", link);
	char *fifo = xasprintf("%s/Contoso-CK-EX-NA-VaultB1-Key001-Backup-20260107.backup", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	bad(x, s, "backup_file", fifo); /* refused at once, never blocks */
	unlink(fifo);
	free(fifo);

	/* copies: the form, then the match against the recorded file */
	ok_as(x, s, "offline_copy", hex, hex);
	char *upper = xasprintf("SHA256:%s", hex);
	for (char *p = upper; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
	ok_as(x, s, "offline_copy", upper, hex);
	char *sum = xasprintf("%s  /media/usb/backup.backup", hex);
	ok_as(x, s, "offline_copy", sum, hex);
	bad(x, s, "offline_copy", "abc");
	const struct step *st = catalogue_find(x->c, s);
	const struct evidence_spec *e = step_evidence_find(st, "disaster_copy");
	struct rec r = { norm };
	char *n2 = NULL, *err = NULL;
	assert_int_equal(steps_validate_evidence_with(x->c, st, e, hex, get_backup, &r, &n2, &err), 0);
	free(n2);
	char other_hex[] = "0000000000000000000000000000000000000000000000000000000000000000";
	assert_int_equal(steps_validate_evidence_with(x->c, st, e, other_hex, get_backup, &r, &n2, &err),
			 -1);
	assert_non_null(strstr(err, "differs"));
	free(err);

	unlink(link);
	rmdir(sub);
	unlink(empty);
	unlink(other);
	unlink(baddate);
	unlink(good);
	rmdir(dir);
	free(link);
	free(sub);
	free(empty);
	free(missing);
	free(other);
	free(baddate);
	free(good);
	free(want);
	free(norm);
	free(upper);
	free(sum);
}

static void test_evidence_null_and_oversized(void **state)
{
	struct fx *x = *state;
	const struct step *s = catalogue_find(x->c, "key.uri/MW/B");
	char *err = NULL, *norm = NULL;
	assert_int_equal(steps_validate_evidence(x->c, s, &s->evidence[0], NULL, &norm, &err), -1);
	assert_null(norm);
	free(err);
	/* a key URI on a step with no vault is refused, not crashed on */
	const struct step *t = catalogue_find(x->c, "prereq.licences");
	static const struct evidence_spec uri = { "key_uri", EV_KEY_URI, "Key URI", NULL, false,
						  NULL, NULL };
	assert_int_equal(steps_validate_evidence(x->c, t, &uri, "https://x.vault.azure.net/keys/k",
						 &norm, &err),
			 -1);
	free(err);
}

/* Random input never crashes a validator (ASan/UBSan builds), and whatever
 * is accepted for a kind that later commands use is safe to paste. */
static void test_evidence_random_input(void **state)
{
	struct fx *x = *state;
	static const char alphabet[] = "0123456789abcdefABCDEF-{}:/.'\"$`;| \n\t\r\x1b\xe2\x80\xae"
				       "\xc3\xa9https://vault.azure.net/keys/yesnone";
	static const char *const valid[] = {
		"yes", " y ", "none", "9999-12-31", "2024-02-29", "FT-123456", "True", "Registered",
		"11111111-1111-4111-8111-111111111111",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"https://Contoso-CK-MW-NA-VaultA1.vault.azure.net/keys/Contoso-CK-MW-NA-VaultA1-Key001/"
		"0123456789abcdef0123456789abcdef",
	};
	unsigned long seed = 12345;
	char buf[160];
	size_t accepted = 0;
	for (int round = 0; round < 4000; round++) {
		const struct step *s = &x->c->steps[(size_t)round % x->c->n_steps];
		const struct evidence_spec *e = &s->evidence[(size_t)round % s->n_evidence];
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		size_t n = (seed >> 33) % (sizeof buf - 1);
		if (round % 2) { /* a valid value with one character changed, or none */
			const char *v = valid[(seed >> 40) % CK_ARRAY_LEN(valid)];
			n = strlen(v);
			memcpy(buf, v, n + 1);
			if (round % 4 == 1) {
				seed = seed * 6364136223846793005ul + 1442695040888963407ul;
				buf[(seed >> 33) % n] = alphabet[(seed >> 45) % (sizeof alphabet - 1)];
			}
			goto check;
		}
		for (size_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			buf[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
		}
		buf[n] = '\0';
	check:;
		char *norm = NULL, *err = NULL;
		int rc = steps_validate_evidence(x->c, s, e, buf, &norm, &err);
		assert_true(rc == 0 || rc == -1);
		assert_true(rc == 0 ? norm != NULL && err == NULL : norm == NULL && err != NULL);
		if (rc == 0 && e->kind != EV_TEXT) {
			assert_int_equal(quote_check(norm), 0);
			accepted++;
		}
		free(norm);
		free(err);
	}
	assert_true(accepted > 0); /* confirmations and some choices get through */
}

/* Managed HSM plans: key URIs on managedhsm.azure.net (and only there), the
 * officers' fingerprints against the plan, their acknowledgement against the
 * security domain file recorded at the download. */
static const char *get_sd(void *ctx, const char *step_id, const char *evidence_id)
{
	return strcmp(step_id, "hsm.activate/A") == 0 && strcmp(evidence_id, "sd_file") == 0
		       ? (const char *)ctx
		       : NULL;
}

static void test_evidence_managed_hsm(void **state)
{
	(void)state;
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/plans/contoso-hsm.yaml", src ? src : ".");
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(path, &d);
	free(path);
	assert_non_null(p);
	struct inventory *inv = inventory_build(p, &d);
	assert_non_null(inv);
	struct fx y = { NULL, catalogue_build(p, inv, true, STEPS_CATALOGUE_VERSION) };
	struct fx *x = &y;
	assert_non_null(x->c);
	const char *v = "0123456789ABCDEF0123456789abcdef";
	char *uri = xasprintf("https://contoso-ck-hsma.managedhsm.azure.net/keys/"
			      "Contoso-CK-MW-NA-KeyA1/%s", v);
	ok_as(x, "key.uri/MW/A", "key_uri", uri,
	      "https://Contoso-CK-HSMA.managedhsm.azure.net/keys/Contoso-CK-MW-NA-KeyA1/"
	      "0123456789abcdef0123456789abcdef");
	free(uri);
	bad(x, "key.uri/MW/A", "key_uri", "https://Contoso-CK-HSMA.vault.azure.net/keys/"
					  "Contoso-CK-MW-NA-KeyA1");
	bad(x, "key.uri/MW/A", "key_uri", "https://Contoso-CK-HSMB.managedhsm.azure.net/keys/"
					  "Contoso-CK-MW-NA-KeyA1");
	bad(x, "key.uri/MW/A", "key_uri", "https://Contoso-CK-HSMA.managedhsm.azure.net.evil/keys/"
					  "Contoso-CK-MW-NA-KeyA1");
	ok_as(x, "manage.replace.multi/MW", "new_uri_B",
	      "https://Contoso-CK-HSMB.managedhsm.azure.net/keys/Next-1",
	      "https://Contoso-CK-HSMB.managedhsm.azure.net/keys/Next-1");
	bad(x, "manage.replace.multi/MW", "new_uri_B",
	    "https://Contoso-CK-HSMB.vault.azure.net/keys/Next-1");
	/* each officer's key is the plan's, whether it gave a PEM or a hash */
	ok_as(x, "hsm.officer.key/1", "fingerprint",
	      "3C7EBFD147E20CC8B2B2317AA496ADBA2E981C8199F8E49D119E83A7A0267637  -",
	      "3c7ebfd147e20cc8b2b2317aa496adba2e981c8199f8e49d119e83a7a0267637");
	ok_as(x, "hsm.officer.key/3", "fingerprint",
	      "4460f25d499cce4b1861b3b5c2bef9d8eb7cc1b2bf6972c9b81d8069c8f3d6e3",
	      "4460f25d499cce4b1861b3b5c2bef9d8eb7cc1b2bf6972c9b81d8069c8f3d6e3");
	bad(x, "hsm.officer.key/1", "fingerprint",
	    "4460f25d499cce4b1861b3b5c2bef9d8eb7cc1b2bf6972c9b81d8069c8f3d6e3");
	/* an officer's hash of the file must be the download's */
	static char sd[] = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  "
			   "/x/sd.json";
	const struct step *ack = catalogue_find(x->c, "hsm.officer.ack/A/2");
	assert_non_null(ack);
	const struct evidence_spec *e = step_evidence_find(ack, "sd_sha256");
	char *n = NULL, *err = NULL;
	char same[65], other[65];
	memset(same, 'a', 64);
	memset(other, 'b', 64);
	same[64] = other[64] = '\0';
	assert_int_equal(steps_validate_evidence_with(x->c, ack, e, same, get_sd, sd, &n,
						      &err), 0);
	free(n);
	n = NULL;
	assert_int_equal(steps_validate_evidence_with(x->c, ack, e, other, get_sd, sd, &n,
						      &err), -1);
	assert_non_null(err);
	free(err);
	/* side B's acknowledgement compares with side B's download, not A's */
	ack = catalogue_find(x->c, "hsm.officer.ack/B/2");
	err = NULL;
	assert_int_equal(steps_validate_evidence_with(x->c, ack, e, other, get_sd, sd, &n,
						      &err), 0);
	free(n);
	catalogue_free(x->c);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_evidence_fasttrack_ids),
		cmocka_unit_test(test_evidence_tool_version_numeric),
		cmocka_unit_test(test_evidence_onboarding_request),
		cmocka_unit_test(test_evidence_access_list_every_principal),
		cmocka_unit_test(test_evidence_new_key_uri),
		cmocka_unit_test(test_evidence_guid_and_subscription),
		cmocka_unit_test(test_evidence_key_uri_names_own_vault_and_key),
		cmocka_unit_test(test_evidence_managed_hsm),
		cmocka_unit_test(test_evidence_choice_date_confirm_text),
		cmocka_unit_test(test_evidence_backup_file_and_copies),
		cmocka_unit_test(test_evidence_null_and_oversized),
		cmocka_unit_test(test_evidence_random_input),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
