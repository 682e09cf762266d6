#pragma once

// The catalogue of issue codes: stable public API, documented in docs/rules.md.
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

// Diffs (SPEC 4.1), policies.
inline constexpr const char kChangeConflict[] = "CHANGE_CONFLICT";
inline constexpr const char kPolicy[] = "POLICY";

}  // namespace milestone::codes
