// Engine::Check and Engine::Apply: the actions of SPEC 3 on a copy of the
// contract, all or nothing. Every action type is one entry of kActionSpecs
// below: a guard that decides whether it may be done now (SPEC 2.2: role,
// state, sequence, pending request) and an effect. Once every action of a
// batch is done, the result is held against the document rules
// (CheckDocument), so an action never produces a document that would not
// validate. Describe (view.cc) and sessions ask the same guards, through
// Admit and ApplyDraft. Choices made where the article is silent are in
// docs/rules.md.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "action_spec.h"
#include "milestone/action.h"
#include "milestone/codes.h"
#include "milestone/contract.h"
#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/issue.h"
#include "milestone/money.h"
#include "milestone/text.h"
#include "rules.h"
#include "sentences.h"

namespace milestone {

// Where an action set a milestone's field, so a document finding about that
// field can point into the action that caused it ("/set/amount") rather than
// into a document the caller never sent.
struct Touch {
  std::string milestone_id;
  std::string field;  // "title", ...; empty: the milestone as a whole
  std::string path;
};

class Applier {
 public:
  // Applies actions to its own copy of `contract`.
  Applier(const Policy& policy, const ActOptions& options, Contract contract, const Contract* taken)
      : policy_(policy),
        options_(options),
        contract_(std::move(contract)),
        taken_(taken),
        money_(policy.CurrencyFor(contract_.currency)) {
    view_ = &contract_;
  }
  // Only judges actions on `contract`, which it never changes or copies.
  Applier(const Policy& policy, const ActOptions& options, const Contract* contract,
          const ContractFacts& facts)
      : policy_(policy),
        options_(options),
        view_(contract),
        facts_(facts),
        money_(policy.CurrencyFor(contract->currency)) {}
  Applier(const Applier&) = delete;
  Applier& operator=(const Applier&) = delete;

  Contract& contract() { return contract_; }
  IssueList& issues() { return issues_; }
  void set_index_hint(int64_t hint) { index_hint_ = hint; }
  std::vector<Event>& events() { return events_; }
  std::vector<Touch>& touches() { return touches_; }

  // Role, status, pending request, the named milestone, then the action's own
  // guard. `index` receives the named milestone's index (-1: none).
  bool Admit(const Action& action, Actor actor, const std::string& path, int64_t* index) {
    const ActionSpec& spec = SpecOf(action.type);
    *index = -1;
    if ((spec.roles & RoleBit(actor)) == 0) {
      return Fail(codes::kNotAllowedForRole, path, "",
                  std::string("The ") + ActorName(actor) + " cannot " + spec.verb + ".",
                  spec.role_hint, codes::kNotAllowedForRole,
                  {WordParam("actor", "actor", ActorName(actor)),
                   TextParam("action", ActionTypeName(action.type))});
    }
    if (c().status == ContractStatus::kEnded) {
      return Fail(codes::kContractEnded, path, "",
                  "The contract has ended, so nothing more can change.",
                  "Start a new contract for further work.", codes::kContractEnded);
    }
    // The article: "You will need to respond to the request before you can
    // make any additional changes." Release, requestChanges and end stay
    // open to the client: they settle work already done, not the plan.
    if (actor == Actor::kClient && c().change_request && spec.held_by_request) {
      return Fail(codes::kChangeRequestPending, path, "",
                  "The freelancer's change request is waiting for your answer.",
                  "Accept or decline the request before making other changes.",
                  codes::kChangeRequestPending);
    }
    if (NamesMilestone(spec)) {
      // The caller may know where the milestone is (describe walks the list):
      // trusted only when it names the same id.
      const int64_t hint = index_hint_;
      const bool hinted = hint >= 0 && static_cast<size_t>(hint) < c().milestones.size() &&
                          c().milestones[static_cast<size_t>(hint)].id == action.id;
      *index = hinted ? hint : FindMilestone(c(), action.id);
      if (*index < 0) {
        return Fail(codes::kUnknownMilestone, path + "/id", action.id,
                    "There is no milestone with the id \"" + action.id + "\" in this contract.",
                    "Reload the contract; the milestone may have been deleted.",
                    codes::kUnknownMilestone, {TextParam("id", action.id)});
      }
    }
    return (this->*spec.guard)(action, path, *index);
  }

  // Applies one action as `actor`; false (with the reason in issues) when it
  // may not be done. `path` is where the action sits in what the caller sent.
  bool Step(const Action& action, Actor actor, const std::string& path) {
    facts_ = FactsOf(c(), policy_);
    int64_t index = -1;
    if (!Admit(action, actor, path, &index)) return false;
    return (this->*SpecOf(action.type).effect)(action, path, index);
  }

  // The document rules on the result, findings pointing into the actions
  // that set the fields they concern. True when there is no error.
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

  // Applies a request's edits as the client on this applier's contract.
  // `base` is where they sit: the proposal ("/actions") or the stored request
  // ("/changeRequest/actions"). On success `applied` receives them with
  // generated ids filled in.
  bool StepEdits(const std::vector<Action>& actions, const std::string& base,
                 std::vector<Action>* applied) {
    for (size_t i = 0; i < actions.size(); ++i) {
      const std::string path = base + "/" + std::to_string(i);
      Action action = actions[i];
      if (!SpecOf(action.type).plan_edit) {
        return Fail(codes::kSchema, path + "/type", "",
                    "A change request may hold only add, edit, delete and move actions.",
                    "Propose the milestone changes only.", "SCHEMA.proposalAction",
                    {TextParam("action", ActionTypeName(action.type))});
      }
      if (action.type == ActionType::kAdd && !action.fields.id) {
        // Fixed now, so the client reviews and later edits the same ids.
        action.fields.id = NextMilestoneId(contract_, taken_);
      }
      if (!Step(action, Actor::kClient, path)) return false;
      if (applied != nullptr) applied->push_back(std::move(action));
    }
    return true;
  }

  // ---- guards: may the action be done now? They read c() and facts_ only.

  bool GuardAdd(const Action& action, const std::string& path, int64_t) {
    const int64_t size = static_cast<int64_t>(c().milestones.size());
    const int64_t first = facts_.first_open;
    const int64_t index = action.index.value_or(size);
    auto range = [&] {
      return "Use a position from " + std::to_string(first) + " to " + std::to_string(size) + ".";
    };
    if (index < 0 || index > size) {
      return Fail(codes::kSchema, path + "/index", "",
                  "Position " + std::to_string(index) + " is outside the list of " +
                      std::to_string(size) + " milestones.",
                  range(), "SCHEMA.addIndex",
                  {NumberParam("index", index), NumberParam("count", size),
                   NumberParam("first", first), NumberParam("last", size)});
    }
    if (index < first) {
      const Milestone& locked = At(first - 1);
      return Fail(
          codes::kMoveIntoLockedRange, path + "/index", "",
          "A new milestone cannot go above " + QuotedTitle(locked) + ", which is " +
              StateWords(locked.state) + ".",
          range(), "MOVE_INTO_LOCKED_RANGE.add",
          {TitleParam("locked", locked.title), WordParam("state", "state", StateName(locked.state)),
           NumberParam("first", first), NumberParam("last", size)});
    }
    if (!action.fields.amount) {
      return Fail(
          codes::kSchema, path + "/milestone/amount", "", "A new milestone needs an amount.",
          "Give the amount in minor units, for example " + std::to_string(money_.minimum_amount) +
              " for " + Money(money_.minimum_amount) + ".",
          "SCHEMA.newAmount", {Amount("minimum", money_.minimum_amount)});
    }
    if (std::optional<Issue> limit =
            MilestoneLimitIssue(c().milestones.size() + 1, policy_, true)) {
      limit->path = path;
      issues_.push_back(std::move(*limit));
      return false;
    }
    return true;
  }

