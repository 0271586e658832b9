/* rest_probe.c: drives the REST backend through the seam exactly as the
 * session will (open, sign in each side, one batched check of every step
 * that has a live check) and prints one line per step:
 *   STEP-ID STATUS SUMMARY
 * Used by tests/rest_backend.sh against the fake; PROBE_EVIDENCE and
 * PROBE_EVIDENCE_AT play the session's recorded evidence (below).
 * usage: rest_probe PLAN ENDPOINTS CA-BUNDLE AZ-CONFIG-A AZ-CONFIG-B
 *    or: rest_probe --create-vault NAME PLAN ENDPOINTS CA-BUNDLE AZ-CONFIG-A
 *    or: rest_probe --agree PLAN ENDPOINTS CA-BUNDLE AZ-CONFIG-A AZ-CONFIG-B SIM-DIR [FAULTS]
 * The second form PUTs a vault in side A's first resource group and waits
 * for the long-running operation (lro.h), printing how it ended. The third
 * performs the whole ceremony in the simulator, then asks both backends the
 * same batch of checks and prints "STEP sim=STATUS rest=STATUS" a line and
 * "agree N disagree M" (the fake's clean tenant is the ceremony's end).
 * The REST backend is handed, as the session would, the simulator's backup
 * files as the backup steps' evidence, recorded as the probe starts
 * checking. Then, for the scenarios: PROBE_SIM_AGAIN=STEP performs that
 * step once more in the simulator (a key made again: a new version), and
 * PROBE_BACKUP_FILE=gone|empty|changed does that to side A's first backup
 * file after it was recorded.
 *    or: rest_probe --simulate PLAN SIM-DIR
 * performs every step in the simulator, a day apart, each followed by the
 * save of SIM-DIR/sim.json, as a rehearsal's perform does (no network):
 * "STEP STATUS CODE" a line, or "! STEP save failed: WHY" (then it stops, as
 * the session refuses the step). PROBE_SIM_STEPS=N performs the first N
 * steps only (0: the state is opened, as a resumed session opens it).
 * tests/crash_writers.sh stops it at each of its writes. */
#include "config.h"

#include "ck.h"
#include "azure/backend_rest.h"
#include "azure/rest.h"
#include "azure/http.h"
#include "azure/lro.h"
#include "hash.h"
#include "inventory.h"
#include "plan.h"
#include "rules.h"
#include "steps.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int probe_codes_shown;

/* PROBE_TIMEOUT=SECONDS: each request's limit (the fault tests keep a slow
 * answer short); unset: the backend's default. */
static long probe_timeout(void)
{
	const char *t = getenv("PROBE_TIMEOUT");
	return t ? strtol(t, NULL, 10) : 0;
}

static void probe_show_code(void *cookie, int side, const char *who, const char *url,
			    const char *code)
{
	(void)cookie, (void)side, (void)who, (void)url, (void)code;
	probe_codes_shown++;
}

static int probe_create_vault(char **argv)
{
	const char *name = argv[2];
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(argv[3], &d);
	struct inventory *inv = p ? inventory_build(p, &d) : NULL;
	char *err = NULL;
	struct endpoints *ep = endpoints_load(argv[4], &err);
	if (!inv || !ep) {
		fprintf(stderr, "rest_probe: setup failed\n");
		return 2;
	}
	struct http_client http;
	http_client_init(&http, ep);
	http.ca_bundle = argv[5];
	struct az_cred cred;
	az_cred_init(&cred, AZ_SIGNIN_AZ, CK_SIDE_A, &http, p->org.tenant_id);
	cred.az_config = xstrdup(argv[6]);
	const struct az_token *t = az_cred_token(&cred, AZ_RES_ARM, time(NULL), &err);
	int rc = 1;
	if (!t) {
		printf("sign-in failed: %s\n", err);
	} else {
		const struct inv_side *s = &inv->deps[0].side[CK_SIDE_A];
		char *url = arm_url_vault(ep, p->sub[CK_SIDE_A].id, s->resource_group, name);
		char *body = xasprintf("{\"location\":\"%s\",\"properties\":{\"tenantId\":\"%s\","
				       "\"sku\":{\"family\":\"A\",\"name\":\"premium\"},"
				       "\"enablePurgeProtection\":true,\"accessPolicies\":[]}}",
				       s->region, p->org.tenant_id);
		struct http_req *r = http_req_new("PUT", url, CK_SIDE_A, name);
		http_req_set_body(r, "application/json", body, strlen(body));
		r->token = t;
		http_run(&http, &r, 1);
		int polls = 0;
		enum lro_state st = lro_wait(&http, r, t, http_now() + 60, &polls, &err);
		static const char *const names[] = { "done", "failed", "timeout", "broken" };
		printf("create %s: HTTP %ld, %s after %d poll(s)%s%s\n", name, r->status, names[st], polls,
		       err ? ": " : "", err ? err : "");
		rc = st == LRO_DONE ? 0 : 1;
		http_req_free(r);
		free(url);
		free(body);
	}
	free(err);
	az_cred_free(&cred);
	http_client_cleanup(&http);
	endpoints_free(ep);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	return rc;
}

