#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/action.h"
#include "milestone/issue.h"

namespace milestone {

enum class MilestoneState { kNotFunded, kActive, kSubmitted, kReleased, kRefunded };
enum class ContractStatus { kOpen, kEnded };

const char* StateName(MilestoneState state);  // "not_funded", "active", ...
bool IsInFlight(MilestoneState state);        // active or submitted
bool IsClosed(MilestoneState state);          // released or refunded

// A field the engine does not know, kept verbatim (key and its JSON text) so a
// newer document survives a round trip through an older engine.
struct UnknownField {
  std::string key;
  std::string json;
};

// The client asked for a milestone's escrow back and the freelancer has not
// answered (SPEC 3.1).
struct RefundRequest {
  std::string requested_on;  // "YYYY-MM-DD"
  std::optional<std::string> message;
  bool null_message = false;  // the document wrote "message": null
  std::vector<UnknownField> unknown;
};

// A milestone's escrow frozen until the dispute is withdrawn or resolved.
struct Dispute {
  std::string by;  // "client" or "freelancer"
  std::string opened_on;
  std::string reason;
  std::vector<UnknownField> unknown;
};

// Which optional escrow fields the document spelled out, so a document is
// written back as it was read even where it gave a default explicitly.
inline constexpr uint8_t kHasSubmittedOn = 1u << 0;
inline constexpr uint8_t kHasRefunded = 1u << 1;
inline constexpr uint8_t kHasRefundRequest = 1u << 2;
inline constexpr uint8_t kHasDispute = 1u << 3;

struct Milestone {
  std::string id;
  std::string title;
  std::string description;
  // nullopt is JSON null. Kept as text so a draft can hold what a person typed
  // ("2027-02-30") with INVALID_DATE beside it.
  std::optional<std::string> due_date;
  int64_t amount = 0;
  MilestoneState state = MilestoneState::kNotFunded;
  int64_t funded = 0;
  int64_t released = 0;
  // Escrow over time (SPEC 1.1, 3.1).
  std::optional<std::string> submitted_on;  // the latest submit's date
  int64_t refunded = 0;                     // escrow returned to the client
  std::optional<RefundRequest> refund_request;
  std::optional<Dispute> dispute;
  uint8_t written = 0;  // kHas* of the fields the document gave
  std::vector<UnknownField> unknown;
};

// Escrow still held for `m`: funded - released - refunded while in flight.
int64_t EscrowOf(const Milestone& m);

// A freelancer's pending request: edit actions the client accepts or declines.
struct ChangeRequest {
  std::string id;
  std::string by = "freelancer";
  std::vector<Action> actions;
  std::string message;
  std::vector<UnknownField> unknown;
};

struct Contract {
  std::string id;
  int64_t version = 0;
  std::string currency = "USD";
  ContractStatus status = ContractStatus::kOpen;
  std::optional<int64_t> initiation_fee;  // nullopt: the policy's fee applies
  bool initiation_fee_charged = false;
  int64_t carry_over = 0;
  std::vector<Milestone> milestones;
  std::optional<ChangeRequest> change_request;
  std::vector<UnknownField> unknown;
};

// Index of the milestone with `id`, or -1.
int64_t FindMilestone(const Contract& contract, std::string_view id);

// Reads a contract document. Only structural findings are reported here
// (INVALID_JSON, SCHEMA, INVALID_AMOUNT, UNKNOWN_FIELD); value rules are
// Validate's. Returns false when the document could not be read into `out`.
bool ParseContract(std::string_view json, Contract* out, IssueList* issues);

// Writes the document back, unknown fields included, as compact JSON.
std::string ContractToJson(const Contract& contract);

}  // namespace milestone
