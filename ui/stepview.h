/* stepview.h: what the step screen shows about one step, as lines (the
 * right pane) and as text (the commands to copy, export or send). */
#ifndef CK_UI_STEPVIEW_H
#define CK_UI_STEPVIEW_H

#include "app.h"
#include "session.h"

/* The commands of step i for a shell; *placeholders counts the values still
 * missing (evidence not entered yet). Caller frees. */
char *stepview_commands(struct ui *u, size_t i, enum session_shell sh, int *placeholders);
/* The right pane for step i, wrapped to w columns. */
void stepview_build(struct ui *u, size_t i, enum session_shell sh, int w, struct lines *out);
/* The glyph and slot for a step's state in the list. */
enum term_glyph stepview_glyph(enum session_step_state state, bool current, enum term_slot *slot);
const char *stepview_shell_name(enum session_shell sh);

/* step_copy.c: the commands of step i out of the screen intact; each returns
 * UF_HANDLED and reports on the message line. */
int stepcopy_view(struct ui *u, size_t i, enum session_shell sh);
int stepcopy_export(struct ui *u, size_t i, enum session_shell sh);
int stepcopy_clipboard(struct ui *u, size_t i, enum session_shell sh);

/* step_act.c: the actions that record, on the selected step *sel (which
 * follows the ceremony afterwards); each returns UF_HANDLED. */
int stepact_confirm(struct ui *u, long *sel);
int stepact_witness(struct ui *u, long *sel);
int stepact_evidence(struct ui *u, long *sel);
int stepact_check(struct ui *u, long *sel, bool perform);
int stepact_reason(struct ui *u, long *sel, bool skip);

#endif
