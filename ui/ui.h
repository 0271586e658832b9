/* ui.h: the ncurses wizard's entry point. This header never includes curses,
 * so the command layer can call it without the screen library leaking. */
#ifndef CK_UI_H
#define CK_UI_H

int ui_placeholder(void);

#endif
