#pragma once

// What the engine's parts share privately: building issues, reading and
// writing the document model from the JSON model, and the document rules in
// pieces so an action (or a session keystroke) re-checks only what it touched.

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json.h"
#include "milestone/catalog.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/policy.h"
#include "sentences.h"

namespace milestone {

Issue MakeError(const char* code, std::string path, std::string milestone_id, std::string message,
                std::string hint = {});
Issue MakeWarning(const char* code, std::string path, std::string milestone_id, std::string message,
                  std::string hint = {});
// The same with the catalog sentence (docs/languages.md) it is: its id,
// the code or "CODE.variant", and the values it was made from.
Issue MakeError(const char* code, std::string path, std::string milestone_id, std::string message,
                std::string hint, std::string message_id, Params params);
// The same for a sentence named in place: the id and the list are made here,
// not at each of the engine's sentences (the wasm's size).
Issue MakeError(const char* code, std::string path, std::string milestone_id, std::string message,
                std::string hint, const char* message_id, std::initializer_list<Param> params);
// `issue` as the catalog sentence `message_id` made from `params`.
Issue Tagged(Issue issue, std::string message_id, Params params);
// "null", "boolean", "number", "string", "array" or "object": a JSON type as
// params name it (the catalog's "type" words).
const char* JsonTypeName(const json::Value& value);
// A money param in the contract's currency.
Param MoneyOf(const char* name, int64_t amount, const Currency& money);

// Writes {"name": value, ...}; money params add "currency" when none is given.
void WriteParams(const Params& params, std::string* out);

// "/milestones/3" and "/milestones/3/amount".
std::string MilestonePath(size_t index);
std::string MilestonePath(size_t index, const char* field);

// Reading: JSON model -> document model. Reports INVALID_JSON for parse
// errors, SCHEMA, INVALID_AMOUNT (non-integer money) and UNKNOWN_FIELD.
// `unusable` fields are remembered so the value rules do not pile a second
// finding on a field already reported.
struct ReadNotes {
  // One bit per milestone field that could not be read (kBad* below).
  std::vector<uint32_t> bad_fields;
  uint32_t bad_contract_fields = 0;
};
inline constexpr uint32_t kBadId = 1u << 0;
inline constexpr uint32_t kBadTitle = 1u << 1;
inline constexpr uint32_t kBadDescription = 1u << 2;
inline constexpr uint32_t kBadDueDate = 1u << 3;
inline constexpr uint32_t kBadAmount = 1u << 4;
inline constexpr uint32_t kBadState = 1u << 5;
inline constexpr uint32_t kBadFunded = 1u << 6;
inline constexpr uint32_t kBadReleased = 1u << 7;
inline constexpr uint32_t kBadRefunded = 1u << 8;
inline constexpr uint32_t kBadEscrow = 1u << 9;  // submittedOn, refundRequest or dispute
// Contract-level bits.
inline constexpr uint32_t kBadCurrency = 1u << 0;
inline constexpr uint32_t kBadCarryOver = 1u << 1;
inline constexpr uint32_t kBadFee = 1u << 2;
inline constexpr uint32_t kBadMilestones = 1u << 3;
inline constexpr uint32_t kBadChangeRequest = 1u << 4;
inline constexpr uint32_t kBadContractId = 1u << 5;

// Parses text with the SPEC limits; a failure is one INVALID_JSON issue.
bool ParseJson(std::string_view text, json::Value* out, IssueList* issues,
               const std::string& path = "");

// Reads an integer amount at `path`: SCHEMA when not a number, INVALID_AMOUNT
// when not an integer in [-(2^53), 2^53] (floats, -0.0, 1e2, 1e400 included).
// Range below zero is left to the caller, which knows what the field means.
bool ReadAmount(const json::Value& value, const std::string& path, const std::string& milestone_id,
                int64_t* out, IssueList* issues);

bool ReadContract(const json::Value& doc, Contract* out, IssueList* issues, ReadNotes* notes);
// The same, taking the text of known string fields from `doc` instead of
// copying it (the parse-then-read path owns its document).
bool ReadContract(json::Value&& doc, Contract* out, IssueList* issues, ReadNotes* notes);
// The model's way from text: ParseJson, then ReadContract (the moving one).
// What ParseContract does with a document the clean read gives up on.
bool ReadContractByModel(std::string_view text, Contract* out, IssueList* issues, ReadNotes* notes);
// Text straight to Contract, without the JSON model, for a document the model
// reader would read without a single finding and that holds nothing it keeps
// for the writer (no unknown field, no change request, no refund request or
// dispute object, no escaped key). Then true, and `out` is what ParseContract
// gives; otherwise false, `out` unspecified, and the caller reads the text the
// model's way, which reports whatever there is. A document it refuses costs
// one partial scan. tests/engine/clean_read_test.cc and the validate fuzzer
// hold it to the model reader.
bool ReadCleanContract(std::string_view text, Contract* out);
// 0 in the package's wasm (bindings/wasm/CMakeLists.txt): callers then skip it.
#ifndef MILESTONE_CLEAN_READ
#define MILESTONE_CLEAN_READ 1
#endif
// The JSON model of the document, through the one text writer (ContractToJson).
json::Value ContractToValue(const Contract& contract);
json::Value MilestoneToValue(const Milestone& milestone);
// Unknown fields go back in verbatim; their text was valid JSON when read.
void AppendUnknown(const std::vector<UnknownField>& unknown, json::Value* obj);

// Document rules on a model. `notes` may be null (nothing was unreadable).
void CheckDocument(const Contract& contract, const Policy& policy, const ValidateOptions& options,
                   const ReadNotes* notes, IssueList* issues);

// The value rules of one milestone's fields (id syntax, text, amount range,
// date syntax, ledger): the cheap part a keystroke re-checks.
void CheckMilestoneFields(const Milestone& milestone, size_t index, const Policy& policy,
                          const Currency& money, uint32_t bad_fields, IssueList* issues);

// The rules across milestones: duplicate ids, count, sequence, in flight,
// due dates (order, and in the past when options.now is set).
void CheckMilestoneList(const Contract& contract, const Policy& policy,
                        const ValidateOptions& options, const ReadNotes* notes, IssueList* issues);

// Reads call options {"actor", "now"}: `now`, when given, must be a real date;
// the actor is required (check, apply), optional (a session: the client by
// default) or not read at all (validate, previews).
enum class ActorRule { kRequired, kOptional, kIgnored };
bool ReadActOptions(std::string_view text, ActorRule actor_rule, ActOptions* out,
                    IssueList* issues);

// TOO_MANY_MILESTONES when a contract of `count` milestones breaks the
// policy's limit: for validate, and for an add before it is done.
std::optional<Issue> MilestoneLimitIssue(size_t count, const Policy& policy, bool adding);

// Whether a code is about a field's value only (a session keeps such drafts).
bool IsFieldValueCode(std::string_view code);

}  // namespace milestone

namespace milestone {
// Issues written as JSON text ({code, severity, path, milestoneId?, message, hint?, params}).
void WriteIssue(const Issue& issue, std::string* out);
void WriteIssues(const IssueList& issues, std::string* out);
// Diff changes as the JSON model (diff.cc).
json::Value ChangeToValue(const Change& change);
json::Value ChangesToValue(const std::vector<Change>& changes);

// diff.cc's field helpers, which changeset.cc (reading and applying change
// lists) shares: the editable fields in their order, one field's value, and
// whether two milestones differ in any of them.
inline constexpr EditField kEditFields[] = {EditField::kTitle, EditField::kDescription,
                                            EditField::kDueDate, EditField::kAmount};
FieldValue GetField(const Milestone& m, EditField field);
void SetField(Milestone* m, EditField field, const FieldValue& value);
const char* OpName(ChangeOp op);
bool SameEditableFields(const Milestone& a, const Milestone& b);
}  // namespace milestone
