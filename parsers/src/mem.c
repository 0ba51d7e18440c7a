/*
 * mem.c - the single allocation point (see cf_mem.h). Overflow of n*size is
 * checked by libbsd's reallocarray before the cap is applied.
 */
#include <bsd/stdlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cf_limits.h"
#include "cf_mem.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CF_ARENA_ASAN 1
#endif
#endif
#if !defined(CF_ARENA_ASAN) && defined(__SANITIZE_ADDRESS__)
#define CF_ARENA_ASAN 1
#endif
#ifdef CF_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

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

struct cf_arena {
	unsigned char *base; /* CF_ARENA_ALIGN-aligned (malloc's alignment) */
	size_t cap;
	size_t used;
};

size_t
cf_arena_need(size_t n, size_t size)
{
	size_t bytes;

	if (n == 0 || size == 0 || n > CF_MAX_ALLOC / size)
		return 0;
	bytes = n * size + CF_ARENA_REDZONE;
	return (bytes + CF_ARENA_ALIGN - 1) & ~(size_t)(CF_ARENA_ALIGN - 1);
}

cf_arena *
cf_arena_new(size_t cap)
{
	cf_arena *a;

	if (cap == 0 || cap > CF_MAX_ALLOC)
		return NULL;
	if ((a = cf_mem_alloc(sizeof(*a))) == NULL)
		return NULL;
	if ((a->base = cf_mem_alloc(cap)) == NULL) {
		cf_mem_free(a);
		return NULL;
	}
	a->cap = cap;
	a->used = 0;
	ARENA_POISON(a->base, cap);
	return a;
}

void *
cf_arena_calloc(cf_arena *a, size_t n, size_t size)
{
	size_t need = cf_arena_need(n, size);
	unsigned char *p;

	if (a == NULL || need == 0 || need > a->cap - a->used)
		return NULL;
	p = a->base + a->used;
	a->used += need;
	ARENA_UNPOISON(p, n * size);
	memset(p, 0, n * size);
	return p;
}

size_t
cf_arena_mark(const cf_arena *a)
{
	return a == NULL ? 0 : a->used;
}

void
cf_arena_release(cf_arena *a, size_t mark)
{
	if (a == NULL || mark >= a->used)
		return;
	ARENA_POISON(a->base + mark, a->used - mark);
	a->used = mark;
}

int
cf_arena_owns(const cf_arena *a, const void *p)
{
	uintptr_t u = (uintptr_t)p, b;

	if (a == NULL || p == NULL)
		return 0;
	b = (uintptr_t)a->base;
	return u >= b && u - b < a->cap;
}

size_t
cf_arena_used(const cf_arena *a)
{
	return a == NULL ? 0 : a->used;
}

size_t
cf_arena_cap(const cf_arena *a)
{
	return a == NULL ? 0 : a->cap;
}

void
cf_arena_free(cf_arena *a)
{
	if (a == NULL)
		return;
	/* Unpoison before free: ASan's allocator owns the memory again. */
	ARENA_UNPOISON(a->base, a->cap);
	cf_mem_free(a->base);
	cf_mem_free(a);
}
