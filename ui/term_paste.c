/* term_paste.c: a bracketed paste becomes one event, never keys.
 *
 * Terminals in bracketed-paste mode (xterm's "?2004") send a pasted block
 * between ESC [200~ and ESC [201~. Everything up to the end marker is text:
 * an ESC inside it (coloured output from PowerShell, say) must not end a
 * field, and what follows it must not run as wizard keys. So the block is
 * collected whole, control sequences (CSI, OSC, DCS/SOS/PM/APC strings, SS3,
 * other escapes, and the C0/C1 controls) are dropped, line ends become '\n',
 * and the wizard gets one TERM_PASTE key; only a text field takes its text.
 * A paste whose end marker never comes (a second of silence, or the script's
 * <Idle>) or that is longer than TERM_PASTE_MAX is refused whole. */
#include "ck.h"
#include "term.h"
#include "secret.h"
#include "util.h"

#include <string.h>

enum paste_state { PS_TEXT, PS_ESC, PS_CSI, PS_SS3, PS_STRING, PS_STRING_ESC };

static struct {
	int *text;         /* code points, secret memory: a paste may be a passphrase */
	size_t n;
	const char *problem;
} P;

/* One key of the paste: the code point to keep, or -1 to drop it. */
static int paste_filter(enum paste_state *st, bool *cr, int k)
{
	bool after_cr = *cr;
	*cr = false;
	switch (*st) {
	case PS_ESC:
		*st = k == '[' ? PS_CSI
		      : k == 'O' ? PS_SS3
		      : (k == ']' || k == 'P' || k == 'X' || k == '^' || k == '_') ? PS_STRING
										 : PS_TEXT;
		return -1;
	case PS_CSI: /* parameters and intermediates 0x20-0x3f, then a final byte */
		if (!(k >= 0x20 && k <= 0x3f))
			*st = PS_TEXT;
		return -1;
	case PS_SS3:
		*st = PS_TEXT;
		return -1;
	case PS_STRING: /* up to BEL or ST (ESC \ or 0x9c) */
		if (k == 7 || k == 0x9c)
			*st = PS_TEXT;
		else if (k == 27)
			*st = PS_STRING_ESC;
		return -1;
	case PS_STRING_ESC:
		*st = k == '\\' ? PS_TEXT : PS_STRING;
		return -1;
	case PS_TEXT:
		break;
	}
	if (k == 27) {
		*st = PS_ESC;
		return -1;
	}
	if (k == 0x9b) { /* C1 CSI */
		*st = PS_CSI;
		return -1;
	}
	if (k == 0x90 || k == 0x98 || k == 0x9d || k == 0x9e || k == 0x9f) {
		*st = PS_STRING;
		return -1;
	}
	if (k == '\r') {
		*cr = true;
		return '\n';
	}
	if (k == '\n')
		return after_cr ? -1 : '\n'; /* CR LF is one line end */
	if (k == '\t')
		return '\t';
	if (k >= TERM_FN(0)) /* a sequence ncurses decoded as a function key */
		return -1;
	if (k < 0x20 || k == 0x7f || (k >= 0x80 && k < 0xa0))
		return -1;
	return k;
}

void term_paste_wipe(void)
{
	if (P.text)
		util_wipe(P.text, TERM_PASTE_MAX * sizeof *P.text);
	P.n = 0;
	P.problem = NULL;
}

void term_paste_release(void)
{
	if (P.text)
		secret_free(P.text, TERM_PASTE_MAX * sizeof *P.text);
	P.text = NULL;
	P.n = 0;
	P.problem = NULL;
}

size_t term_paste(const int **text)
{
	*text = P.text;
	return P.problem ? 0 : P.n;
}

const char *term_paste_problem(void)
{
	return P.problem;
}

enum term_event term_paste_collect(enum term_event (*next)(int *key), int *key,
				   bool *resized)
{
	enum paste_state st = PS_TEXT;
	bool cr = false, over = false;
	if (!P.text)
		P.text = secret_alloc(TERM_PASTE_MAX * sizeof *P.text);
	term_paste_wipe();
	for (;;) {
		int k = 0;
		enum term_event ev = next(&k);
		switch (ev) {
		case TEV_KEY:
			if (k == TERM_PASTE_END) {
				if (over)
					P.problem = _("the pasted text is too long for any field here: "
						      "nothing of it was taken");
				*key = TERM_PASTE;
				return TEV_KEY;
			}
			int c = k == TERM_PASTE_BEGIN ? -1 : paste_filter(&st, &cr, k);
			if (c >= 0 && P.n < TERM_PASTE_MAX)
				P.text[P.n++] = c;
			else if (c >= 0)
				over = true;
			continue;
		case TEV_RESIZE:
			*resized = true;
			continue;
		case TEV_TICK:
		case TEV_IDLE:
			/* The block arrives in one burst: silence means its end
			 * marker was lost, and what comes next may be typed keys. */
			term_paste_wipe();
			P.problem = _("a paste did not end (its end marker never came): nothing "
				      "of it was taken");
			*key = TERM_PASTE;
			return TEV_KEY;
		case TEV_SIGNAL:
		case TEV_END:
			term_paste_wipe();
			return ev;
		}
	}
}
