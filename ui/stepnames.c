/* stepnames.c: operators know steps by their number and title, not by the
 * internal ids the rules name them with ("step vault.create/EX-USA_mailboxes/A
 * waits until ..."). Every message line and refusal box goes through here. */
#include "ck.h"
#include "app.h"
#include "buf.h"
#include "session.h"
#include "util.h"

#include <string.h>

/* The longest step id that starts at p, or -1. */
static long names_match(const struct ui *u, const char *p, size_t *len)
{
	size_t n = session_n_steps(u->s), best = 0;
	long found = -1;
	for (size_t i = 0; i < n; i++) {
		struct session_step_view sv;
		if (!session_step_view(u->s, i, &sv) || !sv.id)
			continue;
		size_t l = strlen(sv.id);
		if (l > best && strncmp(p, sv.id, l) == 0) {
			best = l;
			found = (long)i;
		}
	}
	*len = best;
	return found;
}

char *ui_name_steps(const struct ui *u, const char *text)
{
	static const char word[] = "step ";
	struct buf b = BUF_INIT;
	const char *p = text;
	if (!u->s) {
		buf_puts(&b, text);
		return buf_steal(&b);
	}
	for (;;) {
		const char *at = strstr(p, word);
		if (!at) {
			buf_puts(&b, p);
			break;
		}
		at += sizeof word - 1;
		buf_printf(&b, "%.*s", (int)(at - p), p);
		size_t len;
		long i = names_match(u, at, &len);
		struct session_step_view sv;
		if (i >= 0 && session_step_view(u->s, (size_t)i, &sv)) {
			buf_printf(&b, _("%ld \"%s\""), i + 1, sv.title ? sv.title : "");
			at += len;
		}
		p = at;
	}
	return buf_steal(&b);
}
