/* test_azure_token.c: tokens and sign-ins without a network: a token's
 * claims and the identity check, a side whose sign-in Entra refused or the
 * audit found to be another identity, requests refused before they are
 * sent, and performs that can ask nothing of Azure: each sends nothing and
 * answers the code the session takes for "the authorization stands". */
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
#include "azure/backend_rest.h"
#include "azure/backend_rest_int.h"
#include "azure/endpoints.h"
#include "azure/entra.h"
#include "azure/http.h"
#include "azure/token.h"
#include "buf.h"
#include "hash.h"
#include "inventory.h"
#include "plan.h"
#include "steps.h"
#include "util.h"
/* A JWT with the given claims and a dummy signature. */
static char *jwt(const char *claims)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "eyJhbGciOiJSUzI1NiJ9.");
	/* the claims in unpadded base64url, as a JWT carries them */
	char *s = hash_base64((const unsigned char *)claims, strlen(claims));
	for (const char *c = s; *c && *c != '='; c++)
		buf_putc(&b, *c == '+' ? '-' : *c == '/' ? '_' : *c);
	free(s);
	buf_puts(&b, ".c2ln");
	return buf_steal(&b);
}

static void test_azure_token_claims_and_identity(void **state)
{
	(void)state;
	char *err = NULL;
	char *bob = jwt("{\"oid\":\"o-bob\",\"tid\":\"T1\",\"upn\":\"Bob@Contoso.example\","
			"\"exp\":253402214400}");
	struct az_token *t = az_token_new(bob, strlen(bob), AZ_RES_ARM, CK_SIDE_A, &err);
	assert_non_null(t);
	assert_string_equal(t->oid, "o-bob");
	assert_true(t->expires == (time_t)253402214400LL);
	/* operator B's token on side A (whose operator is alice): refused */
	assert_int_equal(az_identity_check(t, "t1", "alice@contoso.example", NULL, NULL, &err), -1);
	assert_non_null(strstr(err, "the plan names alice@contoso.example"));
	free(err);
	assert_int_equal(az_identity_check(t, "t1", "bob@contoso.example", NULL, NULL, &err), 0);
	assert_int_equal(az_identity_check(t, "t1", NULL, "O-BOB", NULL, &err), 0);
	/* an object ID in the plan wins over a matching UPN (renamed, reused) */
	assert_int_equal(az_identity_check(t, "t1", "bob@contoso.example", "o-other", NULL, &err), -1);
	assert_non_null(strstr(err, "the plan names o-other"));
	free(err);
	assert_int_equal(az_identity_check(t, "t2", "bob@contoso.example", NULL, NULL, &err), -1);
	free(err);
	/* a person is not the application a scheduled audit names */
	assert_int_equal(az_identity_check(t, "t1", NULL, NULL, "app-1", &err), -1);
	free(err);
	az_token_free(t);
	free(bob);
	char *noid = jwt("{\"tid\":\"T1\"}");
	assert_null(az_token_new(noid, strlen(noid), AZ_RES_ARM, CK_SIDE_A, &err));
	free(err);
	free(noid);
	assert_null(az_token_new("opaque", 6, AZ_RES_ARM, CK_SIDE_A, &err));
	free(err);
}

/* exp beyond any date (1e400 is infinity to the JSON reader) or past the
 * year 9999 is read as absent, never converted (undefined for infinity:
 * found by the azure fuzz target); at or before 1970 (minus infinity
 * included) it is a date long past, 1, never 0 (no expiry); a real date is
 * kept. */
static void test_azure_token_exp_out_of_range(void **state)
{
	(void)state;
	static const struct {
		const char *exp;
		time_t want;
	} cases[] = {
		{ "1e400", 0 }, { "253402300800", 0 }, { "-1e400", 1 }, { "-5", 1 }, { "0", 1 },
		{ "0.5", 1 },
		{ "253402214400", (time_t)253402214400LL }, { "1796654444", (time_t)1796654444 },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++) {
		char *err = NULL;
		char *claims = xasprintf("{\"oid\":\"o\",\"tid\":\"t\",\"exp\":%s}", cases[i].exp);
		char *tok = jwt(claims);
		struct az_token *t = az_token_new(tok, strlen(tok), AZ_RES_ARM, CK_SIDE_A, &err);
		assert_non_null(t);
		if (t->expires != cases[i].want)
			fail_msg("exp %s: expires %lld", cases[i].exp, (long long)t->expires);
		az_token_free(t);
		free(tok);
		free(claims);
	}
}

