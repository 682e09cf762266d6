// Engine::Check and Engine::Apply: the actions of SPEC 3 on a copy of the
// contract, all or nothing. Each action is first held against the action rules
// (SPEC 2.2: role, state, sequence, pending request); once every action of the
// batch has been applied, the result is held against the document rules
// (CheckDocument), so an action can never produce a document that would not
// validate. The choices made where the article is silent are in docs/rules.md.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "milestone/codes.h"
#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/money.h"
#include "milestone/text.h"
#include "rules.h"

namespace milestone {
namespace {

// Where an action set a milestone's field, so a document finding about that
// field can point into the action that caused it ("/set/amount") rather than
// into a document the caller never sent.
struct Touch {
  std::string milestone_id;
  std::string field;  // "title", ...; empty: the milestone as a whole
  std::string path;
};

std::string Quote(const std::string& title) {
  Milestone m;
  m.title = title;
  return QuotedTitle(m);
}

std::string ReadableDate(const std::optional<std::string>& due) {
  if (!due) return "no due date";
  if (std::optional<Date> date = ParseDate(*due)) {
    return FormatReadableDate(*date);
  }
  return *due;
}

std::string NextMilestoneId(const Contract& contract) {
  int64_t highest = 0;
  for (const Milestone& m : contract.milestones) {
    const std::string& id = m.id;
    if (id.size() < 3 || id.size() > 17 || id.compare(0, 2, "m-") != 0) {
      continue;
    }
    int64_t n = 0;
    bool digits = true;
    for (size_t i = 2; i < id.size(); ++i) {
      if (id[i] < '0' || id[i] > '9') {
        digits = false;
        break;
      }
      n = n * 10 + (id[i] - '0');
    }
    if (digits && n > highest) highest = n;
  }
  return "m-" + std::to_string(highest + 1);
}

// Index of the first milestone an add or a move may go to: everything at or
// above the last closed or in-flight milestone is locked in place.
int64_t FirstOpenIndex(const Contract& contract) {
  int64_t first = 0;
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    if (contract.milestones[i].state != MilestoneState::kNotFunded) {
      first = static_cast<int64_t>(i) + 1;
    }
  }
  return first;
}

int64_t InFlightIndex(const Contract& contract) {
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    if (IsInFlight(contract.milestones[i].state))
      return static_cast<int64_t>(i);
  }
  return -1;
}

bool IsEditAction(ActionType type) {
  return type == ActionType::kAdd || type == ActionType::kEdit ||
         type == ActionType::kDelete || type == ActionType::kMove;
}

// Which role may perform an action directly (SPEC 3's table). Add, edit,
// delete and move reach the freelancer only inside a proposal.
bool RoleMay(Actor actor, ActionType type) {
  switch (type) {
    case ActionType::kPropose:
    case ActionType::kWithdraw:
    case ActionType::kSubmit:
      return actor == Actor::kFreelancer;
    case ActionType::kEnd:
      return true;
    default:
      return actor == Actor::kClient;
  }
}

const char* RoleHint(ActionType type) {
  switch (type) {
    case ActionType::kAdd:
    case ActionType::kEdit:
    case ActionType::kDelete:
    case ActionType::kMove:
      return "Propose the change instead; the client accepts or declines it.";
    case ActionType::kPropose:
      return "Make the change directly; proposals are the freelancer's.";
    case ActionType::kWithdraw:
      return "Decline the request instead.";
    case ActionType::kSubmit:
      return "Only the freelancer submits work.";
    default:
      return "Only the client can do this.";
  }
}

class Applier {
 public:
  Applier(const Policy& policy, const ActOptions& options, Contract contract)
      : policy_(policy), options_(options), contract_(std::move(contract)) {}

  Contract& contract() { return contract_; }
  IssueList& issues() { return issues_; }
  std::vector<Event>& events() { return events_; }
  std::vector<Touch>& touches() { return touches_; }

