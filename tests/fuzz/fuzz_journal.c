/* fuzz_journal.c: a libFuzzer target for the journal reader (untrusted
 * input: `ckwizard verify` reads journals handed over by others). Not part of
 * `make check`; build and run with clang from a configured build directory:
 *
 *   S=/work/main B=/tmp/build
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I$S/src -I$B \
 *     $S/tests/fuzz_journal.c $S/src/journal_read.c $S/src/journal_form.c \
 *     $S/src/util.c $S/src/buf.c $S/src/text.c $S/src/hash.c $S/src/pubkey.c \
 *     -lcjson -lcrypto -o fuzz_journal
 *   ./fuzz_journal -max_total_time=60 CORPUS_DIR
 *
 * Besides "no crash, no leak", it checks what the reader promises: the
 * events that hold tile the input from byte 0 without gaps, and a problem
 * names a line and an offset inside the input. */
#include "ck.h"
#include "journal.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_read r;
	journal_read_mem((const char *)data, size, &r);
	long at = 0;
	for (size_t i = 0; i < r.n; i++) {
		if (r.ev[i].offset != at || r.ev[i].seq != (long)i + 1 || !r.ev[i].payload)
			abort();
		at += (long)r.ev[i].length;
	}
	if (r.problem == JPROB_NONE ? at != (long)size
				    : (r.problem_offset != at || r.problem_line != (long)r.n + 1 ||
				       !r.problem_text))
		abort();
	journal_read_free(&r);
	return 0;
}
