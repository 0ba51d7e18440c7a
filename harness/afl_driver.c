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

#include "cf_limits.h"
#include "cf_mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef __AFL_FUZZ_TESTCASE_LEN
/* Built without afl-clang-fast (e.g. a compile check): plain replay. */
#define __AFL_FUZZ_INIT()
#define __AFL_INIT()
#define CF_NO_AFL 1
#endif

__AFL_FUZZ_INIT();

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CF_ASAN 1
#endif
#endif
#ifndef CF_ASAN
#define CF_ASAN 0
#endif

/* As replay.c: inputs up to the allocation cap of cf_mem.h (16 MiB, 16
 * times the largest file the model parses); one byte is kept for the
 * probe that tells "too large" from "exactly the maximum". */
#define MAX_INPUT (CF_MAX_ALLOC - 1u)

/* Replay one file (or standard input) once. The whole input is read into
 * a buffer then shrunk to exactly its size, so that ASan sees a read one
 * past its end as under libFuzzer. 0, or 1 with a message when it cannot
 * be read or is over MAX_INPUT. */
static int
replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *all = NULL, *buf;
	size_t n = 0, cap = 0, r;
	int rc = 1;

	if (f == NULL) {
		perror(path);
		return 1;
	}
	do {
		if (n == cap) {
			uint8_t *p;
			if (cap > MAX_INPUT) {
				fprintf(stderr, "%s: larger than %u bytes\n",
				    path, MAX_INPUT);
				goto out;
			}
			/* 64 KiB, doubling, then MAX_INPUT + 1 to see the
			 * byte that makes it too large. */
			cap = cap == 0            ? 65536
			    : cap * 2 > MAX_INPUT ? MAX_INPUT + 1u
			                          : cap * 2;
			if ((p = cf_mem_reallocarray(all, cap, 1)) == NULL) {
				perror(path);
				goto out;
			}
			all = p;
		}
		r = fread(all + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	if (ferror(f)) {
		fprintf(stderr, "%s: read error\n", path);
		goto out;
	}
	/* Shrunk to the input's size: ASan then bounds the block there. */
	if ((buf = cf_mem_reallocarray(all, n > 0 ? n : 1, 1)) == NULL) {
		perror(path);
		goto out;
	}
	all = NULL;
	LLVMFuzzerTestOneInput(buf, n);
	cf_mem_free(buf);
	rc = 0;
out:
	cf_mem_free(all);
	fclose(f);
	return rc;
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
#if CF_ASAN
			/* The shared-memory buffer is larger than the input:
			 * under ASan, give the target an exact copy so that a
			 * read past the input is reported here too (a malloc
			 * and a copy, small beside AFL++'s round trip between
			 * processes, about 28 us per execution here). */
			uint8_t *copy = cf_mem_alloc(len > 0 ? (size_t)len : 1);
			if (copy == NULL)
				abort();
			memcpy(copy, buf, (size_t)len);
			LLVMFuzzerTestOneInput(copy, (size_t)len);
			cf_mem_free(copy);
#else
			LLVMFuzzerTestOneInput(buf, (size_t)len);
#endif
		}
	}
	return 0;
#endif
}
