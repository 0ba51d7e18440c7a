/*
 * cf_test.h - the tiny test harness shared by the C test programs.
 *
 * A test program calls CF_EXPECT / CF_EXPECT_EQ for each assertion, then
 * returns cf_test_finish(), which prints "N passed, N failed" on a line of
 * its own and gives the exit status (non-zero on any failure). The
 * counters live in the test program, never in the library.
 */
#ifndef CF_TEST_H
#define CF_TEST_H

#include <stdio.h>

static unsigned cf_test_passed, cf_test_failed;

#define CF_EXPECT(cond, ...)                                                 \
	do {                                                                 \
		if (cond) {                                                  \
			cf_test_passed++;                                    \
		} else {                                                     \
			cf_test_failed++;                                    \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                        \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#define CF_EXPECT_EQ(got, want, what)                            \
	CF_EXPECT((long long)(got) == (long long)(want),         \
	    "%s: got %lld, want %lld", (what), (long long)(got), \
	    (long long)(want))

static inline int
cf_test_finish(const char *suite)
{
	printf("%s: %u passed, %u failed\n", suite, cf_test_passed,
	    cf_test_failed);
	return cf_test_failed ? 1 : 0;
}

#endif
