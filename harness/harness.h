/*
 * harness.h - what the fuzz targets share: the input layout and the way an
 * input is run on a sensor build (docs/HARNESS.md).
 *
 * Input of the interpreter and differential targets:
 *
 *   [ channel file: total_length bytes ][ trailing event bytes ]
 *
 * The channel file's own total_length (header offset 20) says where it
 * ends; when it is missing or larger than the input, the whole input is
 * the file. The events evaluated are: one synthesised event per instance
 * (cf_synth, so every criterion of a consistent instance is reached), then
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

/* Compile ch for build b and evaluate the synthesised and trailing events.
 * Returns CF_OK or the first error (compile errors such as an unknown
 * template are CF_OK: the sensor refuses such content). */
int cf_h_run_build(const cf_chan *ch, const cf_build *b, const uint8_t *tail,
    size_t ntail, cf_eval_stats *st);

/* Abort with a message: a harness invariant was broken (a finding). */
void cf_h_fail(const char *target, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

#endif
