# Fuzzing (doc/reliability.md). Six libFuzzer targets, tests/fuzz/fuzz_*.c:
# the plan loader and rules, the journal reader, the evidence validators, the
# public-key and keystore parsers, the text-safety functions, and the
# readers of the REST backend's answers (azure). Their seed
# directories: tests/fuzz/seeds.
#
# `make check` replays every seed and every saved input through each target
# built by the ordinary compiler (tests/fuzz/replay.c): no clang needed.
# `make fuzz` builds the targets with clang (libFuzzer, ASan, UBSan) and runs
# each in turn for FUZZ_SECONDS; new inputs go to fuzz-corpus/TARGET in the
# build directory, failures to fuzz-crash-TARGET-*. It needs clang and its
# runtime (Debian 12: clang-14 and libclang-rt-14-dev, in .ci/deps; another
# clang: FUZZ_CC=clang), which `make check`
# does not.
FUZZ_TARGETS = plan journal evidence pubkey text azure
FUZZ_CC = clang-14
FUZZ_SECONDS = 60
FUZZ_RUN_FLAGS =
FUZZ_CFLAGS = -std=c11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	$(DEFS) -I$(top_srcdir)/src -I$(top_builddir) \
	-DLOCALEDIR=\"$(localedir)\" -DPKGDATADIR=\"$(pkgdatadir)\" \
	$(YAML_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
FUZZ_LIBS = $(YAML_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(LIBINTL)
FUZZ_CORE_SRC = $(filter %.c,$(libckjournal_a_SOURCES) $(libckazure_a_SOURCES) \
	$(libcksteps_a_SOURCES) $(libckplan_a_SOURCES) $(libckbase_a_SOURCES))
FUZZ_CORE_OBJ = $(patsubst %.c,fuzz-build/%.o,$(FUZZ_CORE_SRC))

fuzz-build/%.o: $(top_srcdir)/%.c
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

fuzz-build/libckfuzz.a: $(FUZZ_CORE_OBJ)
	$(AM_V_AR)rm -f $@ && $(AR) rc $@ $(FUZZ_CORE_OBJ)

fuzz-build/fuzz_%: $(top_srcdir)/tests/fuzz/fuzz_%.c fuzz-build/libckfuzz.a
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< fuzz-build/libckfuzz.a \
		$(FUZZ_LIBS) -o $@

# Per-target flags. The plan target's seeds include plans/README.md (39 KB)
# and a whole journal (66 KB), which would make libFuzzer mutate inputs of
# that size; the largest example plan is 15 KB, so 20 KB covers every real
# plan with room to grow, at a fraction of the cost per input.
FUZZ_FLAGS_plan = -max_len=20480

# One target: make fuzz-plan FUZZ_SECONDS=600. Under a sanitizer, a leak or
# an abort stops the run and leaves the input in fuzz-crash-TARGET-*.
fuzz-%: fuzz-build/fuzz_%
	@$(MKDIR_P) fuzz-corpus/$*
	seeds=$$(sed -n 's/^$*: //p' $(top_srcdir)/tests/fuzz/seeds); \
	dirs=; for s in $$seeds; do dirs="$$dirs $(top_srcdir)/$$s"; done; \
	CK_SRCDIR=$(top_srcdir) ./fuzz-build/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=fuzz-crash-$*- $(FUZZ_FLAGS_$*) $(FUZZ_RUN_FLAGS) fuzz-corpus/$* $$dirs

fuzz:
	@for t in $(FUZZ_TARGETS); do $(MAKE) $(AM_MAKEFLAGS) fuzz-$$t || exit 1; done
fuzz-clean:
	rm -rf fuzz-build fuzz-corpus
.PHONY: fuzz fuzz-clean

# The replay: each target linked with the core as built for the tests.
FUZZ_REPLAY = tests/fuzz_replay_plan tests/fuzz_replay_journal tests/fuzz_replay_evidence \
	tests/fuzz_replay_pubkey tests/fuzz_replay_text tests/fuzz_replay_azure
check_PROGRAMS += $(FUZZ_REPLAY)
tests_fuzz_replay_plan_SOURCES = tests/fuzz/fuzz_plan.c tests/fuzz/replay.c
tests_fuzz_replay_plan_LDADD = $(CK_CORE_LDADD)
tests_fuzz_replay_journal_SOURCES = tests/fuzz/fuzz_journal.c tests/fuzz/replay.c
tests_fuzz_replay_journal_LDADD = $(CK_CORE_LDADD)
tests_fuzz_replay_evidence_SOURCES = tests/fuzz/fuzz_evidence.c tests/fuzz/replay.c tests/plan_base_yaml.h
tests_fuzz_replay_evidence_LDADD = $(CK_CORE_LDADD)
tests_fuzz_replay_pubkey_SOURCES = tests/fuzz/fuzz_pubkey.c tests/fuzz/replay.c
tests_fuzz_replay_pubkey_LDADD = $(CK_CORE_LDADD)
tests_fuzz_replay_text_SOURCES = tests/fuzz/fuzz_text.c tests/fuzz/replay.c
tests_fuzz_replay_text_LDADD = $(CK_CORE_LDADD)
tests_fuzz_replay_azure_SOURCES = tests/fuzz/fuzz_azure.c tests/fuzz/replay.c tests/plan_base_yaml.h
tests_fuzz_replay_azure_LDADD = $(CK_CORE_LDADD)
TESTS += tests/fuzz_replay.sh
EXTRA_DIST += tests/fuzz_replay.sh tests/fuzz/seeds tests/fuzz/corpus tests/fuzz/azure_seeds.py
CLEANFILES += fuzz-crash-*
dist_doc_DATA += doc/reliability.md