  bool GuardEdit(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!Unlocked(m, path, "be edited")) return false;
    const MilestoneFields& set = action.fields;
    if (!set.title && !set.description && !set.due_date && !set.amount) {
      return Fail(codes::kSchema, path + "/set", m.id, "The edit does not set any field.",
                  "Set the title, description, dueDate or amount.", "SCHEMA.editEmpty", {});
    }
    return true;
  }

  bool GuardDelete(const Action&, const std::string& path, int64_t index) {
    return Unlocked(At(index), path, "be deleted");
  }

  bool GuardMove(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!Unlocked(m, path, "be moved")) return false;
    const int64_t last = static_cast<int64_t>(c().milestones.size()) - 1;
    const int64_t first = facts_.first_open;
    const int64_t to = action.to_index;
    auto range = [&] {
      return "Use a position from " + std::to_string(first) + " to " + std::to_string(last) + ".";
    };
    if (to < 0 || to > last) {
      return Fail(
          codes::kSchema, path + "/toIndex", m.id,
          "Position " + std::to_string(to) + " is outside the list of milestones.", range(),
          "SCHEMA.moveIndex",
          {NumberParam("index", to), NumberParam("first", first), NumberParam("last", last)});
    }
    if (to < first) {
      const Milestone& locked = At(first - 1);
      return Fail(codes::kMoveIntoLockedRange, path + "/toIndex", m.id,
                  QuotedTitle(m) + " cannot move above " + QuotedTitle(locked) + ", which is " +
                      StateWords(locked.state) + ".",
                  range(), codes::kMoveIntoLockedRange,
                  {TitleParam("title", m.title), TitleParam("locked", locked.title),
                   WordParam("state", "state", StateName(locked.state)),
                   NumberParam("first", first), NumberParam("last", last)});
    }
    return true;
  }

  bool GuardPropose(const Action& action, const std::string& path, int64_t) {
    if (c().change_request) {
      return Fail(codes::kChangeRequestPending, path, "",
                  "Your earlier change request is still waiting for the client.",
                  "Withdraw it first, or wait for the client to answer.",
                  "CHANGE_REQUEST_PENDING.yours", {TextParam("request", c().change_request->id)});
    }
    if (action.actions.empty()) {
      return Fail(codes::kSchema, path + "/actions", "", "The proposal holds no changes.",
                  "Add at least one add, edit, delete or move action.", "SCHEMA.proposalEmpty", {});
    }
    return TextOk(action.message, path + "/message");
  }

  bool GuardRequest(const Action&, const std::string& path, int64_t) {
    if (c().change_request) return true;
    return Fail(codes::kNoPendingRequest, path, "", "There is no change request waiting.",
                "Reload the contract; it may have been answered already.",
                codes::kNoPendingRequest);
  }

  bool GuardDecline(const Action& action, const std::string& path, int64_t index) {
    return GuardRequest(action, path, index) && TextOk(action.reason, path + "/reason");
  }

  bool GuardFund(const Action&, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (m.state != MilestoneState::kNotFunded) {
      return Fail(codes::kInvalidTransition, path + "/id", m.id,
                  QuotedTitle(m) + " is " + StateWords(m.state) + ", so it cannot be funded.",
                  "Fund the next milestone that is not funded yet.", "INVALID_TRANSITION.fund",
                  {TitleParam("title", m.title), WordParam("state", "state", StateName(m.state))});
    }
    if (facts_.in_flight >= policy_.max_in_flight) {
      const Milestone& current = At(facts_.first_in_flight);
      if (policy_.max_in_flight == 1) {
        return Fail(codes::kFundWhileInFlight, path + "/id", m.id,
                    "You must release funds on " + QuotedTitle(current) +
                        " before another milestone can be funded.",
                    "Release " + QuotedTitle(current) + " (a partial release is fine) first.",
                    "FUND_WHILE_IN_FLIGHT.one", {TitleParam("current", current.title)});
      }
      return Fail(
          codes::kFundWhileInFlight, path + "/id", m.id,
          std::to_string(facts_.in_flight) +
              " milestones are funded and in progress, the most this contract allows.",
          "Release one of them, " + QuotedTitle(current) + " for example, first.",
          codes::kFundWhileInFlight,
          {NumberParam("inFlight", facts_.in_flight), TitleParam("current", current.title)});
    }
    if (!facts_.any_order && facts_.first_not_funded >= 0 && facts_.first_not_funded < index) {
      const Milestone& earlier = At(facts_.first_not_funded);
      return Fail(codes::kFundNotNext, path + "/id", m.id,
                  "Milestones are funded in order, and " + QuotedTitle(earlier) + " comes before " +
                      QuotedTitle(m) + ".",
                  "Fund " + QuotedTitle(earlier) + " first, or move this milestone up.",
                  codes::kFundNotNext,
                  {TitleParam("earlier", earlier.title), TitleParam("title", m.title)});
    }
    return true;
  }

  bool GuardSubmit(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (m.state != MilestoneState::kActive) {
      const bool not_funded = m.state == MilestoneState::kNotFunded;
      return Fail(codes::kInvalidTransition, path + "/id", m.id,
                  QuotedTitle(m) + " is " + StateWords(m.state) +
                      "; only an active milestone can be submitted.",
                  not_funded ? "Wait for the client to fund it." : "",
                  not_funded ? "INVALID_TRANSITION.submitNotFunded" : "INVALID_TRANSITION.submit",
                  TitleAndState(m));
    }
    return NotFrozen(m, path, action.type, "submitted") &&
           NoRefundWaiting(m, path, action.type, "submitted") && HasToday(path) &&
           TextOk(action.message, path + "/message");
  }

  bool GuardRequestChanges(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (m.state != MilestoneState::kSubmitted) {
      return Fail(codes::kInvalidTransition, path + "/id", m.id,
                  QuotedTitle(m) + " is " + StateWords(m.state) +
                      "; changes can be requested only on submitted work.",
                  "", "INVALID_TRANSITION.requestChanges", TitleAndState(m));
    }
    return NotFrozen(m, path, action.type, "sent back for changes") &&
           Said(action.message, path + "/message", m, "SCHEMA.changesMessage",
                "A request for changes needs a message saying what to change",
                "Write what the freelancer should change.");
  }

  bool GuardRelease(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (options_.actor == Actor::kMarketplace) return GuardAutoRelease(action, path, m);
    if (!IsInFlight(m.state)) {
      const bool not_funded = m.state == MilestoneState::kNotFunded;
      return Fail(codes::kInvalidTransition, path + "/id", m.id,
                  QuotedTitle(m) + " is " + StateWords(m.state) +
                      "; only a funded milestone in progress can be released.",
                  not_funded ? "Fund it first." : "",
                  not_funded ? "INVALID_TRANSITION.releaseNotFunded" : "INVALID_TRANSITION.release",
                  TitleAndState(m));
    }
    if (!NotFrozen(m, path, action.type, "released") ||
        !NoRefundWaiting(m, path, action.type, "released")) {
      return false;
    }
    const int64_t escrow = EscrowOf(m);
    const int64_t amount = action.amount.value_or(escrow);
    if (amount <= 0 || amount > escrow) {
      return Fail(codes::kReleaseExceedsEscrow, path + "/amount", m.id,
                  "A release of " + Money(amount) + " is not possible: " + QuotedTitle(m) +
                      " holds " + Money(escrow) + " in escrow.",
                  "Release from " + Money(1) + " up to " + Money(escrow) + ".",
                  codes::kReleaseExceedsEscrow,
                  {Amount("amount", amount), TitleParam("title", m.title), Amount("escrow", escrow),
                   Amount("smallest", 1)});
    }
    if (NeedsDecision(facts_, index) && action.then != "end" && action.then != "keepOpen") {
      return Fail(codes::kDecisionRequired, path + "/then", m.id,
                  QuotedTitle(m) +
                      " is the last milestone: say whether to end the contract or keep it open.",
                  "Add \"then\": \"end\" or \"then\": \"keepOpen\".", codes::kDecisionRequired,
                  {TitleParam("title", m.title)});
    }
    int64_t carry = 0;
    if (!CheckedAdd(c().carry_over, escrow - amount, &carry)) {
      return Fail(codes::kInvalidAmount, "/carryOver", m.id,
                  "The unused deposit would grow past the largest amount the engine keeps "
                  "exactly.",
                  "", "INVALID_AMOUNT.carryOver",
                  {Amount("carryOver", c().carry_over), Amount("remainder", escrow - amount)});
    }
    return true;
  }

  // The marketplace's release: the whole escrow of submitted work whose
  // review window ran out (SPEC 3.1). It never decides to end the contract.
  bool GuardAutoRelease(const Action& action, const std::string& path, const Milestone& m) {
    if (m.state != MilestoneState::kSubmitted) {
      return Fail(codes::kInvalidTransition, path + "/id", m.id,
                  QuotedTitle(m) + " is " + StateWords(m.state) +
                      "; the marketplace releases only submitted work.",
                  "", "INVALID_TRANSITION.autoRelease", TitleAndState(m));
    }
    if (!NotFrozen(m, path, action.type, "released") ||
        !NoRefundWaiting(m, path, action.type, "released")) {
      return false;
    }
    const int64_t escrow = EscrowOf(m);
    if (action.amount && *action.amount != escrow) {
      return Fail(codes::kReleaseExceedsEscrow, path + "/amount", m.id,
                  "The marketplace releases the whole escrow of " + QuotedTitle(m) + ", " +
                      Money(escrow) + ", or nothing.",
                  "Leave out \"amount\".", "RELEASE_EXCEEDS_ESCROW.automatic",
                  {TitleParam("title", m.title), Amount("escrow", escrow),
                   Amount("amount", *action.amount)});
    }
    if (!action.then.empty() && action.then != "keepOpen") {
      return Fail(codes::kSchema, path + "/then", m.id,
                  "Whether the contract ends is the client's decision, never the marketplace's.",
                  "Leave out \"then\"; the contract stays open.", "SCHEMA.marketplaceThen",
                  {TextParam("then", action.then)});
    }
    if (!HasToday(path)) return false;
    return Due(ReleaseDue(policy_, m), path, m, action.type, "released automatically");
  }

  bool GuardEnd(const Action&, const std::string& path, int64_t) {
    if (facts_.first_disputed >= 0) {
      const Milestone& m = At(facts_.first_disputed);
      return Fail(codes::kDisputeOpen, path, m.id,
                  "The contract cannot end while the dispute over " + QuotedTitle(m) + " is open.",
                  "Wait for the dispute to be resolved, or withdraw it if it is yours.",
                  "DISPUTE_OPEN.end",
                  {TitleParam("title", m.title), WordParam("by", "actor", m.dispute->by)});
    }
    if (options_.actor == Actor::kClient && facts_.in_flight > 0) {
      return EscrowHeld(path, facts_.first_in_flight);
    }
    return true;
  }

  bool GuardRequestRefund(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!InFlightFor(m, path, action.type, "a refund can be requested")) return false;
    if (!NotFrozen(m, path, action.type, "refunded by request")) return false;
    if (m.refund_request) {
      return Fail(
          codes::kRefundPending, path + "/id", m.id,
          "A refund of " + QuotedTitle(m) + " was already requested on " +
              DateText(m.refund_request->requested_on, "") + ".",
          "Wait for the freelancer's answer.", "REFUND_PENDING.again",
          {TitleParam("title", m.title), DateParam("requestedOn", m.refund_request->requested_on)});
    }
    return HasToday(path) && TextOk(action.message, path + "/message");
  }

  bool GuardApproveRefund(const Action&, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!RefundRequested(m, path)) return false;
    if (options_.actor != Actor::kMarketplace) return true;
    return HasToday(path) && Due(RefundDue(policy_, m), path, m, ActionType::kApproveRefund,
                                 "refunded automatically");
  }

  bool GuardDeclineRefund(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    return RefundRequested(m, path) &&
           Said(action.reason, path + "/reason", m, "SCHEMA.declineReason",
                "A declined refund needs a reason",
                "Say why the escrow should not go back; the marketplace's mediator reads it.") &&
           HasToday(path);
  }

  bool GuardDispute(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!InFlightFor(m, path, action.type, "it can be disputed")) return false;
    if (!NotFrozen(m, path, action.type, "disputed again")) return false;
    if (m.refund_request) {
      const bool freelancer = options_.actor == Actor::kFreelancer;
      return Fail(
          codes::kRefundPending, path + "/id", m.id,
          "A refund of " + QuotedTitle(m) + " is waiting for the freelancer's answer.",
          freelancer ? "Decline the refund request with your reason; that opens the dispute."
                     : "Wait for the freelancer's answer.",
          freelancer ? "REFUND_PENDING.disputeByFreelancer" : "REFUND_PENDING.dispute",
          {TitleParam("title", m.title), DateParam("requestedOn", m.refund_request->requested_on)});
    }
    return Said(action.reason, path + "/reason", m, "SCHEMA.disputeReason",
                "A dispute needs a reason",
                "Say what went wrong; the marketplace's mediator reads it.") &&
           HasToday(path);
  }

  bool GuardWithdrawDispute(const Action&, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!m.dispute) return NoDispute(m, path);
    if (m.dispute->by != ActorName(options_.actor)) {
      return Fail(codes::kNoDispute, path + "/id", m.id,
                  "The dispute over " + QuotedTitle(m) + " was opened by the " + m.dispute->by +
                      "; only they can withdraw it.",
                  "Wait for the marketplace's resolution.", "NO_DISPUTE.notYours",
                  {TitleParam("title", m.title), WordParam("by", "actor", m.dispute->by)});
    }
    return true;
  }

  bool GuardResolveDispute(const Action& action, const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    if (!m.dispute) return NoDispute(m, path);
    const int64_t escrow = EscrowOf(m);
    const int64_t release = action.split_release.value_or(0);
    const int64_t refund = action.split_refund.value_or(0);
    if (release < 0 || refund < 0 || release + refund != escrow) {  // parts <= 2^53: no overflow
      return Fail(codes::kResolutionMismatch, path + "/release", m.id,
                  "A resolution must split exactly the " + Money(escrow) + " held for " +
                      QuotedTitle(m) + "; " + Money(release) + " + " + Money(refund) + " does not.",
                  "Make release + refund = " + std::to_string(escrow) + " in minor units.",
                  codes::kResolutionMismatch,
                  {TitleParam("title", m.title), Amount("escrow", escrow),
                   Amount("release", release), Amount("refund", refund)});
    }
    return true;
  }

  // ---- effects: what the action does, once its guard said yes.

  bool DoAdd(const Action& action, const std::string& path, int64_t) {
    const int64_t index = action.index.value_or(static_cast<int64_t>(contract_.milestones.size()));
    Milestone m;
    m.id = action.fields.id ? *action.fields.id : NextMilestoneId(contract_, taken_);
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
    Emit("milestoneAdded", m.id, m.amount, AddedSentence(m, money_));
    contract_.milestones.insert(contract_.milestones.begin() + index, std::move(m));
    return true;
  }

  bool DoEdit(const Action& action, const std::string& path, int64_t index) {
    Milestone& m = contract_.milestones[static_cast<size_t>(index)];
    const MilestoneFields& set = action.fields;
    const std::string base = path + "/set";
    const size_t events_before = events_.size();
    const Milestone before = m;
    if (set.title) {
      touches_.push_back(Touch{m.id, "title", base + "/title"});
      if (*set.title != m.title) {
        Edited(before, EditField::kTitle, m.title, *set.title);
        m.title = *set.title;
      }
    }
    if (set.description) {
      touches_.push_back(Touch{m.id, "description", base + "/description"});
      if (*set.description != m.description) {
        Edited(before, EditField::kDescription, m.description, *set.description);
        m.description = *set.description;
      }
    }
    if (set.due_date) {
      touches_.push_back(Touch{m.id, "dueDate", base + "/dueDate"});
      if (*set.due_date != m.due_date) {
        Edited(before, EditField::kDueDate, DateValue(m.due_date), DateValue(*set.due_date));
        m.due_date = *set.due_date;
      }
    }
    if (set.amount) {
      touches_.push_back(Touch{m.id, "amount", base + "/amount"});
      if (*set.amount != m.amount) {
        Edited(before, EditField::kAmount, m.amount, *set.amount);
        m.amount = *set.amount;
      }
    }
    if (events_.size() == events_before) {
      Emit("milestoneEdited", m.id, std::nullopt, "Saved " + QuotedTitle(m) + " without changes.",
           "milestoneEdited.unchanged", {TitleParam("title", m.title)});
    }
    return true;
  }

  bool DoDelete(const Action&, const std::string&, int64_t index) {
    const Milestone& m = contract_.milestones[static_cast<size_t>(index)];
    Emit("milestoneDeleted", m.id, m.amount, DeletedSentence(m, money_));
    contract_.milestones.erase(contract_.milestones.begin() + index);
    return true;
  }

  bool DoMove(const Action& action, const std::string&, int64_t from) {
    const int64_t to = action.to_index;
    // Still an event when it stays: every successful action tells the other side.
    Emit("milestoneMoved", action.id, std::nullopt,
         MovedSentence(contract_.milestones[static_cast<size_t>(from)], from, to));
    if (from == to) return true;
    Milestone moving = std::move(contract_.milestones[static_cast<size_t>(from)]);
    contract_.milestones.erase(contract_.milestones.begin() + from);
    contract_.milestones.insert(contract_.milestones.begin() + to, std::move(moving));
    return true;
  }

  bool DoPropose(const Action& action, const std::string& path, int64_t) {
    Applier trial(policy_, options_, contract_, taken_ != nullptr ? taken_ : &contract_);
    std::vector<Action> applied;
    if (!trial.StepEdits(action.actions, path + "/actions", &applied) || !trial.CheckResult()) {
      Append(&issues_, trial.issues());
      return false;
    }
    ChangeRequest request;
    request.id = "cr-" + std::to_string(contract_.version + 1);
    request.actions = std::move(applied);
    request.message = action.message;
    std::string message = "The freelancer proposed changes to the milestones:";
    std::vector<Param> changes;
    for (const Event& event : trial.events()) {
      message += " " + event.message;
      changes.push_back(SentencePart(event.type, event.message, event.message_id, event.params));
    }
    Emit("requestProposed", "", std::nullopt, std::move(message), "requestProposed",
         {TextParam("request", request.id), SentencesParam("changes", std::move(changes))});
    contract_.change_request = std::move(request);
    return true;
  }

  bool DoWithdraw(const Action&, const std::string&, int64_t) {
    Emit("requestWithdrawn", "", std::nullopt,
         "The freelancer withdrew their milestone change request.", "requestWithdrawn",
         {TextParam("request", contract_.change_request->id)});
    contract_.change_request.reset();
    return true;
  }

  bool DoAccept(const Action&, const std::string&, int64_t) {
    const ChangeRequest request = *contract_.change_request;
    Contract without = contract_;
    without.change_request.reset();
    Applier trial(policy_, options_, std::move(without), taken_ != nullptr ? taken_ : &contract_);
    // Issues point into the stored request: the accept action itself holds
    // nothing to point at.
    if (!trial.StepEdits(request.actions, "/changeRequest/actions", nullptr) ||
        !trial.CheckResult()) {
      Append(&issues_, trial.issues());
      return false;
    }
    contract_ = std::move(trial.contract());
    Emit("requestAccepted", "", std::nullopt,
         "The client accepted the freelancer's milestone change request.", "requestAccepted",
         {TextParam("request", request.id)});
    for (Event& event : trial.events()) events_.push_back(std::move(event));
    return true;
  }

  bool DoDecline(const Action& action, const std::string&, int64_t) {
    const std::string request = contract_.change_request->id;
    contract_.change_request.reset();
    std::string message = "The client declined the freelancer's milestone change request.";
    if (!action.reason.empty()) message += " Reason: " + action.reason;
    Emit("requestDeclined", "", std::nullopt, std::move(message), "requestDeclined",
         {TextParam("request", request), TextParam("reason", action.reason)});
    return true;
  }

  bool DoFund(const Action&, const std::string&, int64_t index) {
    Milestone& m = contract_.milestones[static_cast<size_t>(index)];
    const FundCharge charge = ChargeOf(policy_, contract_, m);
    const int64_t charged = charge.amount - charge.from_carry;
    contract_.carry_over -= charge.from_carry;
    m.state = MilestoneState::kActive;
    m.funded = m.amount;
    m.released = 0;
    std::string message = "Funded " + QuotedTitle(m) + ": ";
    const char* id = charge.from_carry == 0 ? "charged"
                     : charged == 0         ? "charged.fromCarryOver"
                                            : "charged.partlyFromCarryOver";
    if (charge.from_carry == 0) {
      message += Money(charged) + " charged to escrow.";
    } else if (charged == 0) {
      message += Money(charge.from_carry) +
                 " paid from the previous milestone's unused deposit; nothing charged.";
    } else {
      message += Money(charged) + " charged to escrow and " + Money(charge.from_carry) +
                 " paid from the previous milestone's unused deposit.";
    }
    Emit("charged", m.id, charged, std::move(message), id,
         {TitleParam("title", m.title), Amount("charged", charged),
          Amount("fromCarryOver", charge.from_carry)});
    if (!contract_.initiation_fee_charged) {
      contract_.initiation_fee_charged = true;
      Emit("feeCharged", m.id, charge.fee,
           "Contract initiation fee: " + Money(charge.fee) + " charged with the first milestone.",
           "feeCharged", {Amount("fee", charge.fee)});
    }
    return true;
  }

  bool DoSubmit(const Action& action, const std::string&, int64_t index) {
    Milestone& m = contract_.milestones[static_cast<size_t>(index)];
    m.state = MilestoneState::kSubmitted;
    m.submitted_on = options_.now;
    std::string message = "The freelancer submitted " + QuotedTitle(m) + " for review.";
    std::optional<Date> due = ReleaseDue(policy_, m);
    if (due) {
      message += " It will be released automatically on " + FormatReadableDate(*due) +
                 " unless the client acts.";
    }
    if (!action.message.empty()) message += " " + action.message;
    Emit("stateChanged", m.id, std::nullopt, std::move(message), "stateChanged.submitted",
         {TitleParam("title", m.title), DateParam("releaseOn", due ? FormatIsoDate(*due) : ""),
          TextParam("note", action.message)});
    return true;
  }

  bool DoRequestChanges(const Action& action, const std::string&, int64_t index) {
    Milestone& m = contract_.milestones[static_cast<size_t>(index)];
    m.state = MilestoneState::kActive;
    m.submitted_on.reset();  // the review window starts again at the next submit
    std::string message = "The client requested changes to " + QuotedTitle(m) + ".";
    if (!action.message.empty()) message += " " + action.message;
    Emit("stateChanged", m.id, std::nullopt, std::move(message), "stateChanged.changesRequested",
         {TitleParam("title", m.title), TextParam("note", action.message)});
    return true;
  }

  bool DoRelease(const Action& action, const std::string& path, int64_t index) {
    Milestone& m = contract_.milestones[static_cast<size_t>(index)];
    const bool last = NeedsDecision(facts_, index);
    const int64_t escrow = EscrowOf(m);
    const int64_t amount = action.amount.value_or(escrow);
    const int64_t remainder = escrow - amount;
    m.released += amount;
    m.state = MilestoneState::kReleased;
    contract_.carry_over += remainder;  // the guard checked the sum
    std::string message = "Released " + Money(amount) + " for " + QuotedTitle(m) + ".";
    if (options_.actor == Actor::kMarketplace) {
      message = "The review window for " + QuotedTitle(m) + " ended, so the marketplace released " +
                Money(amount) + " to the freelancer.";
    }
    if (remainder > 0) {
      message += " The remaining " + Money(remainder) + " stays in escrow for the next milestone.";
    }
    Emit("released", m.id, amount, std::move(message),
         options_.actor == Actor::kMarketplace ? "released.automatically" : "released",
         {Amount("amount", amount), TitleParam("title", m.title),
          remainder > 0 ? Amount("remainder", remainder) : NullParam("remainder")});
    if (last && action.then == "end") DoEnd(action, path, -1);
    return true;
  }

  // The role and status were checked; ending always succeeds.
  bool DoEnd(const Action&, const std::string&, int64_t) {
    const Actor actor = options_.actor;
    // Only the freelancer ends with work in flight (the client's end is
    // ESCROW_HELD): they give its escrow back.
    for (Milestone& m : contract_.milestones) {
      if (!IsInFlight(m.state)) continue;
      const int64_t escrow = EscrowOf(m);
      m.state = MilestoneState::kRefunded;
      m.refunded += escrow;
      m.refund_request.reset();
      if (escrow > 0) {
        Emit("refunded", m.id, escrow,
             "Refunded " + Money(escrow) + " held in escrow for " + QuotedTitle(m) +
                 " to the client.",
             "refunded", {TitleParam("title", m.title), Amount("amount", escrow)});
      }
    }
    if (contract_.carry_over > 0) {
      Emit("refunded", "", contract_.carry_over,
           "Refunded the unused deposit of " + Money(contract_.carry_over) + " to the client.",
           "refunded.carryOver", {Amount("amount", contract_.carry_over)});
    }
    contract_.carry_over = 0;
    if (contract_.change_request) {
      // An ended contract takes no more changes: the request goes with it.
      Params request = {TextParam("request", contract_.change_request->id)};
      contract_.change_request.reset();
      if (actor == Actor::kClient) {
        Emit("requestDeclined", "", std::nullopt,
             "The pending milestone change request was closed because the contract ended.",
             "requestDeclined.contractEnded", std::move(request));
      } else {
        Emit("requestWithdrawn", "", std::nullopt,
             "The pending milestone change request was withdrawn because the contract ended.",
             "requestWithdrawn.contractEnded", std::move(request));
      }
    }
    contract_.status = ContractStatus::kEnded;
    Emit("contractEnded", "", std::nullopt,
         std::string("The ") + ActorName(actor) + " ended the contract.", "contractEnded",
         {WordParam("actor", "actor", ActorName(actor))});
    return true;
  }

  bool DoRequestRefund(const Action& action, const std::string&, int64_t index) {
    Milestone& m = Mutable(index);
    RefundRequest request;
    request.requested_on = options_.now;
    if (!action.message.empty()) request.message = action.message;
    m.refund_request = std::move(request);
    const int64_t escrow = EscrowOf(m);
    std::string message = "The client asked for the " + Money(escrow) + " held in escrow for " +
                          QuotedTitle(m) + " back.";
    const std::optional<Date> due = RefundDue(policy_, m);
    if (due) {
      message +=
          " Unless the freelancer answers, it is refunded on " + FormatReadableDate(*due) + ".";
    }
    if (!action.message.empty()) message += " " + action.message;
    Emit("refundRequested", m.id, escrow, std::move(message), "refundRequested",
         {TitleParam("title", m.title), Amount("amount", escrow),
          DateParam("requestedOn", options_.now), DateParam("due", due ? FormatIsoDate(*due) : ""),
          TextParam("message", action.message)});
    return true;
  }

  bool DoApproveRefund(const Action&, const std::string&, int64_t index) {
    Milestone& m = Mutable(index);
    const int64_t escrow = EscrowOf(m);
    m.refunded += escrow;
    m.state = MilestoneState::kRefunded;
    m.refund_request.reset();
    Emit("refunded", m.id, escrow,
         (options_.actor == Actor::kMarketplace
              ? "The freelancer did not answer the refund request in time, so the marketplace "
                "refunded "
              : "The freelancer approved the refund: refunded ") +
             Money(escrow) + " held in escrow for " + QuotedTitle(m) + " to the client.",
         options_.actor == Actor::kMarketplace ? "refunded.automatically" : "refunded.approved",
         {TitleParam("title", m.title), Amount("amount", escrow),
          WordParam("actor", "actor", ActorName(options_.actor))});
    return true;
  }

  bool DoDeclineRefund(const Action& action, const std::string&, int64_t index) {
    Milestone& m = Mutable(index);
    m.refund_request.reset();
    Emit("refundDeclined", m.id, std::nullopt,
         "The freelancer declined the refund of " + QuotedTitle(m) + ": " + action.reason,
         "refundDeclined", {TitleParam("title", m.title), TextParam("reason", action.reason)});
    OpenDispute(m, action.reason);
    return true;
  }

  bool DoDispute(const Action& action, const std::string&, int64_t index) {
    OpenDispute(Mutable(index), action.reason);
    return true;
  }

  bool DoWithdrawDispute(const Action&, const std::string&, int64_t index) {
    Milestone& m = Mutable(index);
    m.dispute.reset();
    Emit("disputeWithdrawn", m.id, std::nullopt,
         std::string("The ") + ActorName(options_.actor) + " withdrew the dispute over " +
             QuotedTitle(m) + "; its escrow is no longer frozen.",
         "disputeWithdrawn",
         {TitleParam("title", m.title), WordParam("actor", "actor", ActorName(options_.actor))});
    return true;
  }

  bool DoResolveDispute(const Action& action, const std::string&, int64_t index) {
    Milestone& m = Mutable(index);
    const int64_t release = action.split_release.value_or(0);
    const int64_t refund = action.split_refund.value_or(0);
    m.released += release;
    m.refunded += refund;
    m.state = release > 0 ? MilestoneState::kReleased : MilestoneState::kRefunded;
    m.dispute.reset();
    Emit("disputeResolved", m.id, std::nullopt,
         "The marketplace resolved the dispute over " + QuotedTitle(m) + ": " + Money(release) +
             " to the freelancer, " + Money(refund) + " back to the client.",
         "disputeResolved",
         {TitleParam("title", m.title), Amount("release", release), Amount("refund", refund)});
    if (release > 0) {
      Emit("released", m.id, release,
           "Released " + Money(release) + " for " + QuotedTitle(m) + " by resolution.",
           "released.resolution", {TitleParam("title", m.title), Amount("amount", release)});
    }
    if (refund > 0) {
      Emit("refunded", m.id, refund,
           "Refunded " + Money(refund) + " held in escrow for " + QuotedTitle(m) +
               " to the client by resolution.",
           "refunded.resolution", {TitleParam("title", m.title), Amount("amount", refund)});
    }
    return true;
  }

 private:
  const Contract& c() const { return *view_; }
  // An amount in the contract's currency, as every sentence writes it.
  std::string Money(int64_t amount) const { return FormatMoney(amount, money_); }
  const Milestone& At(int64_t index) const { return c().milestones[static_cast<size_t>(index)]; }

  static FieldValue DateValue(const std::optional<std::string>& date) {
    if (date) return *date;
    return nullptr;
  }

  void Edited(const Milestone& before, EditField field, const FieldValue& from,
              const FieldValue& to) {
    std::optional<int64_t> amount;
    if (field == EditField::kAmount) amount = std::get<int64_t>(to);
    Emit("milestoneEdited", before.id, amount, EditedSentence(before, field, from, to, money_));
  }

  // `id` and `params`: the catalog sentence of message and hint (docs/languages.md).
  bool Fail(const char* code, std::string path, std::string milestone_id, std::string message,
            std::string hint, const char* id, Params params = {}) {
    issues_.push_back(MakeError(code, std::move(path), std::move(milestone_id), std::move(message),
                                std::move(hint), id, std::move(params)));
    return false;
  }

  // `id`: the catalog sentence "event.<id>".
  void Emit(const char* type, const std::string& milestone_id, std::optional<int64_t> amount,
            std::string message, const char* id, Params params) {
    events_.push_back(Event{type, milestone_id, amount, std::move(message),
                            std::string("event.") + id, std::move(params)});
  }
  void Emit(const char* type, const std::string& milestone_id, std::optional<int64_t> amount,
            Sentence sentence) {
    events_.push_back(Event{type, milestone_id, amount, std::move(sentence.text), sentence.id,
                            std::move(sentence.params)});
  }

  static Params TitleAndState(const Milestone& m) {
    return {TitleParam("title", m.title), WordParam("state", "state", StateName(m.state))};
  }

  Param Amount(const char* name, int64_t amount) const { return MoneyOf(name, amount, money_); }

  Milestone& Mutable(int64_t index) { return contract_.milestones[static_cast<size_t>(index)]; }

  void OpenDispute(Milestone& m, const std::string& reason) {
    m.dispute = Dispute{ActorName(options_.actor), options_.now, reason, {}};
    Emit("disputeOpened", m.id, EscrowOf(m),
         std::string("The ") + ActorName(options_.actor) + " opened a dispute over " +
             QuotedTitle(m) + ": its " + Money(EscrowOf(m)) +
             " in escrow is frozen until the marketplace resolves it. Reason: " + reason,
         "disputeOpened",
         {TitleParam("title", m.title), Amount("amount", EscrowOf(m)),
          WordParam("by", "actor", ActorName(options_.actor)), TextParam("reason", reason)});
  }

  // SCHEMA at /options/now when the action needs today's date and has none.
  bool HasToday(const std::string&) {
    if (ParseDate(options_.now)) return true;
    return Fail(codes::kSchema, "/options/now", "",
                "This action needs today's date to record when it happened.",
                "Pass {\"now\": \"YYYY-MM-DD\"} with the action.", "SCHEMA.now", {});
  }

  // The action whose English `what` (after "can be") a sentence names, as a
  // param: the catalog writes it through a words table ("timer", "frozen",
  // "inEscrow" below).
  static Param ActionParam(ActionType action) {
    return TextParam("action", ActionTypeName(action));
  }

  // NOT_DUE until `due` (nullopt: the window is off or never started).
  bool Due(const std::optional<Date>& due, const std::string& path, const Milestone& m,
           ActionType action, const char* what) {
    const std::optional<Date> now = ParseDate(options_.now);
    if (due && now && !(*now < *due)) return true;
    return Fail(codes::kNotDue, path + "/id", m.id,
                due ? QuotedTitle(m) + " can be " + what + " from " + FormatReadableDate(*due) +
                          ", not before."
                    : QuotedTitle(m) + " has no running timer, so it cannot be " + what + ".",
                "Apply what timers() lists once it is due.", due ? "NOT_DUE" : "NOT_DUE.noTimer",
                {TitleParam("title", m.title), DateParam("due", due ? FormatIsoDate(*due) : ""),
                 ActionParam(action)});
  }

  // DISPUTE_OPEN while the milestone's escrow is frozen.
  bool NotFrozen(const Milestone& m, const std::string& path, ActionType action, const char* what) {
    if (!m.dispute) return true;
    return Fail(codes::kDisputeOpen, path + "/id", m.id,
                QuotedTitle(m) + " is in dispute, so it cannot be " + what + ".",
                "Wait for the marketplace's resolution, or withdraw the dispute if it is yours.",
                codes::kDisputeOpen,
                {TitleParam("title", m.title), WordParam("by", "actor", m.dispute->by),
                 ActionParam(action)});
  }

  // REFUND_PENDING while the client's refund request waits.
  bool NoRefundWaiting(const Milestone& m, const std::string& path, ActionType action,
                       const char* what) {
    if (!m.refund_request) return true;
    return Fail(codes::kRefundPending, path + "/id", m.id,
                "A refund of " + QuotedTitle(m) +
                    " is waiting for the freelancer's answer, so it "
                    "cannot be " +
                    what + " now.",
                "Answer the refund request first.", codes::kRefundPending,
                {TitleParam("title", m.title),
                 DateParam("requestedOn", m.refund_request->requested_on), ActionParam(action)});
  }

  bool RefundRequested(const Milestone& m, const std::string& path) {
    if (m.refund_request) return true;
    return Fail(codes::kNoRefundRequest, path + "/id", m.id,
                "No refund of " + QuotedTitle(m) + " was requested.",
                "Reload the contract; the request may have been answered already.",
                codes::kNoRefundRequest, {TitleParam("title", m.title)});
  }

  bool NoDispute(const Milestone& m, const std::string& path) {
    return Fail(codes::kNoDispute, path + "/id", m.id,
                "There is no open dispute over " + QuotedTitle(m) + ".",
                "Reload the contract; it may have been resolved already.", codes::kNoDispute,
                {TitleParam("title", m.title)});
  }

  bool InFlightFor(const Milestone& m, const std::string& path, ActionType action,
                   const char* what) {
    if (IsInFlight(m.state)) return true;
    Params params = TitleAndState(m);
    params.push_back(ActionParam(action));
    return Fail(codes::kInvalidTransition, path + "/id", m.id,
                QuotedTitle(m) + " is " + StateWords(m.state) + "; only while its money is in " +
                    "escrow " + what + ".",
                "", "INVALID_TRANSITION.escrow", std::move(params));
  }

  // A required text that is not blank, and is text; `id` the sentence of a blank one.
  bool Said(const std::string& text, const std::string& path, const Milestone& m, const char* id,
            const char* what, const char* hint) {
    if (TrimWhiteSpace(text).empty()) {
      return Fail(codes::kSchema, path, m.id, std::string(what) + ".", hint, id,
                  {TitleParam("title", m.title)});
    }
    return TextOk(text, path);
  }

  bool EscrowHeld(const std::string& path, int64_t index) {
    const Milestone& m = At(index);
    return Fail(codes::kEscrowHeld, path, m.id,
                "The contract cannot end while " + Money(EscrowOf(m)) + " is held in escrow for " +
                    QuotedTitle(m) + ".",
                "Release it, request a refund, or open a dispute first.", codes::kEscrowHeld,
                {TitleParam("title", m.title), Amount("amount", EscrowOf(m))});
  }

  // MILESTONE_LOCKED unless the milestone is a future one.
  bool Unlocked(const Milestone& m, const std::string& path, const char* what) {
    if (m.state == MilestoneState::kNotFunded) return true;
    return Fail(codes::kMilestoneLocked, path + "/id", m.id,
                QuotedTitle(m) + " is " + StateWords(m.state) + ", so it cannot " + what +
                    ": only future milestones that are not funded yet can change.",
                "Change a milestone that has not been funded yet.", codes::kMilestoneLocked,
                {TitleParam("title", m.title), WordParam("state", "state", StateName(m.state)),
                 WordParam("change", "change", what)});
  }

  bool TextOk(const std::string& text, const std::string& path) {
    if (IsValidUtf8(text) && !HasForbiddenControl(text)) return true;
    return Fail(codes::kInvalidText, path, "",
                "The text is not valid UTF-8 or holds control characters.",
                "Remove control characters other than tab and newline.", "INVALID_TEXT.action",
                {WordParam("field", "field", path.substr(path.rfind('/') + 1))});
  }

  // "/milestones/2/amount" -> the path of the action that last set that field
  // of that milestone; unchanged when no action did.
  std::string ActionPath(const std::string& doc_path) const {
    static const std::string kPrefix = "/milestones/";
    if (doc_path.compare(0, kPrefix.size(), kPrefix) != 0) return doc_path;
    size_t end = kPrefix.size();
    size_t index = 0;
    while (end < doc_path.size() && doc_path[end] >= '0' && doc_path[end] <= '9' &&
           end - kPrefix.size() < 9) {
      index = index * 10 + static_cast<size_t>(doc_path[end] - '0');
      ++end;
    }
    if (end == kPrefix.size() || index >= contract_.milestones.size()) return doc_path;
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
  int64_t index_hint_ = -1;          // where the named milestone likely is
  const Contract* view_ = nullptr;   // what the guards read
  const Contract* taken_ = nullptr;  // ids a new milestone must not reuse
  ContractFacts facts_;
  Currency money_;  // the contract's currency, for every amount written
  IssueList issues_;
  std::vector<Event> events_;
  std::vector<Touch> touches_;
};

