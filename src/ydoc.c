/* ydoc.c: build the positioned tree from libyaml events, refusing what the
 * plan format does not allow (see ydoc.h) as early as possible. */
#include "ck.h"
#include "rules.h"
#include "text.h"
#include "util.h"
#include "ydoc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame {
	struct ydoc_node *node;
	char *key;        /* mapping: the key waiting for its value */
	int key_line, key_col;
};

struct builder {
	struct ydoc *doc;
	struct frame stack[YDOC_MAX_DEPTH + 1];
	int depth;
	struct diags *d;
	const char *bytes;
	size_t len;
	bool failed;
};

void ydoc_offset_pos(const char *bytes, size_t len, size_t off, int *line, int *col)
{
	int l = 1, c = 1;
	if (off > len)
		off = len;
	for (size_t i = 0; i < off; i++) {
		unsigned char ch = (unsigned char)bytes[i];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xC0) != 0x80) { /* count characters, not bytes */
			c++;
		}
	}
	*line = l;
	*col = c;
}

static void ydoc_fail(struct builder *b, const char *id, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void ydoc_fail(struct builder *b, const char *id, int line, int col, const char *fmt, ...)
{
	if (b->failed) /* the first problem is the one to fix */
		return;
	b->failed = true;
	va_list ap;
	va_start(ap, fmt);
	rules_vemit(b->d, id, NULL, line, col, fmt, ap);
	va_end(ap);
}

static void ydoc_node_free(struct ydoc_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (n->kind == YDOC_MAP) {
			free(n->pairs[i].key);
			ydoc_node_free(n->pairs[i].value);
		} else if (n->kind == YDOC_SEQ) {
			ydoc_node_free(n->items[i]);
		}
	}
	free(n->pairs);
	free(n->items);
	free(n->value);
	free(n);
}

void ydoc_free(struct ydoc *doc)
{
	if (!doc)
		return;
	ydoc_node_free(doc->root);
	free(doc);
}

/* Attach a new node to the container on top of the stack (or make it the root). */
static void ydoc_attach(struct builder *b, struct ydoc_node *n)
{
	if (b->depth == 0) {
		b->doc->root = n;
		return;
	}
	struct frame *f = &b->stack[b->depth - 1];
	struct ydoc_node *p = f->node;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		if (p->kind == YDOC_MAP)
			p->pairs = xrealloc(p->pairs, p->cap * sizeof(*p->pairs));
		else
			p->items = xrealloc(p->items, p->cap * sizeof(*p->items));
	}
	if (p->kind == YDOC_MAP) {
		struct ydoc_pair *pr = &p->pairs[p->n++];
		pr->key = f->key;
		pr->line = f->key_line;
		pr->col = f->key_col;
		pr->value = n;
		f->key = NULL;
	} else {
		p->items[p->n++] = n;
	}
}

static int pair_cmp(const void *a, const void *b)
{
	const struct ydoc_pair *x = *(const struct ydoc_pair *const *)a;
	const struct ydoc_pair *y = *(const struct ydoc_pair *const *)b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x < y ? -1 : x > y;
}

/* libyaml does not detect duplicate keys. Sorting keeps a hostile mapping with
 * tens of thousands of keys at n log n; up to this many keys, pairwise. */
#define YDOC_DUP_SMALL 16
static void ydoc_check_duplicates(struct builder *b, const struct ydoc_node *m)
{
	if (m->n < 2)
		return;
	const struct ydoc_pair *dup = NULL, *first = NULL;
	if (m->n <= YDOC_DUP_SMALL) {
		/* A plan's mappings are small: comparing each key with those
		 * before it costs less than sorting, and finds the same pair
		 * (the earliest repeated key, and its nearest earlier
		 * occurrence). */
		for (size_t j = 1; j < m->n && !dup; j++)
			for (size_t i = j; i-- > 0;)
				if (strcmp(m->pairs[i].key, m->pairs[j].key) == 0) {
					dup = &m->pairs[j];
					first = &m->pairs[i];
					break;
				}
	} else {
		const struct ydoc_pair **v = xmalloc(m->n * sizeof(*v));
		for (size_t i = 0; i < m->n; i++)
			v[i] = &m->pairs[i];
		qsort(v, m->n, sizeof(*v), pair_cmp);
		for (size_t i = 1; i < m->n; i++) {
			if (strcmp(v[i - 1]->key, v[i]->key) == 0 && (!dup || v[i] < dup)) {
				dup = v[i];
				first = v[i - 1];
			}
		}
		free(v);
	}
	if (dup) {
		char *msg = xasprintf("%d:%d", first->line, first->col);
		char *vis = text_visible_line(dup->key);
		char *arg = xasprintf("'%s' (first at %s)", vis, msg);
		ydoc_fail(b, "L014", dup->line, dup->col, _("duplicate key %s"), arg);
		free(arg);
		free(vis);
		free(msg);
	}
}