/* An endpoints file without hsm-suffix has no Managed HSM audience: asking
 * for that token is a clear error, not a request for "(null)/.default". */
static void test_azure_no_hsm_audience(void **state)
{
	(void)state;
	char *err = NULL;
	struct endpoints *e = endpoints_parse("t", "authority = https://l.test\narm = https://m.test\n"
					      "vault-suffix = vault.test\ngraph = https://g.test\n", &err);
	assert_non_null(e);
	struct http_client c;
	http_client_init(&c, e);
	struct az_cred cred;
	az_cred_init(&cred, AZ_SIGNIN_DEVICE, CK_SIDE_A, &c, "t");
	assert_null(az_cred_token(&cred, AZ_RES_HSM, 1000, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "no Managed HSM service"));
	free(err);
	az_cred_free(&cred);
	http_client_cleanup(&c);
	endpoints_free(e);
}

/* Once Entra has refused a side's refresh token for good, no token of that
 * side is handed out, not even one still cached for another service: the
 * side is signed out until its owner signs in again. */
static void test_azure_lost_signin_gives_no_cached_token(void **state)
{
	(void)state;
	char *err = NULL;
	struct endpoints *e = endpoints_cloud("public", &err);
	assert_non_null(e);
	struct http_client c;
	http_client_init(&c, e);
	struct az_cred cred;
	az_cred_init(&cred, AZ_SIGNIN_DEVICE, CK_SIDE_A, &c, "t");
	char *tok = jwt("{\"oid\":\"o\",\"tid\":\"t\",\"exp\":253402214400}");
	cred.tok[AZ_RES_VAULT] = az_token_new(tok, strlen(tok), AZ_RES_VAULT, CK_SIDE_A, &err);
	assert_non_null(cred.tok[AZ_RES_VAULT]);
	assert_ptr_equal(az_cred_token(&cred, AZ_RES_VAULT, 1000, &err), cred.tok[AZ_RES_VAULT]);
	cred.lost = true;
	assert_null(az_cred_token(&cred, AZ_RES_VAULT, 1000, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, "no longer accepts this sign-in"));
	free(err);
	free(tok);
	az_cred_free(&cred);
	http_client_cleanup(&c);
	endpoints_free(e);
}

/* A REST backend for plans/PLAN with both sides taken as signed in, their
 * credentials as the test leaves them; the world is freed by rp_free. */
struct rp_world {
	struct diags d;
	struct plan *p;
	struct inventory *inv;
	struct catalogue *cat;
	struct endpoints *e;
	struct backend *b;
	struct rest_state *st;
};

static void rp_open(struct rp_world *w, const char *plan)
{
	char *err = NULL;
	memset(w, 0, sizeof(*w));
	const char *src = getenv("CK_SRCDIR");
	char *path = xasprintf("%s/plans/%s", src ? src : ".", plan);
	w->p = plan_load(path, &w->d);
	free(path);
	assert_non_null(w->p);
	w->inv = inventory_build(w->p, &w->d);
	assert_non_null(w->inv);
	w->cat = catalogue_build(w->p, w->inv, true, STEPS_CATALOGUE_VERSION);
	assert_non_null(w->cat);
	w->e = endpoints_cloud("public", &err);
	assert_non_null(w->e);
	struct backend_rest_config cfg = { .ep = w->e, .method = AZ_SIGNIN_DEVICE };
	w->b = backend_rest_open(w->p, w->inv, &cfg, &err);
	assert_non_null(w->b);
	w->st = w->b->state;
	for (int side = 0; side < CK_SIDES; side++) {
		az_cred_init(&w->st->cred[side], AZ_SIGNIN_DEVICE, side, &w->st->http,
			     w->p->org.tenant_id);
		w->st->signed_in[side] = true;
	}
}

/* Side's cached token for service res, of the identity the plan names for
 * that side (upn NULL), or of another person (upn): valid far ahead, so no
 * refresh is asked of the network. */
static void rp_token(struct rp_world *w, int side, enum az_resource res, const char *upn)
{
	char *err = NULL;
	const struct plan_operator *op = &w->p->op[w->p->sub[side].operator_side];
	char *oid = op->object_id && !upn ? xstrdup(op->object_id)
					  : xasprintf("o-%c", ck_side_letter(side));
	char *claims = xasprintf("{\"oid\":\"%s\",\"tid\":\"%s\",\"upn\":\"%s\","
				 "\"exp\":253402214400}", oid, w->p->org.tenant_id,
				 upn ? upn : op->upn);
	char *tok = jwt(claims);
	az_token_free(w->st->cred[side].tok[res]);
	w->st->cred[side].tok[res] = az_token_new(tok, strlen(tok), res, side, &err);
	assert_non_null(w->st->cred[side].tok[res]);
	free(tok);
	free(claims);
	free(oid);
}

