#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/issue.h"

namespace milestone {

// The marketplace stands for the marketplace itself: its scheduler and its
// mediators (SPEC 3).
enum class Actor { kClient, kFreelancer, kMarketplace };
const char* ActorName(Actor actor);  // "client", "freelancer", "marketplace"
bool ParseActor(std::string_view text, Actor* out);

enum class ActionType {
  kAdd,
  kEdit,
  kDelete,
  kMove,
  kPropose,
  kWithdraw,
  kAccept,
  kDecline,
  kFund,
  kSubmit,
  kRequestChanges,
  kRelease,
  kEnd,
  kRequestRefund,
  kApproveRefund,
  kDeclineRefund,
  kDispute,
  kWithdrawDispute,
  kResolveDispute,
};
const char* ActionTypeName(ActionType type);  // "add", "requestChanges", ...

// The editable fields of a milestone, each present or not: an add's milestone
// or an edit's `set`.
struct MilestoneFields {
  std::optional<std::string> id;  // add only; generated when absent
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::optional<std::string>> due_date;  // inner nullopt: null
  std::optional<int64_t> amount;
};

struct Action {
  ActionType type = ActionType::kEnd;
  std::string id;                 // the milestone it names, where it names one
  MilestoneFields fields;         // add: "milestone"; edit: "set"
  std::optional<int64_t> index;   // add
  int64_t to_index = 0;           // move
  std::optional<int64_t> amount;  // release
  std::string then;               // release: "", "end" or "keepOpen"
  std::string message;            // propose, submit, requestChanges, requestRefund
  std::string reason;             // decline, declineRefund, dispute
  std::vector<Action> actions;    // propose
  // resolveDispute: cents paid to the freelancer and returned to the client.
  std::optional<int64_t> split_release;
  std::optional<int64_t> split_refund;
};

// A fact a server turns into a notification.
struct Event {
  std::string type;  // "charged", "released", "refunded", "feeCharged", ...
  std::string milestone_id;
  std::optional<int64_t> amount;
  std::string message;     // "Funded “Build”: $1,200.00 charged to escrow."
  std::string message_id;  // the catalog sentence of `message`; see Issue
  Params params;
};

// Reads one action object, or an array of them (a batch), into `out`.
// Problems are SCHEMA / INVALID_AMOUNT / INVALID_JSON issues with paths into
// the action; returns false when there was any.
bool ParseActions(std::string_view json, std::vector<Action>* out, IssueList* issues);

std::string ActionToJson(const Action& action);
std::string ActionsToJson(const std::vector<Action>& actions);
std::string EventsToJson(const std::vector<Event>& events);

}  // namespace milestone