/* The checks both backends can answer: every live check but the
 * contributors' role assignments. */
static size_t probe_live_steps(const struct catalogue *cat, const struct step **steps)
{
	size_t n = 0;
	for (size_t i = 0; i < cat->n_steps; i++)
		if (cat->steps[i].check.kind != CHECK_NONE &&
		    strcmp(cat->steps[i].template_id, "vault.contributors") != 0)
			steps[n++] = &cat->steps[i];
	return n;
}

/* The backups as the session would have recorded them: per backup step,
 * "sha256:HEX  PATH" of the simulator's file of that key, and when. */
struct probe_backups {
	const struct catalogue *cat;
	char **value;             /* by step index, NULL: none */
	time_t at;
};

static const char *probe_backup_get(void *ctx, const char *step_id, const char *evidence_id)
{
	const struct probe_backups *pb = ctx;
	for (size_t i = 0; i < pb->cat->n_steps; i++)
		if (strcmp(pb->cat->steps[i].id, step_id) == 0 && strcmp(evidence_id, "backup_file") == 0)
			return pb->value[i];
	return NULL;
}

static time_t probe_backup_time(void *ctx, const char *step_id, const char *evidence_id)
{
	const struct probe_backups *pb = ctx;
	return probe_backup_get(ctx, step_id, evidence_id) ? pb->at : 0;
}

static void probe_backups_record(struct probe_backups *pb, const char *simdir, time_t at)
{
	pb->value = xcalloc(pb->cat->n_steps + 1, sizeof(*pb->value));
	pb->at = at;
	for (size_t i = 0; i < pb->cat->n_steps; i++) {
		const struct step *st = &pb->cat->steps[i];
		if (st->check.kind != CHECK_KEY_BACKUP || !st->dep || st->check.side < 0)
			continue;
		char day[16];
		struct tm tm;
		char hex[HASH_SHA256_HEX_LEN + 1];
		/* the simulator names the file for the day on its clock: try each */
		for (time_t t = at; t < at + 400 * 86400L && !pb->value[i]; t += 86400) {
			gmtime_r(&t, &tm);
			strftime(day, sizeof day, "%Y%m%d", &tm);
			char *name = inventory_backup_name(&st->dep->side[st->check.side], day);
			char *path = xasprintf("%s/%s", simdir, name);
			if (hash_file_sha256_hex(path, hex) == 0)
				pb->value[i] = xasprintf("sha256:%s  %s", hex, path);
			free(path);
			free(name);
		}
	}
}

/* PROBE_BACKUP_FILE: side A's first recorded backup file gone, empty or changed. */
static void probe_backup_tamper(const struct probe_backups *pb)
{
	const char *how = getenv("PROBE_BACKUP_FILE");
	for (size_t i = 0; how && i < pb->cat->n_steps; i++) {
		if (!pb->value[i] || pb->cat->steps[i].check.side != CK_SIDE_A)
			continue;
		const char *path = strstr(pb->value[i], "  ") + 2;
		if (strcmp(how, "gone") == 0) {
			remove(path);
		} else {
			FILE *f = fopen(path, strcmp(how, "empty") == 0 ? "w" : "a");
			if (f) {
				if (strcmp(how, "changed") == 0)
					fputc('x', f);
				fclose(f);
			}
		}
		return;
	}
}

