/* sim_state.c: the simulated tenant on disk (sim.json) and its lookups.
 *
 * The file is described by tables (one per object type) that drive both the
 * writer and the strict reader, so the two cannot drift: unknown, duplicate,
 * missing or mistyped fields are refused with their path, never guessed at.
 * cJSON traps (doc/traps.md): parse with an end check, look names up
 * case-sensitively, read times through valuedouble. */
#include "ck.h"
#include "azure/sim_int.h"
#include "fileread.h"
#include "text.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIM_MAX_BYTES (16L * 1024 * 1024)

const char *const sim_perm_names[SIM_P_COUNT] = {
	"get", "list", "create", "import", "update", "delete", "recover", "backup",
	"restore", "purge", "wrapKey", "unwrapKey", "encrypt", "decrypt", "sign", "verify",
	"secrets/certificates/storage",
};
const char *const sim_op_names[SIM_O_COUNT] = {
	"encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey",
};

char *sim_perms_text(unsigned perms)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < SIM_P_COUNT; i++)
		if (perms & SIM_BIT(i))
			buf_printf(&b, "%s%s", b.len ? ", " : "", sim_perm_names[i]);
	if (!b.len)
		buf_puts(&b, "(none)");
	return buf_steal(&b);
}

/* ---- The file's shape, as tables --------------------------------------- */

enum sf_type {
	SF_STR,    /* char *, required */
	SF_BOOL,   /* bool */
	SF_INT,    /* long long, a whole number >= 0: times, sizes, days */
	SF_PERMS,  /* unsigned bit set over sim_perm_names */
	SF_OPS,    /* unsigned bit set over sim_op_names */
	SF_STRV,   /* char ** + size_t count */
	SF_ARR     /* array of sub objects + size_t count */
};

struct sf_obj;
struct sf {
	const char *name;
	enum sf_type type;
	size_t off, count_off;
	const struct sf_obj *sub;
};
struct sf_obj {
	size_t size;
	const struct sf *fields;
	size_t n;
};

#define F(T, name, type, field) { name, type, offsetof(T, field), 0, NULL }
#define V(T, name, field, count) { name, SF_STRV, offsetof(T, field), offsetof(T, count), NULL }
#define A(T, name, field, count, sub) \
	{ name, SF_ARR, offsetof(T, field), offsetof(T, count), &sub }
#define OBJ(T, fields) { sizeof(T), fields, CK_ARRAY_LEN(fields) }

static const struct sf sub_fields[] = {
	F(struct sim_sub, "id", SF_STR, id),
	F(struct sim_sub, "featureRequested", SF_INT, feature_requested),
	F(struct sim_sub, "providerRegistered", SF_BOOL, provider_registered),
};
static const struct sf_obj sub_obj = OBJ(struct sim_sub, sub_fields);

static const struct sf rg_fields[] = {
	F(struct sim_rg, "subscription", SF_STR, subscription),
	F(struct sim_rg, "name", SF_STR, name),
	F(struct sim_rg, "location", SF_STR, location),
};
static const struct sf_obj rg_obj = OBJ(struct sim_rg, rg_fields);

static const struct sf policy_fields[] = {
	F(struct sim_policy, "object", SF_STR, object),
	F(struct sim_policy, "keys", SF_PERMS, keys),
};
static const struct sf_obj policy_obj = OBJ(struct sim_policy, policy_fields);

static const struct sf version_fields[] = {
	F(struct sim_version, "id", SF_STR, id),
	F(struct sim_version, "created", SF_INT, created),
};
static const struct sf_obj version_obj = OBJ(struct sim_version, version_fields);

static const struct sf backup_fields[] = {
	F(struct sim_backup, "version", SF_STR, version),
	F(struct sim_backup, "file", SF_STR, file),
	F(struct sim_backup, "sha256", SF_STR, sha256),
	F(struct sim_backup, "at", SF_INT, at),
};
static const struct sf_obj backup_obj = OBJ(struct sim_backup, backup_fields);

