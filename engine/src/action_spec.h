#pragma once

// One description of every action type (SPEC 3): its name, the fields it
// carries and how each is read and written, who may do it, the words around
// it, and the functions that decide whether it may be done now (its guard)
// and what it does (its effect). The table itself is in apply.cc, beside the
// guards and effects it names; action.cc reads and writes actions from it.
// docs/rules.md ("Adding an action") says how to add one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/policy.h"

namespace milestone {

// What a field of an action is, so reading, writing and checking its shape
// are one piece of code for every action that carries it.
enum class FieldKind {
  kId,               // "id": the milestone the action names, required
  kMilestone,        // "milestone": an add's fields, title and amount required
  kSet,              // "set": an edit's fields, any of them
  kIndex,            // "index": an add's position, optional
  kToIndex,          // "toIndex": a move's position, required
  kActions,          // "actions": a proposal's edits, required
  kMessage,          // "message": optional text
  kRequiredMessage,  // "message": required text
  kReason,           // "reason": optional text
  kRequiredReason,   // "reason": required text
  kSplitRelease,     // "release": a resolution's cents to the freelancer, required
  kSplitRefund,      // "refund": a resolution's cents back to the client, required
  kAmount,           // "amount": optional minor units
  kThen,             // "then": "end" or "keepOpen", optional
};

struct FieldSpec {
  const char* key;
  FieldKind kind;
};

// Who may take an action directly.
inline constexpr unsigned kByClient = 1u << 0;
inline constexpr unsigned kByFreelancer = 1u << 1;
inline constexpr unsigned kByMarketplace = 1u << 2;
unsigned RoleBit(Actor actor);

inline constexpr int kMaxActionFields = 3;

class Applier;

struct ActionSpec {
  ActionType type;
  const char* name;                    // "requestChanges"
  FieldSpec fields[kMaxActionFields];  // unused slots have a null key
  unsigned roles;                      // kByClient | ...
  // Add, edit, delete and move change the plan: the freelancer makes them
  // only inside a proposal, and a pending request holds them for the client.
  bool plan_edit;
  // The client may not do it while a freelancer's request waits (SPEC 2.2).
  bool held_by_request;
  const char* verb;       // "fund milestones", for NOT_ALLOWED_FOR_ROLE
  const char* role_hint;  // what to do instead
  const char* label;      // the button: "Fund"
  // May it be done now? Reads the contract, changes nothing. `index` is the
  // milestone the action names (-1 when it names none).
  bool (Applier::*guard)(const Action& action, const std::string& path, int64_t index);
  // What it does, once the guard said yes.
  bool (Applier::*effect)(const Action& action, const std::string& path, int64_t index);
};

const ActionSpec& SpecOf(ActionType type);
const ActionSpec* FindSpec(std::string_view name);
bool NamesMilestone(const ActionSpec& spec);  // carries kId
// "add, edit, ..., resolveDispute": for the hint of an unknown type.
std::string ActionNameList();

// Facts about a contract several rules read, found in one pass.
struct ContractFacts {
  int64_t first_open = 0;  // the first position an add or a move may take
  int64_t in_flight = 0;   // how many milestones are active or submitted
  int64_t first_in_flight = -1;
  int64_t first_not_funded = -1;
  int64_t last_not_funded = -1;
  int64_t first_disputed = -1;  // the first milestone with an open dispute
  bool any_order = false;       // the policy's fundingOrder is "any"
};
ContractFacts FactsOf(const Contract& contract, const Policy& policy);

// Whether `action` may be done now by `actor`, exactly as Check would decide it
// before the effect: role, status, pending request, the milestone it names and
// the action's own guard. A freelancer's plan edit is admitted as the proposal
// it becomes. Nothing changes; false appends the reason to `issues`.
// `index_hint`: where the named milestone probably is (-1: unknown), so a
// caller walking the list does not make each question a search.
bool Admit(const Policy& policy, const ActOptions& options, const Contract& contract,
           const ContractFacts& facts, const Action& action, Actor actor, IssueList* issues,
           int64_t index_hint = -1);

// What funding `m` would charge (SPEC 3, fund).
struct FundCharge {
  int64_t amount = 0;      // the milestone's amount, held in escrow
  int64_t from_carry = 0;  // paid from carry-over
  int64_t fee = 0;         // the initiation fee, when not charged yet
  int64_t total = 0;       // charged to the client now: amount - from_carry + fee
};
FundCharge ChargeOf(const Policy& policy, const Contract& contract, const Milestone& m);

// When the marketplace may release `m` (its review window ran out) or grant
// its refund request; nullopt while no such window runs (SPEC 3.1). The one
// place the windows are computed: guards, timers and the view ask here.
std::optional<Date> ReleaseDue(const Policy& policy, const Milestone& m);
std::optional<Date> RefundDue(const Policy& policy, const Milestone& m);

// The window running on `m` at `now` (ReleaseDue or RefundDue), if any.
std::optional<Timer> TimerOf(const Policy& policy, const Milestone& m, const std::string& now);
void WriteTimer(const Timer& timer, std::string* out);

// Releasing the milestone at `index` needs `then` (no not_funded one follows).
bool NeedsDecision(const ContractFacts& facts, int64_t index);

// The draft edits of a session, applied by the same steps as Engine::Apply:
// as the client, or, for the freelancer, as the proposal they become (its
// admission first, then its edits). Unlike Apply, the document rules do not
// refuse: their findings are returned with the result so a session can keep a
// draft whose only errors are field values. `taken` (may be null) holds ids a
// new milestone must not reuse (the session's opened contract).
struct DraftStep {
  bool stepped = false;              // every action was admitted and done
  Contract contract;                 // the result when stepped
  IssueList issues;                  // why not, or the document findings of the result
  std::vector<std::string> touched;  // ids of milestones the actions set, moved or added
  std::vector<std::string> removed;  // ids of milestones the actions deleted
};
DraftStep ApplyDraft(const Policy& policy, const ActOptions& options, const Contract& contract,
                     const std::vector<Action>& actions, const Contract* taken);

// "m-N" one above the highest such id in `contract` and `taken`.
std::string NextMilestoneId(const Contract& contract, const Contract* taken);

}  // namespace milestone
