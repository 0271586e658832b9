/* action.c: the action table's data and the lookups that serve the key loop,
 * the function-key bar, the help screen and doc/wizard.md. */
#include "ck.h"
#include "action.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const struct ui_action_info actions[] = {
	{ ACT_NONE, "NONE", 0, NULL, NULL, { 0, 0, 0 } },
#define X(id, scope, bar, help, k1, k2, k3) { ACT_##id, #id, scope, bar, help, { k1, k2, k3 } },
	UI_ACTIONS(X)
#undef X
};

const struct ui_action_info *action_info(enum ui_action a)
{
	if (a <= ACT_NONE || a >= ACT_COUNT)
		return &actions[0];
	return &actions[a];
}

enum ui_action action_for_key(int key, unsigned scopes)
{
	if (!key)
		return ACT_NONE;
	for (int a = 1; a < ACT_COUNT; a++) {
		if (!(actions[a].scope & (scopes | SC_ALL)))
			continue;
		for (int k = 0; k < 3; k++)
			if (actions[a].keys[k] == key)
				return (enum ui_action)a;
	}
	return ACT_NONE;
}

static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ '\r', "Enter" }, { '\n', "C-j" }, { '\t', "Tab" }, { 27, "Esc" }, { ' ', "Space" },
	{ TERM_FN(KEY_ENTER), "KP-Enter" }, { TERM_FN(KEY_UP), "Up" }, { TERM_FN(KEY_DOWN), "Down" },
	{ TERM_FN(KEY_LEFT), "Left" }, { TERM_FN(KEY_RIGHT), "Right" },
	{ TERM_FN(KEY_PPAGE), "PgUp" }, { TERM_FN(KEY_NPAGE), "PgDn" },
	{ TERM_FN(KEY_HOME), "Home" }, { TERM_FN(KEY_END), "End" },
	{ TERM_FN(KEY_BACKSPACE), "Backspace" }, { 12, "C-l" },
};

const char *action_key_name(int key, char *buf, size_t cap)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(key_names); i++)
		if (key_names[i].key == key)
			return key_names[i].name;
	if (key >= TERM_FN(KEY_F(1)) && key <= TERM_FN(KEY_F(12)))
		snprintf(buf, cap, "F%d", key - TERM_FN(KEY_F0));
	else if (key > ' ' && key < 0x7f)
		snprintf(buf, cap, "%c", key);
	else
		snprintf(buf, cap, "#%d", key);
	return buf;
}

void action_keys_text(enum ui_action a, struct buf *out)
{
	const struct ui_action_info *ai = action_info(a);
	char tmp[16];
	for (int k = 0; k < 3; k++) {
		if (!ai->keys[k] || ai->keys[k] == '\n' || ai->keys[k] == TERM_FN(KEY_ENTER))
			continue; /* aliases of Enter need no mention */
		if (out->len && out->p[out->len - 1] != ' ' && k)
			buf_puts(out, " ");
		buf_puts(out, action_key_name(ai->keys[k], tmp, sizeof tmp));
	}
}

static const struct {
	unsigned scope;
	const char *name;
} scope_names[] = {
	{ SC_ALL, N_("Everywhere") },
	{ SC_MOVE, N_("Lists and text") },
	{ SC_PANES, N_("Two panes") },
	{ SC_REVIEW, N_("Plan review") },
	{ SC_STEP, N_("Step screen") },
	{ SC_COMMANDS, N_("Command view") },
	{ SC_WAIT, N_("Waits and sittings") },
};

const char *action_scope_name(unsigned scope)
{
	for (size_t i = 0; i < CK_ARRAY_LEN(scope_names); i++)
		if (scope_names[i].scope == scope)
			return scope_names[i].name;
	return "";
}

void action_markdown(struct buf *out)
{
	for (size_t s = 0; s < CK_ARRAY_LEN(scope_names); s++) {
		bool heading = false;
		for (int a = 1; a < ACT_COUNT; a++) {
			/* An action is listed under the first scope it has. */
			unsigned first = actions[a].scope & -actions[a].scope;
			if (first != scope_names[s].scope)
				continue;
			if (!heading)
				buf_printf(out, "\n### %s\n\n| Keys | Action |\n|---|---|\n",
					   scope_names[s].name);
			heading = true;
			struct buf k = BUF_INIT;
			action_keys_text((enum ui_action)a, &k);
			buf_printf(out, "| %s | %s |\n", buf_str(&k), actions[a].help);
			buf_free(&k);
		}
	}
}