  // Applies one action as `actor`; false (with the reason in issues) when it
  // may not be done. `path` is where the action sits in what the caller sent.
  bool Step(const Action& action, Actor actor, const std::string& path) {
    if (!RoleMay(actor, action.type)) {
      return Fail(codes::kNotAllowedForRole, path, "",
                  std::string("The ") + ActorName(actor) + " cannot " +
                      Verb(action.type) + ".",
                  RoleHint(action.type));
    }
    if (contract_.status == ContractStatus::kEnded) {
      return Fail(codes::kContractEnded, path, "",
                  "The contract has ended, so nothing more can change.",
                  "Start a new contract for further work.");
    }
    // The article: "You will need to respond to the request before you can
    // make any additional changes." Release, requestChanges and end stay
    // open to the client: they settle work already done, not the plan.
    if (actor == Actor::kClient && contract_.change_request &&
        (IsEditAction(action.type) || action.type == ActionType::kFund)) {
      return Fail(codes::kChangeRequestPending, path, "",
                  "The freelancer's change request is waiting for your answer.",
                  "Accept or decline the request before making other changes.");
    }
    switch (action.type) {
      case ActionType::kAdd:
        return Add(action, path);
      case ActionType::kEdit:
        return Edit(action, path);
      case ActionType::kDelete:
        return Delete(action, path);
      case ActionType::kMove:
        return Move(action, path);
      case ActionType::kPropose:
        return Propose(action, path);
      case ActionType::kWithdraw:
        return Withdraw(path);
      case ActionType::kAccept:
        return Accept(path);
      case ActionType::kDecline:
        return Decline(action, path);
      case ActionType::kFund:
        return Fund(action, path);
      case ActionType::kSubmit:
        return Submit(action, path);
      case ActionType::kRequestChanges:
        return RequestChanges(action, path);
      case ActionType::kRelease:
        return Release(action, path);
      case ActionType::kEnd:
        return End(actor);
    }
    return false;
  }

  // The document rules on the result; errors refuse. Findings about a field an
  // action set point into that action.
  bool CheckResult() {
    IssueList found;
    ValidateOptions validate;
    validate.now = options_.now;
    CheckDocument(contract_, policy_, validate, nullptr, &found);
    for (Issue& issue : found) issue.path = ActionPath(issue.path);
    const bool ok = NoErrors(found);
    Append(&issues_, found);
    return ok;
  }

 private:
  static const char* Verb(ActionType type) {
    switch (type) {
      case ActionType::kAdd:
        return "add milestones";
      case ActionType::kEdit:
        return "edit milestones";
      case ActionType::kDelete:
        return "delete milestones";
      case ActionType::kMove:
        return "reorder milestones";
      case ActionType::kPropose:
        return "propose milestone changes";
      case ActionType::kWithdraw:
        return "withdraw a change request";
      case ActionType::kAccept:
        return "accept a change request";
      case ActionType::kDecline:
        return "decline a change request";
      case ActionType::kFund:
        return "fund milestones";
      case ActionType::kSubmit:
        return "submit work";
      case ActionType::kRequestChanges:
        return "request changes to submitted work";
      case ActionType::kRelease:
        return "release payments";
      case ActionType::kEnd:
        return "end the contract";
    }
    return "do this";
  }

  bool Fail(const char* code, std::string path, std::string milestone_id,
            std::string message, std::string hint = {}) {
    issues_.push_back(MakeError(code, std::move(path), std::move(milestone_id),
                                std::move(message), std::move(hint)));
    return false;
  }

  void Emit(const char* type, const std::string& milestone_id,
            std::optional<int64_t> amount, std::string message) {
    events_.push_back(Event{type, milestone_id, amount, std::move(message)});
  }

  // The milestone an action names, or UNKNOWN_MILESTONE at path + "/id".
  Milestone* Named(const Action& action, const std::string& path,
                   size_t* index = nullptr) {
    const int64_t i = FindMilestone(contract_, action.id);
    if (i < 0) {
      Fail(codes::kUnknownMilestone, path + "/id", action.id,
           "There is no milestone with the id \"" + action.id +
               "\" in this contract.",
           "Reload the contract; the milestone may have been deleted.");
      return nullptr;
    }
    if (index != nullptr) *index = static_cast<size_t>(i);
    return &contract_.milestones[static_cast<size_t>(i)];
  }

  // MILESTONE_LOCKED unless the milestone is a future one.
  bool Unlocked(const Milestone& m, const std::string& path, const char* what) {
    if (m.state == MilestoneState::kNotFunded) return true;
    return Fail(codes::kMilestoneLocked, path + "/id", m.id,
                QuotedTitle(m) + " is " + StateName(m.state) +
                    ", so it cannot " + what +
                    ": only future milestones that are not funded yet "
                    "can change.",
                "Change a milestone that has not been funded yet.");
  }

