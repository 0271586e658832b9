/* keyscript.c: parse key scripts for the screen tests; see keyscript.h. */
#include "ck.h"
#include "fileread.h"
#include "keyscript.h"
#include "term.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

struct keyscript {
	struct keyscript_tok *tok;
	size_t n, cap, pos;
};

static const struct {
	const char *name;
	int key;
} keyscript_names[] = {
	{ "Enter", '\r' }, { "Tab", '\t' }, { "Esc", 27 }, { "Space", ' ' },
	{ "BS", TERM_FN(KEY_BACKSPACE) }, { "Lt", '<' },
	{ "Up", TERM_FN(KEY_UP) }, { "Down", TERM_FN(KEY_DOWN) },
	{ "Left", TERM_FN(KEY_LEFT) }, { "Right", TERM_FN(KEY_RIGHT) },
	{ "PgUp", TERM_FN(KEY_PPAGE) }, { "PgDn", TERM_FN(KEY_NPAGE) },
	{ "Home", TERM_FN(KEY_HOME) }, { "End", TERM_FN(KEY_END) },
	{ "PasteBegin", TERM_PASTE_BEGIN }, { "PasteEnd", TERM_PASTE_END },
};

static void keyscript_add(struct keyscript *ks, struct keyscript_tok t)
{
	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 64;
		ks->tok = xrealloc(ks->tok, ks->cap * sizeof *ks->tok);
	}
	ks->tok[ks->n++] = t;
}

/* One <...> name into a token; 0 ok. */
static int keyscript_named(const char *name, struct keyscript_tok *t)
{
	memset(t, 0, sizeof *t);
	t->kind = KS_KEY;
	for (size_t i = 0; i < CK_ARRAY_LEN(keyscript_names); i++)
		if (!strcmp(name, keyscript_names[i].name)) {
			t->key = keyscript_names[i].key;
			return 0;
		}
	int n, cols, rows;
	char c, end;
	if ((name[0] == 'F') && sscanf(name + 1, "%d%c", &n, &end) == 1 && n >= 1 && n <= 12) {
		t->key = TERM_FN(KEY_F(n));
		return 0;
	}
	if (sscanf(name, "C-%c%c", &c, &end) == 1 && c >= 'a' && c <= 'z') {
		t->key = c - 'a' + 1;
		return 0;
	}
	if (!strcmp(name, "Dump")) { t->kind = KS_DUMP; return 0; }
	if (!strcmp(name, "Idle")) { t->kind = KS_IDLE; return 0; }
	if (!strcmp(name, "Signal")) { t->kind = KS_SIGNAL; return 0; }
	if (!strcmp(name, "Tick")) { t->kind = KS_TICK; return 0; }
	for (int k = 0; k < 2; k++) {
		const char *w = k ? "Touch " : "Await ";
		size_t wl = strlen(w);
		if (strncmp(name, w, wl) != 0)
			continue;
		const char *f = name + wl;
		if (!*f || strspn(f, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				     "0123456789._/-") != strlen(f))
			return -1;
		t->kind = k ? KS_TOUCH : KS_AWAIT;
		t->file = xstrdup(f);
		return 0;
	}
	if (sscanf(name, "Resize %dx%d%c", &cols, &rows, &end) == 2 && cols > 0 && rows > 0 &&
	    cols <= 1000 && rows <= 1000) {
		t->kind = KS_RESIZE;
		t->cols = cols;
		t->rows = rows;
		return 0;
	}
	return -1;
}

struct keyscript *keyscript_parse(const char *name, const char *text, char **err)
{
	size_t len = strlen(text), off;
	if (!text_utf8_valid(text, len, &off)) {
		*err = xasprintf(_("%s: invalid UTF-8 at byte %zu"), name, off);
		return NULL;
	}
	struct keyscript *ks = xcalloc(1, sizeof *ks);
	size_t i = 0;
	int line = 1;
	bool bol = true;
	while (i < len) {
		if (bol && text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		bol = false;
		if (text[i] == '\n') {
			line++;
			i++;
			bol = true;
			continue;
		}
		if (text[i] == '\r') {
			i++;
			continue;
		}
		struct keyscript_tok t = { .kind = KS_KEY };
		if (text[i] == '<') {
			const char *close = memchr(text + i, '>', len - i);
			const char *nl = memchr(text + i, '\n', len - i);
			if (!close || (nl && nl < close)) {
				*err = xasprintf(_("%s:%d: '<' without '>' (write <Lt> for a '<' key)"),
						 name, line);
				keyscript_free(ks);
				return NULL;
			}
			char *nm = xstrndup(text + i + 1, (size_t)(close - text - i - 1));
			if (keyscript_named(nm, &t) != 0) {
				*err = xasprintf(_("%s:%d: unknown key <%s>"), name, line, nm);
				free(nm);
				keyscript_free(ks);
				return NULL;
			}
			free(nm);
			i = (size_t)(close - text) + 1;
		} else {
			uint32_t cp;
			text_utf8_next(text, len, &i, &cp);
			t.key = (int)cp;
		}
		keyscript_add(ks, t);
	}
	return ks;
}

/* Key scripts are tests' keystrokes: small. */
#define KEYSCRIPT_MAX_BYTES (4L * 1024 * 1024)

struct keyscript *keyscript_load(const char *path, char **err)
{
	char *text = NULL, *why = NULL;
	size_t len = 0;
	if (fileread(path, KEYSCRIPT_MAX_BYTES, 0, &text, &len, &why) != FILEREAD_OK) {
		*err = xasprintf(_("cannot read the key script %s: %s"), path, why);
		free(why);
		return NULL;
	}
	struct keyscript *ks = keyscript_parse(path, text, err);
	free(text);
	return ks;
}

int keyscript_next(struct keyscript *ks, struct keyscript_tok *t)
{
	if (!ks || ks->pos >= ks->n)
		return -1;
	*t = ks->tok[ks->pos++];
	return 0;
}

int keyscript_await(const char *path)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	for (int i = 0; i < 60 * 20; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		nanosleep(&pause, NULL);
	}
	return -1;
}

void keyscript_touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd >= 0)
		close(fd);
}

void keyscript_free(struct keyscript *ks)
{
	if (!ks)
		return;
	for (size_t i = 0; i < ks->n; i++)
		free(ks->tok[i].file);
	free(ks->tok);
	free(ks);
}
