/* step_copy.c: getting a step's commands out of the screen intact: the
 * plain view (curses left, the terminal wraps), an export next to the journal
 * with its SHA-256, and OSC 52 to the terminal's clipboard on request. */
#include "ck.h"
#include "stepview.h"
#include "hash.h"
#include "session.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *sc_title_line(const struct session_step_view *st, enum session_shell sh)
{
	return xasprintf(_("%s: %s%s%s (%s)"), st->id, st->title, st->subject ? ", " : "",
			 st->subject ? st->subject : "", stepview_shell_name(sh));
}

/* Write the script next to the journal, never over another file; the hash
 * shown lets the operator check the copy they run. */
int stepcopy_export(struct ui *u, size_t i, enum session_shell sh)
{
	struct session_step_view sv;
	if (!session_step_view(u->s, i, &sv))
		return UF_HANDLED;
	const struct session_step_view *st = &sv;
	int ph;
	char *cmd = stepview_commands(u, i, sh, &ph);
	if (!*cmd) {
		free(cmd);
		ui_message(u, SLOT_NORMAL, _("This step has no commands to export."));
		return UF_HANDLED;
	}
	char *base = xstrdup(st->id);
	for (char *p = base; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			*p = '_';
	const char *ext = sh == SESSION_SHELL_BASH ? "sh" : "ps1";
	char *path = NULL;
	int fd = -1;
	for (int n = 1; n < 100 && fd < 0; n++) {
		free(path);
		path = n == 1 ? xasprintf("%s/step-%03ld-%s.%s", session_dir(u->s), (long)i + 1, base, ext)
			      : xasprintf("%s/step-%03ld-%s.%d.%s", session_dir(u->s), (long)i + 1, base,
					  n, ext);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	size_t len = strlen(cmd);
	bool ok = fd >= 0 && write(fd, cmd, len) == (ssize_t)len && fsync(fd) == 0;
	int e = errno;
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (!ok) {
		ui_message(u, SLOT_ERROR, _("Could not write %s: %s"), path, strerror(e));
	} else {
		char hex[HASH_SHA256_HEX_LEN + 1];
		hash_sha256_hex(cmd, len, hex);
		char *t = xasprintf(_("Exported to\n%s\n\nSHA-256 %s\n\n%s"), path, hex,
				    ph ? _("It still has placeholders: enter the earlier evidence first.")
				       : _("Check the hash on the machine where you run it."));
		ui_alert(u, _("Script exported"), t);
		ui_message(u, SLOT_DONE, _("Exported %s (SHA-256 %.16s...)"), path, hex);
		free(t);
	}
	free(path);
	free(base);
	free(cmd);
	return UF_HANDLED;
}

/* OSC 52: the terminal puts base64-decoded text on its clipboard. Written
 * only when asked; the text is the step's commands, never a secret. */
int stepcopy_clipboard(struct ui *u, size_t i, enum session_shell sh)
{
	int ph;
	char *cmd = stepview_commands(u, i, sh, &ph);
	if (!*cmd) {
		free(cmd);
		ui_message(u, SLOT_NORMAL, _("This step has no commands to copy."));
		return UF_HANDLED;
	}
	char *b64 = hash_base64((const unsigned char *)cmd, strlen(cmd));
	char *seq = xasprintf("\033]52;c;%s\a", b64);
	term_osc(seq);
	/* Not every terminal honours OSC 52 (tmux: set-clipboard on): say so. */
	ui_message(u, SLOT_DONE,
		   ngettext("Sent %zu byte to the terminal clipboard (OSC 52); paste to check "
			    "it arrived.",
			    "Sent %zu bytes to the terminal clipboard (OSC 52); paste to check "
			    "they arrived.", strlen(cmd)),
		   strlen(cmd));
	free(seq);
	free(b64);
	free(cmd);
	return UF_HANDLED;
}

int stepcopy_view(struct ui *u, size_t i, enum session_shell sh)
{
	struct session_step_view sv;
	if (!session_step_view(u->s, i, &sv))
		return UF_HANDLED;
	const struct session_step_view *st = &sv;
	int ph;
	char *cmd = stepview_commands(u, i, sh, &ph);
	char *title = sc_title_line(st, sh);
	ui_plain_view(u, title, *cmd ? cmd : _("(no commands)"));
	free(title);
	free(cmd);
	return UF_HANDLED;
}

