/*
 * cf_mutator.h - the structure-aware mutator shared by both engines.
 *
 * One implementation (cf_mutator.c) behind two front ends:
 * mutator_libfuzzer.c (LLVMFuzzerCustomMutator / LLVMFuzzerCustomCrossOver,
 * linked into the build/fuzz/<target>_smart binaries) and mutator_afl.c
 * (afl_custom_init / fuzz / post_process / init_trim / trim / post_trim /
 * deinit, built as build/afl/cf_mutator.so).
 *
 * It parses the channel-file part of an input (harness.h layout),
 * mutates the model - operators (wildcard <-> concrete), field indexes,
 * instances and criteria added, removed, duplicated or spliced from a
 * second input, regexes by their syntax, integers to interesting
 * boundaries, strings, modifiers, actions, header fields, template type -
 * and writes it back with cf_chan_write (correct lengths, counts and CRC),
 * keeping the trailing event bytes (which it also mutates, rarely). Input
 * that does not parse, even after cf_mut_repair, gets byte-level mutation
 * followed by a repair of the header, section table and CRC.
 *
 * All state, the random generator included, lives in cf_mut: the same seed
 * (cf_mut_new or cf_mut_reseed) followed by the same calls with the same
 * inputs gives the same outputs. Buffers are kept in cf_mut and reused;
 * they grow only up to the largest max (or input) seen.
 */
#ifndef CF_MUTATOR_H
#define CF_MUTATOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct cf_mut cf_mut;

/* kind selects the target's input format: */
enum cf_mut_kind {
	CF_MUT_CHANNEL = 0, /* channel file + trailing event bytes */
	CF_MUT_REGEX = 1    /* fuzz_regex: flags, length, pattern, subject */
};

/* Outputs are never longer than this, whatever max the engine offers
 * (two largest channel files: room for the file and a trailing part). */
#define CF_MUT_MAX_OUT (2u * (1u << 20))

/* NULL when out of memory. */
cf_mut *cf_mut_new(uint64_t seed, enum cf_mut_kind kind);
void cf_mut_free(cf_mut *m);
void cf_mut_reseed(cf_mut *m, uint64_t seed);

/* Mutate in[0..n) (optionally splicing from other[0..on), which may be
 * NULL) into out[0..max); returns the output length (<= max, >= 1 when
 * max >= 1; 0 only when max is 0). out may alias in. */
size_t cf_mut_mutate(cf_mut *m, const uint8_t *in, size_t n,
    const uint8_t *other, size_t on, uint8_t *out, size_t max);

/* Cross a[0..an) with b[0..bn) into out[0..max): instances or criteria of
 * b spliced into a when both parse, byte-level splicing otherwise. Same
 * length rules as cf_mut_mutate; out may alias a (not b). */
size_t cf_mut_crossover(cf_mut *m, const uint8_t *a, size_t an,
    const uint8_t *b, size_t bn, uint8_t *out, size_t max);

/* Name of the last structure operation applied ("regex", "field", ...),
 * for AFL++'s describe; a string constant. */
const char *cf_mut_describe(const cf_mut *m);

/* Repair buf[0..n), a whole input, in place after byte-level mutation.
 * The channel file is [0, total_length) when 64 <= total_length <= n,
 * else all n bytes (total_length is then set to n, clamped to
 * CF_MAX_FILE_SIZE). Sets the constant header fields (magic, version,
 * header_size, section_count, flags, section_table_offset, reserved),
 * re-derives the section table when it is not already valid (STRINGS
 * length from the string entries, INSTANCES length by walking records)
 * and recomputes the CRC over [40, total_length). Deterministic: it draws
 * no random numbers (AFL++ post_process must not), so m may be NULL.
 * Returns n. */
size_t cf_mut_repair(cf_mut *m, uint8_t *buf, size_t n);

/* Boundary edits of the frame: the structure-aware operations keep every
 * count, offset and reference valid, so they never test the parser's own
 * checks at their edges. cf_mut_frame takes a channel file that parses,
 * buf[0..n) with total_length <= n, and sets one number the parser checks
 * to a value at or just past its edge: a criterion's string reference
 * (one past the table, ...), a string entry's offset or length, the
 * STRINGS or INSTANCES count (also the values that make count x record
 * size wrap around 2^32), an instance's criterion count, or a section
 * table offset or length. The CRC is then recomputed, so the parser's
 * checks behind it are what decides. Returns which number was edited, or
 * CF_MUT_FRAME_NONE (buf unchanged) when buf does not parse. */
enum cf_mut_frame_kind {
	CF_MUT_FRAME_NONE = 0,
	CF_MUT_FRAME_STRREF = 1,
	CF_MUT_FRAME_STRING_ENTRY = 2,
	CF_MUT_FRAME_STRINGS_COUNT = 3,
	CF_MUT_FRAME_INSTANCES_COUNT = 4,
	CF_MUT_FRAME_CRIT_COUNT = 5,
	CF_MUT_FRAME_SECTION = 6
};
int cf_mut_frame(cf_mut *m, uint8_t *buf, size_t n);

/*
 * Trimming by structure (AFL++ init_trim / trim / post_trim protocol).
 * Elements are the instances and criteria of the file, in file order (an
 * instance before its criteria), then the trailing bytes as one element.
 *
 * cf_mut_trim_init: parse in as the base; returns the number of elements
 * (the number of steps), 0 when in does not parse or for CF_MUT_REGEX.
 * cf_mut_trim_step: the base with the current element removed (an
 * instance with its criteria, or one criterion, or the trailing bytes):
 * *out points into m and stays valid until the next call on m; returns
 * its length, 0 when no step remains.
 * cf_mut_trim_done: the engine's verdict on the last step. success != 0
 * makes that candidate the new base; returns the number of steps done,
 * which reaches the init count exactly when trimming is finished.
 */
size_t cf_mut_trim_init(cf_mut *m, const uint8_t *in, size_t n);
size_t cf_mut_trim_step(cf_mut *m, const uint8_t **out);
size_t cf_mut_trim_done(cf_mut *m, int success);

#endif