static int probe_agree(char **argv)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(argv[2], &d);
	struct inventory *inv = p ? inventory_build(p, &d) : NULL;
	struct catalogue *cat = inv ? catalogue_build(p, inv, false, STEPS_CATALOGUE_VERSION) : NULL;
	char *err = NULL;
	struct endpoints *ep = endpoints_load(argv[3], &err);
	char *simpath = xasprintf("%s/sim.json", argv[7]);
	struct backend *sim = cat ? backend_sim_open(simpath, cat, argv[8], 3600, &err) : NULL;
	if (!sim || !ep) {
		fprintf(stderr, "rest_probe: setup failed: %s\n", err ? err : "plan");
		return 2;
	}
	/* the ceremony in order, a day apart so that every wait has passed */
	time_t now = time(NULL);
	for (size_t i = 0; i < cat->n_steps; i++) {
		struct check_result r;
		memset(&r, 0, sizeof(r));
		(void)backend_perform(sim, &cat->steps[i], now, &r);
		check_result_free(&r);
		now += 24 * 3600;
	}
	struct probe_backups pb = { .cat = cat };
	time_t real = time(NULL);
	probe_backups_record(&pb, argv[7], real);
	const char *again = getenv("PROBE_SIM_AGAIN");
	for (size_t i = 0; again && i < cat->n_steps; i++) {
		if (strcmp(cat->steps[i].id, again) != 0)
			continue;
		struct check_result r;
		memset(&r, 0, sizeof(r));
		(void)backend_perform(sim, &cat->steps[i], now, &r);
		check_result_free(&r);
		now += 24 * 3600;
	}
	probe_backup_tamper(&pb);
	struct backend_rest_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ep = ep;
	cfg.ca_bundle = argv[4];
	cfg.method = AZ_SIGNIN_AZ;
	cfg.az_config[CK_SIDE_A] = argv[5];
	cfg.az_config[CK_SIDE_B] = argv[6];
	cfg.timeout = probe_timeout();
	struct backend *rest = backend_rest_open(p, inv, &cfg, &err);
	rest->ops->set_evidence(rest, probe_backup_get, &pb);
	rest->ops->set_evidence_time(rest, probe_backup_time);
	for (int s = 0; s < CK_SIDES; s++) {
		char *id = NULL;
		if (backend_sign_in(rest, s, NULL, real, &id, &err) != 0) {
			printf("sign-in %c refused %s\n", ck_side_letter(s), err);
			free(err);
			err = NULL;
		}
		free(id);
	}
	const struct step **steps = xcalloc(cat->n_steps + 1, sizeof(*steps));
	size_t n = probe_live_steps(cat, steps);
	struct check_result *rs = xcalloc(n + 1, sizeof(*rs)), *rr = xcalloc(n + 1, sizeof(*rr));
	backend_check_batch(sim, steps, n, now, NULL, rs);
	backend_check_batch(rest, steps, n, real, NULL, rr);
	size_t agree = 0, disagree = 0;
	for (size_t i = 0; i < n; i++) {
		bool same = rs[i].status == rr[i].status;
		same ? agree++ : disagree++;
		printf("%s sim=%s rest=%s%s%s\n", steps[i]->id, check_status_name(rs[i].status),
		       check_status_name(rr[i].status), same ? "" : " | sim: ",
		       same ? "" : rs[i].summary);
		check_result_free(&rs[i]);
		check_result_free(&rr[i]);
	}
	printf("agree %zu disagree %zu\n", agree, disagree);
	for (size_t i = 0; i < cat->n_steps; i++)
		free(pb.value[i]);
	free(pb.value);
	free(rs);
	free(rr);
	free(steps);
	backend_free(rest);
	backend_free(sim);
	free(simpath);
	catalogue_free(cat);
	inventory_free(inv);
	plan_free(p);
	endpoints_free(ep);
	diags_free(&d);
	return disagree ? 1 : 0;
}

/* The session's recorded evidence, as the probe plays it: one entry from
 * PROBE_EVIDENCE="STEP|EVIDENCE|VALUE" (unset: nothing recorded). */
static const char *probe_evidence(void *ctx, const char *step_id, const char *evidence_id)
{
	static char buf[4096];
	const char *e = getenv("PROBE_EVIDENCE");
	(void)ctx;
	if (!e || strlen(e) >= sizeof buf)
		return NULL;
	strcpy(buf, e);
	char *a = strchr(buf, '|'), *b = a ? strchr(a + 1, '|') : NULL;
	if (!b)
		return NULL;
	*a = *b = 0;
	return strcmp(buf, step_id) == 0 && strcmp(a + 1, evidence_id) == 0 ? b + 1 : NULL;
}

