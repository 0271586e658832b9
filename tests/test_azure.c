/* test_azure.c: the REST client's readers and rules that need no network:
 * JSON traps, Azure's variation, key identifiers, error bodies, retry
 * policy, endpoints files, token hosts, device-code answers and the steps'
 * results from the audit's findings. Tokens, sign-ins and performs without
 * them: test_azure_token.c. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ck.h"
#include "azure/audit_int.h"
#include "azure/azjson.h"
#include "azure/backend_rest.h"
#include "azure/backend_rest_int.h"
#include "azure/endpoints.h"
#include "azure/entra.h"
#include "azure/http.h"
#include "azure/rest.h"
#include "azure/token.h"
#include "buf.h"
#include "inventory.h"
#include "plan.h"
#include "steps.h"
#include "util.h"

static cJSON *parse(const char *s)
{
	const char *err = NULL;
	return azjson_parse(s, strlen(s), &err);
}

static void test_azure_parse_refuses_what_cjson_accepts(void **state)
{
	(void)state;
	const char *err = NULL;
	assert_null(parse("{\"a\":1} trailing"));
	assert_null(parse("{\"a\":\"x\\u0000y\"}"));
	assert_null(azjson_parse("{\"a\":\"\xff\"}", 8, &err));
	assert_non_null(err);
	assert_null(parse("{\"a\": [1, 2"));
	assert_null(parse(""));
	cJSON *o = parse("{\"a\":1}\r\n");
	assert_non_null(o);
	cJSON_Delete(o);
}

static void test_azure_lookups_are_case_sensitive(void **state)
{
	(void)state;
	cJSON *o = parse("{\"State\":\"Disabled\",\"properties\":{\"state\":\"Registered\"}}");
	assert_null(azjson_str(o, "state"));
	assert_string_equal(azjson_str(o, "properties.state"), "Registered");
	assert_null(azjson_str(o, "Properties.state"));
	assert_null(azjson_str(o, "properties.state.deeper"));
	cJSON_Delete(o);
}

static void test_azure_times_beyond_int_stay_exact(void **state)
{
	(void)state;
	cJSON *o = parse("{\"key\":{\"kid\":\"https://v.vault.azure.net/keys/k/0123\"},"
			 "\"attributes\":{\"exp\":253402214400,\"enabled\":true}}");
	struct az_key k;
	const char *err = NULL;
	assert_int_equal(azjson_key(o, &k, &err), 0);
	assert_true(k.exp == 253402214400.0);
	assert_int_equal(k.enabled, 1);
	assert_null(k.recovery_level);
	az_key_clear(&k);
	cJSON_Delete(o);
}

/* What becomes a time or a duration is clamped first: infinity (1e400 to
 * the reader), minus infinity and NaN would be undefined as integers. */
static void test_azure_clamp_before_conversion(void **state)
{
	(void)state;
	cJSON *o = parse("{\"big\":1e400,\"small\":-1e400,\"n\":7}");
	double big = 0, small = 0, n = 0;
	assert_true(azjson_num(o, "big", &big) && azjson_num(o, "small", &small) &&
		    azjson_num(o, "n", &n));
	assert_true(azjson_clamp(big, 1, 60) == 60);
	assert_true(azjson_clamp(small, 1, 60) == 1);
	assert_true(azjson_clamp(n, 1, 60) == 7);
	assert_true(azjson_clamp(0.0 / 0.0, 1, 60) == 1);
	cJSON_Delete(o);
}