/* Perform every step the backend writes (only those of template only, when
 * given): each must answer code (rest-side-problem when NULL). Returns how
 * many did. */
static size_t rp_perform_answers(struct rp_world *w, const char *only, const char *code)
{
	char *err = NULL;
	size_t n = 0;
	for (size_t i = 0; i < w->cat->n_steps; i++) {
		const struct step *s = &w->cat->steps[i];
		char *rq = NULL;
		if (only && !util_streq(s->template_id, only))
			continue;
		if (w->b->ops->describe(w->b, s, &rq, &err) != 0) {
			free(err);
			err = NULL;
			continue;
		}
		free(rq);
		struct check_result r;
		memset(&r, 0, sizeof(r));
		assert_int_equal(backend_perform(w->b, s, 1000, &r), 0);
		if (!util_streq(r.code, code ? code : "rest-side-problem"))
			fail_msg("%s: %s (%s)", s->id, r.code ? r.code : "?",
				 r.summary ? r.summary : "");
		n++;
		check_result_free(&r);
	}
	return n;
}

static size_t rp_perform_sends_nothing(struct rp_world *w, const char *only)
{
	return rp_perform_answers(w, only, NULL);
}

/* Every backup step's file as recorded: a restore has something to send. */
static const char *rp_backup_recorded(void *ctx, const char *step_id, const char *evidence_id)
{
	(void)ctx, (void)step_id, (void)evidence_id;
	return "sha256:0000000000000000000000000000000000000000000000000000000000000000  "
	       "backup.bin";
}

static void rp_free(struct rp_world *w)
{
	backend_free(w->b);
	endpoints_free(w->e);
	catalogue_free(w->cat);
	inventory_free(w->inv);
	plan_free(w->p);
	diags_free(&w->d);
}

/* --execute with a sign-in Entra has refused for good: every write of a
 * Managed HSM plan (HSMs, their activation, roles, keys, backups) sends
 * nothing and says rest-side-problem, the code the session takes for
 * "nothing sent, the authorization still stands". A write-failed would
 * consume both operators' authorization for a request never made. */
static void test_azure_lost_signin_hsm_perform_sends_nothing(void **state)
{
	(void)state;
	struct rp_world w;
	rp_open(&w, "contoso-hsm.yaml");
	for (int side = 0; side < CK_SIDES; side++) {
		w.st->cred[side].lost = true;
		char *why = w.b->ops->signed_out_why(w.b, side);
		assert_non_null(why);
		assert_non_null(strstr(why, "no longer accepts this sign-in"));
		free(why);
	}
	assert_true(rp_perform_sends_nothing(&w, NULL) > 0);
	assert_true(rp_perform_sends_nothing(&w, "hsm.activate") == 2);
	rp_free(&w);
}

/* The ARM token holds but the data plane's cannot be had: a backup (of a
 * vault's key or an HSM's), a restore or an HSM's role assignment is not
 * sent, and says so as a
 * perform without a token does, not as a write Azure refused. (An
 * endpoints file without that service fails the token as a refused refresh
 * does, before anything is sent, and with no network in the test.) */
static void test_azure_no_dataplane_token_sends_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *plan, *tmpl;
		unsigned gone; /* the services the endpoints leave out: 1 << AZ_RES_... */
	} cases[] = {
		{ "contoso-exchange.yaml", "key.backup", 1u << AZ_RES_VAULT },
		{ "contoso-exchange.yaml", "manage.roll_backup", 1u << AZ_RES_VAULT },
		{ "contoso-exchange.yaml", "manage.restore", 1u << AZ_RES_VAULT },
		{ "contoso-hsm.yaml", "key.backup", 1u << AZ_RES_HSM },
		/* the roles' look signs in to every service first: none is asked */
		{ "contoso-hsm.yaml", "hsm.role.service",
		  1u << AZ_RES_VAULT | 1u << AZ_RES_GRAPH | 1u << AZ_RES_HSM },
		{ "contoso-hsm.yaml", "hsm.role.admins",
		  1u << AZ_RES_VAULT | 1u << AZ_RES_GRAPH | 1u << AZ_RES_HSM },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++) {
		struct rp_world w;
		rp_open(&w, cases[i].plan);
		/* the plan's own identities: what is missing is only the data
		 * plane's token, not a sign-in the audit would refuse */
		for (int side = 0; side < CK_SIDES; side++)
			rp_token(&w, side, AZ_RES_ARM, NULL);
		w.b->ops->set_evidence(w.b, rp_backup_recorded, NULL);
		for (int res = 0; res < AZ_RES_COUNT; res++) {
			if (!(cases[i].gone & 1u << res))
				continue;
			free(w.e->resource[res]);
			w.e->resource[res] = NULL;
		}
		if (rp_perform_sends_nothing(&w, cases[i].tmpl) == 0)
			fail_msg("%s: no step %s written", cases[i].plan, cases[i].tmpl);
		rp_free(&w);
	}
}

