/*
 * cc.h - compiler attributes shared by the model's sources. Private to
 * parsers/src.
 *
 * CF_NO_COVERAGE keeps a function out of coverage instrumentation
 * (-fsanitize=fuzzer's edge counters and compare tracing, AFL++'s
 * pcguard). It is for loops that decide nothing about the input's
 * structure but run once per input byte: the CRC and the regex VM's inner
 * loop (docs/HARNESS.md, "What is not instrumented"). Sanitizers (ASan,
 * UBSan) still check these functions.
 */
#ifndef CF_CC_H
#define CF_CC_H

#if defined(__clang__)
#define CF_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define CF_NO_COVERAGE
#endif

#endif