  bool TextOk(const std::string& text, const std::string& path) {
    if (IsValidUtf8(text) && !HasForbiddenControl(text)) return true;
    return Fail(codes::kInvalidText, path, "",
                "The text is not valid UTF-8 or holds control characters.",
                "Remove control characters other than tab and newline.");
  }

  bool Add(const Action& action, const std::string& path) {
    const int64_t size = static_cast<int64_t>(contract_.milestones.size());
    const int64_t first = FirstOpenIndex(contract_);
    const int64_t index = action.index.value_or(size);
    if (index < 0 || index > size) {
      return Fail(codes::kSchema, path + "/index", "",
                  "Position " + std::to_string(index) +
                      " is outside the list of " + std::to_string(size) +
                      " milestones.",
                  "Use a position from " + std::to_string(first) + " to " +
                      std::to_string(size) + ".");
    }
    if (index < first) {
      return Fail(codes::kMoveIntoLockedRange, path + "/index", "",
                  "A new milestone cannot go above a funded or closed one.",
                  "Use a position from " + std::to_string(first) + " to " +
                      std::to_string(size) + ".");
    }
    if (!action.fields.amount) {
      return Fail(codes::kSchema, path + "/milestone/amount", "",
                  "A new milestone needs an amount.",
                  "Give the amount in cents, for example 50000 for $500.00.");
    }
    Milestone m;
    m.id = action.fields.id ? *action.fields.id : NextMilestoneId(contract_);
    m.title = action.fields.title.value_or("");
    m.description = action.fields.description.value_or("");
    if (action.fields.due_date) m.due_date = *action.fields.due_date;
    m.amount = *action.fields.amount;
    const std::string base = path + "/milestone";
    touches_.push_back(Touch{m.id, "", base});
    if (action.fields.id) touches_.push_back(Touch{m.id, "id", base + "/id"});
    for (const char* field : {"title", "description", "dueDate", "amount"}) {
      touches_.push_back(Touch{m.id, field, base + "/" + field});
    }
    std::string message =
        "Added " + QuotedTitle(m) + " (" + FormatMoney(m.amount);
    if (m.due_date) message += ", due " + ReadableDate(m.due_date);
    message += ").";
    Emit("milestoneAdded", m.id, m.amount, std::move(message));
    contract_.milestones.insert(contract_.milestones.begin() + index,
                                std::move(m));
    return true;
  }

  bool Edit(const Action& action, const std::string& path) {
    Milestone* m = Named(action, path);
    if (m == nullptr || !Unlocked(*m, path, "be edited")) return false;
    const MilestoneFields& set = action.fields;
    if (!set.title && !set.description && !set.due_date && !set.amount) {
      return Fail(codes::kSchema, path + "/set", m->id,
                  "The edit does not set any field.",
                  "Set the title, description, dueDate or amount.");
    }
    const std::string base = path + "/set";
    const std::string before = QuotedTitle(*m);
    const size_t events_before = events_.size();
    if (set.title) {
      touches_.push_back(Touch{m->id, "title", base + "/title"});
      if (*set.title != m->title) {
        Emit("milestoneEdited", m->id, std::nullopt,
             "Changed the title of " + before + " to " + Quote(*set.title) +
                 ".");
        m->title = *set.title;
      }
    }
    if (set.description) {
      touches_.push_back(Touch{m->id, "description", base + "/description"});
      if (*set.description != m->description) {
        Emit("milestoneEdited", m->id, std::nullopt,
             "Changed the description of " + QuotedTitle(*m) + ".");
        m->description = *set.description;
      }
    }
    if (set.due_date) {
      touches_.push_back(Touch{m->id, "dueDate", base + "/dueDate"});
      if (*set.due_date != m->due_date) {
        Emit("milestoneEdited", m->id, std::nullopt,
             "Changed the due date of " + QuotedTitle(*m) + " from " +
                 ReadableDate(m->due_date) + " to " +
                 ReadableDate(*set.due_date) + ".");
        m->due_date = *set.due_date;
      }
    }
    if (set.amount) {
      touches_.push_back(Touch{m->id, "amount", base + "/amount"});
      if (*set.amount != m->amount) {
        Emit("milestoneEdited", m->id, *set.amount,
             "Changed the amount of " + QuotedTitle(*m) + " from " +
                 FormatMoney(m->amount) + " to " + FormatMoney(*set.amount) +
                 ".");
        m->amount = *set.amount;
      }
    }
    if (events_.size() == events_before) {
      Emit("milestoneEdited", m->id, std::nullopt,
           "Saved " + before + " without changes.");
    }
    return true;
  }