namespace {

using K = FieldKind;
constexpr unsigned kBoth = kByClient | kByFreelancer;

// The actions of SPEC 3, one entry each.
const ActionSpec kActionSpecs[] = {
    {ActionType::kAdd,
     "add",
     {{"milestone", K::kMilestone}, {"index", K::kIndex}},
     kByClient,
     true,
     true,
     "add milestones",
     "Propose the change instead; the client accepts or declines it.",
     "Add milestone",
     &Applier::GuardAdd,
     &Applier::DoAdd},
    {ActionType::kEdit,
     "edit",
     {{"id", K::kId}, {"set", K::kSet}},
     kByClient,
     true,
     true,
     "edit milestones",
     "Propose the change instead; the client accepts or declines it.",
     "Edit",
     &Applier::GuardEdit,
     &Applier::DoEdit},
    {ActionType::kDelete,
     "delete",
     {{"id", K::kId}},
     kByClient,
     true,
     true,
     "delete milestones",
     "Propose the change instead; the client accepts or declines it.",
     "Delete",
     &Applier::GuardDelete,
     &Applier::DoDelete},
    {ActionType::kMove,
     "move",
     {{"id", K::kId}, {"toIndex", K::kToIndex}},
     kByClient,
     true,
     true,
     "reorder milestones",
     "Propose the change instead; the client accepts or declines it.",
     "Move",
     &Applier::GuardMove,
     &Applier::DoMove},
    {ActionType::kPropose,
     "propose",
     {{"actions", K::kActions}, {"message", K::kMessage}},
     kByFreelancer,
     false,
     false,
     "propose milestone changes",
     "Make the change directly; proposals are the freelancer's.",
     "Propose changes",
     &Applier::GuardPropose,
     &Applier::DoPropose},
    {ActionType::kWithdraw,
     "withdraw",
     {},
     kByFreelancer,
     false,
     false,
     "withdraw a change request",
     "Decline the request instead.",
     "Withdraw request",
     &Applier::GuardRequest,
     &Applier::DoWithdraw},
    {ActionType::kAccept,
     "accept",
     {},
     kByClient,
     false,
     false,
     "accept a change request",
     "Only the client can do this.",
     "Accept changes",
     &Applier::GuardRequest,
     &Applier::DoAccept},
    {ActionType::kDecline,
     "decline",
     {{"reason", K::kReason}},
     kByClient,
     false,
     false,
     "decline a change request",
     "Only the client can do this.",
     "Decline changes",
     &Applier::GuardDecline,
     &Applier::DoDecline},
    {ActionType::kFund,
     "fund",
     {{"id", K::kId}},
     kByClient,
     false,
     true,
     "fund milestones",
     "Only the client can do this.",
     "Fund",
     &Applier::GuardFund,
     &Applier::DoFund},
    {ActionType::kSubmit,
     "submit",
     {{"id", K::kId}, {"message", K::kMessage}},
     kByFreelancer,
     false,
     false,
     "submit work",
     "Only the freelancer submits work.",
     "Submit work",
     &Applier::GuardSubmit,
     &Applier::DoSubmit},
    {ActionType::kRequestChanges,
     "requestChanges",
     {{"id", K::kId}, {"message", K::kRequiredMessage}},
     kByClient,
     false,
     false,
     "request changes to submitted work",
     "Only the client can do this.",
     "Request changes",
     &Applier::GuardRequestChanges,
     &Applier::DoRequestChanges},
    {ActionType::kRelease,
     "release",
     {{"id", K::kId}, {"amount", K::kAmount}, {"then", K::kThen}},
     kByClient | kByMarketplace,
     false,
     false,
     "release payments",
     "Only the client can do this.",
     "Release",
     &Applier::GuardRelease,
     &Applier::DoRelease},
    {ActionType::kEnd,
     "end",
     {},
     kBoth,
     false,
     false,
     "end the contract",
     "Only the client or the freelancer can do this.",
     "End contract",
     &Applier::GuardEnd,
     &Applier::DoEnd},
    {ActionType::kRequestRefund,
     "requestRefund",
     {{"id", K::kId}, {"message", K::kMessage}},
     kByClient,
     false,
     false,
     "request a refund",
     "Only the client can do this.",
     "Request refund",
     &Applier::GuardRequestRefund,
     &Applier::DoRequestRefund},
    {ActionType::kApproveRefund,
     "approveRefund",
     {{"id", K::kId}},
     kByFreelancer | kByMarketplace,
     false,
     false,
     "approve a refund",
     "Only the freelancer answers a refund request.",
     "Approve refund",
     &Applier::GuardApproveRefund,
     &Applier::DoApproveRefund},
    {ActionType::kDeclineRefund,
     "declineRefund",
     {{"id", K::kId}, {"reason", K::kRequiredReason}},
     kByFreelancer,
     false,
     false,
     "decline a refund",
     "Only the freelancer answers a refund request.",
     "Decline refund",
     &Applier::GuardDeclineRefund,
     &Applier::DoDeclineRefund},
    {ActionType::kDispute,
     "dispute",
     {{"id", K::kId}, {"reason", K::kRequiredReason}},
     kBoth,
     false,
     false,
     "open a dispute",
     "The marketplace resolves disputes; it does not open them.",
     "Open dispute",
     &Applier::GuardDispute,
     &Applier::DoDispute},
    {ActionType::kWithdrawDispute,
     "withdrawDispute",
     {{"id", K::kId}},
     kBoth,
     false,
     false,
     "withdraw a dispute",
     "The marketplace resolves disputes; only the side that opened one withdraws it.",
     "Withdraw dispute",
     &Applier::GuardWithdrawDispute,
     &Applier::DoWithdrawDispute},
    {ActionType::kResolveDispute,
     "resolveDispute",
     {{"id", K::kId}, {"release", K::kSplitRelease}, {"refund", K::kSplitRefund}},
     kByMarketplace,
     false,
     false,
     "resolve a dispute",
     "The marketplace's mediator resolves disputes.",
     "Resolve dispute",
     &Applier::GuardResolveDispute,
     &Applier::DoResolveDispute},
};

}  // namespace

