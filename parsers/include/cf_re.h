/*
 * cf_re.h - the criteria regex engine: a Thompson/Pike NFA.
 *
 * Patterns compile to a flat instruction program; matching runs all threads
 * in lock step over the subject (Pike VM), so time is O(insts x subject) and
 * memory O(insts), never backtracking. The VM treats the compiled program as
 * untrusted: every jump target is checked before use (CF_E_RE_PROGRAM).
 * The parser uses an explicit, bounded stack, never recursion.
 *
 * Syntax (docs/FORMAT.md, "Regex subset"): literals; '.'; classes [...] and
 * negated classes [^...] with ranges (POSIX bracket rules: ']' first is a
 * literal, '-' first or last is a literal, backslash inside brackets is
 * literal); escapes \d \w \s and \ followed by any punctuation; ^ and $ (ends
 * of the subject only, allowed anywhere); * + ? {m} {m,} {m,n}; alternation
 * |; groups ( ). ']' and '}' outside a class are literals.
 * Matching is by bytes; no Unicode.
 *
 * Details fixed by the implementation (parsers/src/re.c): \s is
 * [\t\n\v\f\r ] (docs/FORMAT.md); \D \W \S negate \d \w \s; a '{' that
 * does not start a valid count ({m} {m,} {m,n}) is a literal, as in Go, and
 * {m,n} with m > n is CF_E_RE_REPEAT; any other escape (\n, \b, \1, ...),
 * [: [. [= inside brackets, a quantifier with nothing to repeat and stacked
 * quantifiers (a**, a+?, a{2}{3}, as Go rejects them) are CF_E_RE_SYNTAX.
 * Unknown flag bits and NULL pointers (but for an empty pattern or
 * subject) are CF_E_ARG.
 */
#ifndef CF_RE_H
#define CF_RE_H

#include <stddef.h>
#include <stdint.h>

#include "cf_error.h"
#include "cf_mem.h"

#define CF_RE_ICASE 1u  /* ASCII case folding */
#define CF_RE_DOT_NL 2u /* '.' also matches '\n' (POSIX); off = RE2 */
#define CF_RE_LONGEST \
	4u /* leftmost-longest span (POSIX); off = leftmost-first */

typedef struct cf_re cf_re;

typedef struct cf_re_span {
	size_t start; /* half-open byte offsets of the overall match */
	size_t end;
} cf_re_span;

/* Compile pat[0..len) (bytes; NUL allowed). On failure *out is NULL and the
 * code is one of CF_E_RE_*, CF_E_NOMEM; d (optional) gets the byte offset. */
int cf_re_compile(
    const uint8_t *pat, size_t len, unsigned flags, cf_re **out, cf_diag *d);

/* cf_re_compile with its temporaries (parse tree, stacks) taken from the
 * caller's arena a and released before it returns; from the heap when a
 * is NULL or has no room left, so the result never depends on a. The
 * compiled program itself is on the heap (cf_re_free). Room one call
 * takes for a pattern of len bytes: cf_re_compile_scratch(len), 0 when
 * len is over CF_RE_MAX_PATTERN. */
int cf_re_compile_in(const uint8_t *pat, size_t len, unsigned flags,
    cf_arena *a, cf_re **out, cf_diag *d);
size_t cf_re_compile_scratch(size_t len);

/* Unanchored search of s[0..n). *matched is 1 or 0; span (optional) gets the
 * overall match; steps (optional) gets the number of thread steps taken,
 * which never exceeds cf_re_step_bound(re, n). Errors: CF_E_RE_SUBJECT,
 * CF_E_RE_PROGRAM, CF_E_RE_STEPS, CF_E_NOMEM.
 * A step is one instruction visit by one thread at one subject position:
 * either entering an instruction while following empty transitions (at
 * most once per instruction per position, by the VM's dedup) or running a
 * waiting thread against the byte (at most one thread per instruction).
 * Hence at most 2 * ninst steps per position, over n + 1 positions. */
int cf_re_exec(const cf_re *re, const uint8_t *s, size_t n, int *matched,
    cf_re_span *span, uint64_t *steps);

/* cf_re_exec with its scratch memory (one zeroed block per call) taken
 * from the caller's arena a and released before it returns; from the heap
 * when a is NULL or has no room left, so the result never depends on a.
 * cf_re_exec_scratch(re) is the arena room (cf_arena_need) one call takes,
 * 0 for a NULL or invalid program. */
int cf_re_exec_in(const cf_re *re, cf_arena *a, const uint8_t *s, size_t n,
    int *matched, cf_re_span *span, uint64_t *steps);
size_t cf_re_exec_scratch(const cf_re *re);

/* Number of instructions in the compiled program. */
size_t cf_re_ninst(const cf_re *re);

/* The documented step bound for a subject of n bytes:
 * (n + 1) * ninst * CF_RE_STEP_FACTOR, saturating at UINT64_MAX. The
 * factor 2 is the two kinds of step described at cf_re_exec. */
#define CF_RE_STEP_FACTOR 2u
uint64_t cf_re_step_bound(const cf_re *re, size_t n);

/* Write into out[0..cap) a subject that the regex matches, found by walking
 * the program (first alternative first, leaving a loop once its body has
 * run, assertions honoured where the walk can), and verified with
 * cf_re_exec. *n gets its length. CF_E_LIMIT when no example of at most cap
 * bytes was found. Used to synthesise events (cf_synth.h). */
int cf_re_example(const cf_re *re, uint8_t *out, size_t cap, size_t *n);

void cf_re_free(cf_re *re);

#endif