  bool Delete(const Action& action, const std::string& path) {
    size_t index = 0;
    Milestone* m = Named(action, path, &index);
    if (m == nullptr || !Unlocked(*m, path, "be deleted")) return false;
    Emit("milestoneDeleted", m->id, m->amount,
         "Deleted " + QuotedTitle(*m) + ".");
    contract_.milestones.erase(contract_.milestones.begin() +
                               static_cast<int64_t>(index));
    return true;
  }

  bool Move(const Action& action, const std::string& path) {
    size_t from = 0;
    Milestone* m = Named(action, path, &from);
    if (m == nullptr || !Unlocked(*m, path, "be moved")) return false;
    const int64_t last = static_cast<int64_t>(contract_.milestones.size()) - 1;
    const int64_t first = FirstOpenIndex(contract_);
    const int64_t to = action.to_index;
    if (to < 0 || to > last) {
      return Fail(codes::kSchema, path + "/toIndex", m->id,
                  "Position " + std::to_string(to) +
                      " is outside the list of milestones.",
                  "Use a position from " + std::to_string(first) + " to " +
                      std::to_string(last) + ".");
    }
    if (to < first) {
      return Fail(
          codes::kMoveIntoLockedRange, path + "/toIndex", m->id,
          QuotedTitle(*m) + " cannot move above a funded or closed milestone.",
          "Use a position from " + std::to_string(first) + " to " +
              std::to_string(last) + ".");
    }
    if (static_cast<int64_t>(from) == to) {
      // Still an event: every successful action tells the other side.
      Emit("milestoneMoved", m->id, std::nullopt,
           QuotedTitle(*m) + " stays at position " + std::to_string(from + 1) +
               ".");
      return true;
    }
    Emit("milestoneMoved", m->id, std::nullopt,
         "Moved " + QuotedTitle(*m) + " from position " +
             std::to_string(from + 1) + " to " + std::to_string(to + 1) + ".");
    Milestone moving = std::move(*m);
    contract_.milestones.erase(contract_.milestones.begin() +
                               static_cast<int64_t>(from));
    contract_.milestones.insert(contract_.milestones.begin() + to,
                                std::move(moving));
    return true;
  }

  // Applies a request's actions as the client on a copy of the contract as it
  // is now, then the document rules. `base` is where the actions sit: the
  // proposal ("/actions") or the stored request ("/changeRequest/actions").
  // On success `applied` receives the actions with generated ids filled in.
  bool Simulate(const std::vector<Action>& actions, const std::string& base,
                Applier* out, std::vector<Action>* applied) {
    for (size_t i = 0; i < actions.size(); ++i) {
      const std::string path = base + "/" + std::to_string(i);
      Action action = actions[i];
      if (!IsEditAction(action.type)) {
        return Fail(codes::kSchema, path + "/type", "",
                    "A change request may hold only add, edit, delete and "
                    "move actions.",
                    "Propose the milestone changes only.");
      }
      if (action.type == ActionType::kAdd && !action.fields.id) {
        // Fixed now, so the client reviews and later edits the same ids.
        action.fields.id = NextMilestoneId(out->contract());
      }
      if (!out->Step(action, Actor::kClient, path)) {
        Append(&issues_, out->issues());
        return false;
      }
      if (applied != nullptr) applied->push_back(std::move(action));
    }
    if (!out->CheckResult()) {
      Append(&issues_, out->issues());
      return false;
    }
    return true;
  }