const ActionSpec& SpecOf(ActionType type) {
  for (const ActionSpec& spec : kActionSpecs) {
    if (spec.type == type) return spec;
  }
  return kActionSpecs[0];
}

const ActionSpec* FindSpec(std::string_view name) {
  for (const ActionSpec& spec : kActionSpecs) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

std::string ActionNameList() {
  std::string out;
  const size_t n = sizeof(kActionSpecs) / sizeof(kActionSpecs[0]);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += ", ";
    out += kActionSpecs[i].name;
  }
  return out;
}

bool NamesMilestone(const ActionSpec& spec) {
  for (const FieldSpec& field : spec.fields) {
    if (field.key != nullptr && field.kind == FieldKind::kId) return true;
  }
  return false;
}

unsigned RoleBit(Actor actor) {
  switch (actor) {
    case Actor::kClient:
      return kByClient;
    case Actor::kFreelancer:
      return kByFreelancer;
    case Actor::kMarketplace:
      return kByMarketplace;
  }
  return 0;
}

ContractFacts FactsOf(const Contract& contract, const Policy& policy) {
  ContractFacts facts;
  facts.any_order = policy.funding_order == FundingOrder::kAny;
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    const MilestoneState state = contract.milestones[i].state;
    const int64_t at = static_cast<int64_t>(i);
    // In any order only not_funded milestones move, and may go anywhere.
    if (state != MilestoneState::kNotFunded && !facts.any_order) facts.first_open = at + 1;
    if (IsInFlight(state)) {
      if (facts.in_flight++ == 0) facts.first_in_flight = at;
    }
    if (contract.milestones[i].dispute && facts.first_disputed < 0) facts.first_disputed = at;
    if (state == MilestoneState::kNotFunded) {
      if (facts.first_not_funded < 0) facts.first_not_funded = at;
      facts.last_not_funded = at;
    }
  }
  return facts;
}

