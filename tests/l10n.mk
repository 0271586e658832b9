# Translations, manual pages, completion and installation (tests/l10n_*.sh).
#
# tests/ckwizard-l10n is the program built a second time with its catalogue
# directory inside the build tree: tests/l10n_po.sh installs a throwaway
# catalogue there to prove LANGUAGE switches the messages. The installed
# program has no such switch: it reads $(localedir) only.
check_PROGRAMS += tests/ckwizard-l10n
tests_ckwizard_l10n_SOURCES = $(ckwizard_SOURCES)
tests_ckwizard_l10n_CPPFLAGS = -I$(top_srcdir)/src -I$(top_builddir) \
	-DLOCALEDIR=\"$(abs_top_builddir)/tests/locale\" -DPKGDATADIR=\"$(pkgdatadir)\"
tests_ckwizard_l10n_CFLAGS = $(AM_CFLAGS)
tests_ckwizard_l10n_LDADD = $(ckwizard_LDADD)

TESTS += tests/l10n_po.sh
EXTRA_DIST += tests/l10n_po.sh tests/l10n.mk

clean-local: l10n-clean-local
l10n-clean-local:
	rm -rf tests/locale
.PHONY: l10n-clean-local

# Bash completion, generated from the command, option and fault tables
# (`ckwizard help --bash`), where bash-completion looks for it on demand.
bashcompdir = $(datadir)/bash-completion/completions
dist_bashcomp_DATA = completion/ckwizard
TESTS += tests/l10n_completion.sh
EXTRA_DIST += tests/l10n_completion.sh