static void test_azure_vault_absent_and_unknown_fields(void **state)
{
	(void)state;
	cJSON *o = parse("{\"name\":\"v\",\"location\":\"East US 2\",\"newField\":{\"x\":1},"
			 "\"properties\":{\"sku\":{\"family\":\"A\",\"name\":\"Premium\"},"
			 "\"tenantId\":\"t\",\"accessPolicies\":[{\"tenantId\":\"t\",\"objectId\":\"o1\","
			 "\"permissions\":{\"keys\":[\"Get\",\"WrapKey\"],\"secrets\":[\"get\"]}},"
			 "\"not an object\"]}}");
	struct az_vault v;
	const char *err = NULL;
	assert_int_equal(azjson_vault(o, &v, &err), 0);
	assert_int_equal(v.purge_protection, 0);  /* absent means off */
	assert_int_equal(v.soft_delete, 1);       /* absent: the API default, on */
	assert_true(v.retention == 90);
	assert_int_equal(v.rbac, 0);
	assert_string_equal(v.sku, "Premium");
	assert_int_equal(v.n_policies, 1);
	assert_int_equal(v.policies[0].n_keys, 2);
	assert_int_equal(v.policies[0].n_secrets, 1);
	assert_true(azjson_region_eq(v.location, "eastus2"));
	assert_false(azjson_region_eq(v.location, "eastus"));
	az_vault_clear(&v);
	cJSON_Delete(o);
	o = parse("{\"location\":\"x\"}");
	assert_int_equal(azjson_vault(o, &v, &err), -1);
	az_vault_clear(&v);
	cJSON_Delete(o);
}

static void test_azure_key_size_from_modulus(void **state)
{
	(void)state;
	/* 3072 bits: 384 bytes, top bit set; then the same with a leading zero */
	unsigned char n[385];
	memset(n, 0xab, sizeof(n));
	struct buf b = BUF_INIT;
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (int lead = 0; lead < 2; lead++) {
		unsigned char *p = n + 1 - lead;
		size_t len = 384 + (size_t)lead;
		if (lead)
			p[0] = 0;
		buf_reset(&b);
		buf_puts(&b, "{\"key\":{\"kid\":\"https://v.vault.azure.net/keys/k\",\"n\":\"");
		for (size_t i = 0; i < len; i += 3) {
			unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0) |
				     (i + 2 < len ? p[i + 2] : 0);
			char o[4] = { a[v >> 18], a[(v >> 12) & 63], a[(v >> 6) & 63], a[v & 63] };
			buf_add(&b, o, i + 2 < len ? 4 : i + 1 < len ? 3 : 2);
		}
		buf_puts(&b, "\"}}");
		cJSON *o = parse(buf_str(&b));
		struct az_key k;
		const char *err = NULL;
		assert_int_equal(azjson_key(o, &k, &err), 0);
		assert_int_equal(k.bits, 3072);
		az_key_clear(&k);
		cJSON_Delete(o);
	}
	buf_free(&b);
}

static void test_azure_kid_versioned_and_versionless(void **state)
{
	(void)state;
	struct az_kid k;
	assert_int_equal(azjson_kid_parse("https://MyVault.vault.azure.net/keys/K1/78deebed", &k), 0);
	assert_string_equal(k.host, "myvault.vault.azure.net");
	assert_string_equal(k.name, "K1");
	assert_string_equal(k.version, "78deebed");
	az_kid_clear(&k);
	assert_int_equal(azjson_kid_parse("https://v.vault.azure.net:443/keys/K1", &k), 0);
	assert_null(k.version);
	az_kid_clear(&k);
	assert_int_equal(azjson_kid_parse("https://v.vault.azure.net/keys/K1/", &k), 0);
	assert_null(k.version);
	az_kid_clear(&k);
	assert_int_equal(azjson_kid_parse("https://v.vault.azure.net:8443/keys/K1", &k), -1);
	assert_int_equal(azjson_kid_parse("http://v.vault.azure.net/keys/K1", &k), -1);
	assert_int_equal(azjson_kid_parse("https://v.vault.azure.net/secrets/K1", &k), -1);
	assert_int_equal(azjson_kid_parse("https://v.vault.azure.net/keys/K1/v/extra", &k), -1);
	assert_int_equal(azjson_kid_parse(NULL, &k), -1);
}

static void test_azure_error_bodies(void **state)
{
	(void)state;
	char *code, *msg;
	const char *arm = "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"no\"}}";
	azjson_error(arm, strlen(arm), &code, &msg);
	assert_string_equal(code, "AuthorizationFailed");
	assert_string_equal(msg, "no");
	free(code);
	free(msg);
	const char *kv = "{\"error\":{\"code\":\"Forbidden\",\"message\":\"m\",\"innererror\":{\"code\":\"AccessDenied\"}}}";
	azjson_error(kv, strlen(kv), &code, &msg);
	assert_string_equal(code, "Forbidden/AccessDenied");
	free(code);
	free(msg);
	const char *oauth = "{\"error\":\"authorization_pending\",\"error_description\":\"wait\"}";
	azjson_error(oauth, strlen(oauth), &code, &msg);
	assert_string_equal(code, "authorization_pending");
	assert_string_equal(msg, "wait");
	free(code);
	free(msg);
	azjson_error("<html>", 6, &code, &msg);
	assert_null(code);
	assert_null(msg);
}

