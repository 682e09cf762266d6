// Seeded random action sequences by the client, the freelancer and the
// marketplace, with a clock that moves on between steps so review and refund
// windows run out. After every step: the document validates, no cent is
// created or lost (charged = released + refunded + escrow + carryOver, counted
// from the events), no milestone pays out more than it was funded, a
// resolution splits exactly the escrow, an approved refund or a resolution
// never touches carryOver, a timer is due exactly when the marketplace's
// Check accepts its action, the initiation fee is charged at most once, and a
// refused action leaves the contract exactly as it was.
//
// 100,000 sequences natively (a few seconds); fewer as wasm and under the
// sanitizers, where a step costs several times more. The environment variable
// MILESTONE_PROPERTY_SEQUENCES overrides the count (a failing seed replays:
// the generator is splitmix64, the same on every target).

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fixture_loader.h"
#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/policy.h"
#include "test_rng.h"

#if defined(__SANITIZE_ADDRESS__)
#define MILESTONE_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define MILESTONE_TEST_SANITIZED 1
#endif
#endif

namespace milestone {
namespace {

using testing::Rng;

#if defined(__EMSCRIPTEN__)
constexpr int kDefaultSequences = 20000;
#elif defined(MILESTONE_TEST_SANITIZED)
constexpr int kDefaultSequences = 10000;
#else
constexpr int kDefaultSequences = 100000;
#endif
constexpr int kSteps = 20;

int Sequences() {
  if (const char* env = std::getenv("MILESTONE_PROPERTY_SEQUENCES")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return kDefaultSequences;
}

// What the sequences did, beyond the count of each applied action type.
struct Tally {
  std::vector<int> applied = std::vector<int>(static_cast<size_t>(ActionType::kResolveDispute) + 1);
  int auto_releases = 0;        // release by the marketplace
  int auto_refunds = 0;         // approveRefund by the marketplace
  int partial_resolutions = 0;  // both parts > 0
  int refusals = 0;
  int due_timers = 0;  // timers whose action Check accepted
};

const Milestone* Find(const Contract& c, const std::string& id) {
  const int64_t i = FindMilestone(c, id);
  return i < 0 ? nullptr : &c.milestones[static_cast<size_t>(i)];
}

Contract StartContract(Rng& rng, int64_t* charged) {
  Contract c;
  c.id = "ctr-prop";
  c.version = 3;
  if (rng.Chance(50)) c.initiation_fee = rng.Below(1000);
  const int64_t count = 1 + rng.Below(4);
  for (int64_t i = 1; i <= count; ++i) {
    Milestone m;
    m.id = "m-" + std::to_string(i);
    m.title = "Step " + std::to_string(i);
    m.amount = 500 + rng.Below(50000);
    c.milestones.push_back(std::move(m));
  }
  if (rng.Chance(10)) {
    // A document from before the escrow fields: work already funded, or
    // submitted without a submittedOn (so no review window runs on it).
    Milestone& first = c.milestones[0];
    first.state = rng.Chance(50) ? MilestoneState::kActive : MilestoneState::kSubmitted;
    first.funded = first.amount;
    c.initiation_fee_charged = true;
    *charged = first.amount;
  }
  return c;
}

std::string PickId(Rng& rng, const Contract& c) {
  if (c.milestones.empty() || rng.Chance(6)) return "m-404";
  return c.milestones[static_cast<size_t>(rng.Below(static_cast<int64_t>(c.milestones.size())))].id;
}

// The milestone a step most likely succeeds on (the one in flight, or the
// next to fund), most of the time; any milestone otherwise.
std::string PickLikely(Rng& rng, const Contract& c, bool in_flight) {
  if (rng.Chance(75)) {
    for (const Milestone& m : c.milestones) {
      if (in_flight ? IsInFlight(m.state) : m.state == MilestoneState::kNotFunded) {
        return m.id;
      }
    }
  }
  return PickId(rng, c);
}

// Any future milestone, mostly: the ones the plan may change.
std::string PickFuture(Rng& rng, const Contract& c) {
  if (rng.Chance(75)) {
    std::vector<const Milestone*> future;
    for (const Milestone& m : c.milestones) {
      if (m.state == MilestoneState::kNotFunded) future.push_back(&m);
    }
    if (!future.empty()) {
      return future[static_cast<size_t>(rng.Below(static_cast<int64_t>(future.size())))]->id;
    }
  }
  return PickId(rng, c);
}

int64_t RandomAmount(Rng& rng) { return rng.Chance(10) ? rng.Below(600) : 500 + rng.Below(60000); }

// A required text, blank now and then (refused with SCHEMA).
std::string Said(Rng& rng, const char* text) { return rng.Chance(4) ? " " : text; }

Action RandomEdit(Rng& rng, const Contract& c) {
  Action a;
  const int64_t size = static_cast<int64_t>(c.milestones.size());
  switch (rng.Below(4)) {
    case 0:
      a.type = ActionType::kAdd;
      a.fields.title = rng.Chance(5) ? "" : "Extra";
      a.fields.amount = RandomAmount(rng);
      if (rng.Chance(50)) a.index = rng.Below(size + 2) - (rng.Chance(10) ? 1 : 0);
      break;
    case 1:
      a.type = ActionType::kEdit;
      a.id = PickFuture(rng, c);
      if (rng.Chance(60)) a.fields.amount = RandomAmount(rng);
      if (rng.Chance(40)) a.fields.title = rng.Chance(10) ? " " : "Renamed";
      if (rng.Chance(20)) a.fields.due_date = std::optional<std::string>("2027-03-01");
      break;
    case 2:
      a.type = ActionType::kDelete;
      a.id = PickFuture(rng, c);
      break;
    default:
      a.type = ActionType::kMove;
      a.id = PickFuture(rng, c);
      a.to_index = rng.Below(size + 1);
      break;
  }
  return a;
}

// A split of `escrow`: whole, nothing, anywhere between, 70/30, or (rarely)
// one that does not add up or has a negative part.
void RandomSplit(Rng& rng, int64_t escrow, Action* a) {
  const int64_t kind = rng.Below(20);
  int64_t release = 0;
  if (kind < 3) {
    release = escrow;
  } else if (kind < 6) {
    release = 0;
  } else if (kind < 14) {
    release = rng.Below(escrow + 1);
  } else if (kind < 18) {
    release = escrow * 7 / 10;
  } else {
    release = rng.Below(escrow + 2);
    a->split_release = release;
    a->split_refund = escrow - release + (rng.Chance(50) ? 1 : -1);
    return;
  }
  a->split_release = release;
  a->split_refund = escrow - release;
}

Action RandomAction(Rng& rng, const Contract& c) {
  // Weighted so sequences get far: money moves often, ending is rare.
  static const ActionType kPool[] = {ActionType::kAdd,
                                     ActionType::kEdit,
                                     ActionType::kDelete,
                                     ActionType::kMove,
                                     ActionType::kPropose,
                                     ActionType::kPropose,
                                     ActionType::kWithdraw,
                                     ActionType::kAccept,
                                     ActionType::kAccept,
                                     ActionType::kDecline,
                                     ActionType::kFund,
                                     ActionType::kFund,
                                     ActionType::kFund,
                                     ActionType::kFund,
                                     ActionType::kSubmit,
                                     ActionType::kSubmit,
                                     ActionType::kSubmit,
                                     ActionType::kRequestChanges,
                                     ActionType::kRelease,
                                     ActionType::kRelease,
                                     ActionType::kRelease,
                                     ActionType::kEnd,
                                     ActionType::kRequestRefund,
                                     ActionType::kRequestRefund,
                                     ActionType::kApproveRefund,
                                     ActionType::kDeclineRefund,
                                     ActionType::kDispute,
                                     ActionType::kDispute,
                                     ActionType::kWithdrawDispute,
                                     ActionType::kResolveDispute,
                                     ActionType::kResolveDispute};
  ActionType type = kPool[rng.Below(static_cast<int64_t>(std::size(kPool)))];
  if (type == ActionType::kEnd && !rng.Chance(30)) return RandomEdit(rng, c);
  // Mostly what the contract's state allows: the answer it waits for, and
  // seldom an answer to nothing, so sequences get far and refusals stay a
  // minority.
  bool in_flight = false, disputed = false, refund_asked = false, future = false;
  for (const Milestone& m : c.milestones) {
    in_flight |= IsInFlight(m.state);
    future |= m.state == MilestoneState::kNotFunded;
    disputed |= m.dispute.has_value();
    refund_asked |= m.refund_request.has_value();
  }
  const bool answers_dispute =
      type == ActionType::kWithdrawDispute || type == ActionType::kResolveDispute;
  const bool answers_refund =
      type == ActionType::kApproveRefund || type == ActionType::kDeclineRefund;
  const bool answers_request =
      type == ActionType::kAccept || type == ActionType::kDecline || type == ActionType::kWithdraw;
  if (disputed && rng.Chance(35)) {
    type = rng.Chance(40) ? ActionType::kWithdrawDispute : ActionType::kResolveDispute;
  } else if (refund_asked && rng.Chance(35)) {
    type = rng.Chance(50) ? ActionType::kApproveRefund : ActionType::kDeclineRefund;
  } else if (c.change_request && rng.Chance(25)) {
    type = rng.Chance(60)   ? ActionType::kAccept
           : rng.Chance(50) ? ActionType::kDecline
                            : ActionType::kWithdraw;
  } else if (!rng.Chance(20)) {
    if (answers_dispute && !disputed) type = ActionType::kDispute;
    if (answers_refund && !refund_asked) type = ActionType::kRequestRefund;
    if (answers_request && !c.change_request) type = ActionType::kPropose;
    // Every type from submit on, end aside, acts on work in flight.
    const bool needs_flight = type >= ActionType::kSubmit && type != ActionType::kEnd;
    if (needs_flight && !in_flight) type = ActionType::kFund;
    if (type == ActionType::kFund && !future) return RandomEdit(rng, c);
  }
  Action a;
  a.type = type;
  switch (type) {
    case ActionType::kAdd:
    case ActionType::kEdit:
    case ActionType::kDelete:
    case ActionType::kMove:
      return RandomEdit(rng, c);
    case ActionType::kPropose:
      for (int64_t n = 1 + rng.Below(3); n > 0; --n) {
        a.actions.push_back(RandomEdit(rng, c));
      }
      break;
    case ActionType::kFund:
    case ActionType::kSubmit:
    case ActionType::kRequestChanges:
    case ActionType::kRequestRefund:
      a.id = PickLikely(rng, c, type != ActionType::kFund);
      a.message = "Note";
      break;
    case ActionType::kApproveRefund:
    case ActionType::kWithdrawDispute:
      a.id = PickLikely(rng, c, true);
      break;
    case ActionType::kDeclineRefund:
    case ActionType::kDispute:
      a.id = PickLikely(rng, c, true);
      a.reason = Said(rng, "Not as agreed");
      break;
    case ActionType::kResolveDispute: {
      a.id = PickLikely(rng, c, true);
      const Milestone* m = Find(c, a.id);
      RandomSplit(rng, m != nullptr ? EscrowOf(*m) : 1000, &a);
      break;
    }
    case ActionType::kRelease: {
      a.id = PickLikely(rng, c, true);
      if (rng.Chance(50)) {
        const Milestone* m = Find(c, a.id);
        const int64_t escrow = m != nullptr ? EscrowOf(*m) : 1000;
        a.amount = rng.Below(escrow + 2) - (rng.Chance(5) ? 1 : 0);
      }
      const int64_t pick = rng.Below(3);
      a.then = pick == 0 ? "" : pick == 1 ? "end" : "keepOpen";
      break;
    }
    default:
      break;
  }
  return a;
}

// Who would send the action, mostly; now and then anyone, so role refusals
// are exercised too.
Actor ActorFor(Rng& rng, const Action& a, const Contract& c) {
  static const Actor kAll[] = {Actor::kClient, Actor::kFreelancer, Actor::kMarketplace};
  if (rng.Chance(10)) return kAll[rng.Below(3)];
  switch (a.type) {
    case ActionType::kPropose:
    case ActionType::kWithdraw:
    case ActionType::kSubmit:
    case ActionType::kDeclineRefund:
      return Actor::kFreelancer;
    case ActionType::kApproveRefund:
      return rng.Chance(60) ? Actor::kFreelancer : Actor::kMarketplace;
    case ActionType::kResolveDispute:
      return Actor::kMarketplace;
    case ActionType::kRelease:
      return rng.Chance(80) ? Actor::kClient : Actor::kMarketplace;
    case ActionType::kEnd:
    case ActionType::kDispute:
      return rng.Chance(50) ? Actor::kClient : Actor::kFreelancer;
    case ActionType::kWithdrawDispute: {
      const Milestone* m = Find(c, a.id);
      if (m != nullptr && m->dispute && rng.Chance(85)) {
        return m->dispute->by == "client" ? Actor::kClient : Actor::kFreelancer;
      }
      return rng.Chance(50) ? Actor::kClient : Actor::kFreelancer;
    }
    default:
      return Actor::kClient;
  }
}

std::string NextDay(Rng& rng, const std::string& today) {
  const int64_t pick = rng.Below(100);
  const int64_t days = pick < 45   ? 0
                       : pick < 75 ? 1 + rng.Below(3)
                       : pick < 93 ? 4 + rng.Below(5)
                                   : 10 + rng.Below(11);
  return FormatIsoDate(*AddDays(*ParseDate(today), days));
}

struct Ledger {
  int64_t charged = 0;
  int64_t released = 0;
  int64_t refunded = 0;             // to the client: escrow and unused deposit
  int64_t refunded_milestones = 0;  // the part refunded from milestones' escrow
  int fees = 0;
};

// Empty when every invariant of a document holds; otherwise what broke.
std::string Broken(const Engine& engine, const Contract& c, const Ledger& ledger) {
  ValidateOptions no_clock;
  ValidateResult valid = engine.Validate(c, no_clock);
  if (!valid.ok) {
    return "the result does not validate: " + valid.issues[0].code + " at " + valid.issues[0].path;
  }
  int64_t escrow = 0;
  int64_t released_in_doc = 0;
  int64_t refunded_in_doc = 0;
  int in_flight = 0;
  for (const Milestone& m : c.milestones) {
    if (m.released < 0 || m.refunded < 0 || m.released + m.refunded > m.funded) {
      return m.id + " paid out more than it was funded";
    }
    if (IsInFlight(m.state)) {
      ++in_flight;
      escrow += m.funded - m.released - m.refunded;
    }
    released_in_doc += m.released;
    refunded_in_doc += m.refunded;
  }
  if (in_flight > engine.policy().max_in_flight) return "more milestones in flight than allowed";
  if (ledger.charged != ledger.released + ledger.refunded + escrow + c.carry_over) {
    return "money created or lost: charged " + std::to_string(ledger.charged) + " != released " +
           std::to_string(ledger.released) + " + refunded " + std::to_string(ledger.refunded) +
           " + escrow " + std::to_string(escrow) + " + carryOver " + std::to_string(c.carry_over);
  }
  if (released_in_doc != ledger.released) return "released events disagree with the milestones";
  if (refunded_in_doc != ledger.refunded_milestones) {
    return "refunded events disagree with the milestones: " + std::to_string(refunded_in_doc) +
           " != " + std::to_string(ledger.refunded_milestones);
  }
  if (ledger.fees > 1) return "the initiation fee was charged twice";
  if (c.initiation_fee_charged != (ledger.fees == 1)) {
    return "initiationFeeCharged disagrees with the feeCharged events";
  }
  if (c.carry_over < 0) return "negative carryOver";
  return "";
}

// Every running window is due exactly when the marketplace may apply its
// action now: a timer that says 0 days left is accepted, any other NOT_DUE.
std::string TimersAgree(const Engine& engine, const Contract& c, const std::string& now,
                        Tally* tally) {
  ValidateOptions at;
  at.now = now;
  ActOptions market;
  market.actor = Actor::kMarketplace;
  market.now = now;
  for (const Timer& timer : engine.Timers(c, at)) {
    const ValidateResult check = engine.Check(c, {timer.action}, market);
    const bool due = timer.days_left == 0 && !(*ParseDate(now) < *ParseDate(timer.due));
    if (check.ok != due) {
      return "timer " + timer.kind + " of " + timer.milestone_id + " due " + timer.due + " (" +
             std::to_string(timer.days_left) + " days left) but Check says " +
             (check.ok ? "ok" : check.issues[0].code);
    }
    if (!due && check.issues[0].code != "NOT_DUE") {
      return "a running timer refused with " + check.issues[0].code + ", not NOT_DUE";
    }
    if (due) ++tally->due_timers;
  }
  return "";
}

// The money one successful single action moved for milestone `id`.
struct Moved {
  int64_t released = 0;
  int64_t refunded = 0;
};

Moved MovedFor(const std::vector<Event>& events, const std::string& id) {
  Moved moved;
  for (const Event& e : events) {
    if (e.milestone_id != id) continue;
    if (e.type == "released") moved.released += e.amount.value_or(0);
    if (e.type == "refunded") moved.refunded += e.amount.value_or(0);
  }
  return moved;
}

// What one successful step must have done, by the type of its only action.
std::string StepBroken(const Contract& before, const Contract& after, const Action& action,
                       const ActOptions& options, const std::vector<Event>& events, Tally* tally) {
  const Actor actor = options.actor;
  const std::string& today = options.now;
  const Milestone* was = Find(before, action.id);
  const Milestone* now = Find(after, action.id);
  switch (action.type) {
    case ActionType::kResolveDispute: {
      const int64_t escrow = EscrowOf(*was);
      const Moved moved = MovedFor(events, action.id);
      if (moved.released + moved.refunded != escrow ||
          action.split_release.value_or(0) + action.split_refund.value_or(0) != escrow) {
        return "a resolution's parts do not sum to the escrow of " + std::to_string(escrow);
      }
      if (moved.released != action.split_release.value_or(0)) return "resolution paid otherwise";
      if (after.carry_over != before.carry_over) return "a resolution moved carryOver";
      const MilestoneState expected =
          moved.released > 0 ? MilestoneState::kReleased : MilestoneState::kRefunded;
      if (now->state != expected || now->dispute) return "a resolution left the wrong state";
      if (moved.released > 0 && moved.refunded > 0) ++tally->partial_resolutions;
      break;
    }
    case ActionType::kApproveRefund: {
      if (MovedFor(events, action.id).refunded != EscrowOf(*was)) {
        return "an approved refund did not return the whole escrow";
      }
      if (after.carry_over != before.carry_over) return "an approved refund moved carryOver";
      if (now->state != MilestoneState::kRefunded || now->refund_request) {
        return "an approved refund left the wrong state";
      }
      if (actor == Actor::kMarketplace) ++tally->auto_refunds;
      break;
    }
    case ActionType::kRelease:
      if (actor == Actor::kMarketplace) {
        if (was->state != MilestoneState::kSubmitted || !was->submitted_on) {
          return "the marketplace released work without a review window";
        }
        if (MovedFor(events, action.id).released != EscrowOf(*was)) {
          return "the marketplace released part of the escrow";
        }
        if (after.status != ContractStatus::kOpen) return "the marketplace ended the contract";
        ++tally->auto_releases;
      }
      break;
    case ActionType::kSubmit:
      if (now->submitted_on != today) return "submit did not record today";
      break;
    case ActionType::kRequestChanges:
      if (now->submitted_on) return "requestChanges kept submittedOn";
      break;
    case ActionType::kWithdrawDispute:
      if (now->dispute || now->state != was->state || now->submitted_on != was->submitted_on) {
        return "withdrawing a dispute did not restore the milestone";
      }
      break;
    case ActionType::kDeclineRefund:
      if (now->refund_request || !now->dispute || now->dispute->by != "freelancer") {
        return "a declined refund did not open the freelancer's dispute";
      }
      break;
    default:
      break;
  }
  return "";
}

bool SameMoneyAndStates(const Contract& a, const Contract& b) {
  if (a.status != b.status || a.carry_over != b.carry_over ||
      a.initiation_fee_charged != b.initiation_fee_charged ||
      a.milestones.size() != b.milestones.size() ||
      a.change_request.has_value() != b.change_request.has_value()) {
    return false;
  }
  for (size_t i = 0; i < a.milestones.size(); ++i) {
    const Milestone& x = a.milestones[i];
    const Milestone& y = b.milestones[i];
    if (x.id != y.id || x.state != y.state || x.amount != y.amount || x.funded != y.funded ||
        x.released != y.released || x.refunded != y.refunded || x.submitted_on != y.submitted_on ||
        x.refund_request.has_value() != y.refund_request.has_value() ||
        x.dispute.has_value() != y.dispute.has_value()) {
      return false;
    }
  }
  return true;
}

// Runs one seeded sequence; empty when it held throughout.
std::string RunSequence(const std::vector<Engine>& engines, uint64_t seed, Tally* tally) {
  Rng rng(seed);
  // Short windows too, and each one turned off, so they run out (or never do).
  const Engine& engine =
      engines[static_cast<size_t>(rng.Below(static_cast<int64_t>(engines.size())))];
  Ledger ledger;
  Contract contract = StartContract(rng, &ledger.charged);
  if (contract.initiation_fee_charged) ledger.fees = 1;
  ActOptions options;
  options.now = "2026-11-27";
  for (int step = 0; step < kSteps; ++step) {
    if (contract.status == ContractStatus::kEnded) break;
    options.now = NextDay(rng, options.now);
    std::vector<Action> actions;
    if (rng.Chance(12)) {
      // The marketplace's scheduler: what timers() lists, due or not yet.
      ValidateOptions at;
      at.now = options.now;
      const std::vector<Timer> timers = engine.Timers(contract, at);
      if (!timers.empty()) {
        actions.push_back(
            timers[static_cast<size_t>(rng.Below(static_cast<int64_t>(timers.size())))].action);
      }
    }
    if (actions.empty()) actions.push_back(RandomAction(rng, contract));
    if (rng.Chance(12)) actions.push_back(RandomAction(rng, contract));
    options.actor = actions[0].type == ActionType::kRelease && actions[0].then.empty() &&
                            !actions[0].amount && rng.Chance(50)
                        ? Actor::kMarketplace
                        : ActorFor(rng, actions[0], contract);
    // The whole document is compared as text on every eighth step (it costs
    // more than the step), its money and states on every one.
    const bool whole = step % 8 == 0;
    const std::string before = whole ? ContractToJson(contract) : std::string();
    ApplyResult result = engine.Apply(contract, actions, options);
    auto where = [&] {
      return "step " + std::to_string(step) + " on " + options.now + " (" +
             ActorName(options.actor) + " " + ActionsToJson(actions) + "): ";
    };
    if (whole && ContractToJson(contract) != before) return where() + "input modified";
    if (!result.ok) {
      ++tally->refusals;
      if (NoErrors(result.issues)) return where() + "refused without an error";
      if (!result.events.empty()) return where() + "events from a refusal";
      if (!SameMoneyAndStates(result.contract, contract) ||
          (whole && ContractToJson(result.contract) != before)) {
        return where() + "a refusal changed the contract";
      }
      continue;
    }
    ++tally->applied[static_cast<size_t>(actions[0].type)];
    if (result.events.empty()) return where() + "no events";
    if (result.contract.version != contract.version) return where() + "the engine changed version";
    for (const Event& e : result.events) {
      const int64_t amount = e.amount.value_or(0);
      if (e.message.empty()) return where() + "an event without a message";
      if (e.type == "charged") ledger.charged += amount;
      if (e.type == "released") ledger.released += amount;
      if (e.type == "refunded") {
        ledger.refunded += amount;
        if (!e.milestone_id.empty()) ledger.refunded_milestones += amount;
      }
      if (e.type == "feeCharged") ++ledger.fees;
    }
    std::string broken = Broken(engine, result.contract, ledger);
    if (broken.empty() && actions.size() == 1) {
      broken = StepBroken(contract, result.contract, actions[0], options, result.events, tally);
    }
    if (broken.empty()) broken = TimersAgree(engine, result.contract, options.now, tally);
    if (!broken.empty()) return where() + broken;
    contract = std::move(result.contract);
  }
  return "";
}

// The policy files the package ships (engine/policies).
std::vector<std::pair<std::string, Policy>> ShippedPolicies() {
  std::vector<std::pair<std::string, Policy>> out;
  for (const char* name : {"upwork", "parallel"})
    out.emplace_back(name, testing::ShippedPolicy(name));
  return out;
}

void RunUnder(const Policy& base, int sequences);

TEST(ActionProperty, RandomSequencesKeepEveryInvariant) { RunUnder(Policy::Upwork(), Sequences()); }

// Every shipped policy (SPEC 1.3, issue "Policies for any marketplace"):
// several milestones in flight, funded in any order, hold the same ledger.
TEST(ActionProperty, EveryShippedPolicyKeepsTheLedger) {
  for (const auto& [name, policy] : ShippedPolicies()) {
    SCOPED_TRACE(name);
    std::printf("policy %s: ", name.c_str());
    RunUnder(policy, Sequences() / 2);
  }
}

void RunUnder(const Policy& base, int sequences) {
  std::vector<Engine> engines;
  for (int64_t review : {14, 3, 1, 0}) {
    for (int64_t refund : {7, 2, 0}) {
      Policy policy = base;
      policy.review_days = review;
      policy.refund_response_days = refund;
      engines.emplace_back(policy);
    }
  }
  Tally tally;
  for (uint64_t seed = 1; seed <= static_cast<uint64_t>(sequences); ++seed) {
    const std::string broken = RunSequence(engines, seed, &tally);
    if (!broken.empty()) {
      ADD_FAILURE() << "seed " << seed << ": " << broken;
      std::printf("failing seed: %llu\n", static_cast<unsigned long long>(seed));
      return;
    }
  }
  // The sequences must exercise every action, not only its refusals: each
  // type is applied in at least one sequence in a hundred.
  const int least = sequences / 100;
  int total = 0;
  std::printf("action property: %d sequences, %d refusals;", sequences, tally.refusals);
  for (size_t type = 0; type < tally.applied.size(); ++type) {
    const char* name = ActionTypeName(static_cast<ActionType>(type));
    std::printf(" %s %d", name, tally.applied[type]);
    EXPECT_GT(tally.applied[type], least) << name;
    total += tally.applied[type];
  }
  std::printf(
      "; automatic releases %d, automatic refunds %d, partial resolutions %d, "
      "due timers %d\n",
      tally.auto_releases, tally.auto_refunds, tally.partial_resolutions, tally.due_timers);
  EXPECT_GT(tally.auto_releases, least);
  EXPECT_GT(tally.auto_refunds, least);
  EXPECT_GT(tally.partial_resolutions, least);
  EXPECT_GT(total, sequences * 4);
}

}  // namespace
}  // namespace milestone
