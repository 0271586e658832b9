/* ydoc.h: a small positioned YAML tree, built from libyaml's event API.
 *
 * Why not libyaml's document loader: it keeps no bound on nesting (100k-deep
 * "[[[" takes seconds), expands aliases, and hides what the plan format must
 * refuse. Here every node keeps its 1-based line and column, and the parser
 * refuses anchors, aliases, tags, merge keys, duplicate keys, complex keys,
 * several documents and a non-mapping top level. Scalars stay strings: YAML 1.1
 * booleans are never interpreted ("NO" is the string NO). */
#ifndef CK_YDOC_H
#define CK_YDOC_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

#define YDOC_MAX_DEPTH 32
#define YDOC_MAX_SCALAR 4096
#define YDOC_MAX_NODES 100000

enum ydoc_kind { YDOC_SCALAR, YDOC_MAP, YDOC_SEQ };

struct ydoc_node;

struct ydoc_pair {
	char *key;
	int line, col;            /* of the key */
	struct ydoc_node *value;
};

struct ydoc_node {
	enum ydoc_kind kind;
	int line, col;            /* of the node's first character */
	char *value;              /* scalar text (NUL-terminated) */
	size_t len;
	bool plain;               /* a plain (unquoted) scalar */
	bool null;                /* YAML null (plain ~, null, empty): value "" */
	struct ydoc_pair *pairs;  /* YDOC_MAP, in file order */
	struct ydoc_node **items; /* YDOC_SEQ */
	size_t n;                 /* pairs or items */
	size_t cap;
};

struct ydoc {
	struct ydoc_node *root;   /* always a mapping */
	size_t n_nodes;
};

/* Parse bytes (checked for UTF-8 and forbidden characters first; a leading
 * byte-order mark is skipped, positions count from after it). On any
 * problem: NULL, with one loader diagnostic (Lnnn) in d. */
struct ydoc *ydoc_parse(const char *bytes, size_t len, struct diags *d);
void ydoc_free(struct ydoc *doc);

/* Lookups (NULL-safe): the value of key in a mapping, item i of a sequence. */
const struct ydoc_node *ydoc_get(const struct ydoc_node *map, const char *key);
const struct ydoc_pair *ydoc_get_pair(const struct ydoc_node *map, const char *key);
const struct ydoc_node *ydoc_item(const struct ydoc_node *seq, size_t i);
/* The node at a field path ("a.b[2].c"), or NULL. The line and column get its
 * position: a scalar's own, a mapping or sequence's key (or item) position;
 * for a missing node, the position of the nearest existing parent (0/0 when
 * there is none). */
const struct ydoc_node *ydoc_find(const struct ydoc *doc, const char *path, int *line, int *col);
/* 1-based line and column of a byte offset (columns count characters). */
void ydoc_offset_pos(const char *bytes, size_t len, size_t off, int *line, int *col);

#endif