static void test_azure_backoff_and_retry_after(void **state)
{
	(void)state;
	struct http_client c;
	memset(&c, 0, sizeof(c));
	c.backoff_base = 0.5;
	c.backoff_cap = 20;
	c.retry_after_cap = 60;
	assert_true(http_backoff(&c, 1, -1, 0) == 0.25);
	assert_true(http_backoff(&c, 1, -1, 0.999) < 0.5);
	assert_true(http_backoff(&c, 3, -1, 0) == 1.0);
	assert_true(http_backoff(&c, 30, -1, 0.999) <= 20);
	assert_true(http_backoff(&c, 1, 7, 0) == 7);       /* Retry-After wins */
	assert_true(http_backoff(&c, 1, 61, 0) < 0);       /* too long: give up */
	assert_true(http_parse_retry_after("5", 0) == 5);
	assert_true(http_parse_retry_after("5 x", 0) < 0);
	assert_true(http_parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40) == 60);
	assert_true(http_parse_retry_after("soon", 0) < 0);
}

static void test_azure_retryable(void **state)
{
	(void)state;
	struct http_req r;
	memset(&r, 0, sizeof(r));
	long yes[] = { 429, 500, 503 }, no[] = { 200, 302, 400, 401, 403, 404 };
	for (size_t i = 0; i < CK_ARRAY_LEN(yes); i++) {
		r.status = yes[i];
		assert_true(http_retryable(&r));
	}
	for (size_t i = 0; i < CK_ARRAY_LEN(no); i++) {
		r.status = no[i];
		assert_false(http_retryable(&r));
	}
	r.fail = HTTP_TRANSPORT;
	assert_true(http_retryable(&r));
	/* a creation that may have reached the server is not sent again */
	r.once = true;
	assert_false(http_retryable(&r));
	r.unsent = true;
	assert_true(http_retryable(&r));
	r.once = r.unsent = false;
	r.fail = HTTP_TLS;
	assert_false(http_retryable(&r));
}

static void test_azure_endpoints_file(void **state)
{
	(void)state;
	char *err = NULL;
	struct endpoints *e = endpoints_parse("ep", "# comment\nname = fake\n"
					      "authority = https://login.fake.test/\n"
					      "arm = https://management.fake.test\n"
					      "vault-suffix = vault.fake.test\ngraph = https://graph.fake.test\n"
					      "connect-to = ::127.0.0.1:8443\n", &err);
	assert_non_null(e);
	assert_string_equal(e->authority, "https://login.fake.test");
	assert_string_equal(e->resource[AZ_RES_VAULT], "https://vault.fake.test");
	assert_int_equal(e->n_connect_to, 1);
	endpoints_free(e);
	static const char *const bad[] = {
		"arm = http://management.fake.test\n",
		"color = blue\n",
		"authority = https://a\narm = https://b\nvault-suffix = v.test\n",
		"connect-to = 127.0.0.1\n",
		"arm = https://a\narm = https://b\n",
		"vault-suffix = .vault.test\n",
		"arm = https://user@host\n",
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(bad); i++) {
		err = NULL;
		assert_null(endpoints_parse("ep", bad[i], &err));
		assert_non_null(err);
		free(err);
	}
	err = NULL;
	e = endpoints_parse("ep", "arm = http://x\n", &err);
	assert_non_null(strstr(err, "plain http is refused"));
	free(err);
	err = NULL;
	assert_null(endpoints_cloud("mars", &err));
	free(err);
	e = endpoints_cloud("USGov", &err);
	assert_string_equal(e->vault_suffix, "vault.usgovcloudapi.net");
	assert_string_equal(e->hsm_suffix, "managedhsm.usgovcloudapi.net");
	endpoints_free(e);
	/* an endpoints file may name no HSM suffix: then no HSM host is allowed */
	e = endpoints_parse("t", "authority = https://l.test\narm = https://m.test\n"
			    "vault-suffix = vault.test\ngraph = https://g.test\n", &err);
	assert_non_null(e);
	assert_null(e->hsm_suffix);
	assert_false(endpoints_host_allowed(e, AZ_RES_HSM, "https://h.managedhsm.test/keys"));
	endpoints_free(e);
	e = endpoints_parse("t", "authority = https://l.test\narm = https://m.test\n"
			    "vault-suffix = vault.test\ngraph = https://g.test\n"
			    "hsm-suffix = managedhsm.test\n", &err);
	assert_non_null(e);
	assert_string_equal(e->resource[AZ_RES_HSM], "https://managedhsm.test");
	assert_true(endpoints_host_allowed(e, AZ_RES_HSM, "https://h.managedhsm.test/keys"));
	endpoints_free(e);
}

