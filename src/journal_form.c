/* journal_form.c: the one fixed form of a journal line.
 *
 * cJSON cannot produce a canonical form (doc/traps.md, cJSON), so the bytes of a line are
 * written here, by hand, from a small set of value types: strings (valid
 * UTF-8, only '"', '\\' and controls escaped), integers (plain decimal,
 * |n| <= 2^53-1), true, false, null, arrays and objects (keys in insertion
 * order, no duplicates, no spaces). Reading parses with cJSON, checks every
 * field, writes the line again with these functions and refuses it unless
 * the bytes are identical: spaces, reordered keys, "1.0", "\u0041", "\/",
 * upper-case hex or duplicate keys are all "not the fixed form". */
#include "ck.h"
#include "journal_int.h"
#include "hash.h"
#include "text.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JFORM_MAX_DEPTH 64

static const char *const jform_fields[] = { "seq", "time", "type", "actor",
					    "payload", "prev", "hash", "sigs" };

int jform_type_ok(const char *type)
{
	size_t n = type ? strlen(type) : 0;
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = type[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

static int jform_string_ok(const char *s, char **why)
{
	size_t off;
	if (!text_utf8_valid(s, strlen(s), &off)) {
		*why = xasprintf(_("a text value is not valid UTF-8 (byte %zu of \"%.20s...\")"),
				 off, s);
		return -1;
	}
	return 0;
}

int jform_check_value(const cJSON *v, int depth, char **why)
{
	if (depth > JFORM_MAX_DEPTH) {
		*why = xasprintf(_("values are nested deeper than %d levels"), JFORM_MAX_DEPTH);
		return -1;
	}
	if (cJSON_IsString(v) && v->valuestring)
		return jform_string_ok(v->valuestring, why);
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;
		if (!isfinite(d) || d != floor(d) || fabs(d) > JOURNAL_MAX_INT) {
			*why = xasprintf(_("the number %g is not an integer of at most 2^53-1 "
					   "(the journal holds whole numbers only)"), d);
			return -1;
		}
		return 0;
	}
	if (cJSON_IsBool(v) || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsArray(v) && !cJSON_IsObject(v)) {
		*why = xstrdup(_("a value of an unsupported type"));
		return -1;
	}
	for (const cJSON *c = v->child; c; c = c->next) {
		if (cJSON_IsObject(v)) {
			if (!c->string || jform_string_ok(c->string, why) != 0)
				return -1;
			for (const cJSON *d = v->child; d != c; d = d->next)
				if (strcmp(d->string, c->string) == 0) {
					*why = xasprintf(_("the key \"%s\" appears twice in one object"),
							 c->string);
					return -1;
				}
		}
		if (jform_check_value(c, depth + 1, why) != 0)
			return -1;
	}
	return 0;
}

void jform_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		/* A run that needs no escape goes in at once, not byte by
		 * byte: every line written and every line read is formed here. */
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run) {
			buf_add(b, p, run);
			p += run - 1;
			continue;
		}
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		default:
			if (*p < 0x20)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_putc(b, (char)*p);
		}
	}
	buf_putc(b, '"');
}

void jform_value(struct buf *b, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		jform_string(b, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		buf_printf(b, "%lld", (long long)v->valuedouble);
	} else if (cJSON_IsTrue(v)) {
		buf_puts(b, "true");
	} else if (cJSON_IsFalse(v)) {
		buf_puts(b, "false");
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int obj = cJSON_IsObject(v);
		buf_putc(b, obj ? '{' : '[');
		for (const cJSON *c = v->child; c; c = c->next) {
			if (c != v->child)
				buf_putc(b, ',');
			if (obj) {
				jform_string(b, c->string);
				buf_putc(b, ':');
			}
			jform_value(b, c);
		}
		buf_putc(b, obj ? '}' : ']');
	} else {
		buf_puts(b, "null");
	}
}