static const struct sf key_fields[] = {
	F(struct sim_key, "name", SF_STR, name),
	F(struct sim_key, "kty", SF_STR, kty),
	F(struct sim_key, "size", SF_INT, size),
	F(struct sim_key, "key_ops", SF_OPS, ops),
	F(struct sim_key, "exp", SF_INT, exp),
	A(struct sim_key, "versions", versions, n_versions, version_obj),
	A(struct sim_key, "backups", backups, n_backups, backup_obj),
};
static const struct sf_obj key_obj = OBJ(struct sim_key, key_fields);

static const struct sf vault_fields[] = {
	F(struct sim_vault, "name", SF_STR, name),
	F(struct sim_vault, "subscription", SF_STR, subscription),
	F(struct sim_vault, "resourceGroup", SF_STR, resource_group),
	F(struct sim_vault, "location", SF_STR, location),
	F(struct sim_vault, "tenantId", SF_STR, tenant),
	F(struct sim_vault, "sku", SF_STR, sku),
	F(struct sim_vault, "enableSoftDelete", SF_BOOL, soft_delete),
	F(struct sim_vault, "softDeleteRetentionInDays", SF_INT, retention_days),
	F(struct sim_vault, "enablePurgeProtection", SF_BOOL, purge_protection),
	F(struct sim_vault, "enableRbacAuthorization", SF_BOOL, rbac),
	F(struct sim_vault, "created", SF_INT, created),
	A(struct sim_vault, "accessPolicies", policies, n_policies, policy_obj),
	V(struct sim_vault, "contributors", contributors, n_contributors),
	A(struct sim_vault, "keys", keys, n_keys, key_obj),
};
static const struct sf_obj vault_obj = OBJ(struct sim_vault, vault_fields);

static const struct sf event_fields[] = {
	F(struct sim_event, "step", SF_STR, step),
	F(struct sim_event, "what", SF_STR, what),
	F(struct sim_event, "at", SF_INT, at),
};
static const struct sf_obj event_obj = OBJ(struct sim_event, event_fields);

static const struct sf dep_fields[] = {
	F(struct sim_dep, "id", SF_STR, id),
	F(struct sim_dep, "name", SF_STR, name),
	F(struct sim_dep, "primary", SF_STR, uris[0]),
	F(struct sim_dep, "secondary", SF_STR, uris[1]),
	F(struct sim_dep, "created", SF_INT, created),
};
static const struct sf_obj dep_obj = OBJ(struct sim_dep, dep_fields);

static const struct sf assign_fields[] = {
	F(struct sim_assign, "dep", SF_STR, dep),
	F(struct sim_assign, "mailbox", SF_STR, mailbox),
	F(struct sim_assign, "at", SF_INT, at),
};
static const struct sf_obj assign_obj = OBJ(struct sim_assign, assign_fields);

/* "format" is checked on its own before the rest. */
static const struct sf state_fields[] = {
	F(struct sim_state, "faults", SF_STR, faults),
	F(struct sim_state, "registrationDelay", SF_INT, registration_delay),
	V(struct sim_state, "spentFaults", spent, n_spent),
	V(struct sim_state, "takenVaultNames", taken, n_taken),
	A(struct sim_state, "subscriptions", subs, n_subs, sub_obj),
	A(struct sim_state, "resourceGroups", rgs, n_rgs, rg_obj),
	A(struct sim_state, "vaults", vaults, n_vaults, vault_obj),
	A(struct sim_state, "events", events, n_events, event_obj),
	A(struct sim_state, "deps", deps, n_deps, dep_obj),
	A(struct sim_state, "assignments", assigns, n_assigns, assign_obj),
};