static bool ydoc_is_null_word(const char *v, size_t len)
{
	static const char *const words[] = { "", "~", "null", "Null", "NULL" };
	for (size_t i = 0; i < CK_ARRAY_LEN(words); i++)
		if (len == strlen(words[i]) && memcmp(v, words[i], len) == 0)
			return true;
	return false;
}

static void ydoc_on_scalar(struct builder *b, const yaml_event_t *ev, int line, int col)
{
	const char *val = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	if (len > YDOC_MAX_SCALAR) {
		char lim[32];
		snprintf(lim, sizeof lim, "%d", YDOC_MAX_SCALAR);
		ydoc_fail(b, "L009", line, col, _("a value longer than %s bytes"), lim);
		return;
	}
	if (memchr(val, '\0', len)) { /* "\0" escapes in double quotes */
		ydoc_fail(b, "L006", line, col, _("a NUL character in a value"));
		return;
	}
	size_t off;
	uint32_t cp;
	if (text_find_forbidden(val, len, 1, &off, &cp)) { /* escapes such as "\u202e" */
		char cps[16];
		snprintf(cps, sizeof cps, "U+%04X", (unsigned)cp);
		ydoc_fail(b, "L006", line, col, _("forbidden character %s in a value"), cps);
		return;
	}
	struct frame *f = b->depth ? &b->stack[b->depth - 1] : NULL;
	if (f && f->node->kind == YDOC_MAP && !f->key) {
		bool plain = ev->data.scalar.plain_implicit &&
			     ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (plain && strcmp(val, "<<") == 0) {
			ydoc_fail(b, "L013", line, col, _("merge keys (<<) are not allowed"));
			return;
		}
		f->key = xstrndup(val, len);
		f->key_line = line;
		f->key_col = col;
		return;
	}
	struct ydoc_node *n = xcalloc(1, sizeof(*n));
	n->kind = YDOC_SCALAR;
	n->line = line;
	n->col = col;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	/* YAML's null (~, null, Null, NULL or nothing, unquoted) is no value,
	 * never the text "~": a reviewer reads "name: ~" as "no name". */
	n->null = n->plain && ydoc_is_null_word(val, len);
	n->value = n->null ? xstrdup("") : xstrndup(val, len);
	n->len = n->null ? 0 : len;
	ydoc_attach(b, n);
}

static void ydoc_on_start(struct builder *b, enum ydoc_kind kind, int line, int col)
{
	if (b->depth >= YDOC_MAX_DEPTH) {
		char lim[32];
		snprintf(lim, sizeof lim, "%d", YDOC_MAX_DEPTH);
		ydoc_fail(b, "L008", line, col, _("nested deeper than %s levels"), lim);
		return;
	}
	struct frame *f = b->depth ? &b->stack[b->depth - 1] : NULL;
	if (f && f->node->kind == YDOC_MAP && !f->key) {
		ydoc_fail(b, "L017", line, col, _("a mapping key must be a plain value"));
		return;
	}
	if (!f && kind != YDOC_MAP) {
		ydoc_fail(b, "L016", line, col, _("the plan must be a mapping of fields"));
		return;
	}
	struct ydoc_node *n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = line;
	n->col = col;
	ydoc_attach(b, n);
	b->stack[b->depth].node = n;
	b->stack[b->depth].key = NULL;
	b->depth++;
}

static bool ydoc_has_props(const yaml_event_t *ev, const unsigned char **anchor,
			   const unsigned char **tag)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		*anchor = ev->data.scalar.anchor;
		*tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		*anchor = ev->data.sequence_start.anchor;
		*tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		*anchor = ev->data.mapping_start.anchor;
		*tag = ev->data.mapping_start.tag;
		break;
	default:
		*anchor = *tag = NULL;
	}
	return *anchor || *tag;
}