/* A sign-in whose tokens turn out, at a check, to be another person's than
 * the plan names, or one identity on both sides: the check says
 * rest-side-refused, the backend no longer counts the side as signed in (so
 * the session signs it out and its operator signs in again), and every
 * perform meanwhile sends nothing and says the same: the session keeps the
 * authorization, and the wizard says "sign-in refused", not "token not
 * renewed". */
static void test_azure_refused_identity_sends_nothing(void **state)
{
	(void)state;
	static const enum az_resource basic[] = { AZ_RES_ARM, AZ_RES_VAULT, AZ_RES_GRAPH };
	for (int same = 0; same < 2; same++) {
		struct rp_world w;
		rp_open(&w, "contoso-exchange.yaml");
		for (int side = 0; side < CK_SIDES; side++)
			for (size_t r = 0; r < CK_ARRAY_LEN(basic); r++)
				rp_token(&w, side, basic[r], same ? NULL : "mallory@contoso.example");
		/* the plan names no object IDs: B's token with B's UPN but A's
		 * object ID is one identity on both sides */
		if (same)
			for (size_t r = 0; r < CK_ARRAY_LEN(basic); r++) {
				free(w.st->cred[CK_SIDE_B].tok[basic[r]]->oid);
				w.st->cred[CK_SIDE_B].tok[basic[r]]->oid =
					xstrdup(w.st->cred[CK_SIDE_A].tok[basic[r]]->oid);
			}
		const struct step *s = NULL;
		for (size_t i = 0; i < w.cat->n_steps && !s; i++)
			if (util_streq(w.cat->steps[i].template_id, "vault.create"))
				s = &w.cat->steps[i];
		assert_non_null(s);
		for (int side = 0; side < CK_SIDES; side++)
			assert_true(w.b->ops->signed_in(w.b, side));
		struct check_result r;
		memset(&r, 0, sizeof(r));
		assert_int_equal(backend_check(w.b, s, 1000, &r), 0);
		assert_int_equal(r.status, CHECK_UNAVAILABLE);
		assert_string_equal(r.code, "rest-side-refused");
		assert_non_null(strstr(r.summary, same ? "same identity" : "mallory"));
		check_result_free(&r);
		for (int side = 0; side < CK_SIDES; side++)
			assert_false(w.b->ops->signed_in(w.b, side));
		/* every step of a subscription: not described (describing may
		 * look principals up in Graph) and not performed, nothing sent */
		size_t refused = 0;
		for (size_t i = 0; i < w.cat->n_steps; i++) {
			const struct step *st = &w.cat->steps[i];
			char *rq = NULL, *err = NULL;
			if (st->check.side < 0)
				continue;
			if (w.b->ops->describe(w.b, st, &rq, &err) != -1 ||
			    (!strstr(err, "mallory") && !strstr(err, "same identity")))
				fail_msg("%s described: %s", st->id, err ? err : rq);
			free(err);
			memset(&r, 0, sizeof(r));
			assert_int_equal(backend_perform(w.b, st, 1000, &r), 0);
			if (!util_streq(r.code, "rest-side-refused"))
				fail_msg("%s: %s (%s)", st->id, r.code ? r.code : "?",
					 r.summary ? r.summary : "");
			check_result_free(&r);
			refused++;
		}
		assert_true(refused > 20);
		/* signing in again starts afresh (here: signing out clears it) */
		w.b->ops->sign_out(w.b, CK_SIDE_A);
		w.st->signed_in[CK_SIDE_A] = true;
		assert_true(w.b->ops->signed_in(w.b, CK_SIDE_A));
		rp_free(&w);
	}
}