void jform_prefix(struct buf *b, const struct journal_event *e)
{
	buf_printf(b, "{\"seq\":%ld,\"time\":\"%s\",\"type\":", e->seq, e->time);
	jform_string(b, e->type);
	if (e->actor == CK_SIDE_NONE)
		buf_puts(b, ",\"actor\":null");
	else
		buf_printf(b, ",\"actor\":\"%c\"", ck_side_letter(e->actor));
	buf_puts(b, ",\"payload\":");
	jform_value(b, e->payload);
	buf_printf(b, ",\"prev\":\"%s\"", e->prev);
}

void jform_suffix(struct buf *b, const struct journal_event *e)
{
	buf_printf(b, ",\"hash\":\"%s\",\"sigs\":[", e->hash);
	for (size_t i = 0; i < e->n_sigs; i++) {
		char *b64 = hash_base64(e->sigs[i].sig, PUBKEY_SIG_LEN);
		buf_printf(b, "%s{\"by\":\"%c\",\"sig\":\"%s\"}", i ? "," : "",
			   ck_side_letter(e->sigs[i].by), b64);
		free(b64);
	}
	buf_puts(b, "]}");
}

/* --- reading ------------------------------------------------------------- */

static int jform_hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* "YYYY-MM-DDTHH:MM:SSZ" with plausible fields. */
static int jform_time_ok(const char *t)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	if (!t || strlen(t) != sizeof pat - 1)
		return 0;
	for (size_t i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !(t[i] >= '0' && t[i] <= '9') : t[i] != pat[i])
			return 0;
	int mo = atoi(t + 5), d = atoi(t + 8), h = atoi(t + 11), mi = atoi(t + 14),
	    s = atoi(t + 17);
	return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

static int jform_side(const cJSON *v, int *side)
{
	if (!cJSON_IsString(v))
		return 0;
	if (strcmp(v->valuestring, "A") == 0)
		*side = CK_SIDE_A;
	else if (strcmp(v->valuestring, "B") == 0)
		*side = CK_SIDE_B;
	else
		return 0;
	return 1;
}

/* The fields of a parsed line, in the fixed order, into e. NULL, or what is
 * wrong (untranslated key for the message table below). */
static const char *jform_fields_into(const cJSON *root, struct journal_event *e)
{
	const cJSON *f[CK_ARRAY_LEN(jform_fields)];
	const cJSON *c = cJSON_IsObject(root) ? root->child : NULL;
	if (!c)
		return N_("the line is not a JSON object");
	for (size_t i = 0; i < CK_ARRAY_LEN(jform_fields); i++, c = c->next) {
		if (!c || !c->string || strcmp(c->string, jform_fields[i]) != 0)
			return N_("the fields are not exactly seq, time, type, actor, payload, prev, "
				  "hash, sigs in this order");
		f[i] = c;
	}
	if (c)
		return N_("the line has fields after \"sigs\"");
	double seq = cJSON_IsNumber(f[0]) ? f[0]->valuedouble : 0;
	if (seq < 1 || seq > JOURNAL_MAX_INT || seq != floor(seq))
		return N_("\"seq\" is not a positive whole number");
	e->seq = (long)seq;
	if (!cJSON_IsString(f[1]) || !jform_time_ok(f[1]->valuestring))
		return N_("\"time\" is not a UTC time like 2026-01-31T09:30:00Z");
	memcpy(e->time, f[1]->valuestring, sizeof e->time);
	if (!cJSON_IsString(f[2]) || !jform_type_ok(f[2]->valuestring))
		return N_("\"type\" is not an event type (a-z, 0-9, '.', '_', '-')");
	e->type = xstrdup(f[2]->valuestring);
	e->actor = CK_SIDE_NONE;
	if (!cJSON_IsNull(f[3]) && !jform_side(f[3], &e->actor))
		return N_("\"actor\" is not \"A\", \"B\" or null");
	if (!cJSON_IsObject(f[4]))
		return N_("\"payload\" is not an object");
	if (!cJSON_IsString(f[5]) || !jform_hex64(f[5]->valuestring) ||
	    !cJSON_IsString(f[6]) || !jform_hex64(f[6]->valuestring))
		return N_("\"prev\" or \"hash\" is not 64 lower-case hex digits");
	memcpy(e->prev, f[5]->valuestring, 65);
	memcpy(e->hash, f[6]->valuestring, 65);
	if (!cJSON_IsArray(f[7]) || cJSON_GetArraySize(f[7]) > 2)
		return N_("\"sigs\" is not a list of at most two signatures");
	for (const cJSON *s = f[7]->child; s; s = s->next) {
		const cJSON *by = s->child, *sig = by ? by->next : NULL;
		struct journal_sig *js = &e->sigs[e->n_sigs];
		if (!cJSON_IsObject(s) || !by || !sig || sig->next || strcmp(by->string, "by") != 0 ||
		    strcmp(sig->string, "sig") != 0 || !jform_side(by, &js->by) ||
		    !cJSON_IsString(sig) || strlen(sig->valuestring) != 88 ||
		    hash_unbase64(sig->valuestring, js->sig, PUBKEY_SIG_LEN) != PUBKEY_SIG_LEN)
			return N_("a signature is not {\"by\":\"A\"|\"B\",\"sig\":\"<base64 of 64 "
				  "bytes>\"}");
		if (e->n_sigs && e->sigs[0].by >= js->by)
			return N_("signatures are not in the order A, B, each at most once");
		e->n_sigs++;
	}
	return NULL;
}

