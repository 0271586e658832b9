/* keyscript.h: the key scripts of the screen tests (the tig way).
 *
 * A script is text. Printable characters are keys, typed as written; line
 * ends are ignored (one action a line reads well); a line starting with '#'
 * is a comment. Named keys in angle brackets:
 *   <Enter> <Tab> <Esc> <Space> <BS> <Lt> (a literal '<') <Up> <Down> <Left>
 *   <Right> <PgUp> <PgDn> <Home> <End> <F1>..<F12> <C-c> ... <C-z>
 *   <PasteBegin> <PasteEnd> (a bracketed paste, as terminals send it)
 * and directions to the harness:
 *   <Dump>            write the visible screen to the dump file
 *   <Resize 40x10>    the terminal becomes 40 columns by 10 lines
 *   <Idle>            the idle-lock timer fires
 *   <Signal>          SIGTERM arrives
 *   <Tick>            the two-terminal follow timer fires (the other terminal's
 *                     appends are read, a request to co-sign is shown)
 *   <Await FILE>      wait until FILE exists (another scripted ckwizard made
 *                     it), at most a minute; then the script ends
 *   <Touch FILE>      create FILE: the other script's <Await> goes on
 * The script ending means "leave now" (as a signal would). */
#ifndef CK_UI_KEYSCRIPT_H
#define CK_UI_KEYSCRIPT_H

enum keyscript_kind { KS_KEY, KS_DUMP, KS_RESIZE, KS_IDLE, KS_SIGNAL, KS_TICK, KS_AWAIT,
		      KS_TOUCH };

struct keyscript_tok {
	enum keyscript_kind kind;
	int key;          /* KS_KEY: a code point or TERM_FN(KEY_...) */
	int cols, rows;   /* KS_RESIZE */
	char *file;       /* KS_AWAIT, KS_TOUCH (owned by the script) */
};

/* Test harness: wait (at most a minute) until path exists; 0 when it does. */
int keyscript_await(const char *path);
/* Test harness: create path (0600) if it is not there. */
void keyscript_touch(const char *path);

struct keyscript;

/* NULL with a translated *err naming the file, line and token on error:
 * the whole script is checked when loaded, so a typo fails before any key. */
struct keyscript *keyscript_load(const char *path, char **err);
struct keyscript *keyscript_parse(const char *name, const char *text, char **err);
/* 0 and the next token, or -1 at the end. */
int keyscript_next(struct keyscript *ks, struct keyscript_tok *t);
void keyscript_free(struct keyscript *ks);

#endif