/* The refusal found by a perform's own look, no check before it: a vault
 * (the writes' look) and an HSM's role assignment (the roles' look) both
 * answer rest-side-refused with nothing sent, and the side is no longer
 * counted as signed in. */
static void test_azure_refused_at_the_perform_look(void **state)
{
	(void)state;
	static const struct {
		const char *plan, *tmpl;
	} cases[] = {
		{ "contoso-exchange.yaml", "vault.create" },
		{ "contoso-hsm.yaml", "hsm.role.admins" },
	};
	for (size_t i = 0; i < CK_ARRAY_LEN(cases); i++) {
		struct rp_world w;
		rp_open(&w, cases[i].plan);
		for (int side = 0; side < CK_SIDES; side++)
			for (int res = 0; res < AZ_RES_COUNT; res++)
				rp_token(&w, side, (enum az_resource)res, "mallory@contoso.example");
		const struct step *s = NULL;
		for (size_t k = 0; k < w.cat->n_steps && !s; k++)
			if (util_streq(w.cat->steps[k].template_id, cases[i].tmpl))
				s = &w.cat->steps[k];
		assert_non_null(s);
		struct check_result r;
		memset(&r, 0, sizeof(r));
		assert_int_equal(backend_perform(w.b, s, 1000, &r), 0);
		if (!util_streq(r.code, "rest-side-refused") || !strstr(r.summary, "mallory"))
			fail_msg("%s: %s (%s)", s->id, r.code ? r.code : "?", r.summary ? r.summary : "");
		assert_int_equal(r.status, CHECK_UNAVAILABLE);
		check_result_free(&r);
		assert_false(w.b->ops->signed_in(w.b, s->check.side));
		rp_free(&w);
	}
}

/* The credential's own pin, through a sign-in that really fetches: a
 * stand-in for the Azure CLI answers the plan's operator for ARM and
 * another person for every other service. Side A's first token pins its
 * identity; a backup then asks Key Vault for a token and is given
 * mallory's: the perform answers rest-side-refused (no look of its own
 * came first, and nothing is sent: the test has no network), every token
 * and the refresh token are gone, the ARM token cached before is refused
 * too, and describing or performing anything of the side sends nothing. */
static void test_azure_pinned_identity_refuses_another(void **state)
{
	(void)state;
	char dir[] = "/tmp/ck-az-pin.XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct rp_world w;
	rp_open(&w, "contoso-exchange.yaml");
	const struct plan_operator *op = &w.p->op[w.p->sub[CK_SIDE_A].operator_side];
	char *mine = xasprintf("{\"oid\":\"o-a\",\"tid\":\"%s\",\"upn\":\"%s\",\"exp\":253402214400}",
			       w.p->org.tenant_id, op->upn);
	char *theirs = xasprintf("{\"oid\":\"o-m\",\"tid\":\"%s\",\"upn\":\"mallory@contoso.example\","
				 "\"exp\":253402214400}", w.p->org.tenant_id);
	const char *names[2] = { "arm", "other" };
	char *claims[2] = { mine, theirs };
	for (int i = 0; i < 2; i++) {
		char *tok = jwt(claims[i]);
		char *path = xasprintf("%s/%s", dir, names[i]);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "{\"accessToken\": \"%s\"}\n", tok);
		fclose(f);
		free(path);
		free(tok);
	}
	/* az account get-access-token --resource RESOURCE ...: $4 */
	char *az = xasprintf("%s/az", dir);
	FILE *f = fopen(az, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\ncase \"$4\" in\n*management*) exec cat %s/arm ;;\n"
		   "*) exec cat %s/other ;;\nesac\n", dir, dir);
	fclose(f);
	assert_int_equal(chmod(az, 0700), 0);
	struct az_cred *c = &w.st->cred[CK_SIDE_A];
	az_cred_free(c);
	az_cred_init(c, AZ_SIGNIN_AZ, CK_SIDE_A, &w.st->http, w.p->org.tenant_id);
	c->az_program = xstrdup(az);
	char *err = NULL;
	const struct az_token *arm = az_cred_token(c, AZ_RES_ARM, 1000, &err);
	assert_non_null(arm);
	assert_string_equal(arm->oid, "o-a");
	const struct step *s = NULL;
	for (size_t i = 0; i < w.cat->n_steps && !s; i++)
		if (util_streq(w.cat->steps[i].template_id, "key.backup") &&
		    w.cat->steps[i].check.side == CK_SIDE_A)
			s = &w.cat->steps[i];
	assert_non_null(s);
	struct check_result r;
	memset(&r, 0, sizeof(r));
	assert_int_equal(backend_perform(w.b, s, 1000, &r), 0);
	if (!util_streq(r.code, "rest-side-refused") || !strstr(r.summary, "mallory") ||
	    !strstr(r.summary, op->upn))
		fail_msg("%s: %s (%s)", s->id, r.code ? r.code : "?", r.summary ? r.summary : "");
	assert_int_equal(r.status, CHECK_UNAVAILABLE);
	check_result_free(&r);
	assert_true(c->refused);
	for (int res = 0; res < AZ_RES_COUNT; res++)
		assert_null(c->tok[res]);
	assert_null(c->refresh);
	assert_null(az_cred_token(c, AZ_RES_ARM, 1000, &err));
	assert_non_null(strstr(err, "another identity"));
	free(err);
	err = NULL;
	assert_false(w.b->ops->signed_in(w.b, CK_SIDE_A));
	/* why, for the screens: B's sign-in holds, so it has none */
	char *why = w.b->ops->signed_out_why(w.b, CK_SIDE_A);
	assert_non_null(why);
	assert_non_null(strstr(why, "another identity"));
	free(why);
	assert_null(w.b->ops->signed_out_why(w.b, CK_SIDE_B));
	/* the side stays signed in as far as the session knows until it
	 * signs it out: each of its steps is refused meanwhile */
	w.st->signed_in[CK_SIDE_A] = true;
	size_t refused = 0;
	for (size_t i = 0; i < w.cat->n_steps; i++) {
		const struct step *st = &w.cat->steps[i];
		char *rq = NULL;
		if (st->check.side != CK_SIDE_A)
			continue;
		if (w.b->ops->describe(w.b, st, &rq, &err) != -1 || !strstr(err, "another identity"))
			fail_msg("%s described: %s", st->id, err ? err : rq);
		free(err);
		err = NULL;
		memset(&r, 0, sizeof(r));
		assert_int_equal(backend_perform(w.b, st, 1000, &r), 0);
		if (!util_streq(r.code, "rest-side-refused"))
			fail_msg("%s: %s", st->id, r.code ? r.code : "?");
		check_result_free(&r);
		refused++;
	}
	assert_true(refused > 10);
	rp_free(&w);
	free(mine);
	free(theirs);
	for (int i = 0; i < 2; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		unlink(path);
		free(path);
	}
	unlink(az);
	free(az);
	rmdir(dir);
}

