/*
 * bench_util.h - what the benchmark tools (bench_tool, opcov) share: seed
 * files (the files of a folder in name order, each read whole) and
 * numbers given as options.
 */
#ifndef CF_BENCH_UTIL_H
#define CF_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_blob {
	uint8_t *p; /* cf_mem_alloc'd */
	size_t n;
} bench_blob;

/* The files of dir whose names end in suffix ("" for every name; names
 * starting with '.' are skipped), in name order (scandir(3) with
 * alphasort: readdir order is not stable), into seeds[0..max): each read
 * whole, up to max_size bytes (a larger or unreadable file, or an empty
 * one, is skipped). Returns how many were read; bench_free_seeds frees
 * them. */
size_t bench_load_seeds(const char *dir, const char *suffix, bench_blob *seeds,
    size_t max, size_t max_size);
void bench_free_seeds(bench_blob *seeds, size_t n);

/* The number s given for option opt, in [lo, hi]; otherwise a message
 * naming tool, opt and the bounds, and exit status 2 (bad usage). */
long long bench_number(const char *tool, const char *opt, const char *s,
    long long lo, long long hi);

#endif
