/*
 * cf_val.h - the cloud-side Content Validator, in two versions.
 *
 * CF_VAL_2024 reproduces the validator of July 2024: it checks each
 * criterion's field index against the count the Template Type declares
 * (so a criterion on IPC field 21 passes) and nothing a sensor build does.
 *
 * CF_VAL_CURRENT adds what the incident review called for: every field
 * index against the inputs each supported sensor build supplies, operator
 * against field type, every REGEX compiles within the limits, operand
 * sanity (INT_RANGE low <= high, non-empty string, non-zero mask), channel
 * number against the template type, unique instance ids, and every string
 * reference in bounds.
 *
 * Both work on a parsed model; a file that does not parse is rejected
 * before either runs (cftool validate reports the parse error).
 */
#ifndef CF_VAL_H
#define CF_VAL_H

#include <stdint.h>

#include "cf_chan.h"
#include "cf_limits.h"

typedef enum cf_val_version {
	CF_VAL_2024 = 1,
	CF_VAL_CURRENT = 2
} cf_val_version;

typedef struct cf_val_problem {
	int code;             /* CF_E_* */
	int32_t instance;     /* index in the file, or -1 for file-level */
	uint32_t instance_id; /* valid when instance >= 0 */
	int32_t criterion;    /* index in the instance, or -1 */
	int32_t field;        /* field index, or -1 */
	char why[200];        /* one line, printable ASCII */
} cf_val_problem;

typedef struct cf_val_report {
	uint32_t nproblems; /* all found */
	uint32_t nstored;   /* kept in p (at most CF_VAL_MAX_PROBLEMS) */
	cf_val_problem p[CF_VAL_MAX_PROBLEMS];
} cf_val_report;

/* CF_OK when accepted, else CF_E_REJECTED with rep listing every problem;
 * CF_E_ARG for a bad version; CF_E_NOMEM. */
int cf_val_check(const cf_chan *ch, cf_val_version v, cf_val_report *rep);
/* "2024" / "current" -> version, or 0. */
cf_val_version cf_val_by_name(const char *name);
const char *cf_val_name(cf_val_version v);

#endif