static void test_azure_refuses_before_sending(void **state)
{
	(void)state;
	char *err = NULL;
	struct endpoints *e = endpoints_cloud("public", &err);
	struct http_client c;
	http_client_init(&c, e);
	char *claims = jwt("{\"oid\":\"o\",\"tid\":\"t\",\"upn\":\"b@x\"}");
	struct az_token *tb = az_token_new(claims, strlen(claims), AZ_RES_ARM, CK_SIDE_B, &err);
	struct http_req *r[3];
	r[0] = http_req_new("GET", "https://management.azure.com/subscriptions/a", CK_SIDE_A, "sub A");
	r[0]->token = tb;  /* B's token, A's request */
	r[1] = http_req_new("GET", "https://v.vault.azure.net/keys", CK_SIDE_B, "vault");
	r[1]->token = tb;  /* an ARM token to a vault */
	r[2] = http_req_new("GET", "http://management.azure.com/", CK_SIDE_B, "plain");
	http_run(&c, r, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(r[i]->fail, HTTP_REFUSED);
		assert_int_equal(r[i]->attempts, 0);
		char *d = http_describe(r[i]);
		assert_non_null(strstr(d, "not sent"));
		free(d);
		http_req_free(r[i]);
	}
	az_token_free(tb);
	free(claims);
	http_client_cleanup(&c);
	endpoints_free(e);
}
int main(void)
{
	http_global_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_azure_token_claims_and_identity),
		cmocka_unit_test(test_azure_token_exp_out_of_range),
		cmocka_unit_test(test_azure_no_hsm_audience),
		cmocka_unit_test(test_azure_lost_signin_gives_no_cached_token),
		cmocka_unit_test(test_azure_lost_signin_hsm_perform_sends_nothing),
		cmocka_unit_test(test_azure_no_dataplane_token_sends_nothing),
		cmocka_unit_test(test_azure_pinned_identity_refuses_another),
		cmocka_unit_test(test_azure_refuses_before_sending),
		cmocka_unit_test(test_azure_refused_identity_sends_nothing),
		cmocka_unit_test(test_azure_refused_at_the_perform_look),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