/* ... recorded at PROBE_EVIDENCE_AT (Unix seconds; unset: now). */
static time_t probe_evidence_time(void *ctx, const char *step_id, const char *evidence_id)
{
	const char *at = getenv("PROBE_EVIDENCE_AT");
	if (!probe_evidence(ctx, step_id, evidence_id))
		return 0;
	return at ? (time_t)strtoll(at, NULL, 10) : time(NULL);
}

/* --execute: every step the REST backend writes, in catalogue order: its
 * described writes, then perform, a line each:
 *   STEP STATUS CODE | METHOD PATH
 * followed by the result's arguments, sentence and detail ("= STEP ..."); a
 * step whose writes cannot be described is "! STEP describe refused: WHY". With
 * PROBE_ONLY=TEMPLATE, only the steps of that template (management tasks
 * included). The sides are
 * signed in as rest_probe's first form does. */
static int probe_execute(char **argv)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(argv[2], &d);
	struct inventory *inv = p ? inventory_build(p, &d) : NULL;
	struct catalogue *cat = inv ? catalogue_build(p, inv, getenv("PROBE_ONLY") != NULL,
						     STEPS_CATALOGUE_VERSION) : NULL;
	char *err = NULL;
	struct endpoints *ep = endpoints_load(argv[3], &err);
	if (!cat || !ep) {
		fprintf(stderr, "rest_probe: setup failed\n");
		return 2;
	}
	struct backend_rest_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ep = ep;
	cfg.ca_bundle = argv[4];
	cfg.method = AZ_SIGNIN_AZ;
	cfg.az_config[CK_SIDE_A] = argv[5];
	cfg.az_config[CK_SIDE_B] = argv[6];
	cfg.timeout = probe_timeout();
	struct backend *rest = backend_rest_open(p, inv, &cfg, &err);
	for (int s = 0; s < CK_SIDES; s++) {
		char *id = NULL;
		if (backend_sign_in(rest, s, NULL, time(NULL), &id, &err) != 0) {
			printf("sign-in %c refused %s\n", ck_side_letter(s), err);
			free(err);
			err = NULL;
		}
		free(id);
	}
	if (rest->ops->set_evidence)
		rest->ops->set_evidence(rest, probe_evidence, NULL);
	const char *only = getenv("PROBE_ONLY");
	int n = 0;
	for (size_t i = 0; i < cat->n_steps; i++) {
		const struct step *st = &cat->steps[i];
		char *rq = NULL;
		if (only && strcmp(st->template_id, only) != 0)
			continue;
		if (rest->ops->describe(rest, st, &rq, &err) != 0) {
			/* the session shows this and records nothing: say so */
			if (err)
				printf("! %s describe refused: %s\n", st->id, err);
			free(err);
			err = NULL;
			continue;
		}
		struct check_result r;
		memset(&r, 0, sizeof(r));
		backend_perform(rest, st, time(NULL), &r);
		printf("%s %s %s | %s\n", st->id, check_status_name(r.status), r.code, rq);
		/* then its values and what was observed, a line each: "= ..." */
		for (size_t a = 0; a < r.n_args; a++)
			printf("= %s arg %s\n", st->id, r.args[a]);
		printf("= %s summary %s\n", st->id, r.summary ? r.summary : "");
		for (const char *l = r.detail; l && *l;) {
			size_t ln = strcspn(l, "\n");
			printf("= %s %.*s\n", st->id, (int)ln, l);
			l += ln + (l[ln] == '\n');
		}
		check_result_free(&r);
		free(rq);
		n++;
	}
	printf("performed %d\n", n);
	backend_free(rest);
	catalogue_free(cat);
	inventory_free(inv);
	plan_free(p);
	endpoints_free(ep);
	diags_free(&d);
	return 0;
}