namespace {

std::optional<Date> AddDaysTo(const std::string& date, int64_t days) {
  std::optional<Date> start = ParseDate(date);
  if (!start) return std::nullopt;
  return AddDays(*start, days);
}

}  // namespace

std::optional<Date> ReleaseDue(const Policy& policy, const Milestone& m) {
  if (policy.review_days <= 0 || m.state != MilestoneState::kSubmitted || !m.submitted_on ||
      m.refund_request || m.dispute) {
    return std::nullopt;
  }
  return AddDaysTo(*m.submitted_on, policy.review_days);
}

std::optional<Date> RefundDue(const Policy& policy, const Milestone& m) {
  if (policy.refund_response_days <= 0 || !IsInFlight(m.state) || !m.refund_request) {
    return std::nullopt;
  }
  return AddDaysTo(m.refund_request->requested_on, policy.refund_response_days);
}

bool NeedsDecision(const ContractFacts& facts, int64_t index) {
  // Only the last of the work: nothing else in flight, and no not_funded
  // milestone to come (after it, in order; anywhere, in any order).
  if (facts.in_flight > 1) return false;
  return facts.any_order ? facts.first_not_funded < 0 : facts.last_not_funded <= index;
}

FundCharge ChargeOf(const Policy& policy, const Contract& contract, const Milestone& m) {
  FundCharge charge;
  charge.amount = m.amount;
  charge.from_carry = contract.carry_over < m.amount ? contract.carry_over : m.amount;
  if (!contract.initiation_fee_charged) {
    charge.fee = contract.initiation_fee.value_or(policy.initiation_fee);
  }
  charge.total = charge.amount - charge.from_carry + charge.fee;
  return charge;
}

