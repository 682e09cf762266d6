// Seeded random action sequences from both roles. After every step: the
// document validates, no cent is created or lost, the initiation fee is
// charged at most once, at most one milestone is in flight, and a refused
// action leaves the contract exactly as it was.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "test_rng.h"

namespace milestone {
namespace {

using testing::Rng;

constexpr int kSequences = 10000;
constexpr int kSteps = 16;

Contract StartContract(Rng& rng) {
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
  return c;
}

std::string PickId(Rng& rng, const Contract& c) {
  if (c.milestones.empty() || rng.Chance(8)) return "m-404";
  return c.milestones[static_cast<size_t>(rng.Below(static_cast<int64_t>(c.milestones.size())))].id;
}

// The milestone a step most likely succeeds on (the one in flight, or the
// next to fund), most of the time; any milestone otherwise.
std::string PickLikely(Rng& rng, const Contract& c, bool in_flight) {
  if (rng.Chance(70)) {
    for (const Milestone& m : c.milestones) {
      if (in_flight ? IsInFlight(m.state) : m.state == MilestoneState::kNotFunded) {
        return m.id;
      }
    }
  }
  return PickId(rng, c);
}

int64_t RandomAmount(Rng& rng) { return rng.Chance(10) ? rng.Below(600) : 500 + rng.Below(60000); }

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
      a.id = PickId(rng, c);
      if (rng.Chance(60)) a.fields.amount = RandomAmount(rng);
      if (rng.Chance(40)) a.fields.title = rng.Chance(10) ? " " : "Renamed";
      if (rng.Chance(20)) a.fields.due_date = std::optional<std::string>("2027-03-01");
      break;
    case 2:
      a.type = ActionType::kDelete;
      a.id = PickId(rng, c);
      break;
    default:
      a.type = ActionType::kMove;
      a.id = PickId(rng, c);
      a.to_index = rng.Below(size + 1);
      break;
  }
  return a;
}

