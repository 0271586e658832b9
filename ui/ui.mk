# UI: ncurses screens and widgets only; talks to src/ through the session API.
# ncursesw's CFLAGS (-D_XOPEN_SOURCE=600) stay here (TRAPS.md). Owner: [wizard].
noinst_LIBRARIES += libckui.a
libckui_a_SOURCES = ui/ui.h ui/ui_placeholder.c
libckui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
ckwizard_SOURCES += src/cli_wizard.c