std::string NextMilestoneId(const Contract& contract, const Contract* taken) {
  int64_t highest = 0;
  auto scan = [&highest](const Contract& c) {
    for (const Milestone& m : c.milestones) {
      const std::string& id = m.id;
      if (id.size() < 3 || id.size() > 17 || id.compare(0, 2, "m-") != 0) continue;
      int64_t n = 0;
      bool digits = true;
      for (size_t i = 2; i < id.size() && digits; ++i) {
        digits = id[i] >= '0' && id[i] <= '9';
        n = n * 10 + (id[i] - '0');
      }
      if (digits && n > highest) highest = n;
    }
  };
  scan(contract);
  if (taken != nullptr) scan(*taken);
  return "m-" + std::to_string(highest + 1);
}

bool Admit(const Policy& policy, const ActOptions& options, const Contract& contract,
           const ContractFacts& facts, const Action& action, Actor actor, IssueList* issues,
           int64_t index_hint) {
  Applier judge(policy, options, &contract, facts);
  judge.set_index_hint(index_hint);
  int64_t index = -1;
  bool ok = true;
  if (actor == Actor::kFreelancer && SpecOf(action.type).plan_edit) {
    // The proposal it becomes, then the edit inside it as the client.
    Action propose;
    propose.type = ActionType::kPropose;
    propose.actions.push_back(action);
    ok = judge.Admit(propose, actor, "", &index) &&
         judge.Admit(action, Actor::kClient, "/actions/0", &index);
  } else {
    ok = judge.Admit(action, actor, "", &index);
  }
  Append(issues, judge.issues());
  return ok;
}

