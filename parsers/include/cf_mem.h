/*
 * cf_mem.h - the library's single allocation point.
 *
 * Every allocation in parsers/ goes through these functions, so a size cap
 * (CF_MAX_ALLOC) applies everywhere, count x size products are checked for
 * overflow (reallocarray semantics), and a build or a test can count
 * allocations. They keep no state: fuzz runs stay deterministic.
 */
#ifndef CF_MEM_H
#define CF_MEM_H

#include <stddef.h>

/* NULL when size is 0, over CF_MAX_ALLOC, or on exhaustion. */
void *cf_mem_alloc(size_t size);
/* Zeroed n*size bytes; NULL on overflow of n*size, over the cap, or n==0. */
void *cf_mem_calloc(size_t n, size_t size);
/* reallocarray(3) with the cap; on failure p is untouched and NULL returned. */
void *cf_mem_reallocarray(void *p, size_t n, size_t size);
void cf_mem_free(void *p);

#endif
