# Translations, manual pages, completion and installation (tests/l10n_*.sh).
#
# tests/ckwizard-l10n is the program built a second time with its catalogue
# directory inside the build tree, tests/locale: the catalogues of
# po/LINGUAS are compiled there (below), and tests/l10n_po.sh adds a
# throwaway pseudo-translation "xx". The installed program has no such
# switch, no environment variable and no option that names a catalogue: it
# reads $(localedir) only, where only root installs (a catalogue decides what
# an operator reads in a ceremony; doc/translating.md).
check_PROGRAMS += tests/ckwizard-l10n
EXTRA_tests_ckwizard_l10n_DEPENDENCIES = tests/locale/stamp
tests_ckwizard_l10n_SOURCES = $(ckwizard_SOURCES)
tests_ckwizard_l10n_CPPFLAGS = -I$(top_srcdir)/src -I$(top_builddir) \
	-DLOCALEDIR=\"$(abs_top_builddir)/tests/locale\" -DPKGDATADIR=\"$(pkgdatadir)\"
tests_ckwizard_l10n_CFLAGS = $(AM_CFLAGS) $(CRYPTO_CFLAGS)
tests_ckwizard_l10n_LDADD = $(ckwizard_LDADD)

TESTS += tests/l10n_po.sh
EXTRA_DIST += tests/l10n_po.sh tests/l10n.mk

# The translations, compiled for tests/ckwizard-l10n from the sources (no
# install, no generated system locale: LANGUAGE=LL under C.UTF-8).
tests/locale/stamp: $(top_srcdir)/po/LINGUAS $(wildcard $(top_srcdir)/po/*.po)
	$(AM_V_GEN)for l in `sed 's/#.*//' $(top_srcdir)/po/LINGUAS`; do \
	  test -f $(top_srcdir)/po/$$l.po || continue; \
	  $(MKDIR_P) tests/locale/$$l/LC_MESSAGES && \
	  $(MSGFMT) -o tests/locale/$$l/LC_MESSAGES/$(PACKAGE).mo $(top_srcdir)/po/$$l.po || exit 1; \
	done; touch $@

# Every catalogue complete, checked, and fit for the screens.
TESTS += tests/l10n_catalogues.sh
EXTRA_DIST += tests/l10n_catalogues.sh tests/l10n/catalogue.py tests/l10n/same.de \
	tests/l10n/same.fr tests/l10n/same.ja
# Reports in each language: recorded, and verified in it.
TESTS += tests/l10n_report.sh
EXTRA_DIST += tests/l10n_report.sh
# The wizard in each language, in tmux at 80x24.
TESTS += tests/e2e_l10n.sh
EXTRA_DIST += tests/e2e_l10n.sh tests/e2e/l10n.py

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
# Zsh completion, from the same tables (`ckwizard help --zsh`), where
# Debian's zsh looks for a package's completion functions.
zshcompdir = $(datadir)/zsh/vendor-completions
dist_zshcomp_DATA = completion/_ckwizard
TESTS += tests/l10n_completion_zsh.sh
EXTRA_DIST += tests/l10n_completion_zsh.sh tests/l10n/zsh_stubs.zsh

# The format manual pages are the format documents, converted by
# doc/md2man.awk (plans/README.md's reference is itself generated from the
# field and rule tables; doc/journal.md's event table is checked against the
# rule table). After editing either document: make man5, and commit.
dist_man_MANS += doc/ckwizard-plan.5 doc/ckwizard-journal.5
EXTRA_DIST += doc/md2man.awk
CK_MD2MAN = $(AWK) -f $(top_srcdir)/doc/md2man.awk
man5:
	$(CK_MD2MAN) -v name=ckwizard-plan -v section=5 -v src=plans/README.md \
		-v what="the setup plan format of ckwizard" \
		$(top_srcdir)/plans/README.md >$(top_srcdir)/doc/ckwizard-plan.5
	$(CK_MD2MAN) -v name=ckwizard-journal -v section=5 -v src=doc/journal.md \
		-v what="the signed session journal of ckwizard" \
		$(top_srcdir)/doc/journal.md >$(top_srcdir)/doc/ckwizard-journal.5
.PHONY: man5
TESTS += tests/l10n_man.sh
EXTRA_DIST += tests/l10n_man.sh

# What a Debian package ships besides the program and its manual pages: the
# example plans under the documentation's examples/ (their demo keys are in
# $(pkgdatadir)), the README, the design and the procedure. The plans are
# distributed from here too (some are also listed by the tests that use them).
examplesdir = $(docdir)/examples
dist_examples_DATA = plans/README.md plans/contoso-exchange.yaml plans/contoso-all.yaml \
	plans/contoso-service.yaml plans/contoso-hsm.yaml plans/fabrikam-multigeo.yaml \
	plans/woodgrove-large.yaml
doc_DATA = README DESIGN.md doc/steps.md
dist_doc_DATA += doc/translating.md
TESTS += tests/l10n_install.sh
EXTRA_DIST += tests/l10n_install.sh
