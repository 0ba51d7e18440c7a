/*
 * error.c - names and descriptions of the stable error codes (cf_error.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "cf_error.h"

struct err_row {
	int code;
	const char *name;
	const char *text;
};

static const struct err_row err_table[] = {
	{ CF_OK, "CF_OK", "success" },
	{ CF_E_NOMEM, "CF_E_NOMEM", "out of memory or allocation over limit" },
	{ CF_E_ARG, "CF_E_ARG", "invalid argument" },
	{ CF_E_LIMIT, "CF_E_LIMIT", "output over its size limit" },
	{ CF_E_TRUNCATED, "CF_E_TRUNCATED", "file is truncated" },
	{ CF_E_MAGIC, "CF_E_MAGIC", "wrong magic (expected AA AA AA AA)" },
	{ CF_E_VERSION, "CF_E_VERSION", "unsupported format version" },
	{ CF_E_HEADER_SIZE, "CF_E_HEADER_SIZE", "wrong header size" },
	{ CF_E_TOTAL_LENGTH, "CF_E_TOTAL_LENGTH",
	    "declared total length differs from file size" },
	{ CF_E_CRC, "CF_E_CRC", "payload CRC-32 mismatch" },
	{ CF_E_TOO_LARGE, "CF_E_TOO_LARGE", "file larger than the limit" },
	{ CF_E_RESERVED, "CF_E_RESERVED", "reserved field is not zero" },
	{ CF_E_SECTION_COUNT, "CF_E_SECTION_COUNT", "wrong section count" },
	{ CF_E_SECTION_TABLE, "CF_E_SECTION_TABLE",
	    "section table not where expected" },
	{ CF_E_SECTION_BOUNDS, "CF_E_SECTION_BOUNDS",
	    "section outside the payload" },
	{ CF_E_SECTION_OVERLAP, "CF_E_SECTION_OVERLAP", "sections overlap" },
	{ CF_E_SECTION_KIND, "CF_E_SECTION_KIND",
	    "unknown, duplicate or missing section kind" },
	{ CF_E_SECTION_GAP, "CF_E_SECTION_GAP",
	    "payload bytes outside every section" },
	{ CF_E_STRING_COUNT, "CF_E_STRING_COUNT", "bad string count" },
	{ CF_E_STRING_BOUNDS, "CF_E_STRING_BOUNDS",
	    "string outside the string data" },
	{ CF_E_STRING_OVERLAP, "CF_E_STRING_OVERLAP",
	    "strings out of order or overlapping" },
	{ CF_E_STRING_LEN, "CF_E_STRING_LEN", "string longer than the limit" },
	{ CF_E_STRING_TRAILING, "CF_E_STRING_TRAILING",
	    "unused bytes after the last string" },
	{ CF_E_INSTANCE_COUNT, "CF_E_INSTANCE_COUNT", "bad instance count" },
	{ CF_E_INSTANCE_TRUNCATED, "CF_E_INSTANCE_TRUNCATED",
	    "instance record runs past its section" },
	{ CF_E_CRITERION_COUNT, "CF_E_CRITERION_COUNT", "bad criterion count" },
	{ CF_E_INSTANCE_TRAILING, "CF_E_INSTANCE_TRAILING",
	    "unused bytes after the last instance" },
	{ CF_E_ACTION, "CF_E_ACTION", "unknown action" },
	{ CF_E_OPERATOR, "CF_E_OPERATOR", "unknown operator" },
	{ CF_E_MODIFIER, "CF_E_MODIFIER", "unknown modifier bit" },
	{ CF_E_OPERAND, "CF_E_OPERAND", "operand does not fit the operator" },
	{ CF_E_STRREF, "CF_E_STRREF", "string reference out of bounds" },
	{ CF_E_TEMPLATE_UNKNOWN, "CF_E_TEMPLATE_UNKNOWN",
	    "unknown template type" },
	{ CF_E_BUILD_UNKNOWN, "CF_E_BUILD_UNKNOWN", "unknown sensor build" },
	{ CF_E_TEMPLATE_UNSUPPORTED, "CF_E_TEMPLATE_UNSUPPORTED",
	    "template type not supported by the sensor build" },
	{ CF_E_FIELD_RANGE, "CF_E_FIELD_RANGE",
	    "field index beyond the template's declared fields" },
	{ CF_E_FIELD_UNSUPPLIED, "CF_E_FIELD_UNSUPPLIED",
	    "field index beyond the inputs a sensor build supplies" },
	{ CF_E_FIELD_TYPE, "CF_E_FIELD_TYPE",
	    "operator does not fit the field type" },
	{ CF_E_CHANNEL_MISMATCH, "CF_E_CHANNEL_MISMATCH",
	    "channel number does not match the template type" },
	{ CF_E_INT_RANGE, "CF_E_INT_RANGE", "integer range with low > high" },
	{ CF_E_DUP_INSTANCE, "CF_E_DUP_INSTANCE", "duplicate instance id" },
	{ CF_E_EMPTY_OPERAND, "CF_E_EMPTY_OPERAND", "empty operand" },
	{ CF_E_REJECTED, "CF_E_REJECTED", "content rejected by the validator" },
	{ CF_E_RE_SYNTAX, "CF_E_RE_SYNTAX", "regex syntax error" },
	{ CF_E_RE_TOO_LONG, "CF_E_RE_TOO_LONG", "regex pattern too long" },
	{ CF_E_RE_TOO_BIG, "CF_E_RE_TOO_BIG", "regex program too big" },
	{ CF_E_RE_REPEAT, "CF_E_RE_REPEAT", "regex repeat count too large" },
	{ CF_E_RE_NESTING, "CF_E_RE_NESTING", "regex nested too deeply" },
	{ CF_E_RE_SUBJECT, "CF_E_RE_SUBJECT", "regex subject too long" },
	{ CF_E_RE_PROGRAM, "CF_E_RE_PROGRAM", "regex program is corrupt" },
	{ CF_E_RE_STEPS, "CF_E_RE_STEPS", "regex step bound exceeded" },
	{ CF_E_TEXT_SYNTAX, "CF_E_TEXT_SYNTAX", "syntax error" },
	{ CF_E_TEXT_VALUE, "CF_E_TEXT_VALUE", "invalid value" },
	{ CF_E_TEXT_LIMIT, "CF_E_TEXT_LIMIT", "text limit exceeded" },
	{ CF_E_TEXT_MISSING, "CF_E_TEXT_MISSING",
	    "required directive missing" },
	{ CF_E_INPUT_BOUNDS, "CF_E_INPUT_BOUNDS",
	    "field read refused by the runtime bounds check" },
	{ CF_E_GATE_UNREACHED, "CF_E_GATE_UNREACHED",
	    "criterion never evaluated by the release gate" },
	{ CF_E_GATE_UNSAT, "CF_E_GATE_UNSAT",
	    "instance can never match (unsatisfiable criteria)" },
	{ CF_E_GATE_DISABLED, "CF_E_GATE_DISABLED",
	    "instance disabled on every sensor build" },
};

static const struct err_row *
err_find(int code)
{
	for (size_t i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].code == code)
			return &err_table[i];
	return NULL;
}

const char *
cf_err_name(int code)
{
	const struct err_row *r = err_find(code);
	return r ? r->name : "CF_E_UNKNOWN";
}

const char *
cf_strerror(int code)
{
	const struct err_row *r = err_find(code);
	return r ? r->text : "unknown error";
}

int
cf_diag_set(cf_diag *d, int code, uint32_t offset, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return code;
	d->code = code;
	d->offset = offset;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return code;
}
