/* diff.c: the line diff of two plan versions ("- old", "+ new"), shown and
 * recorded with an amendment. */
#include "buf.h"
#include "ck.h"
#include "session/session_int.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lines {
	const char **p;
	size_t *len;
	size_t n;
};

static void lines_split(const char *t, size_t len, struct lines *l)
{
	size_t start = 0;
	l->p = NULL;
	l->len = NULL;
	l->n = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len && i == start)
			break;
		if (i == len || t[i] == '\n') {
			l->p = xrealloc(l->p, (l->n + 1) * sizeof *l->p);
			l->len = xrealloc(l->len, (l->n + 1) * sizeof *l->len);
			l->p[l->n] = t + start;
			l->len[l->n++] = i - start;
			start = i + 1;
		}
	}
}

static bool line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->p[i], b->p[j], a->len[i]) == 0;
}

static void emit(struct buf *out, char mark, const struct lines *l, size_t i)
{
	buf_putc(out, mark);
	buf_putc(out, ' ');
	buf_add(out, l->p[i], l->len[i]);
	buf_putc(out, '\n');
}

/* Longest common subsequence over the lines that differ (common head and
 * tail trimmed first); above a bound, everything between is shown replaced. */
char *sess_line_diff(const char *a, size_t alen, const char *b, size_t blen)
{
	struct lines la, lb;
	struct buf out = BUF_INIT;
	size_t h = 0, ta, tb, n, m;
	lines_split(a, alen, &la);
	lines_split(b, blen, &lb);
	while (h < la.n && h < lb.n && line_eq(&la, h, &lb, h))
		h++;
	ta = la.n;
	tb = lb.n;
	while (ta > h && tb > h && line_eq(&la, ta - 1, &lb, tb - 1)) {
		ta--;
		tb--;
	}
	n = ta - h;
	m = tb - h;
	if (n && m && (uint64_t)(n + 1) * (m + 1) <= 4000000u) {
		uint32_t *L = xcalloc((n + 1) * (m + 1), sizeof *L);
		size_t i, j;
#define AT(i, j) L[(i) * (m + 1) + (j)]
		for (i = n; i-- > 0;)
			for (j = m; j-- > 0;)
				AT(i, j) = line_eq(&la, h + i, &lb, h + j) ? AT(i + 1, j + 1) + 1
					   : (AT(i + 1, j) >= AT(i, j + 1) ? AT(i + 1, j) : AT(i, j + 1));
		i = j = 0;
		while (i < n || j < m) {
			if (i < n && j < m && line_eq(&la, h + i, &lb, h + j)) {
				i++;
				j++;
			} else if (i < n && (j == m || AT(i + 1, j) >= AT(i, j + 1))) {
				emit(&out, '-', &la, h + i++);
			} else {
				emit(&out, '+', &lb, h + j++);
			}
		}
#undef AT
		free(L);
	} else {
		for (size_t i = h; i < ta; i++)
			emit(&out, '-', &la, i);
		for (size_t j = h; j < tb; j++)
			emit(&out, '+', &lb, j);
	}
	free(la.p);
	free(la.len);
	free(lb.p);
	free(lb.len);
	return buf_steal(&out);
}
