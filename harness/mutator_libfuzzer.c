/*
 * mutator_libfuzzer.c - libFuzzer's custom mutator hooks over cf_mutator.
 *
 * Linked into the build/fuzz/<target>_smart binaries. Compile with
 * -DCF_MUT_KIND=CF_MUT_REGEX for fuzz_regex; the default is CF_MUT_CHANNEL.
 *
 * Determinism. libFuzzer calls these hooks without a context pointer. Each
 * call creates its own cf_mut seeded from the Seed argument, uses it once
 * and frees it before returning: no static or global object exists in this
 * file, so the output depends only on (Data, Size, MaxSize, Seed) - and,
 * for the share of calls handed to LLVMFuzzerMutate, on libFuzzer's own
 * generator, which -seed makes reproducible. The per-call cost is one
 * small allocation (cf_mut plus buffers sized by the input), well below
 * the parse and write of the channel file that the mutation does anyway.
 *
 * Byte-level exploration continues: one call in 8 (chosen from Seed) goes
 * to LLVMFuzzerMutate; for channel inputs its result is then repaired
 * (header, section table, CRC: cf_mut_repair) three times in four, so
 * byte edits reach the sections behind the CRC check, and left as it is
 * otherwise, so the parser's frame errors stay covered. For channel
 * inputs another call in 8 is a boundary edit of the frame (cf_mut_frame:
 * a count, reference, offset or length set at or past its edge, CRC
 * recomputed), the edits byte-level mutation would need a CRC repair and
 * luck for.
 *
 * Reference: libFuzzer docs, "Structure-Aware Fuzzing with libFuzzer"
 * (LLVMFuzzerCustomMutator, LLVMFuzzerCustomCrossOver, LLVMFuzzerMutate).
 */
#include <stddef.h>
#include <stdint.h>

#include "cf_mutator.h"

#ifndef CF_MUT_KIND
#define CF_MUT_KIND CF_MUT_CHANNEL
#endif

size_t LLVMFuzzerMutate(uint8_t *Data, size_t Size, size_t MaxSize);
size_t LLVMFuzzerCustomMutator(
    uint8_t *Data, size_t Size, size_t MaxSize, unsigned int Seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *Data1, size_t Size1,
    const uint8_t *Data2, size_t Size2, uint8_t *Out, size_t MaxOutSize,
    unsigned int Seed);

/* The splitmix64 finaliser: the fallback decision should not share bits
 * with the mutator's first draw from the same seed. */
static uint64_t
mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t
byte_level(uint8_t *Data, size_t Size, size_t MaxSize, uint64_t h)
{
	size_t n = LLVMFuzzerMutate(Data, Size, MaxSize);

	if (CF_MUT_KIND == CF_MUT_CHANNEL && (h >> 8) % 4 != 0)
		n = cf_mut_repair(NULL, Data, n);
	return n;
}

size_t
LLVMFuzzerCustomMutator(
    uint8_t *Data, size_t Size, size_t MaxSize, unsigned int Seed)
{
	uint64_t h = mix(Seed);
	cf_mut *m;
	size_t n;

	if (MaxSize == 0)
		return 0;
	if (h % 8 == 0 || (m = cf_mut_new(Seed, CF_MUT_KIND)) == NULL)
		return byte_level(Data, Size, MaxSize, h);
	if (CF_MUT_KIND == CF_MUT_CHANNEL && h % 8 == 1 &&
	    cf_mut_frame(m, Data, Size) != CF_MUT_FRAME_NONE) {
		cf_mut_free(m);
		return Size;
	}
	n = cf_mut_mutate(m, Data, Size, NULL, 0, Data, MaxSize);
	cf_mut_free(m);
	return n;
}

size_t
LLVMFuzzerCustomCrossOver(const uint8_t *Data1, size_t Size1,
    const uint8_t *Data2, size_t Size2, uint8_t *Out, size_t MaxOutSize,
    unsigned int Seed)
{
	cf_mut *m;
	size_t n;

	if (MaxOutSize == 0 || (m = cf_mut_new(Seed, CF_MUT_KIND)) == NULL)
		return 0;
	n = cf_mut_crossover(m, Data1, Size1, Data2, Size2, Out, MaxOutSize);
	cf_mut_free(m);
	return n;
}