/* --simulate: the simulator's writers (sim.json, the key backups) alone. */
static int probe_simulate(char **argv)
{
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(argv[2], &d);
	struct inventory *inv = p ? inventory_build(p, &d) : NULL;
	struct catalogue *cat = inv ? catalogue_build(p, inv, false, STEPS_CATALOGUE_VERSION) : NULL;
	char *err = NULL, *simpath = xasprintf("%s/sim.json", argv[3]);
	struct backend *sim = cat ? backend_sim_open(simpath, cat, NULL, 3600, &err) : NULL;
	int rc = 0;
	if (!sim) {
		printf("! open failed: %s\n", err ? err : "plan");
		free(err);
		rc = 1;
		goto out;
	}
	/* a fixed clock: the same state and backup names on every run */
	time_t now = 1795435200;
	const char *steps = getenv("PROBE_SIM_STEPS");
	size_t n = steps ? (size_t)strtoul(steps, NULL, 10) : cat->n_steps;
	for (size_t i = 0; i < cat->n_steps && i < n; i++) {
		struct check_result r;
		memset(&r, 0, sizeof(r));
		(void)backend_perform(sim, &cat->steps[i], now, &r);
		printf("%s %s %s\n", cat->steps[i].id, check_status_name(r.status), r.code ? r.code : "-");
		if (r.status != CHECK_PASS && r.summary)
			printf("= %s %s\n", cat->steps[i].id, r.summary);
		check_result_free(&r);
		if (sim->ops->save(sim, &err) < 0) {
			printf("! %s save failed: %s\n", cat->steps[i].id, err);
			free(err);
			rc = 1;
			break;
		}
		now += 24 * 3600;
	}
	backend_free(sim);
out:
	free(simpath);
	catalogue_free(cat);
	inventory_free(inv);
	plan_free(p);
	diags_free(&d);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--simulate") == 0)
		return probe_simulate(argv);
	if (argc == 7 && strcmp(argv[1], "--execute") == 0) {
		http_global_init();
		return probe_execute(argv);
	}
	if ((argc == 8 || argc == 9) && strcmp(argv[1], "--agree") == 0) {
		http_global_init();
		return probe_agree(argv);
	}
	if (argc == 7 && strcmp(argv[1], "--create-vault") == 0) {
		http_global_init();
		return probe_create_vault(argv);
	}
	if (argc != 6) {
		fputs("usage: rest_probe PLAN ENDPOINTS CA-BUNDLE AZ-CONFIG-A AZ-CONFIG-B\n", stderr);
		return 2;
	}
	http_global_init();
	struct diags d = DIAGS_INIT;
	struct plan *p = plan_load(argv[1], &d);
	struct inventory *inv = p ? inventory_build(p, &d) : NULL;
	struct catalogue *cat = inv ? catalogue_build(p, inv, false, STEPS_CATALOGUE_VERSION) : NULL;
	char *err = NULL;
	struct endpoints *ep = endpoints_load(argv[2], &err);
	if (!cat || !ep) {
		fprintf(stderr, "rest_probe: setup failed: %s\n", err ? err : "plan");
		return 2;
	}
	struct backend_rest_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ep = ep;
	cfg.ca_bundle = argv[3];
	cfg.method = AZ_SIGNIN_AZ;
	cfg.az_config[CK_SIDE_A] = argv[4];
	cfg.az_config[CK_SIDE_B] = argv[5];
	cfg.timeout = probe_timeout();
	struct backend *b = backend_rest_open(p, inv, &cfg, &err);
	b->ops->set_evidence(b, probe_evidence, NULL);
	b->ops->set_evidence_time(b, probe_evidence_time);
	struct backend_ui ui = { probe_show_code, NULL, NULL };
	time_t now = time(NULL);
	for (int s = 0; s < CK_SIDES; s++) {
		char *id = NULL;
		err = NULL;
		if (backend_sign_in(b, s, &ui, now, &id, &err) == 0)
			printf("sign-in %c ok %s\n", ck_side_letter(s), id);
		else
			printf("sign-in %c refused %s\n", ck_side_letter(s), err);
		free(id);
		free(err);
	}
	const struct step **steps = xcalloc(cat->n_steps + 1, sizeof(*steps));
	size_t n = 0;
	for (size_t i = 0; i < cat->n_steps; i++)
		if (cat->steps[i].check.kind != CHECK_NONE)
			steps[n++] = &cat->steps[i];
	struct check_result *res = xcalloc(n + 1, sizeof(*res));
	int rc = backend_check_batch(b, steps, n, now, &ui, res);
	for (size_t i = 0; i < n; i++) {
		printf("%s %s %s\n", steps[i]->id, check_status_name(res[i].status), res[i].summary);
		check_result_free(&res[i]);
	}
	free(res);
	free(steps);
	backend_free(b);
	catalogue_free(cat);
	inventory_free(inv);
	plan_free(p);
	endpoints_free(ep);
	diags_free(&d);
	return rc == 0 ? 0 : 1;
}