/* One event; returns false at the end of the stream or on failure. */
static bool ydoc_on_event(struct builder *b, const yaml_event_t *ev, int *docs)
{
	int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
	const unsigned char *anchor, *tag;
	if (ydoc_has_props(ev, &anchor, &tag)) {
		if (anchor)
			ydoc_fail(b, "L011", line, col, _("anchors and aliases are not allowed (&%s)"),
				  (const char *)anchor);
		else
			ydoc_fail(b, "L012", line, col, _("tags are not allowed (%s)"),
				  (const char *)tag);
		return false;
	}
	if (ev->type != YAML_STREAM_START_EVENT && ev->type != YAML_STREAM_END_EVENT &&
	    ev->type != YAML_DOCUMENT_START_EVENT && ev->type != YAML_DOCUMENT_END_EVENT &&
	    ++b->doc->n_nodes > YDOC_MAX_NODES) {
		char lim[32];
		snprintf(lim, sizeof lim, "%d", YDOC_MAX_NODES);
		ydoc_fail(b, "L010", line, col, _("more than %s values"), lim);
		return false;
	}
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			ydoc_fail(b, "L015", line, col, _("only one YAML document is allowed"));
			return false;
		}
		if (ev->data.document_start.tag_directives.start !=
		    ev->data.document_start.tag_directives.end) {
			ydoc_fail(b, "L012", line, col, _("tag directives are not allowed"));
			return false;
		}
		return true;
	case YAML_ALIAS_EVENT:
		ydoc_fail(b, "L011", line, col, _("anchors and aliases are not allowed (*%s)"),
			  (const char *)ev->data.alias.anchor);
		return false;
	case YAML_SCALAR_EVENT:
		if (b->depth == 0) {
			ydoc_fail(b, "L016", line, col, _("the plan must be a mapping of fields"));
			return false;
		}
		ydoc_on_scalar(b, ev, line, col);
		return !b->failed;
	case YAML_SEQUENCE_START_EVENT:
		ydoc_on_start(b, YDOC_SEQ, line, col);
		return !b->failed;
	case YAML_MAPPING_START_EVENT:
		ydoc_on_start(b, YDOC_MAP, line, col);
		return !b->failed;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		if (b->stack[b->depth].node->kind == YDOC_MAP)
			ydoc_check_duplicates(b, b->stack[b->depth].node);
		return !b->failed;
	case YAML_STREAM_END_EVENT:
		return false;
	default:
		return true;
	}
}

/* Does 0-based line n contain a tab? */
static bool ydoc_line_has_tab(const char *bytes, size_t len, size_t n)
{
	size_t i = 0;
	for (size_t l = 0; l < n && i < len; i++)
		l += bytes[i] == '\n';
	for (; i < len && bytes[i] != '\n'; i++)
		if (bytes[i] == '\t')
			return true;
	return false;
}

static void ydoc_parser_error(struct builder *b, const yaml_parser_t *p)
{
	int line, col;
	if (p->error == YAML_READER_ERROR) { /* marks are 0:0 here, offsets are bytes */
		ydoc_offset_pos(b->bytes, b->len, p->problem_offset, &line, &col);
	} else {
		line = (int)p->problem_mark.line + 1;
		col = (int)p->problem_mark.column + 1;
	}
	char *msg = xasprintf("%s%s%s", p->problem ? p->problem : "?",
			      p->context ? ", " : "", p->context ? p->context : "");
	/* The commonest cause, which libyaml's words do not name: a tab. */
	bool tab = p->error == YAML_SCANNER_ERROR &&
		   ydoc_line_has_tab(b->bytes, b->len, p->problem_mark.line);
	if (tab)
		ydoc_fail(b, "L007", line, col,
			  _("not valid YAML: %s (this line has a tab: YAML indents with spaces only)"),
			  msg);
	else
		ydoc_fail(b, p->error == YAML_READER_ERROR ? "L005" : "L007", line, col,
			  _("not valid YAML: %s"), msg);
	free(msg);
}

/* The raw bytes first: libyaml accepts bidi overrides, and its reader errors
 * lose the position. Report with the position computed from the offset. */
