/*
 * mem.c - the single allocation point (see cf_mem.h). Overflow of n*size is
 * checked by libbsd's reallocarray before the cap is applied.
 */
#include <bsd/stdlib.h>
#include <stdint.h>
#include <stdlib.h>

#include "cf_limits.h"
#include "cf_mem.h"

void *
cf_mem_alloc(size_t size)
{
	if (size == 0 || size > CF_MAX_ALLOC)
		return NULL;
	return malloc(size);
}

void *
cf_mem_calloc(size_t n, size_t size)
{
	if (n == 0 || size == 0 || n > CF_MAX_ALLOC / size)
		return NULL;
	return calloc(n, size);
}

void *
cf_mem_reallocarray(void *p, size_t n, size_t size)
{
	if (n == 0 || size == 0 || n > CF_MAX_ALLOC / size)
		return NULL;
	return reallocarray(p, n, size);
}

void
cf_mem_free(void *p)
{
	free(p);
}