static void test_azure_token_hosts(void **state)
{
	(void)state;
	char *err = NULL;
	struct endpoints *e = endpoints_cloud("public", &err);
	assert_true(endpoints_host_allowed(e, AZ_RES_ARM, "https://management.azure.com/subscriptions/x"));
	assert_false(endpoints_host_allowed(e, AZ_RES_ARM, "https://v.vault.azure.net/keys"));
	assert_true(endpoints_host_allowed(e, AZ_RES_VAULT, "https://V1.Vault.Azure.Net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_VAULT, "https://a.b.vault.azure.net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_VAULT, "https://vault.azure.net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_VAULT,
					    "https://v.vault.azure.net.evil.example/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_VAULT, "http://v.vault.azure.net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_GRAPH, "https://management.azure.com/"));
	assert_true(kv_same_vault("https://v.vault.azure.net/keys?api-version=7.5",
				  "https://V.vault.azure.net:443/keys?$skiptoken=x"));
	assert_false(kv_same_vault("https://v.vault.azure.net/keys", "https://w.vault.azure.net/keys"));
	assert_false(kv_same_vault("https://v.vault.azure.net/keys", "https://v.vault.azure.net:444/k"));
	/* a Managed HSM token goes to *.managedhsm.azure.net only, and a vault
	 * token never there */
	assert_string_equal(e->resource[AZ_RES_HSM], "https://managedhsm.azure.net");
	assert_true(endpoints_host_allowed(e, AZ_RES_HSM, "https://h1.managedhsm.azure.net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_HSM, "https://v.vault.azure.net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_VAULT, "https://h1.managedhsm.azure.net/keys"));
	assert_false(endpoints_host_allowed(e, AZ_RES_HSM, "https://a.b.managedhsm.azure.net/keys"));
	char *u = graph_url_user(e, "a b@contoso.example");
	assert_string_equal(u, "https://graph.microsoft.com/v1.0/users/a%20b@contoso.example"
			       "?$select=id,userPrincipalName");
	free(u);
	endpoints_free(e);
}

/* Every data-plane URL, vault and Managed HSM, byte for byte (the writes'
 * as the perform files built them by hand before): all come from one builder, and a vault's must not borrow the HSM's host nor the
 * reverse. A key name is escaped in a request's path, not in the key URI
 * the DEP steps name (the plan's rules keep such names out anyway). */
static void test_azure_dataplane_urls(void **state)
{
	(void)state;
	char *err = NULL;
	struct endpoints *e = endpoints_cloud("public", &err);
	static const char *const want[] = {
		"https://v1.vault.azure.net/keys/k 1",
		"https://v1.vault.azure.net/keys/k%201?api-version=7.5",
		"https://v1.vault.azure.net/keys?api-version=7.5",
		"https://h1.managedhsm.azure.net/keys/k 1",
		"https://h1.managedhsm.azure.net/keys/k%201?api-version=7.5",
		"https://h1.managedhsm.azure.net/keys?api-version=7.5",
		"https://h1.managedhsm.azure.net/providers/Microsoft.Authorization/roleAssignments"
		"?api-version=7.5",
		"https://h1.managedhsm.azure.net/providers/Microsoft.Authorization/roleDefinitions"
		"?api-version=7.5",
		"https://v1.vault.azure.net/keys/k%201/create?api-version=7.5",
		"https://h1.managedhsm.azure.net/keys/k%201/create?api-version=7.5",
		"https://v1.vault.azure.net/keys/k%201/?api-version=7.5",
		"https://v1.vault.azure.net/keys/k%201/backup?api-version=7.5",
		"https://h1.managedhsm.azure.net/keys/k%201/backup?api-version=7.5",
		"https://v1.vault.azure.net/keys/restore?api-version=7.5",
		"https://h1.managedhsm.azure.net/securitydomain/download?api-version=7.5",
		"https://h1.managedhsm.azure.net/keys/providers/Microsoft.Authorization/roleAssignments/"
		"0a0a0a0a-0000-4000-8000-00000000000a?api-version=7.5",
	};
	char *got[] = {
		kv_key_uri(e, "v1", "k 1"),     kv_url_key(e, "v1", "k 1"),
		kv_url_keys(e, "v1"),           mhsm_key_uri(e, "h1", "k 1"),
		mhsm_url_key(e, "h1", "k 1"),   mhsm_url_keys(e, "h1"),
		mhsm_url_role_assignments(e, "h1"), mhsm_url_role_definitions(e, "h1"),
		dp_url(e, DP_VAULT, "v1", DP_KEY_CREATE, "k 1"),
		dp_url(e, DP_HSM, "h1", DP_KEY_CREATE, "k 1"),
		dp_url(e, DP_VAULT, "v1", DP_KEY_UPDATE, "k 1"),
		dp_url(e, DP_VAULT, "v1", DP_KEY_BACKUP, "k 1"),
		dp_url(e, DP_HSM, "h1", DP_KEY_BACKUP, "k 1"),
		dp_url(e, DP_VAULT, "v1", DP_KEY_RESTORE, NULL),
		dp_url(e, DP_HSM, "h1", DP_SD_DOWNLOAD, NULL),
		dp_url(e, DP_HSM, "h1", DP_ROLE_ASSIGNMENT, "0a0a0a0a-0000-4000-8000-00000000000a"),
	};
	assert_int_equal(CK_ARRAY_LEN(got), CK_ARRAY_LEN(want));
	for (size_t i = 0; i < CK_ARRAY_LEN(got); i++) {
		assert_string_equal(got[i], want[i]);
		free(got[i]);
	}
	endpoints_free(e);
}

/* A file written from an answer is never written over, and the refusal's
 * advice is the file's: "back up another day" is for a backup, not for a
 * security domain (which is downloaded once). The same advice whether the
 * file is found before Azure is asked or appears by the time it is written. */
static void test_azure_new_file_exists_advice(void **state)
{
	(void)state;
	char dir[] = "/tmp/ckw-azure-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = xasprintf("%s/Contoso-CK-HSMA-SecurityDomain.json", dir), *err = NULL;
	assert_int_equal(rest_file_free(path, REST_FILE_SD, &err), 0);
	assert_int_equal(rest_write_new(path, REST_FILE_SD, (const unsigned char *)"{}", 2, &err), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(rest_file_free(path, REST_FILE_SD, &err), -1);
	assert_non_null(strstr(err, "(move it away first)"));
	free(err);
	err = NULL;
	assert_int_equal(rest_write_new(path, REST_FILE_SD, (const unsigned char *)"{}", 2, &err), -1);
	assert_non_null(strstr(err, "(move it away first)"));
	assert_null(strstr(err, "back up another day"));
	free(err);
	err = NULL;
	assert_int_equal(rest_write_new(path, REST_FILE_BACKUP, (const unsigned char *)"{}", 2, &err),
			 -1);
	assert_non_null(strstr(err, "back up another day"));
	free(err);
	unlink(path);
	rmdir(dir);
	free(path);
}


static void test_azure_device_poll_answers(void **state)
{
	(void)state;
	static const struct {
		long status;
		const char *body;
		enum az_poll want;
	} cases[] = {
		{ 200, "{\"access_token\":\"x\"}", AZ_POLL_TOKEN },
		{ 400, "{\"error\":\"authorization_pending\"}", AZ_POLL_PENDING },
		{ 400, "{\"error\":\"slow_down\"}", AZ_POLL_SLOW_DOWN },
		{ 400, "{\"error\":\"authorization_declined\"}", AZ_POLL_DECLINED },
		{ 400, "{\"error\":\"expired_token\"}", AZ_POLL_EXPIRED },
		{ 400, "{\"error\":\"bad_verification_code\"}", AZ_POLL_ERROR },
		{ 500, "{\"error\":\"authorization_pending\"}", AZ_POLL_ERROR },
		{ 400, "not json", AZ_POLL_ERROR },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++)
		assert_int_equal(az_poll_classify(cases[i].status, cases[i].body, strlen(cases[i].body)),
				 cases[i].want);
}

static void test_azure_form_encoding(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	az_form_add(&b, "scope", "https://management.azure.com/.default offline_access");
	az_form_add(&b, "x", "a&b=c+d~");
	assert_string_equal(buf_str(&b), "scope=https%3A%2F%2Fmanagement.azure.com%2F.default%20"
					 "offline_access&x=a%26b%3Dc%2Bd~");
	buf_free_secret(&b);
}

static void test_azure_step_results_from_findings(void **state)
{
	(void)state;
	struct audit a;
	memset(&a, 0, sizeof(a));
	struct az_cred dummy;
	a.side[CK_SIDE_A].cred = &dummy;
	a.side[CK_SIDE_A].identity = xstrdup("alice@contoso.example (object o, tenant t)");
	audit_add(&a, CK_SIDE_A, "feature", "Microsoft.Resources/x", "state", AUDIT_DRIFT, "Registering");
	a.f[a.n - 1].observed = xstrdup("Registering");
	audit_add(&a, CK_SIDE_A, "vault", "V1", "purge protection", AUDIT_DRIFT, "off (the plan: on)");
	audit_add(&a, CK_SIDE_A, "vault", "V1", "access policy", AUDIT_HOLDS, "alice: keys get");
	audit_add(&a, CK_SIDE_A, "vault", "v1", "region", AUDIT_HOLDS, "eastus2");
	audit_add(&a, CK_SIDE_A, "key", "K1", "read", AUDIT_UNCHECKED, "HTTP 503");
	audit_add(&a, CK_SIDE_A, "key", "K2", "expiry", AUDIT_HOLDS, "none");
	audit_add(&a, CK_SIDE_A, "key", "K3", "recovery level", AUDIT_DRIFT, "Recoverable");
	a.f[a.n - 1].observed = xstrdup("Recoverable");
	audit_add(&a, CK_SIDE_A, "key", "K4", "recovery level", AUDIT_DRIFT, "CustomizedRecoverable");
	a.f[a.n - 1].observed = xstrdup("CustomizedRecoverable");
	audit_add(&a, CK_SIDE_A, "provider", "Microsoft.KeyVault", "state", AUDIT_DRIFT,
		  "NotRegistered");
	a.f[a.n - 1].observed = xstrdup("NotRegistered");
	audit_add(&a, CK_SIDE_A, "vault", "V2", "access policy", AUDIT_HOLDS, "alice: keys get");
	a.f[a.n - 1].role = "administrator";
	audit_add(&a, CK_SIDE_A, "vault", "V2", "access policy", AUDIT_DRIFT, "exchange: keys get");
	a.f[a.n - 1].role = "service principal";
	static const struct {
		const char *template_id;
		enum check_kind kind;
		int side;
		const char *vault, *key;
		enum check_status want;
	} cases[] = {
		/* Registering is what registering should give; only the
		 * verification waits for Microsoft */
		{ "retention.check", CHECK_FEATURE_STATE, CK_SIDE_A, NULL, NULL, CHECK_PASS },
		{ "retention.verify", CHECK_FEATURE_STATE, CK_SIDE_A, NULL, NULL, CHECK_PENDING },
		/* Recoverable without +ProtectedSubscription while it registers */
		{ "key.recovery", CHECK_KEY_RECOVERY, CK_SIDE_A, NULL, "K3", CHECK_PENDING },
		{ "key.recovery", CHECK_KEY_RECOVERY, CK_SIDE_A, NULL, "K4", CHECK_FAIL },
		{ "provider.register", CHECK_PROVIDER_STATE, CK_SIDE_A, NULL, NULL, CHECK_FAIL },
		{ "vault.create", CHECK_VAULT, CK_SIDE_A, "V1", NULL, CHECK_FAIL },
		{ "vault.access_check", CHECK_VAULT_ACCESS, CK_SIDE_A, "V1", NULL, CHECK_PASS },
		{ "key.create", CHECK_KEY, CK_SIDE_A, NULL, "K1", CHECK_UNAVAILABLE },
		{ "key.expiry", CHECK_KEY_EXPIRY, CK_SIDE_A, NULL, "K2", CHECK_PASS },
		{ "key.recovery", CHECK_KEY_RECOVERY, CK_SIDE_A, NULL, "K2", CHECK_UNAVAILABLE },
		{ "key.backup", CHECK_KEY_BACKUP, CK_SIDE_A, NULL, "K2", CHECK_UNAVAILABLE },
		{ "vault.create", CHECK_VAULT, CK_SIDE_B, "V1", NULL, CHECK_UNAVAILABLE },
		/* the administrators' step sees their policies, the service step its own */
		{ "vault.admins", CHECK_VAULT_ACCESS, CK_SIDE_A, "V2", NULL, CHECK_PASS },
		{ "vault.service", CHECK_VAULT_ACCESS, CK_SIDE_A, "V2", NULL, CHECK_FAIL },
		{ "vault.access_check", CHECK_VAULT_ACCESS, CK_SIDE_A, "V2", NULL, CHECK_FAIL },
		{ "vault.contributors", CHECK_VAULT_ACCESS, CK_SIDE_A, "V2", NULL, CHECK_UNAVAILABLE },
		/* the validation sees the vault's policies and its key's expiry and
		 * recovery level: not its purge protection (vault.softdelete's) */
		{ "vault.validate", CHECK_VAULT_ACCESS, CK_SIDE_A, "V2", "K2", CHECK_FAIL },
		{ "vault.validate", CHECK_VAULT_ACCESS, CK_SIDE_A, "V1", "K2", CHECK_PASS },
		{ "vault.validate", CHECK_VAULT_ACCESS, CK_SIDE_A, "V1", "K1", CHECK_UNAVAILABLE },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++) {
		struct step st;
		memset(&st, 0, sizeof(st));
		st.template_id = cases[i].template_id;
		st.check.kind = cases[i].kind;
		st.check.side = cases[i].side;
		st.check.vault = cases[i].vault;
		st.check.key = cases[i].key;
		struct check_result r;
		backend_rest_judge(&a, &st, &r);
		assert_int_equal(r.status, cases[i].want);
		assert_non_null(r.summary);
		if (cases[i].kind == CHECK_VAULT && cases[i].side == CK_SIDE_A &&
		    util_streq(cases[i].vault, "V1")) {
			/* both spellings of the vault's name, and who observed */
			assert_non_null(strstr(r.detail, "region: eastus2"));
			assert_non_null(strstr(r.detail, "observed by: alice@contoso.example"));
			assert_null(strstr(r.detail, "access policy"));
		}
		check_result_free(&r);
	}
	audit_free(&a);
}

int main(void)
{
	http_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_azure_parse_refuses_what_cjson_accepts),
		cmocka_unit_test(test_azure_lookups_are_case_sensitive),
		cmocka_unit_test(test_azure_times_beyond_int_stay_exact),
		cmocka_unit_test(test_azure_clamp_before_conversion),
		cmocka_unit_test(test_azure_vault_absent_and_unknown_fields),
		cmocka_unit_test(test_azure_key_size_from_modulus),
		cmocka_unit_test(test_azure_kid_versioned_and_versionless),
		cmocka_unit_test(test_azure_error_bodies),
		cmocka_unit_test(test_azure_backoff_and_retry_after),
		cmocka_unit_test(test_azure_retryable),
		cmocka_unit_test(test_azure_endpoints_file),
		cmocka_unit_test(test_azure_token_hosts),
		cmocka_unit_test(test_azure_dataplane_urls),
		cmocka_unit_test(test_azure_new_file_exists_advice),
		cmocka_unit_test(test_azure_device_poll_answers),
		cmocka_unit_test(test_azure_form_encoding),
		cmocka_unit_test(test_azure_step_results_from_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