  bool Propose(const Action& action, const std::string& path) {
    if (contract_.change_request) {
      return Fail(codes::kChangeRequestPending, path, "",
                  "Your earlier change request is still waiting for the "
                  "client.",
                  "Withdraw it first, or wait for the client to answer.");
    }
    if (action.actions.empty()) {
      return Fail(codes::kSchema, path + "/actions", "",
                  "The proposal holds no changes.",
                  "Add at least one add, edit, delete or move action.");
    }
    if (!TextOk(action.message, path + "/message")) return false;
    Applier trial(policy_, options_, contract_);
    std::vector<Action> applied;
    if (!Simulate(action.actions, path + "/actions", &trial, &applied)) {
      return false;
    }
    ChangeRequest request;
    request.id = "cr-" + std::to_string(contract_.version + 1);
    request.actions = std::move(applied);
    request.message = action.message;
    std::string message = "The freelancer proposed changes to the milestones:";
    for (const Event& event : trial.events()) message += " " + event.message;
    if (trial.events().empty()) message += " no visible change.";
    Emit("requestProposed", "", std::nullopt, std::move(message));
    contract_.change_request = std::move(request);
    return true;
  }

  bool NeedRequest(const std::string& path) {
    if (contract_.change_request) return true;
    return Fail(codes::kNoPendingRequest, path, "",
                "There is no change request waiting.",
                "Reload the contract; it may have been answered already.");
  }

  bool Withdraw(const std::string& path) {
    if (!NeedRequest(path)) return false;
    contract_.change_request.reset();
    Emit("requestWithdrawn", "", std::nullopt,
         "The freelancer withdrew their milestone change request.");
    return true;
  }

  bool Accept(const std::string& path) {
    if (!NeedRequest(path)) return false;
    const ChangeRequest request = *contract_.change_request;
    Contract without = contract_;
    without.change_request.reset();
    Applier trial(policy_, options_, std::move(without));
    // Issues point into the stored request: the accept action itself holds
    // nothing to point at.
    if (!Simulate(request.actions, "/changeRequest/actions", &trial, nullptr)) {
      return false;
    }
    contract_ = std::move(trial.contract());
    Emit("requestAccepted", "", std::nullopt,
         "The client accepted the freelancer's milestone change request.");
    for (Event& event : trial.events()) events_.push_back(std::move(event));
    return true;
  }

  bool Decline(const Action& action, const std::string& path) {
    if (!NeedRequest(path) || !TextOk(action.reason, path + "/reason")) {
      return false;
    }
    contract_.change_request.reset();
    std::string message =
        "The client declined the freelancer's milestone change request.";
    if (!action.reason.empty()) message += " Reason: " + action.reason;
    Emit("requestDeclined", "", std::nullopt, std::move(message));
    return true;
  }

  bool Fund(const Action& action, const std::string& path) {
    size_t index = 0;
    Milestone* m = Named(action, path, &index);
    if (m == nullptr) return false;
    if (m->state != MilestoneState::kNotFunded) {
      return Fail(codes::kInvalidTransition, path + "/id", m->id,
                  QuotedTitle(*m) + " is " + StateName(m->state) +
                      ", so it cannot be funded.",
                  "Fund the next milestone that is not funded yet.");
    }
    const int64_t in_flight = InFlightIndex(contract_);
    if (in_flight >= 0) {
      const Milestone& current =
          contract_.milestones[static_cast<size_t>(in_flight)];
      return Fail(codes::kFundWhileInFlight, path + "/id", m->id,
                  "You must release funds on " + QuotedTitle(current) +
                      " before another milestone can be funded.",
                  "Release " + QuotedTitle(current) +
                      " (a partial release is fine) first.");
    }
    for (size_t i = 0; i < index; ++i) {
      const Milestone& earlier = contract_.milestones[i];
      if (earlier.state == MilestoneState::kNotFunded) {
        return Fail(codes::kFundNotNext, path + "/id", m->id,
                    "Milestones are funded in order, and " +
                        QuotedTitle(earlier) + " comes before " +
                        QuotedTitle(*m) + ".",
                    "Fund " + QuotedTitle(earlier) +
                        " first, or move this milestone up.");
      }
    }
    const int64_t from_carry =
        contract_.carry_over < m->amount ? contract_.carry_over : m->amount;
    const int64_t charge = m->amount - from_carry;
    contract_.carry_over -= from_carry;
    m->state = MilestoneState::kActive;
    m->funded = m->amount;
    m->released = 0;
    std::string message = "Funded " + QuotedTitle(*m) + ": ";
    if (from_carry == 0) {
      message += FormatMoney(charge) + " charged to escrow.";
    } else if (charge == 0) {
      message += FormatMoney(from_carry) +
                 " paid from the previous milestone's unused deposit; "
                 "nothing charged.";
    } else {
      message += FormatMoney(charge) + " charged to escrow and " +
                 FormatMoney(from_carry) +
                 " paid from the previous milestone's unused deposit.";
    }
    Emit("charged", m->id, charge, std::move(message));
    if (!contract_.initiation_fee_charged) {
      const int64_t fee =
          contract_.initiation_fee.value_or(policy_.initiation_fee);
      contract_.initiation_fee_charged = true;
      Emit("feeCharged", m->id, fee,
           "Contract initiation fee: " + FormatMoney(fee) +
               " charged with the first milestone.");
    }
    return true;
  }