Action RandomAction(Rng& rng, const Contract& c) {
  // Weighted so sequences get far: money moves often, ending is rare.
  static const ActionType kPool[] = {ActionType::kAdd,      ActionType::kEdit,
                                     ActionType::kDelete,   ActionType::kMove,
                                     ActionType::kPropose,  ActionType::kPropose,
                                     ActionType::kWithdraw, ActionType::kAccept,
                                     ActionType::kAccept,   ActionType::kDecline,
                                     ActionType::kFund,     ActionType::kFund,
                                     ActionType::kFund,     ActionType::kSubmit,
                                     ActionType::kSubmit,   ActionType::kRequestChanges,
                                     ActionType::kRelease,  ActionType::kRelease,
                                     ActionType::kRelease,  ActionType::kEnd};
  const ActionType type = kPool[rng.Below(static_cast<int64_t>(std::size(kPool)))];
  if (type == ActionType::kEnd && !rng.Chance(30)) return RandomEdit(rng, c);
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
      a.id = PickLikely(rng, c, type != ActionType::kFund);
      a.message = "Note";
      break;
    case ActionType::kRelease: {
      a.id = PickLikely(rng, c, true);
      if (rng.Chance(50)) {
        const int64_t i = FindMilestone(c, a.id);
        const int64_t funded = i >= 0 ? c.milestones[static_cast<size_t>(i)].funded : 1000;
        a.amount = rng.Below(funded + 2) - (rng.Chance(5) ? 1 : 0);
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

struct Ledger {
  int64_t charged = 0;
  int64_t released = 0;
  int64_t refunded = 0;
  int fees = 0;
};

// Empty when every invariant holds after a step; otherwise what broke.
std::string Broken(const Engine& engine, const Contract& c, const Ledger& ledger) {
  ValidateOptions no_clock;
  ValidateResult valid = engine.Validate(c, no_clock);
  if (!valid.ok) {
    return "the result does not validate: " + valid.issues[0].code + " at " + valid.issues[0].path;
  }
  int64_t escrow = 0;
  int64_t released_in_doc = 0;
  int in_flight = 0;
  for (const Milestone& m : c.milestones) {
    if (IsInFlight(m.state)) {
      ++in_flight;
      escrow += m.funded - m.released;
    }
    released_in_doc += m.released;
  }
  if (in_flight > 1) return "more than one milestone in flight";
  if (ledger.charged != ledger.released + ledger.refunded + escrow + c.carry_over) {
    return "money created or lost: charged " + std::to_string(ledger.charged) + " != released " +
           std::to_string(ledger.released) + " + refunded " + std::to_string(ledger.refunded) +
           " + escrow " + std::to_string(escrow) + " + carryOver " + std::to_string(c.carry_over);
  }
  if (released_in_doc != ledger.released) {
    return "released events disagree with the milestones";
  }
  if (ledger.fees > 1) return "the initiation fee was charged twice";
  if (c.initiation_fee_charged != (ledger.fees == 1)) {
    return "initiationFeeCharged disagrees with the feeCharged events";
  }
  if (c.carry_over < 0) return "negative carryOver";
  return "";
}

// Runs one seeded sequence; empty when it held throughout.
std::string RunSequence(const Engine& engine, uint64_t seed, std::vector<int>* applied) {
  Rng rng(seed);
  Contract contract = StartContract(rng);
  Ledger ledger;
  ActOptions options;
  options.now = "2026-11-27";  // submit records its date
  for (int step = 0; step < kSteps; ++step) {
    if (contract.status == ContractStatus::kEnded) break;
    std::vector<Action> actions;
    for (int64_t n = rng.Chance(15) ? 2 : 1; n > 0; --n) {
      actions.push_back(RandomAction(rng, contract));
    }
    // Mostly the role that may do the first action, so sequences get far;
    // sometimes the other, so refusals are exercised too.
    const ActionType first = actions[0].type;
    const bool freelancer_acts = first == ActionType::kPropose || first == ActionType::kWithdraw ||
                                 first == ActionType::kSubmit;
    const bool right_role = first == ActionType::kEnd || rng.Chance(85);
    options.actor = freelancer_acts == right_role ? Actor::kFreelancer : Actor::kClient;
    const std::string before = ContractToJson(contract);
    ApplyResult result = engine.Apply(contract, actions, options);
    const std::string where = "step " + std::to_string(step) + " (" + ActorName(options.actor) +
                              " " + ActionsToJson(actions) + "): ";
    if (ContractToJson(contract) != before) return where + "input modified";
    if (!result.ok) {
      if (NoErrors(result.issues)) return where + "refused without an error";
      if (!result.events.empty()) return where + "events from a refusal";
      if (ContractToJson(result.contract) != before) {
        return where + "a refusal changed the contract";
      }
      continue;
    }
    ++(*applied)[static_cast<size_t>(actions[0].type)];
    if (result.events.empty()) return where + "no events";
    if (result.contract.version != contract.version) {
      return where + "the engine changed version";
    }
    for (const Event& e : result.events) {
      const int64_t amount = e.amount.value_or(0);
      if (e.message.empty()) return where + "an event without a message";
      if (e.type == "charged") ledger.charged += amount;
      if (e.type == "released") ledger.released += amount;
      if (e.type == "refunded") ledger.refunded += amount;
      if (e.type == "feeCharged") ++ledger.fees;
    }
    std::string broken = Broken(engine, result.contract, ledger);
    if (!broken.empty()) return where + broken;
    contract = std::move(result.contract);
  }
  return "";
}

TEST(ActionProperty, RandomSequencesKeepEveryInvariant) {
  const Engine engine;
  // Successful steps by the type of their first action.
  std::vector<int> applied(static_cast<size_t>(ActionType::kEnd) + 1, 0);
  for (uint64_t seed = 1; seed <= kSequences; ++seed) {
    const std::string broken = RunSequence(engine, seed, &applied);
    if (!broken.empty()) {
      ADD_FAILURE() << "seed " << seed << ": " << broken;
      std::printf("failing seed: %llu\n", static_cast<unsigned long long>(seed));
      return;
    }
  }
  // The sequences must exercise every action, not only its refusals.
  int total = 0;
  for (size_t type = 0; type < applied.size(); ++type) {
    EXPECT_GT(applied[type], 200) << ActionTypeName(static_cast<ActionType>(type));
    total += applied[type];
  }
  EXPECT_GT(total, kSequences * 3);
}

}  // namespace
}  // namespace milestone