#define AT(base, f, T) ((T *)((char *)(base) + (f)->off))
#define COUNT(base, f) ((size_t *)((char *)(base) + (f)->count_off))
typedef char *sf_str;   /* so that const applies to the pointer, not the chars */
typedef char **sf_strv;
#define CAT(base, f, T) ((const T *)((const char *)(base) + (f)->off))
#define CCOUNT(base, f) (*(const size_t *)((const char *)(base) + (f)->count_off))

/* ---- Freeing, driven by the same tables -------------------------------- */

static void sf_free(void *base, const struct sf *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct sf *f = &fields[i];
		if (f->type == SF_STR) {
			free(*AT(base, f, char *));
		} else if (f->type == SF_STRV) {
			char **v = *AT(base, f, char **);
			for (size_t k = 0; k < *COUNT(base, f); k++)
				free(v[k]);
			free(v);
		} else if (f->type == SF_ARR) {
			char *arr = *AT(base, f, char *);
			for (size_t k = 0; k < *COUNT(base, f); k++)
				sf_free(arr + k * f->sub->size, f->sub->fields, f->sub->n);
			free(arr);
		}
	}
}

void sim_state_free(struct sim_state *st)
{
	if (!st)
		return;
	sf_free(st, state_fields, CK_ARRAY_LEN(state_fields));
	for (size_t i = 0; i < st->n_faults; i++) {
		free(st->fault_name[i]);
		free(st->fault_value[i]);
	}
	free(st->fault_name);
	free(st->fault_value);
	free(st->path);
	free(st->dir);
	free(st);
}

/* ---- Writing ----------------------------------------------------------- */

static cJSON *sf_bits_json(unsigned bits, const char *const *names, int n)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = 0; i < n; i++)
		if (bits & SIM_BIT(i))
			cJSON_AddItemToArray(a, cJSON_CreateString(names[i]));
	return a;
}

static cJSON *sf_to_json(const void *base, const struct sf *fields, size_t n)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < n; i++) {
		const struct sf *f = &fields[i];
		cJSON *v = NULL;
		switch (f->type) {
		case SF_STR: v = cJSON_CreateString(*CAT(base, f, sf_str)); break;
		case SF_BOOL: v = cJSON_CreateBool(*CAT(base, f, bool)); break;
		case SF_INT: v = cJSON_CreateNumber((double)*CAT(base, f, long long)); break;
		case SF_PERMS:
			v = sf_bits_json(*CAT(base, f, unsigned), sim_perm_names, SIM_P_COUNT);
			break;
		case SF_OPS:
			v = sf_bits_json(*CAT(base, f, unsigned), sim_op_names, SIM_O_COUNT);
			break;
		case SF_STRV: {
			char *const *sv = *CAT(base, f, sf_strv);
			v = cJSON_CreateArray();
			for (size_t k = 0; k < CCOUNT(base, f); k++)
				cJSON_AddItemToArray(v, cJSON_CreateString(sv[k]));
			break;
		}
		case SF_ARR: {
			const char *arr = *CAT(base, f, sf_str);
			v = cJSON_CreateArray();
			for (size_t k = 0; k < CCOUNT(base, f); k++)
				cJSON_AddItemToArray(v, sf_to_json(arr + k * f->sub->size,
								   f->sub->fields, f->sub->n));
			break;
		}
		}
		cJSON_AddItemToObject(o, f->name, v);
	}
	return o;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int sim_state_save(const struct sim_state *st, char **err)
{
	cJSON *o = sf_to_json(st, state_fields, CK_ARRAY_LEN(state_fields));
	cJSON_AddItemToObject(o, "format", cJSON_CreateString(SIM_FORMAT));
	char *text = cJSON_Print(o);
	cJSON_Delete(o);
	if (!text) {
		*err = xasprintf(_("%s: out of memory while writing the simulator state"), st->path);
		return -1;
	}
	char *tmp = xasprintf("%s.tmp", st->path);
	int rc = -1, fd = -1;
	/* A stale .tmp (a crash between write and rename) is simply replaced:
	 * sim.json itself is only ever swapped whole by rename. */
	(void)unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	/* 0660 in a directory shared by the operators' group (two terminals) */
	if (fd < 0 || fchmod(fd, (mode_t)util_shared_file_mode(st->dir)) < 0 || write_all(fd, text, strlen(text)) < 0 ||
	    write_all(fd, "\n", 1) < 0 || fsync(fd) < 0) {
		*err = xasprintf(_("%s: cannot write the simulator state: %s"), tmp, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		*err = xasprintf(_("%s: cannot write the simulator state: %s"), tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, st->path) < 0) {
		*err = xasprintf(_("%s: cannot replace the simulator state: %s"), st->path,
				 strerror(errno));
		goto out;
	}
	/* The rename is durable only once the directory is synced. */
	int dfd = open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		(void)unlink(tmp);
	free(tmp);
	free(text);
	return rc;
}

/* ---- Reading, strictly ------------------------------------------------- */

static int sf_fail(char **err, const char *file, const char *path, const char *what)
{
	*err = xasprintf(_("%s: %s: %s; the simulator state is damaged. Start a new rehearsal "
			   "in a new directory (this one's journal stays valid)."),
			 file, path, what);
	return -1;
}

static int sf_bits(const cJSON *j, const char *const *names, int n, unsigned *out,
		   const char *file, const char *path, char **err)
{
	if (!cJSON_IsArray(j))
		return sf_fail(err, file, path, _("expected a list of names"));
	*out = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, j) {
		int k = -1;
		for (int i = 0; cJSON_IsString(e) && i < n; i++)
			if (strcmp(e->valuestring, names[i]) == 0)
				k = i;
		if (k < 0)
			return sf_fail(err, file, path, _("unknown name in the list"));
		*out |= SIM_BIT(k);
	}
	return 0;
}