  bool Submit(const Action& action, const std::string& path) {
    Milestone* m = Named(action, path);
    if (m == nullptr) return false;
    if (m->state != MilestoneState::kActive) {
      return Fail(codes::kInvalidTransition, path + "/id", m->id,
                  QuotedTitle(*m) + " is " + StateName(m->state) +
                      "; only an active milestone can be submitted.",
                  m->state == MilestoneState::kNotFunded
                      ? "Wait for the client to fund it."
                      : "");
    }
    if (!TextOk(action.message, path + "/message")) return false;
    m->state = MilestoneState::kSubmitted;
    Emit("stateChanged", m->id, std::nullopt,
         "The freelancer submitted " + QuotedTitle(*m) + " for review.");
    return true;
  }

  bool RequestChanges(const Action& action, const std::string& path) {
    Milestone* m = Named(action, path);
    if (m == nullptr) return false;
    if (m->state != MilestoneState::kSubmitted) {
      return Fail(codes::kInvalidTransition, path + "/id", m->id,
                  QuotedTitle(*m) + " is " + StateName(m->state) +
                      "; changes can be requested only on submitted work.");
    }
    if (!TextOk(action.message, path + "/message")) return false;
    m->state = MilestoneState::kActive;
    std::string message =
        "The client requested changes to " + QuotedTitle(*m) + ".";
    if (!action.message.empty()) message += " " + action.message;
    Emit("stateChanged", m->id, std::nullopt, std::move(message));
    return true;
  }

  bool Release(const Action& action, const std::string& path) {
    size_t index = 0;
    Milestone* m = Named(action, path, &index);
    if (m == nullptr) return false;
    if (!IsInFlight(m->state)) {
      return Fail(
          codes::kInvalidTransition, path + "/id", m->id,
          QuotedTitle(*m) + " is " + StateName(m->state) +
              "; only a funded milestone in progress can be released.",
          m->state == MilestoneState::kNotFunded ? "Fund it first." : "");
    }
    const int64_t escrow = m->funded - m->released;
    const int64_t amount = action.amount.value_or(escrow);
    if (amount <= 0 || amount > escrow) {
      return Fail(codes::kReleaseExceedsEscrow, path + "/amount", m->id,
                  "A release of " + FormatMoney(amount) +
                      " is not possible: " + QuotedTitle(*m) + " holds " +
                      FormatMoney(escrow) + " in escrow.",
                  "Release from $0.01 up to " + FormatMoney(escrow) + ".");
    }
    bool last = true;
    for (size_t i = index + 1; i < contract_.milestones.size(); ++i) {
      if (contract_.milestones[i].state == MilestoneState::kNotFunded) {
        last = false;
      }
    }
    if (last && action.then != "end" && action.then != "keepOpen") {
      return Fail(codes::kDecisionRequired, path + "/then", m->id,
                  QuotedTitle(*m) +
                      " is the last milestone: say whether to end the "
                      "contract or keep it open.",
                  "Add \"then\": \"end\" or \"then\": \"keepOpen\".");
    }
    const int64_t remainder = escrow - amount;
    int64_t carry = 0;
    if (!CheckedAdd(contract_.carry_over, remainder, &carry)) {
      return Fail(codes::kInvalidAmount, "/carryOver", m->id,
                  "The unused deposit would grow past the largest amount the "
                  "engine keeps exactly.");
    }
    m->released += amount;
    m->state = MilestoneState::kReleased;
    contract_.carry_over = carry;
    std::string message =
        "Released " + FormatMoney(amount) + " for " + QuotedTitle(*m) + ".";
    if (remainder > 0) {
      message += " The remaining " + FormatMoney(remainder) +
                 " stays in escrow for the next milestone.";
    }
    Emit("released", m->id, amount, std::move(message));
    if (last && action.then == "end") End(Actor::kClient);
    return true;
  }

