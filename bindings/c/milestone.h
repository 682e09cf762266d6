/* milestone-engine's C API: the engine's rules as JSON text in, JSON text out,
 * for back ends in any language (Python's ctypes, Go's cgo, Java's FFM, ...).
 *
 * - Every input is a (pointer, length) pair of UTF-8 JSON text; a NULL pointer
 *   with length 0 is the empty text (for options: the defaults).
 * - Every answer is a NUL-terminated, malloc'd JSON text that the caller frees
 *   with milestone_free(). NULL is returned only when even that allocation
 *   failed.
 * - Nothing throws and nothing aborts: unusable input is an INVALID_JSON or
 *   SCHEMA issue in the answer, as from the CLI, the server and the JS package;
 *   a failure inside the engine is the error envelope
 *   {"ok":false,"issues":[{"code":"INTERNAL"|"OUT_OF_MEMORY"|...}]}.
 * - No C++ type crosses: an engine is an opaque handle. Engines are immutable
 *   after creation, so one may be used from many threads at once; each answer
 *   belongs to its caller.
 *
 * The answers' shapes are those of the JS package (docs/js.md, index.d.ts),
 * since both are the same json_api calls.
 */
#ifndef MILESTONE_H_
#define MILESTONE_H_

#include <stddef.h>

#if defined(_WIN32)
#define MILESTONE_API __declspec(dllexport)
#else
#define MILESTONE_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct milestone_engine milestone_engine;

/* The library's semver version, e.g. "0.1.0". Static: do not free. */
MILESTONE_API const char* milestone_version(void);

/* An engine under a policy: JSON such as {"minimumAmount": 1000}, every key
 * optional over the default (Upwork) policy; empty text is the default.
 * Returns NULL when the policy cannot be used; then, when `error_json` is not
 * NULL, *error_json is {"ok":false,"issues":[{"code":"POLICY",...}]} (free it).
 * On success *error_json is set to NULL. */
MILESTONE_API milestone_engine* milestone_engine_new(const char* policy_json, size_t policy_len,
                                                     char** error_json);
/* Frees an engine; NULL is ignored. */
MILESTONE_API void milestone_engine_free(milestone_engine* engine);
/* The policy in force, every key filled in. */
MILESTONE_API char* milestone_engine_policy(const milestone_engine* engine);

/* options: {"now": "YYYY-MM-DD" | null}  -> {ok, issues} */
MILESTONE_API char* milestone_validate(const milestone_engine* engine, const char* contract,
                                       size_t contract_len, const char* options,
                                       size_t options_len);
/* action: one action object or an array (all or nothing);
 * options: {"actor": "client"|"freelancer"|"marketplace", "now": ...}  -> {ok, issues} */
MILESTONE_API char* milestone_check(const milestone_engine* engine, const char* contract,
                                    size_t contract_len, const char* action, size_t action_len,
                                    const char* options, size_t options_len);
/* -> {ok, contract, issues, events} */
MILESTONE_API char* milestone_apply(const milestone_engine* engine, const char* contract,
                                    size_t contract_len, const char* action, size_t action_len,
                                    const char* options, size_t options_len);
/* -> {ok, issues, changes, patch, summary} */
MILESTONE_API char* milestone_diff(const milestone_engine* engine, const char* before,
                                   size_t before_len, const char* after, size_t after_len);
/* -> {ok, contract, issues} */
MILESTONE_API char* milestone_apply_changes(const milestone_engine* engine, const char* contract,
                                            size_t contract_len, const char* changes,
                                            size_t changes_len);
/* -> the inverse list of changes, or {ok: false, issues} */
MILESTONE_API char* milestone_invert_changes(const char* changes, size_t changes_len);
/* -> {ok, order, changes, issues, allowedRange: {from, to}} */
MILESTONE_API char* milestone_preview_reorder(const milestone_engine* engine, const char* contract,
                                              size_t contract_len, const char* id, size_t id_len,
                                              double to_index, const char* options,
                                              size_t options_len);
/* "12.50", "$1,234.56" -> {ok, amount} | {ok: false, issues} */
MILESTONE_API char* milestone_parse_money(const char* text, size_t text_len);
/* The view model of a contract (docs/view-model.md).
 * options: {"actor", "now"} */
MILESTONE_API char* milestone_describe(const milestone_engine* engine, const char* contract,
                                       size_t contract_len, const char* options,
                                       size_t options_len);
/* The marketplace's windows running on a contract (SPEC 3.1), in milestone
 * order: [{milestoneId, kind: "autoRelease"|"autoRefund", due, daysLeft,
 * action, message}], where `action` is what the marketplace applies (as the
 * actor "marketplace") once `due` has come. options: {"now": "YYYY-MM-DD"},
 * required (SCHEMA at /options/now without it). A contract that cannot be
 * read exactly answers {ok: false, issues}. */
MILESTONE_API char* milestone_timers(const milestone_engine* engine, const char* contract,
                                     size_t contract_len, const char* options, size_t options_len);

/* Frees an answer; NULL is ignored. */
MILESTONE_API void milestone_free(char* answer);

#ifdef __cplusplus
}
#endif

#endif /* MILESTONE_H_ */
