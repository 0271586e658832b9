/* evidence.c: evidence is validated as it is typed, by kind, so a journal
 * only ever records values of the right form (and the right resource).
 *
 * Forms accepted (leading and trailing blanks ignored, except in free text):
 *   confirm       "yes" or "y" (any case)                  -> "yes"
 *   text          valid UTF-8, 1..4096 bytes, no control or bidi characters
 *                 except newline, tab and CR   -> as typed, CRLF made LF
 *   fasttrack-id  4..40 of letters, digits and hyphens, at least one digit,
 *                 no leading, trailing or double hyphen. FastTrack has used
 *                 plain numbers and prefixed forms over the years; the
 *                 pattern is liberal but bounded, so nothing else fits in.
 *   guid          8-4-4-4-12 hex digits, braces allowed     -> lower case;
 *                 evidence "subscription_id" must be this step's subscription
 *   key-uri       https://<vault>.vault.azure.net[:443]/keys/<key>[/<version>]
 *                 (https://<hsm>.managedhsm.azure.net/... in a Managed HSM plan)
 *                 naming THIS step's vault and key (case-insensitive, as Key
 *                 Vault is); version 32 hex digits, required for SharePoint
 *                 DEPs' keys and for a rolled key (the next steps need it)
 *                 -> https://<vault>.vault.azure.net/keys/<key>[/<version>]
 *   key-version   32 hex digits                              -> lower case
 *   file-sha256   the path of an existing regular file (not a symlink, not
 *                 empty, at most 16 MiB; opened once and hashed through that
 *                 descriptor, so the file checked is the file hashed) whose
 *                 name follows the plan's backup pattern for this key with
 *                 an 8-digit date -> "sha256:<hex>  <absolute path>" (hash
 *                 recorded)
 *   sha256        64 hex digits, "sha256:" prefix and trailing text (as
 *                 sha256sum prints it) allowed; with same_as it must equal
 *                 that file's recorded hash                   -> lower-case hex
 *   choice        one of the listed choices (any case)       -> as listed
 *   date          YYYY-MM-DD, a real calendar date, years 2000-9999
 * request-id and tool-version: see evidence_version.c; access-list (text
 * first, then compared with the plan): evidence_access.c. */
#include "ck.h"
#include "fileread.h"
#include "hash.h"
#include "steps_int.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define EVIDENCE_MAX 4096

static int fail(char **err, const struct evidence_spec *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char **err, const struct evidence_spec *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	int rc = steps_evidence_fail(err, e, "%s", msg);
	free(msg);
	return rc;
}

static char *trimmed(const char *v)
{
	while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	return xstrndup(v, n);
}

/* Output pasted from Windows ends its lines CRLF: record LF only. A lone CR
 * becomes LF too, so that no CR is left and the recorded value validates to
 * itself on replay (removing only CR before LF turned "\r\r\n" into
 * "\r\n", which the next pass changed again). */
static char *crlf_to_lf(const char *v)
{
	char *r = xstrdup(v), *w = r;
	for (const char *p = v; *p; p++) {
		if (p[0] == '\r' && p[1] == '\n')
			p++;
		*w++ = *p == '\r' ? '\n' : *p;
	}
	*w = '\0';
	return r;
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static char *lower(const char *s, size_t n)
{
	char *r = xstrndup(s, n);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

static int check_fasttrack(const char *v, const struct evidence_spec *e, char **out, char **err)
{
	size_t n = strlen(v);
	bool digit = false;
	if (n < 4 || n > 40)
		return fail(err, e, _("a FastTrack request ID has 4 to 40 characters; this has %zu"),
			    n);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)v[i];
		if (isdigit(ch))
			digit = true;
		else if (!(isalpha(ch) && ch < 0x80) && ch != '-')
			return fail(err, e, _("only letters, digits and hyphens belong in a "
					      "FastTrack request ID (character %zu is not one)"),
				    i + 1);
	}
	if (!digit || v[0] == '-' || v[n - 1] == '-' || strstr(v, "--"))
		return fail(err, e, _("this does not look like a FastTrack request ID: copy it "
				      "from the portal's request page"));
	*out = xstrdup(v);
	return 0;
}

static int guid_form(const char *v, char **out)
{
	size_t n = strlen(v);
	if (n == 38 && v[0] == '{' && v[37] == '}') {
		v++;
		n = 36;
	}
	if (n != 36)
		return -1;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? v[i] != '-' : !isxdigit((unsigned char)v[i]))
			return -1;
	}
	*out = lower(v, 36);
	return 0;
}