static bool ydoc_check_bytes(struct builder *b)
{
	size_t off;
	uint32_t cp;
	int line, col;
	/* One pass over the bytes: this runs on every plan read. */
	int problem = text_first_problem(b->bytes, b->len, 1, &off, &cp);
	if (problem == TEXT_BAD_UTF8) {
		char hex[8];
		snprintf(hex, sizeof hex, "0x%02X", (unsigned char)b->bytes[off]);
		ydoc_offset_pos(b->bytes, b->len, off, &line, &col);
		ydoc_fail(b, "L005", line, col, _("invalid UTF-8 (byte %s)"), hex);
		return false;
	}
	if (problem == TEXT_FORBIDDEN) {
		char cps[16];
		snprintf(cps, sizeof cps, "U+%04X", (unsigned)cp);
		ydoc_offset_pos(b->bytes, b->len, off, &line, &col);
		ydoc_fail(b, "L006", line, col,
			  _("forbidden character %s (NUL, control or bidirectional override)"), cps);
		return false;
	}
	return true;
}

struct ydoc *ydoc_parse(const char *bytes, size_t len, struct diags *d)
{
	/* A byte-order mark is no part of the text: positions count from after
	 * it, as an editor shows them (libyaml counts it as a column). */
	if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
		bytes += 3;
		len -= 3;
	}
	struct builder b = { .d = d, .bytes = bytes, .len = len };
	if (!ydoc_check_bytes(&b))
		return NULL;
	b.doc = xcalloc(1, sizeof(*b.doc));
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p)) {
		free(b.doc);
		/* the problem is set where libyaml could not be opened
		 * (src/yaml_dl.c); libyaml's own fails only for memory */
		if (p.problem)
			diags_add(d, DIAG_ERROR, "L007", NULL, 0, 0,
				  _("reading a plan needs libyaml 0.2 (Debian: apt-get install "
				    "libyaml-0-2)"),
				  _("cannot start the YAML parser: %s"), p.problem);
		else
			rules_emit(d, "L007", NULL, 0, 0, _("cannot start the YAML parser"));
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	int docs = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			ydoc_parser_error(&b, &p);
			break;
		}
		bool more = ydoc_on_event(&b, &ev, &docs);
		yaml_event_delete(&ev);
		if (!more)
			break;
	}
	yaml_parser_delete(&p);
	for (int i = 0; i < b.depth; i++)
		free(b.stack[i].key);
	if (!b.failed && !b.doc->root)
		ydoc_fail(&b, "L004", 1, 1, _("the plan is empty"));
	if (b.failed) {
		ydoc_free(b.doc);
		return NULL;
	}
	return b.doc;
}

const struct ydoc_pair *ydoc_get_pair(const struct ydoc_node *map, const char *key)
{
	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key, key) == 0)
			return &map->pairs[i];
	return NULL;
}

/* The pair whose key is the k bytes at key (no NUL among them): a path's
 * segment, compared in place rather than copied out (ydoc_find runs for
 * every field the loader reads). */
static const struct ydoc_pair *ydoc_get_pair_n(const struct ydoc_node *map, const char *key,
					       size_t k)
{
	if (!map || map->kind != YDOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strncmp(map->pairs[i].key, key, k) == 0 && map->pairs[i].key[k] == '\0')
			return &map->pairs[i];
	return NULL;
}

const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key)
{
	const struct ydoc_pair *p = ydoc_get_pair(map, key);
	return p ? p->value : NULL;
}

const struct ydoc_node *ydoc_item(const struct ydoc_node *seq, size_t i)
{
	if (!seq || seq->kind != YDOC_SEQ || i >= seq->n)
		return NULL;
	return seq->items[i];
}

const struct ydoc_node *ydoc_find(const struct ydoc *doc, const char *path, int *line, int *col)
{
	*line = *col = 0;
	if (!doc || !doc->root || !path)
		return NULL;
	const struct ydoc_node *n = doc->root;
	const char *s = path;
	while (*s) {
		if (*s == '.')
			s++;
		const struct ydoc_node *next = NULL;
		int nl = 0, nc = 0;
		if (*s == '[') {
			char *end;
			unsigned long i = strtoul(s + 1, &end, 10);
			if (*end != ']')
				return NULL;
			next = ydoc_item(n, i);
			if (next) {
				nl = next->line;
				nc = next->col;
			}
			s = end + 1;
		} else {
			size_t k = strcspn(s, ".[");
			const struct ydoc_pair *pr = ydoc_get_pair_n(n, s, k);
			if (pr) {
				next = pr->value;
				/* containers point at their key, scalars at the value */
				nl = next->kind == YDOC_SCALAR ? next->line : pr->line;
				nc = next->kind == YDOC_SCALAR ? next->col : pr->col;
			}
			s += k;
		}
		if (!next)
			return NULL;
		n = next;
		*line = nl;
		*col = nc;
	}
	return n;
}
