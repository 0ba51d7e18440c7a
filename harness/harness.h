/*
 * harness.h - what the fuzz targets share: the input layout and the way an
 * input is run on a sensor build (docs/HARNESS.md).
 *
 * Input of the interpreter and differential targets:
 *
 *   [ channel file: total_length bytes ][ trailing event bytes ]
 *
 * The channel file's own total_length (header offset 20,
 * CF_HDR_OFF_TOTAL_LENGTH) says where it ends; when it is missing or
 * larger than the input, the whole input is the file. The events
 * evaluated are: one synthesised event per instance (cf_synth, so every
 * criterion of a consistent instance is reached), then
 * up to CF_H_MAX_TAIL_EVENTS events decoded from the trailing bytes.
 * Trailing event encoding, per event, for each field of the template in
 * order: one length byte n, then n bytes (a string field takes them as its
 * value; an int or flags field reads up to 8 of them, little-endian).
 * Bytes that run out leave the remaining fields empty / 0.
 */
#ifndef CF_HARNESS_H
#define CF_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "cf_build.h"
#include "cf_chan.h"
#include "cf_interp.h"

#define CF_H_MAX_TAIL_EVENTS 4u
#define CF_H_MAX_SYNTH_EVENTS 64u

/* Length of the channel-file part of an input. */
size_t cf_h_file_len(const uint8_t *data, size_t size);

/* Decode trailing event k (0-based) for template t; 0 when the bytes are
 * exhausted before event k starts. Values point into tail. */
int cf_h_tail_event(const cf_tmpl *t, const uint8_t *tail, size_t ntail,
    unsigned k, cf_event *ev);

/*
 * Root causes of content faults (docs/CRASHES.md, "Crash identity"). A read
 * past the inputs a build supplies is named by what the content did:
 *
 *   ORACLE/BUILD/TEMPLATE/unsupplied/FIELDS   a field the template declares
 *                                             but the build does not supply
 *                                             (the CF-291 class); FIELDS is
 *                                             the one index (20) or the
 *                                             range (8-9) not supplied
 *   ORACLE/BUILD/TEMPLATE/undeclared          an index past the template's
 *                                             declared fields
 *
 * ORACLE is what promised the content safe: "interpreter" (no promise: the
 * sensor's own view), "validator-current" or "validator-2024" (the
 * validator accepted it), "gate". scripts/lib/chanfuzz/signature.py forms
 * the same key from the guard line; the two must agree.
 */
#define CF_H_ROOT_CAUSE_MAX 128u

/* What promised the content safe: part of the root cause. */
#define CF_H_ORACLE_INTERP "interpreter"
#define CF_H_ORACLE_VAL_CURRENT "validator-current"
#define CF_H_ORACLE_VAL_2024 "validator-2024"

/* The root-cause key of r under oracle into buf (always terminated). */
void cf_h_root_cause(
    char *buf, size_t n, const char *oracle, const cf_oob_read *r);

/* One run of a build, for cf_h_run_build: who promised the content safe,
 * and the first read past the inputs that the build's own runtime check
 * refused (a bounds-checked build: no fault, but a broken promise). */
typedef struct cf_h_run {
	const char *oracle;
	int have_checked;
	cf_oob_read checked; /* valid when have_checked */
} cf_h_run;

/* Compile ch for build b and evaluate the synthesised and trailing events.
 * Returns CF_OK or the first error (compile errors such as an unknown
 * template are CF_OK: the sensor refuses such content). A read past the
 * supplied inputs whose root cause (under run->oracle) is known is refused
 * and counted (cf_h_known_*), so that the fuzzer keeps exploring past it;
 * any other goes ahead (ASan or the guard reports it). */
int cf_h_run_build(cf_h_run *run, const cf_chan *ch, const cf_build *b,
    const uint8_t *tail, size_t ntail, cf_eval_stats *st);

/*
 * Known root causes, for the fuzzing builds (docs/CRASHES.md, "Known
 * findings"): when the environment names a file in CF_KNOWN_FAULTS (one
 * root-cause key a line; '#' comments), reads of those root causes are
 * refused instead of faulting. Each refusal is counted; the counts are
 * appended, as "KEY<TAB>COUNT" lines, to the file named by CF_KNOWN_HITS:
 * a key's first refusal at once, then at most once a second, and at exit
 * (a process killed by a signal loses at most its last second). Loaded once, on
 * first use; read-only afterwards, so runs stay deterministic.
 */
int cf_h_known_has(const char *key);
void cf_h_known_hit(const char *key);
/* Append the counts not written yet (drivers that end with _exit). */
void cf_h_known_flush(void);

/* Abort with a message: a harness invariant was broken (a finding). */
void cf_h_fail(const char *target, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

#endif
