/*
 * fuzz_noop - the throughput ceiling of the benchmarks (docs/BENCH.md).
 *
 * A target that does nothing, built with exactly the flags of the real
 * targets (libFuzzer + ASan + UBSan: build/bench/fuzz_noop; AFL++
 * persistent mode with harness/afl_driver.c: build/bench/afl_noop). Its
 * exec/s, measured in the same benchmark run for the same time on the same
 * seeds, is what the engine alone costs on this machine; a target's
 * exec/s is reported as a share of it.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
