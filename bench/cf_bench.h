/*
 * cf_bench.h - Magma-style canaries for the defects planted in benchmark
 * builds (docs/BENCH.md, "The bug zoo").
 *
 * Included only by the patched copies of parsers/ that the benchmark
 * builds compile (bench/bugs/<name>.patch, applied under
 * build/bench/<name>/tree/): no default build sees this header or links
 * cf_bench.c. Each planted defect calls
 *
 *   cf_bench_reach(name, possible)  where its code runs; possible != 0
 *                                   when the bad condition could hold
 *                                   ("reached", as Magma's canary);
 *   cf_bench_trigger(name, bad, natural, detail)
 *                                   right before the faulty operation;
 *                                   bad != 0 when it faults now.
 *
 * Both record the first event of each kind once per process: a line
 * "CF_BENCH_REACHED name" / "CF_BENCH_TRIGGERED name" on stderr and, when
 * $CF_BENCH_CANARY names a directory, the file DIR/reached or
 * DIR/triggered holding "name seconds.nanoseconds" (CLOCK_REALTIME),
 * created with O_EXCL so that the first process of a campaign wins
 * (AFL++ forks a fresh process every 10,000 inputs).
 *
 * The trigger is the fault itself. With natural != 0 the statement after
 * the call faults under the sanitizer the build has (an ASan report), so
 * the call only records; with natural == 0 (no sanitizer, or a fault ASan
 * would see only sometimes) it prints one line
 *   chanfuzz-bench: triggered NAME (detail N)
 * and aborts, like the CF-291 guard build does.
 *
 * cf_bench.c is compiled without coverage instrumentation and the calls
 * take the condition as an argument instead of sitting behind an if, so
 * the canaries add no edges that would guide the fuzzer (Magma's canaries
 * are branch-free for the same reason).
 */
#ifndef CF_BENCH_H
#define CF_BENCH_H

#include <stdint.h>

/* 1 in builds where AddressSanitizer reports the planted faults. */
#if defined(__SANITIZE_ADDRESS__)
#define CF_BENCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CF_BENCH_ASAN 1
#endif
#endif
#ifndef CF_BENCH_ASAN
#define CF_BENCH_ASAN 0
#endif

/* 1 in guard builds (-DCF_GUARD), whose own check aborts on the CF-291
 * read right after the canary. */
#ifdef CF_GUARD
#define CF_BENCH_GUARD 1
#else
#define CF_BENCH_GUARD 0
#endif

void cf_bench_reach(const char *name, int possible);
void cf_bench_trigger(const char *name, int bad, int natural, uint64_t detail);

#endif
