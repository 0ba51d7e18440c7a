/*
 * afl_driver.c - AFL++ persistent-mode driver for the LLVMFuzzerTestOneInput
 * targets, with shared-memory input (AFL++ docs: "persistent mode",
 * __AFL_FUZZ_TESTCASE_BUF / __AFL_LOOP).
 *
 * Under afl-fuzz the input arrives in shared memory and the process loops
 * over up to 10000 inputs before it is restarted. Run by hand, each file
 * argument is replayed once (how triage and repro run AFL++ builds), or,
 * without arguments, one input is read from standard input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef __AFL_FUZZ_TESTCASE_LEN
/* Built without afl-clang-fast (e.g. a compile check): plain replay. */
#define __AFL_FUZZ_INIT()
#define __AFL_INIT()
#define CF_NO_AFL 1
#endif

__AFL_FUZZ_INIT();

#define MAX_INPUT (1u << 20)

static int
replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	if ((buf = malloc(MAX_INPUT)) == NULL) {
		fclose(f);
		return 1;
	}
	n = fread(buf, 1, MAX_INPUT, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			rc |= replay(argv[i]);
		return rc;
	}
#ifdef CF_NO_AFL
	return replay("/dev/stdin");
#else
	__AFL_INIT();
	{
		unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
		while (__AFL_LOOP(10000)) {
			int len = __AFL_FUZZ_TESTCASE_LEN;
			LLVMFuzzerTestOneInput(buf, (size_t)len);
		}
	}
	return 0;
#endif
}
