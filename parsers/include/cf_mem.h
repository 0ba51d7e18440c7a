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

/*
 * cf_arena - a bump allocator for the scratch memory of one input, owned by
 * its caller (e.g. a compiled program), never global: one cf_mem_alloc
 * of cap bytes at creation, one free at the end, instead of a malloc and a
 * free per use (each costly under AddressSanitizer).
 *
 * Every allocation is zeroed, aligned to CF_ARENA_ALIGN and followed by at
 * least CF_ARENA_REDZONE bytes that no allocation uses. Under
 * AddressSanitizer the unallocated part of the arena, the redzones
 * included, is poisoned, so a read past an allocation is still reported
 * (as use-after-poison); released memory is poisoned again.
 * Allocations are released in stack order: cf_arena_release(a, mark)
 * frees everything allocated since cf_arena_mark(a) returned mark.
 */
typedef struct cf_arena cf_arena;

#define CF_ARENA_ALIGN 16u
#define CF_ARENA_REDZONE 16u

/* Room for n*size bytes plus its alignment and redzone: what cap must
 * reserve for one such allocation; 0 on overflow or over CF_MAX_ALLOC. */
size_t cf_arena_need(size_t n, size_t size);
/* NULL when cap is 0, over CF_MAX_ALLOC, or on exhaustion. */
cf_arena *cf_arena_new(size_t cap);
/* Zeroed n*size bytes; NULL on overflow of n*size, n or size 0, or when
 * the arena has no room left (exhaustion: the caller reports CF_E_NOMEM or
 * falls back to cf_mem_calloc; the arena stays usable). */
void *cf_arena_calloc(cf_arena *a, size_t n, size_t size);
size_t cf_arena_mark(const cf_arena *a);
/* Release every allocation made since mark (a value cf_arena_mark gave). */
void cf_arena_release(cf_arena *a, size_t mark);
/* 1 when p points into a's memory (p may come from the arena), else 0. */
int cf_arena_owns(const cf_arena *a, const void *p);
/* Bytes in use (allocations, padding and redzones), and its capacity. */
size_t cf_arena_used(const cf_arena *a);
size_t cf_arena_cap(const cf_arena *a);
void cf_arena_free(cf_arena *a);

#endif
