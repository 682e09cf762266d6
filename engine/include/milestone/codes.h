#pragma once

#include <cstddef>

// The catalogue of issue codes: stable public API, documented in docs/rules.md.
// A new code is one constant here, one entry in kCatalogue below, one row in
// docs/rules.md and (for rule codes) one fixture; tests/engine/codes_test.cc
// holds the four together.
namespace milestone::codes {

// Document checks (SPEC 2.1).
inline constexpr const char kInvalidJson[] = "INVALID_JSON";
inline constexpr const char kSchema[] = "SCHEMA";
inline constexpr const char kUnknownField[] = "UNKNOWN_FIELD";
inline constexpr const char kInvalidId[] = "INVALID_ID";
inline constexpr const char kDuplicateId[] = "DUPLICATE_ID";
inline constexpr const char kInvalidAmount[] = "INVALID_AMOUNT";
inline constexpr const char kUnsupportedCurrency[] = "UNSUPPORTED_CURRENCY";
inline constexpr const char kAmountBelowMinimum[] = "AMOUNT_BELOW_MINIMUM";
inline constexpr const char kAmountAboveMaximum[] = "AMOUNT_ABOVE_MAXIMUM";
inline constexpr const char kTooManyMilestones[] = "TOO_MANY_MILESTONES";
inline constexpr const char kTitleRequired[] = "TITLE_REQUIRED";
inline constexpr const char kTitleTooLong[] = "TITLE_TOO_LONG";
inline constexpr const char kDescriptionTooLong[] = "DESCRIPTION_TOO_LONG";
inline constexpr const char kInvalidText[] = "INVALID_TEXT";
inline constexpr const char kInvalidDate[] = "INVALID_DATE";
inline constexpr const char kMultipleInFlight[] = "MULTIPLE_IN_FLIGHT";
inline constexpr const char kOutOfSequence[] = "OUT_OF_SEQUENCE";
inline constexpr const char kLedgerMismatch[] = "LEDGER_MISMATCH";
inline constexpr const char kInvalidEscrowState[] = "INVALID_ESCROW_STATE";
inline constexpr const char kDueDateInPast[] = "DUE_DATE_IN_PAST";
inline constexpr const char kDueDatesOutOfOrder[] = "DUE_DATES_OUT_OF_ORDER";

// Action checks (SPEC 2.2).
inline constexpr const char kNotAllowedForRole[] = "NOT_ALLOWED_FOR_ROLE";
inline constexpr const char kContractEnded[] = "CONTRACT_ENDED";
inline constexpr const char kUnknownMilestone[] = "UNKNOWN_MILESTONE";
inline constexpr const char kMilestoneLocked[] = "MILESTONE_LOCKED";
inline constexpr const char kMoveIntoLockedRange[] = "MOVE_INTO_LOCKED_RANGE";
inline constexpr const char kChangeRequestPending[] = "CHANGE_REQUEST_PENDING";
inline constexpr const char kNoPendingRequest[] = "NO_PENDING_REQUEST";
inline constexpr const char kFundWhileInFlight[] = "FUND_WHILE_IN_FLIGHT";
inline constexpr const char kFundNotNext[] = "FUND_NOT_NEXT";
inline constexpr const char kInvalidTransition[] = "INVALID_TRANSITION";
inline constexpr const char kReleaseExceedsEscrow[] = "RELEASE_EXCEEDS_ESCROW";
inline constexpr const char kDecisionRequired[] = "DECISION_REQUIRED";
inline constexpr const char kNotDue[] = "NOT_DUE";
inline constexpr const char kEscrowHeld[] = "ESCROW_HELD";
inline constexpr const char kDisputeOpen[] = "DISPUTE_OPEN";
inline constexpr const char kNoDispute[] = "NO_DISPUTE";
inline constexpr const char kRefundPending[] = "REFUND_PENDING";
inline constexpr const char kNoRefundRequest[] = "NO_REFUND_REQUEST";
inline constexpr const char kResolutionMismatch[] = "RESOLUTION_MISMATCH";

// Diffs (SPEC 4.1), policies.
inline constexpr const char kChangeConflict[] = "CHANGE_CONFLICT";
inline constexpr const char kPolicy[] = "POLICY";

// The bindings' own answers (wasm, C API): the engine itself never produces
// them, so no fixture can.
inline constexpr const char kInternal[] = "INTERNAL";
inline constexpr const char kOutOfMemory[] = "OUT_OF_MEMORY";
inline constexpr const char kNoEngine[] = "NO_ENGINE";
inline constexpr const char kSessionDisposed[] = "SESSION_DISPOSED";
inline constexpr const char kUnknownMethod[] = "UNKNOWN_METHOD";
inline constexpr const char kReadOnly[] = "READ_ONLY";

// The shells' own answers (CLI, JS loader, HTTP server): what each refuses
// before the engine is asked. docs/errors.md and docs/server.md say when.
inline constexpr const char kUsage[] = "USAGE";
inline constexpr const char kFileUnreadable[] = "FILE_UNREADABLE";
inline constexpr const char kWasmLoadFailed[] = "WASM_LOAD_FAILED";
inline constexpr const char kBadRequest[] = "BAD_REQUEST";
inline constexpr const char kUnauthorized[] = "UNAUTHORIZED";
inline constexpr const char kForbidden[] = "FORBIDDEN";
inline constexpr const char kNotFound[] = "NOT_FOUND";
inline constexpr const char kMethodNotAllowed[] = "METHOD_NOT_ALLOWED";
inline constexpr const char kRequestTimeout[] = "REQUEST_TIMEOUT";
inline constexpr const char kStaleVersion[] = "STALE_VERSION";
inline constexpr const char kBodyTooLarge[] = "BODY_TOO_LARGE";
inline constexpr const char kUriTooLong[] = "URI_TOO_LONG";
inline constexpr const char kUnsupportedMediaType[] = "UNSUPPORTED_MEDIA_TYPE";
inline constexpr const char kExpectationFailed[] = "EXPECTATION_FAILED";
inline constexpr const char kActorMismatch[] = "ACTOR_MISMATCH";
inline constexpr const char kIdempotencyKeyReused[] = "IDEMPOTENCY_KEY_REUSED";
inline constexpr const char kPreconditionRequired[] = "PRECONDITION_REQUIRED";
inline constexpr const char kHeadersTooLarge[] = "HEADERS_TOO_LARGE";
inline constexpr const char kBusy[] = "BUSY";
inline constexpr const char kUnavailable[] = "UNAVAILABLE";
inline constexpr const char kHttpVersionNotSupported[] = "HTTP_VERSION_NOT_SUPPORTED";

enum class Kind {
  kDocument,    // validate (SPEC 2.1)
  kAction,      // check and apply (SPEC 2.2)
  kDiff,        // applyChanges (SPEC 4.1)
  kPolicyFile,  // creating an engine from a policy (SPEC 1.3)
  kBinding,     // the wasm and C layers, never the rules
  kShell,       // the CLI, the JS loader and the HTTP server
};

struct Entry {
  const char* code;
  Kind kind;
};

inline constexpr Entry kCatalogue[] = {
    {kInvalidJson, Kind::kDocument},
    {kSchema, Kind::kDocument},
    {kUnknownField, Kind::kDocument},
    {kInvalidId, Kind::kDocument},
    {kDuplicateId, Kind::kDocument},
    {kInvalidAmount, Kind::kDocument},
    {kUnsupportedCurrency, Kind::kDocument},
    {kAmountBelowMinimum, Kind::kDocument},
    {kAmountAboveMaximum, Kind::kDocument},
    {kTooManyMilestones, Kind::kDocument},
    {kTitleRequired, Kind::kDocument},
    {kTitleTooLong, Kind::kDocument},
    {kDescriptionTooLong, Kind::kDocument},
    {kInvalidText, Kind::kDocument},
    {kInvalidDate, Kind::kDocument},
    {kMultipleInFlight, Kind::kDocument},
    {kOutOfSequence, Kind::kDocument},
    {kLedgerMismatch, Kind::kDocument},
    {kInvalidEscrowState, Kind::kDocument},
    {kDueDateInPast, Kind::kDocument},
    {kDueDatesOutOfOrder, Kind::kDocument},
    {kNotAllowedForRole, Kind::kAction},
    {kContractEnded, Kind::kAction},
    {kUnknownMilestone, Kind::kAction},
    {kMilestoneLocked, Kind::kAction},
    {kMoveIntoLockedRange, Kind::kAction},
    {kChangeRequestPending, Kind::kAction},
    {kNoPendingRequest, Kind::kAction},
    {kFundWhileInFlight, Kind::kAction},
    {kFundNotNext, Kind::kAction},
    {kInvalidTransition, Kind::kAction},
    {kReleaseExceedsEscrow, Kind::kAction},
    {kDecisionRequired, Kind::kAction},
    {kNotDue, Kind::kAction},
    {kEscrowHeld, Kind::kAction},
    {kDisputeOpen, Kind::kAction},
    {kNoDispute, Kind::kAction},
    {kRefundPending, Kind::kAction},
    {kNoRefundRequest, Kind::kAction},
    {kResolutionMismatch, Kind::kAction},
    {kChangeConflict, Kind::kDiff},
    {kPolicy, Kind::kPolicyFile},
    {kInternal, Kind::kBinding},
    {kOutOfMemory, Kind::kBinding},
    {kNoEngine, Kind::kBinding},
    {kSessionDisposed, Kind::kBinding},
    {kUnknownMethod, Kind::kBinding},
    {kReadOnly, Kind::kBinding},
    {kUsage, Kind::kShell},
    {kFileUnreadable, Kind::kShell},
    {kWasmLoadFailed, Kind::kShell},
    {kBadRequest, Kind::kShell},
    {kUnauthorized, Kind::kShell},
    {kForbidden, Kind::kShell},
    {kNotFound, Kind::kShell},
    {kMethodNotAllowed, Kind::kShell},
    {kRequestTimeout, Kind::kShell},
    {kStaleVersion, Kind::kShell},
    {kBodyTooLarge, Kind::kShell},
    {kUriTooLong, Kind::kShell},
    {kUnsupportedMediaType, Kind::kShell},
    {kExpectationFailed, Kind::kShell},
    {kActorMismatch, Kind::kShell},
    {kIdempotencyKeyReused, Kind::kShell},
    {kPreconditionRequired, Kind::kShell},
    {kHeadersTooLarge, Kind::kShell},
    {kBusy, Kind::kShell},
    {kUnavailable, Kind::kShell},
    {kHttpVersionNotSupported, Kind::kShell},
};
inline constexpr std::size_t kCatalogueSize = sizeof(kCatalogue) / sizeof(kCatalogue[0]);

}  // namespace milestone::codes
