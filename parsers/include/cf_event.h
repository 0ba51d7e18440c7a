/*
 * cf_event.h - events: the input values a sensor observes.
 *
 * An event carries a value for every field its template type declares (the
 * event source sees them all). What the interpreter receives is decided by
 * the sensor build's integration code (cf_interp_run_event), which may
 * supply fewer. Events come from the built-in samples or from an events
 * file in the text format of docs/FORMAT.md ("Events file").
 */
#ifndef CF_EVENT_H
#define CF_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "cf_error.h"
#include "cf_limits.h"

enum cf_vtype { CF_VT_NONE = 0, CF_VT_STR = 1, CF_VT_INT = 2 };

typedef struct cf_value {
	uint32_t type; /* enum cf_vtype */
	uint32_t len;  /* bytes of s when type is CF_VT_STR */
	union {
		const uint8_t *s;
		uint64_t u; /* CF_VT_INT (INT and FLAGS fields) */
	} v;
} cf_value;

typedef struct cf_event {
	const char *name; /* label for output */
	uint32_t tmpl_id;
	uint32_t nvalues;
	cf_value values[CF_MAX_FIELDS];
} cf_event;

typedef struct cf_event_list {
	uint32_t count;
	cf_event *events; /* owned */
	uint8_t *pool;    /* owned storage for names and string values */
} cf_event_list;

/* Built-in samples: at least one per template type; constant data. */
size_t cf_event_sample_count(void);
const cf_event *cf_event_sample_at(size_t i);

/* Parse an events file (text). Missing fields get empty/zero values of
 * their declared type. Errors carry the line in d. */
int cf_event_parse(
    const char *src, size_t len, cf_event_list **out, cf_diag *d);
void cf_event_list_free(cf_event_list *l);

#endif
