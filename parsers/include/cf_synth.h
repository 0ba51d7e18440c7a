/*
 * cf_synth.h - events synthesised to satisfy an instance's criteria.
 *
 * For each instance, build the event that makes every criterion true as far
 * as one value per field allows: EQUALS gets the string itself, PREFIX the
 * string plus a byte, SUFFIX a byte plus the string, CONTAINS the string
 * inside two bytes, REGEX an example string generated from the compiled
 * program (cf_re_example) and checked, integer operators their operand;
 * NEGATE asks for a value that fails the test. The release gate uses it to
 * exercise every non-wildcard criterion (the test missing in 2024); the fuzz
 * targets use it so that mutated criteria are reached, not only sampled.
 */
#ifndef CF_SYNTH_H
#define CF_SYNTH_H

#include <stdint.h>

#include "cf_chan.h"
#include "cf_event.h"
#include "cf_re.h"

typedef struct cf_synth cf_synth;

/* Storage for synthesised values, sized for ch's strings and reused across
 * calls for instances of ch. */
cf_synth *cf_synth_new(const cf_chan *ch);
void cf_synth_free(cf_synth *s);

/* Fill ev for instance i of ch (the same ch as given to cf_synth_new); values
 * point into s and stay valid until the next call on s. Fields no criterion
 * constrains are empty / 0. Errors: CF_E_TEMPLATE_UNKNOWN, CF_E_ARG (i out of
 * range), CF_E_NOMEM. */
int cf_synth_event(cf_synth *s, const cf_chan *ch, uint32_t i, cf_event *ev);

/* The same with instance i's REGEX criteria already compiled: re[k] is
 * criterion k's program (flags CF_RE_DOT_NL, plus CF_RE_ICASE for an ICASE
 * criterion, as the interpreter compiles them), or NULL to compile it here;
 * re itself may be NULL. cf_interp_regexes() gives the interpreter's. The
 * event is the one cf_synth_event would build. */
int cf_synth_event_re(cf_synth *s, const cf_chan *ch, uint32_t i,
    const cf_re *const *re, cf_event *ev);

#endif