DraftStep ApplyDraft(const Policy& policy, const ActOptions& options, const Contract& contract,
                     const std::vector<Action>& actions, const Contract* taken) {
  DraftStep out;
  Applier applier(policy, options, contract, taken);
  bool ok = true;
  std::vector<Action> applied;
  if (options.actor == Actor::kFreelancer) {
    // Admitted as the proposal the edits become; its issue paths are the
    // edits' own, as the draft's are.
    Action propose;
    propose.type = ActionType::kPropose;
    propose.actions = actions;
    int64_t index = -1;
    ok = applier.Admit(propose, Actor::kFreelancer, "", &index) &&
         applier.StepEdits(actions, "", &applied);
  } else {
    ok = applier.StepEdits(actions, "", &applied);
  }
  if (ok) {
    applier.CheckResult();
    for (const Action& action : applied) {
      if (action.type == ActionType::kAdd) {
        out.touched.push_back(*action.fields.id);
      } else if (action.type == ActionType::kDelete) {
        out.removed.push_back(action.id);
      } else {
        out.touched.push_back(action.id);
      }
    }
    out.contract = std::move(applier.contract());
  }
  out.stepped = ok;
  out.issues = std::move(applier.issues());
  return out;
}

ApplyResult Engine::Apply(const Contract& contract, const std::vector<Action>& actions,
                          const ActOptions& options) const {
  Applier applier(policy_, options, contract, &contract);
  // One action's paths are relative to it; in a batch of two or more each
  // starts with the action's index (docs/rules.md, "Paths").
  const bool batch = actions.size() > 1;
  bool ok = true;
  for (size_t i = 0; i < actions.size() && ok; ++i) {
    ok = applier.Step(actions[i], options.actor, batch ? "/" + std::to_string(i) : std::string());
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
  if (catalog_) {
    catalog_->Localize(&result.issues);
    catalog_->Localize(&result.events);
  }
  return result;
}

ValidateResult Engine::Check(const Contract& contract, const std::vector<Action>& actions,
                             const ActOptions& options) const {
  ApplyResult applied = Apply(contract, actions, options);
  ValidateResult result;
  result.ok = applied.ok;
  result.issues = std::move(applied.issues);
  return result;
}

}  // namespace milestone