int jform_parse_line(const char *line, size_t len, struct journal_event *e, size_t *prefix_len,
		     char **why)
{
	memset(e, 0, sizeof *e);
	/* cJSON needs the terminating NUL inside the given length to check that
	 * nothing follows the value; a NUL inside the line is caught by the
	 * byte comparison below. */
	char *copy = xstrndup(line, len);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(copy, len + 1, &end, 1);
	if (!root || end != copy + len) {
		cJSON_Delete(root);
		free(copy);
		*why = xstrdup(root ? _("something follows the JSON object on the line")
				    : _("the line is not valid JSON"));
		return -1;
	}
	free(copy);
	const char *bad = jform_fields_into(root, e);
	char *vwhy = NULL;
	if (!bad) {
		cJSON *payload = cJSON_DetachItemFromObjectCaseSensitive(root, "payload");
		e->payload = payload;
		if (jform_check_value(payload, 1, &vwhy) != 0) {
			*why = xasprintf(_("the payload cannot be in the journal: %s"),
					 vwhy ? vwhy : "?");
			free(vwhy);
			cJSON_Delete(root);
			journal_event_free(e);
			return -1;
		}
	}
	cJSON_Delete(root);
	if (bad) {
		*why = xstrdup(_(bad));
		journal_event_free(e);
		return -1;
	}
	struct buf b = BUF_INIT;
	jform_prefix(&b, e);
	*prefix_len = b.len;
	jform_suffix(&b, e);
	int same = b.len == len && memcmp(b.p, line, len) == 0;
	if (!same) {
		/* The column is looked for only on a line that differs: on
		 * every good line a byte loop cost as much as the parse. */
		size_t at = 0;
		while (at < len && at < b.len && b.p[at] == line[at])
			at++;
		buf_free(&b);
		*why = xasprintf(_("the line is not in the one fixed form ckwizard writes (it differs "
				   "at column %zu: extra spaces, other number or escape spellings, or "
				   "edited by hand)"), at + 1);
		journal_event_free(e);
		return -1;
	}
	buf_free(&b);
	return 0;
}

void journal_event_free(struct journal_event *e)
{
	if (!e)
		return;
	free(e->type);
	cJSON_Delete(e->payload);
	memset(e, 0, sizeof *e);
}
