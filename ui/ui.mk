# UI: ncurses screens and widgets only; talks to src/ through the session API.
# ncursesw's CFLAGS (-D_XOPEN_SOURCE=600) stay here (doc/traps.md, ncurses).
noinst_LIBRARIES += libckui.a
libckui_a_SOURCES = ui/ui.h ui/app.h ui/app.c ui/term.h ui/term.c ui/term_check.c ui/term_paste.c \
	ui/keyscript.h ui/keyscript.c ui/action.h ui/action.c ui/lines.h ui/lines.c \
	ui/naming.c ui/stepnames.c ui/terminals.c ui/frame.c ui/precheck.c ui/dialog.c ui/pager.c ui/pin.c ui/people.c ui/scr_signin.c ui/scr_execute.c ui/stepview.h ui/stepview.c ui/step_copy.c \
	ui/alone.c \
	ui/scr_start.c ui/scr_request.c ui/scr_review.c ui/scr_steps.c ui/step_act.c ui/scr_wait.c ui/scr_end.c
libckui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
libckui_a_SOURCES += ui/curses_dl.h
# The binary's ncurses, loaded on first use; the test programs link ncurses
# and point ui/curses_dl.h's variables at it with ui/curses_linked.c.
noinst_LIBRARIES += libckcurses_dl.a
libckcurses_dl_a_SOURCES = ui/curses_dl.c
libckcurses_dl_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
ckwizard_SOURCES += src/cli_wizard.c

if HAVE_CMOCKA
check_PROGRAMS += tests/test_ui
TESTS += tests/test_ui
tests_test_ui_SOURCES = tests/test_ui.c ui/curses_linked.c
tests_test_ui_CFLAGS = $(CK_TEST_CFLAGS) $(NCURSES_CFLAGS) -I$(top_srcdir)/ui
tests_test_ui_LDADD = libckui.a libckbase.a $(CMOCKA_LIBS) $(NCURSES_LIBS) $(CRYPTO_LIBS) $(LIBINTL)
check_PROGRAMS += tests/test_term_paste
TESTS += tests/test_term_paste
tests_test_term_paste_SOURCES = tests/test_term_paste.c ui/curses_linked.c
tests_test_term_paste_CFLAGS = $(CK_TEST_CFLAGS) $(NCURSES_CFLAGS) -I$(top_srcdir)/ui
tests_test_term_paste_LDADD = libckui.a libckbase.a $(CMOCKA_LIBS) $(NCURSES_LIBS) $(CRYPTO_LIBS) $(LIBINTL)
endif
EXTRA_DIST += tests/screens
# Scripted keys and screen dumps on the real binary (tests/screens/*.txt).
TESTS += tests/ui_screens.sh tests/ui_screens_two.sh tests/end_reports.sh
EXTRA_DIST += tests/ui_screens.sh tests/ui_screens_two.sh tests/end_reports.sh
dist_doc_DATA += doc/wizard.md
