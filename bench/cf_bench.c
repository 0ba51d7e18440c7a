/*
 * cf_bench.c - the canaries of the planted defects (cf_bench.h).
 *
 * Linked only into benchmark builds, and compiled with the plain compiler
 * (no coverage instrumentation, no sanitizer): what happens here is
 * invisible to the fuzzer's feedback. The once-per-process flags are the
 * only mutable state; a benchmark build runs one planted defect.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cf_bench.h"

enum { EV_REACHED = 0, EV_TRIGGERED = 1 };

static int done[2];

static void
record(int ev, const char *name)
{
	static const char *const what[2] = { "REACHED", "TRIGGERED" };
	static const char *const file[2] = { "reached", "triggered" };
	const char *dir = getenv("CF_BENCH_CANARY");
	struct timespec ts;
	char path[4096], line[256];
	int fd, n;

	if (done[ev])
		return;
	done[ev] = 1;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "CF_BENCH_%s %s\n", what[ev], name);
	if (dir == NULL || *dir == '\0')
		return;
	n = snprintf(path, sizeof(path), "%s/%s", dir, file[ev]);
	if (n < 0 || (size_t)n >= sizeof(path))
		return;
	/* O_EXCL: the first process to get here wins, later ones leave the
	 * file alone. Failure to record is not a fault of the target. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)) < 0)
		return;
	n = snprintf(line, sizeof(line), "%s %lld.%09ld\n", name,
	    (long long)ts.tv_sec, (long)ts.tv_nsec);
	if (n > 0 && (size_t)n < sizeof(line) &&
	    write(fd, line, (size_t)n) != (ssize_t)n)
		(void)unlink(path);
	close(fd);
}

void
cf_bench_reach(const char *name, int possible)
{
	if (possible)
		record(EV_REACHED, name);
}

void
cf_bench_trigger(const char *name, int bad, int natural, uint64_t detail)
{
	if (!bad)
		return;
	record(EV_TRIGGERED, name);
	if (natural)
		return;
	fprintf(stderr, "chanfuzz-bench: triggered %s (detail %llu)\n", name,
	    (unsigned long long)detail);
	fflush(stderr);
	abort();
}
