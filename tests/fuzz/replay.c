/* replay.c: runs a libFuzzer target's LLVMFuzzerTestOneInput over files and
 * directories of inputs, without libFuzzer: `make check` builds it with the
 * ordinary compiler so every corpus (seeds, and every input a fuzzer ever
 * crashed on) is replayed on every build, clang or not. A target reports a
 * broken promise by aborting, which fails the test (tests/fuzz_replay.sh). */
#include "ck.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			uint8_t *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	int bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		return -1;
	}
	/* A copy of exactly len bytes, so that a read past the input shows up
	 * under a sanitizer as it would under libFuzzer. */
	uint8_t *exact = malloc(len ? len : 1);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*n)++;
	return 0;
}

static int replay_dir(const char *dir, size_t *n)
{
	struct dirent **names;
	int k = scandir(dir, &names, NULL, alphasort);
	if (k < 0) {
		fprintf(stderr, "replay: cannot read directory %s\n", dir);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < k; i++) {
		if (names[i]->d_name[0] != '.') {
			size_t pl = strlen(dir) + strlen(names[i]->d_name) + 2;
			char *path = malloc(pl);
			snprintf(path, pl, "%s/%s", dir, names[i]->d_name);
			struct stat st;
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && replay_file(path, n) != 0)
				rc = -1;
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t n = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: not found\n", argv[i]);
			rc = -1;
		} else if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i], &n)
						 : replay_file(argv[i], &n)) != 0) {
			rc = -1;
		}
	}
	printf("%zu inputs replayed\n", n);
	return rc == 0 && n > 0 ? 0 : 1;
}
