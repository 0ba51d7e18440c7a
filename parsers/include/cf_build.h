/*
 * cf_build.h - the sensor-build table.
 *
 * For each modelled sensor build: how many input values its integration
 * code supplies to the interpreter for each template type, and which safety
 * checks its Content Interpreter performs. This table replaces scattered
 * #ifdefs: a build's behaviour is data. docs/FORMAT.md lists it.
 *
 *   7.11  IPC integration supplies 20 inputs (template declares 21); no
 *         runtime bounds check: the 2024 Channel File 291 defect.
 *   7.16  supplies all 21; checks field indexes when content is compiled
 *         and bounds-checks every input read at run time.
 */
#ifndef CF_BUILD_H
#define CF_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "cf_tmpl.h"

/* Interpreter safety checks. */
#define CF_CHECK_RUNTIME_BOUNDS 1u /* refuse reads at index >= supplied */
#define CF_CHECK_COMPILE_FIELDS 2u /* reject content at compile time */

typedef struct cf_build {
	const char *name;    /* "7.11" */
	const char *summary; /* one line for `cftool types` */
	uint32_t checks;     /* CF_CHECK_* */
	/* inputs supplied per template id; 0 = no integration for the type */
	uint32_t supplied[CF_TMPL_MAX_ID + 1];
} cf_build;

size_t cf_build_count(void);
const cf_build *cf_build_at(size_t i); /* NULL past the end */
const cf_build *cf_build_by_name(const char *name);
uint32_t cf_build_supplied(const cf_build *b, uint32_t tmpl_id);

#endif