  // Always succeeds once the role and status were checked.
  bool End(Actor actor) {
    for (Milestone& m : contract_.milestones) {
      if (!IsInFlight(m.state)) continue;
      const int64_t escrow = m.funded - m.released;
      m.state = MilestoneState::kRefunded;
      if (escrow > 0) {
        Emit("refunded", m.id, escrow,
             "Refunded " + FormatMoney(escrow) + " held in escrow for " +
                 QuotedTitle(m) + " to the client.");
      }
    }
    if (contract_.carry_over > 0) {
      Emit("refunded", "", contract_.carry_over,
           "Refunded the unused deposit of " +
               FormatMoney(contract_.carry_over) + " to the client.");
    }
    contract_.carry_over = 0;
    if (contract_.change_request) {
      // An ended contract takes no more changes: the request goes with it.
      contract_.change_request.reset();
      if (actor == Actor::kClient) {
        Emit("requestDeclined", "", std::nullopt,
             "The pending milestone change request was closed because the "
             "contract ended.");
      } else {
        Emit("requestWithdrawn", "", std::nullopt,
             "The pending milestone change request was withdrawn because the "
             "contract ended.");
      }
    }
    contract_.status = ContractStatus::kEnded;
    Emit("contractEnded", "", std::nullopt,
         std::string("The ") + ActorName(actor) + " ended the contract.");
    return true;
  }

  // "/milestones/2/amount" -> the path of the action that last set that field
  // of that milestone; unchanged when no action did.
  std::string ActionPath(const std::string& doc_path) const {
    static const std::string kPrefix = "/milestones/";
    if (doc_path.compare(0, kPrefix.size(), kPrefix) != 0) return doc_path;
    size_t end = kPrefix.size();
    size_t index = 0;
    while (end < doc_path.size() && doc_path[end] >= '0' &&
           doc_path[end] <= '9' && end - kPrefix.size() < 9) {
      index = index * 10 + static_cast<size_t>(doc_path[end] - '0');
      ++end;
    }
    if (end == kPrefix.size() || index >= contract_.milestones.size()) {
      return doc_path;
    }
    std::string field;
    if (end < doc_path.size()) {
      if (doc_path[end] != '/') return doc_path;
      field = doc_path.substr(end + 1);
    }
    const std::string& id = contract_.milestones[index].id;
    for (auto it = touches_.rbegin(); it != touches_.rend(); ++it) {
      if (it->milestone_id == id && it->field == field) return it->path;
    }
    return doc_path;
  }

  const Policy& policy_;
  const ActOptions& options_;
  Contract contract_;
  IssueList issues_;
  std::vector<Event> events_;
  std::vector<Touch> touches_;
};

}  // namespace

ApplyResult Engine::Apply(const Contract& contract,
                          const std::vector<Action>& actions,
                          const ActOptions& options) const {
  Applier applier(policy_, options, contract);
  // One action's paths are relative to it; in a batch of two or more each
  // starts with the action's index (docs/rules.md, "Paths").
  const bool batch = actions.size() > 1;
  bool ok = true;
  for (size_t i = 0; i < actions.size() && ok; ++i) {
    ok = applier.Step(actions[i], options.actor,
                      batch ? "/" + std::to_string(i) : std::string());
  }
  if (ok) ok = applier.CheckResult();
  ApplyResult result;
  result.ok = ok;
  result.issues = std::move(applier.issues());
  if (ok) {
    result.contract = std::move(applier.contract());
    result.events = std::move(applier.events());
  } else {
    result.contract = contract;
  }
  return result;
}

ValidateResult Engine::Check(const Contract& contract,
                             const std::vector<Action>& actions,
                             const ActOptions& options) const {
  ApplyResult applied = Apply(contract, actions, options);
  ValidateResult result;
  result.ok = applied.ok;
  result.issues = std::move(applied.issues);
  return result;
}

}  // namespace milestone
