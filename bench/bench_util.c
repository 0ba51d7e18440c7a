/*
 * bench_util.c - what the benchmark tools share (bench_util.h).
 */
#include <bsd/stdlib.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "cf_mem.h"

static int
not_dot(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), k = strlen(suffix);

	return l > k && strcmp(s + l - k, suffix) == 0;
}

/* Read path whole into b, at most max_size bytes; -1 when it cannot, is
 * empty or is larger. */
static int
read_whole(const char *path, bench_blob *b, size_t max_size)
{
	FILE *f = fopen(path, "rb");
	long size;

	b->p = NULL;
	b->n = 0;
	if (f == NULL)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
	    (unsigned long)size > max_size || fseek(f, 0, SEEK_SET) != 0 ||
	    (b->p = cf_mem_alloc((size_t)size)) == NULL ||
	    fread(b->p, 1, (size_t)size, f) != (size_t)size) {
		cf_mem_free(b->p);
		b->p = NULL;
		fclose(f);
		return -1;
	}
	b->n = (size_t)size;
	fclose(f);
	return 0;
}

size_t
bench_load_seeds(const char *dir, const char *suffix, bench_blob *seeds,
    size_t max, size_t max_size)
{
	struct dirent **names = NULL;
	size_t ns = 0;
	int nn = scandir(dir, &names, not_dot, alphasort);

	for (int i = 0; i < nn; i++) {
		char path[4096];
		int w = snprintf(
		    path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (ns < max && ends_with(names[i]->d_name, suffix) && w > 0 &&
		    (size_t)w < sizeof(path) &&
		    read_whole(path, &seeds[ns], max_size) == 0)
			ns++;
		free(names[i]); /* allocated by libc: scandir(3) */
	}
	free(names); /* allocated by libc: scandir(3) */
	return ns;
}

void
bench_free_seeds(bench_blob *seeds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cf_mem_free(seeds[i].p);
		seeds[i].p = NULL;
		seeds[i].n = 0;
	}
}

long long
bench_number(const char *tool, const char *opt, const char *s, long long lo,
    long long hi)
{
	const char *err = NULL;
	long long v = strtonum(s, lo, hi, &err);

	if (err != NULL) {
		fprintf(stderr, "%s: %s '%s' is %s (%lld..%lld)\n", tool, opt,
		    s, err, lo, hi);
		exit(2);
	}
	return v;
}