static int check_guid(const struct step *s, const char *v, const struct evidence_spec *e,
		      char **out, char **err)
{
	if (guid_form(v, out) != 0)
		return fail(err, e, _("expected a GUID like 00000000-0000-0000-0000-000000000000"));
	if (strcmp(e->id, "subscription_id") == 0 && s->check.subscription &&
	    !util_strcaseeq(*out, s->check.subscription)) {
		free(*out);
		*out = NULL;
		return fail(err, e, _("this is not the plan's subscription for side %c (%s): "
				      "check you are signed in to the right one"),
			    ck_side_letter(s->side), s->check.subscription);
	}
	return 0;
}

/* Case-insensitive prefix match that returns the rest, or NULL. */
static const char *eat(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncasecmp(s, prefix, n) == 0 ? s + n : NULL;
}

/* SharePoint names a key by its version, and a roll is about the new
 * version: there the URI must carry one (Get-AzKeyVaultKey's Id and az's
 * key.kid always do). */
static bool version_needed(const struct step *s)
{
	return (s->dep && s->dep->workload == WL_SHAREPOINT) ||
	       (s->template_id && strcmp(s->template_id, "manage.roll") == 0);
}

static int check_key_uri(const struct step *s, const char *v, const struct evidence_spec *e,
			 char **out, char **err)
{
	const char *vault = s->check.vault, *key = s->check.key;
	if (!vault || !key)
		return fail(err, e, _("this step has no vault and key to compare with"));
	const char *domain = inventory_store_domain(s->dep);
	const char *p = eat(v, "https://");
	const char *q = p ? eat(p, vault) : NULL;
	q = q ? eat(q, domain) : NULL;
	if (q && *q == ':') {
		q = eat(q, ":443");
		if (!q)
			return fail(err, e, _("a key URI uses port 443 only"));
	}
	if (!q || *q != '/')
		return fail(err, e, _("the URI must start https://%s%s/ (this step's own key "
				      "store)"),
			    vault, domain);
	q = eat(q, "/keys/");
	const char *r = q ? eat(q, key) : NULL;
	if (!r || (*r != '\0' && *r != '/'))
		return fail(err, e, _("the URI must name this step's key: .../keys/%s"), key);
	const char *version = NULL;
	if (*r != '/' && version_needed(s))
		return fail(err, e, _("the URI must end with the key version (/keys/%s/<32 hex "
				      "digits>): the next steps need it"),
			    key);
	if (*r == '/') {
		version = r + 1;
		if (strlen(version) != 32 || !all_hex(version, 32))
			return fail(err, e, _("the key version after /keys/%s/ must be 32 hex "
					      "digits"),
				    key);
	}
	char *lv = version ? lower(version, 32) : NULL;
	*out = inventory_store_key_uri(domain, vault, key, lv);
	free(lv);
	return 0;
}

