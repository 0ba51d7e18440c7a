/*
 * cf_limits.h - every bound the model library enforces, in one place.
 *
 * Each limit can be overridden at compile time (-DCF_MAX_...=N); fuzz builds
 * may lower them to reach the edges faster. The comment on each says what it
 * costs. docs/FORMAT.md lists the defaults; a file that exceeds one is
 * rejected with the error code named here, never truncated.
 */
#ifndef CF_LIMITS_H
#define CF_LIMITS_H

/* Largest channel file accepted (CF_E_TOO_LARGE). Bounds every allocation
 * that is proportional to the input. */
#ifndef CF_MAX_FILE_SIZE
#define CF_MAX_FILE_SIZE (1u << 20)
#endif

/* Largest single allocation the library makes (CF_E_NOMEM). */
#ifndef CF_MAX_ALLOC
#define CF_MAX_ALLOC (16u << 20)
#endif

/* String table: entries (CF_E_STRING_COUNT) and bytes per string
 * (CF_E_STRING_LEN). Strings are copied once at parse time. */
#ifndef CF_MAX_STRINGS
#define CF_MAX_STRINGS 4096u
#endif
#ifndef CF_MAX_STRING_LEN
#define CF_MAX_STRING_LEN 4096u
#endif

/* Instances per file (CF_E_INSTANCE_COUNT) and criteria per instance
 * (CF_E_CRITERION_COUNT). Evaluation cost is instances x criteria per event. */
#ifndef CF_MAX_INSTANCES
#define CF_MAX_INSTANCES 1024u
#endif
#ifndef CF_MAX_CRITERIA
#define CF_MAX_CRITERIA 32u
#endif

/* Fields a template type may declare; also the size of an event. */
#define CF_MAX_FIELDS 32u

/* Validator: problems kept in a report (more are counted, not stored). */
#ifndef CF_VAL_MAX_PROBLEMS
#define CF_VAL_MAX_PROBLEMS 64u
#endif

/* Regex: pattern bytes (CF_E_RE_TOO_LONG), compiled instructions
 * (CF_E_RE_TOO_BIG; the VM's thread lists are sized by this, so it bounds
 * matcher memory), largest {m,n} count (CF_E_RE_REPEAT), group nesting
 * (CF_E_RE_NESTING; the parser's explicit stack) and subject bytes
 * (CF_E_RE_SUBJECT). Matching costs at most O(insts x subject). */
#ifndef CF_RE_MAX_PATTERN
#define CF_RE_MAX_PATTERN 1024u
#endif
#ifndef CF_RE_MAX_INSTS
#define CF_RE_MAX_INSTS 4096u
#endif
#ifndef CF_RE_MAX_REPEAT
#define CF_RE_MAX_REPEAT 1000u
#endif
#ifndef CF_RE_MAX_DEPTH
#define CF_RE_MAX_DEPTH 64u
#endif
#ifndef CF_RE_MAX_SUBJECT
#define CF_RE_MAX_SUBJECT (1u << 20)
#endif

/* Text form and events file: longest line (CF_E_TEXT_LIMIT; a dumped
 * string of CF_MAX_STRING_LEN bytes, each escaped in 4 characters, must
 * fit: >= 4 * CF_MAX_STRING_LEN + 64), events per events file. */
#ifndef CF_TEXT_MAX_LINE
#define CF_TEXT_MAX_LINE 32768u
#endif
#if CF_TEXT_MAX_LINE < 4 * CF_MAX_STRING_LEN + 64
#error "CF_TEXT_MAX_LINE must hold a dumped string of CF_MAX_STRING_LEN bytes"
#endif
#ifndef CF_MAX_EVENTS
#define CF_MAX_EVENTS 4096u
#endif

/* Release gate (cf_gate.h). Fault sites kept with the event that reaches
 * them (more are counted, not kept; each keeps up to CF_MAX_FIELDS values
 * of at most CF_GATE_KEEP_VALUE bytes); the length of the long boundary
 * value, longer than any operand so that it tests the length edge of
 * EQUALS, PREFIX and SUFFIX (it costs one scan of that many bytes per
 * string criterion and build); the size of an event label. */
#ifndef CF_GATE_MAX_FAULTS
#define CF_GATE_MAX_FAULTS 256u
#endif
#ifndef CF_GATE_LONG_VALUE
#define CF_GATE_LONG_VALUE (2u * CF_MAX_STRING_LEN + 2u)
#endif
#ifndef CF_GATE_KEEP_VALUE
#define CF_GATE_KEEP_VALUE CF_GATE_LONG_VALUE
#endif
#ifndef CF_GATE_LABEL_MAX
#define CF_GATE_LABEL_MAX 96u
#endif
#if CF_GATE_LONG_VALUE <= CF_MAX_STRING_LEN
#error "CF_GATE_LONG_VALUE must be longer than any operand"
#endif

/* Largest output the writer and the text dumper produce (CF_E_LIMIT). A
 * dump escapes every byte in at most 4 characters. */
#ifndef CF_MAX_OUTPUT
#define CF_MAX_OUTPUT (8u << 20)
#endif

#endif