static int sf_read(const cJSON *j, void *base, const struct sf *fields, size_t n,
		   const char *file, const char *path, char **err);

static int sf_read_field(const cJSON *v, void *base, const struct sf *f, const char *file,
			 const char *path, char **err)
{
	switch (f->type) {
	case SF_STR:
		if (!cJSON_IsString(v) || !v->valuestring)
			return sf_fail(err, file, path, _("expected a string"));
		*AT(base, f, char *) = xstrdup(v->valuestring);
		return 0;
	case SF_BOOL:
		if (!cJSON_IsBool(v))
			return sf_fail(err, file, path, _("expected true or false"));
		*AT(base, f, bool) = cJSON_IsTrue(v);
		return 0;
	case SF_INT: {
		/* valuedouble: valueint saturates at INT_MAX (doc/traps.md, cJSON). */
		double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
		if (!(d >= 0 && d <= 9007199254740992.0) || d != (double)(long long)d)
			return sf_fail(err, file, path, _("expected a whole number"));
		*AT(base, f, long long) = (long long)d;
		return 0;
	}
	case SF_PERMS:
		return sf_bits(v, sim_perm_names, SIM_P_COUNT, AT(base, f, unsigned), file, path,
			       err);
	case SF_OPS:
		return sf_bits(v, sim_op_names, SIM_O_COUNT, AT(base, f, unsigned), file, path, err);
	case SF_STRV: {
		if (!cJSON_IsArray(v))
			return sf_fail(err, file, path, _("expected a list of strings"));
		const cJSON *e;
		cJSON_ArrayForEach(e, v) {
			if (!cJSON_IsString(e) || !e->valuestring)
				return sf_fail(err, file, path, _("expected a list of strings"));
			sim_strv_add(AT(base, f, char **), COUNT(base, f), e->valuestring);
		}
		return 0;
	}
	case SF_ARR: {
		if (!cJSON_IsArray(v))
			return sf_fail(err, file, path, _("expected a list"));
		const cJSON *e;
		size_t k = 0;
		cJSON_ArrayForEach(e, v) {
			char **arr = AT(base, f, char *);
			*arr = sim_grow(*arr, COUNT(base, f), f->sub->size);
			char *sub = xasprintf("%s[%zu]", path, k++);
			int rc = sf_read(e, *arr + (*COUNT(base, f) - 1) * f->sub->size,
					 f->sub->fields, f->sub->n, file, sub, err);
			free(sub);
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	}
	return -1;
}

static int sf_read(const cJSON *j, void *base, const struct sf *fields, size_t n,
		   const char *file, const char *path, char **err)
{
	if (!cJSON_IsObject(j))
		return sf_fail(err, file, path, _("expected an object"));
	bool seen[16] = { false };
	if (n > CK_ARRAY_LEN(seen))
		return sf_fail(err, file, path, "internal: too many fields");
	const cJSON *v;
	cJSON_ArrayForEach(v, j) {
		size_t i = 0;
		while (i < n && (!v->string || strcmp(v->string, fields[i].name) != 0))
			i++;
		char *sub = xasprintf("%s%s%s", path, *path ? "." : "", v->string ? v->string : "?");
		int rc = 0;
		if (i == n && !(*path == '\0' && v->string && strcmp(v->string, "format") == 0))
			rc = sf_fail(err, file, sub, _("unknown field"));
		else if (i < n && seen[i])
			rc = sf_fail(err, file, sub, _("field given twice"));
		else if (i < n) {
			seen[i] = true;
			rc = sf_read_field(v, base, &fields[i], file, sub, err);
		}
		free(sub);
		if (rc < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!seen[i]) {
			char *sub = xasprintf("%s%s%s", path, *path ? "." : "", fields[i].name);
			sf_fail(err, file, sub, _("missing field"));
			free(sub);
			return -1;
		}
	return 0;
}

int sim_state_load(struct sim_state *st, const char *path, char **err)
{
	size_t len = 0;
	char *text = NULL, *why = NULL;
	/* The session directory's own file: a link in its place is refused. */
	enum fileread_status fs = fileread(path, SIM_MAX_BYTES, FILEREAD_NOFOLLOW, &text, &len, &why);
	if (fs != FILEREAD_OK) {
		if (fs == FILEREAD_OPEN && errno == ENOENT) {
			free(why);
			return 0;
		}
		*err = xasprintf(_("%s: cannot read the simulator state: %s"), path, why);
		free(why);
		return -1;
	}
	const char *end = NULL;
	cJSON *j = NULL;
	int rc = -1;
	size_t bad = 0;
	/* cJSON accepts invalid UTF-8 and truncates strings at \u0000 (doc/traps.md);
	 * we never write either, so either means damage. */
	if (strlen(text) != len || !text_utf8_valid(text, len, &bad) || strstr(text, "\\u0000")) {
		*err = xasprintf(_("%s: invalid bytes in the simulator state; it is damaged. Start "
				   "a new rehearsal in a new directory."), path);
		goto out;
	}
	j = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!j) {
		*err = xasprintf(_("%s: not valid JSON near byte %ld; the simulator state is "
				   "damaged. Start a new rehearsal in a new directory."),
				 path, end ? (long)(end - text) : 0L);
		goto out;
	}
	/* Only the newline we write may follow the document. */
	while (end && (size_t)(end - text) < len && (*end == '\n' || *end == ' '))
		end++;
	if (!end || (size_t)(end - text) != len) {
		*err = xasprintf(_("%s: unexpected bytes after the JSON document at byte %ld; the "
				   "simulator state is damaged. Start a new rehearsal in a new "
				   "directory."), path, end ? (long)(end - text) : 0L);
		goto out;
	}
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
	if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, SIM_FORMAT) != 0) {
		*err = xasprintf(_("%s: not a simulator state of format %s; was it written by another "
				   "version of ckwizard?"), path, SIM_FORMAT);
		goto out;
	}
	rc = sf_read(j, st, state_fields, CK_ARRAY_LEN(state_fields), path, "", err);
out:
	cJSON_Delete(j);
	free(text);
	return rc < 0 ? -1 : 1;
}