static bool valid_date(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 2000 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

static int digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int check_date(const char *v, const struct evidence_spec *e, char **out, char **err)
{
	int y, m, d;
	if (strlen(v) != 10 || v[4] != '-' || v[7] != '-' || (y = digits(v, 4)) < 0 ||
	    (m = digits(v + 5, 2)) < 0 || (d = digits(v + 8, 2)) < 0)
		return fail(err, e, _("expected a date as YYYY-MM-DD"));
	/* Say which part is wrong: "month 13" is found at once, "a date" is not. */
	if (y < 2000)
		return fail(err, e, _("year %d: a date from 2000 on, as YYYY-MM-DD"), y);
	if (m < 1 || m > 12)
		return fail(err, e, _("month %d: months go from 01 to 12 (YYYY-MM-DD)"), m);
	if (!valid_date(y, m, d))
		return fail(err, e, _("day %d: %04d-%02d has no such day"), d, y, m);
	if (e->choices && strcmp(e->choices, "past") == 0) {
		/* Something already done cannot be dated after today: today
		 * anywhere on Earth (UTC+14) is the bound, so no time zone
		 * refuses a true date. The bound only moves forward, so a
		 * value accepted once is accepted again when replayed. */
		time_t now = time(NULL) + 14 * 3600;
		struct tm tm;
		char today[11];
		if (gmtime_r(&now, &tm) && strftime(today, sizeof today, "%Y-%m-%d", &tm) == 10 &&
		    strcmp(v, today) > 0)
			return fail(err, e, _("%s is in the future: give the day it was done "
					      "(today is %s at the latest)"), v, today);
	}
	*out = xstrdup(v);
	return 0;
}

/* The file name must be the plan's backup pattern with some YYYYMMDD. */
static bool backup_name_ok(const struct step *s, const char *path)
{
	if (!s->dep || s->side == CK_SIDE_NONE)
		return true;
	const char *pat = s->dep->side[s->side].backup_pattern;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *at = strstr(pat, "{date}");
	if (!at)
		return strcmp(base, pat) == 0;
	size_t pre = (size_t)(at - pat), post = strlen(at + 6), n = strlen(base);
	if (n != pre + 8 + post || strncmp(base, pat, pre) != 0 ||
	    strcmp(base + pre + 8, at + 6) != 0)
		return false;
	const char *d = base + pre;
	return valid_date(digits(d, 4), digits(d + 4, 2), digits(d + 6, 2));
}

/* Key Vault backups are small (kilobytes); anything larger is not one. */
#define BACKUP_MAX_BYTES (16L * 1024 * 1024)

/* SHA-256 of the regular file at path, read through one descriptor opened
 * without following a symbolic link, so the file checked is the file hashed.
 * Returns 0, or a translated reason (static) why it is not acceptable. */
static const char *hash_backup(const char *path, char hex[HASH_SHA256_HEX_LEN + 1])
{
	char *bytes = NULL;
	size_t len = 0;
	switch (fileread(path, BACKUP_MAX_BYTES, FILEREAD_NOFOLLOW, &bytes, &len, NULL)) {
	case FILEREAD_OK:
		break;
	case FILEREAD_OPEN:
		return errno == ELOOP ? _("is a symbolic link: give the file itself")
				      : _("cannot be opened");
	case FILEREAD_NOT_REGULAR:
		return _("is not a regular file");
	case FILEREAD_TOO_LARGE:
		return _("is too large to be a key backup");
	case FILEREAD_READ:
		return _("cannot be read");
	}
	if (len == 0) {
		free(bytes);
		return _("is empty: the backup did not complete");
	}
	hash_sha256_hex(bytes, len, hex);
	free(bytes);
	return NULL;
}

static int check_file(const struct step *s, const char *v, const struct evidence_spec *e,
		      char **out, char **err)
{
	char hex[HASH_SHA256_HEX_LEN + 1];
	size_t off;
	uint32_t cp;
	if (text_find_forbidden(v, strlen(v), 0, &off, &cp))
		return fail(err, e, _("the path contains a control character"));
	if (!backup_name_ok(s, v))
		return fail(err, e, _("the file name does not follow the plan's backup pattern %s"),
			    s->dep->side[s->side].backup_pattern);
	const char *why = hash_backup(v, hex);
	if (why)
		return fail(err, e, "%s %s", v, why);
	/* Recorded absolute: the restore step names this file later, maybe
	 * from another working directory. */
	char *abs = realpath(v, NULL);
	*out = xasprintf("sha256:%s  %s", hex, abs ? abs : v);
	free(abs);
	return 0;
}

/* The recorded value same_as names: "ID" (this step's evidence) or
 * "TEMPLATE:ID" (that evidence of the related step on this step's side). */
static const char *same_as_value(const struct catalogue *c, const struct step *s,
				 const char *same_as, evidence_get_fn get, void *ctx)
{
	const char *colon = strchr(same_as, ':');
	if (!colon)
		return get(ctx, s->id, same_as);
	char *tmpl = xstrndup(same_as, (size_t)(colon - same_as));
	const struct step *rel = c ? catalogue_related(c, s, tmpl, CK_SIDE_NONE) : NULL;
	free(tmpl);
	return rel ? get(ctx, rel->id, colon + 1) : NULL;
}

static int check_sha256(const struct catalogue *c, const struct step *s, const char *v,
			const struct evidence_spec *e, evidence_get_fn get, void *ctx, char **out,
			char **err)
{
	const char *h = eat(v, "sha256:");
	h = h ? h : v;
	size_t n = strspn(h, "0123456789abcdefABCDEF");
	if (n != HASH_SHA256_HEX_LEN || (h[n] && h[n] != ' ' && h[n] != '\t'))
		return fail(err, e, _("expected a SHA-256 as 64 hex digits"));
	char *hex = lower(h, n);
	/* "@officer": the officer's key as the verified plan fingerprints it;
	 * checked whenever the value is, replay included */
	if (e->same_as && strcmp(e->same_as, "@officer") == 0) {
		const char *want = c ? steps_officer_sha256(c, s) : NULL;
		if (!want || strcmp(want, hex) != 0) {
			free(hex);
			return fail(err, e, _("this is not the key the plan names for this officer "
					      "(%.16s...): stop, and find out why before going on"),
				    want ? want : "?");
		}
	} else if (e->same_as && get) {
		const char *rec = same_as_value(c, s, e->same_as, get, ctx);
		const char *rh = rec ? eat(rec, "sha256:") : NULL;
		if (rh && strncmp(rh, hex, HASH_SHA256_HEX_LEN) != 0) {
			free(hex);
			return fail(err, e, _("this copy's SHA-256 differs from the file recorded "
					      "(%.16s...): the copy is damaged or another file"),
				    rh);
		}
	}
	*out = hex;
	return 0;
}

static int check_choice(const char *v, const struct evidence_spec *e, char **out, char **err)
{
	const char *c = e->choices ? e->choices : "";
	size_t n = strlen(v);
	while (*c) {
		size_t len = strcspn(c, "|");
		if (len == n && strncasecmp(c, v, n) == 0) {
			*out = xstrndup(c, len);
			return 0;
		}
		c += len + (c[len] == '|');
	}
	return fail(err, e, _("expected one of: %s"), e->choices ? e->choices : "");
}

int steps_validate_evidence_with(const struct catalogue *c, const struct step *s,
				 const struct evidence_spec *e, const char *value,
				 evidence_get_fn get, void *ctx, char **normalised, char **err)
{
	char *out = NULL;
	int rc;
	size_t off;
	if (err)
		*err = NULL;
	if (normalised)
		*normalised = NULL;
	if (!s || !e || !value)
		return fail(err, e, _("nothing entered"));
	size_t len = strlen(value);
	if (len > EVIDENCE_MAX)
		return fail(err, e, _("too long (%zu bytes; at most %d)"), len, EVIDENCE_MAX);
	if (!text_utf8_valid(value, len, &off))
		return fail(err, e, _("not valid UTF-8 (byte %zu)"), off + 1);

	if (e->kind == EV_TEXT || e->kind == EV_ACCESS_LIST) {
		uint32_t cp;
		char *t = trimmed(value);
		if (!*t)
			rc = fail(err, e, _("nothing entered"));
		else if (text_find_forbidden(value, len, 1, &off, &cp))
			rc = fail(err, e, _("contains the invisible or control character U+%04X at "
					    "byte %zu"),
				  (unsigned)cp, off + 1);
		else {
			out = crlf_to_lf(value);
			rc = 0;
		}
		if (rc == 0 && e->kind == EV_ACCESS_LIST) {
			char *listed = out;
			out = NULL;
			rc = steps_check_access_list(c, s, listed, e, &out, err);
			free(listed);
		}
		free(t);
		goto done;
	}
	char *v = trimmed(value);
	switch (e->kind) {
	case EV_CONFIRM:
		if (util_strcaseeq(v, "yes") || util_strcaseeq(v, "y")) {
			out = xstrdup("yes");
			rc = 0;
		} else {
			rc = fail(err, e, _("type yes once you have seen it"));
		}
		break;
	case EV_FASTTRACK_ID:
		rc = check_fasttrack(v, e, &out, err);
		break;
	case EV_GUID:
		rc = check_guid(s, v, e, &out, err);
		break;
	case EV_KEY_URI:
		rc = check_key_uri(s, v, e, &out, err);
		break;
	case EV_KEY_VERSION:
		if (strlen(v) == 32 && all_hex(v, 32)) {
			out = lower(v, 32);
			rc = 0;
		} else {
			rc = fail(err, e, _("a key version is 32 hex digits"));
		}
		break;
	case EV_FILE_SHA256:
		rc = check_file(s, v, e, &out, err);
		break;
	case EV_SHA256:
		rc = check_sha256(c, s, v, e, get, ctx, &out, err);
		break;
	case EV_CHOICE:
		rc = check_choice(v, e, &out, err);
		break;
	case EV_DATE:
		rc = check_date(v, e, &out, err);
		break;
	case EV_REQUEST_ID:
		rc = steps_check_request_id(v, e, &out, err);
		break;
	case EV_TOOL_VERSION:
		rc = steps_check_tool_version(v, e, &out, err);
		break;
	case EV_NEW_KEY_URI:
		rc = steps_check_new_key_uri(s, v, e, &out, err);
		break;
	default:
		rc = fail(err, e, _("unknown kind of evidence"));
		break;
	}
	free(v);
done:
	(void)c;
	if (rc == 0 && normalised)
		*normalised = out;
	else
		free(out);
	return rc;
}

int steps_validate_evidence(const struct catalogue *c, const struct step *s,
			    const struct evidence_spec *e, const char *value, char **normalised,
			    char **err)
{
	return steps_validate_evidence_with(c, s, e, value, NULL, NULL, normalised, err);
}
