// The view model never disagrees with Check: over seeded random valid
// contracts, for every actor and every action the view offers, `can.X.ok` is
// what Check answers for the action docs/view-model.md names, and a refusal's
// issue is the first error Check gives. Runs natively and as wasm.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "milestone/engine.h"
#include "milestone/view.h"
#include "test_rng.h"

namespace milestone {
namespace {

using testing::Rng;

constexpr int kContracts = 1500;

Milestone MakeMilestone(Rng& rng, int n, MilestoneState state) {
  Milestone m;
  m.id = "m-" + std::to_string(n);
  m.title = "Step " + std::to_string(n);
  m.amount = 500 + rng.Below(40000);
  m.state = state;
  if (state != MilestoneState::kNotFunded) m.funded = m.amount;
  if (state == MilestoneState::kReleased) m.released = 1 + rng.Below(m.amount);
  if (state == MilestoneState::kRefunded) m.released = rng.Below(m.amount);
  if (rng.Chance(20)) m.due_date = "2027-0" + std::to_string(1 + rng.Below(9)) + "-15";
  return m;
}

// Closed milestones, at most one in flight, then future ones: valid under the
// default policy by construction (checked by the test all the same).
Contract RandomContract(Rng& rng) {
  Contract c;
  c.id = "ctr-view";
  c.version = rng.Below(9);
  c.initiation_fee_charged = rng.Chance(50);
  int n = 0;
  const int64_t closed = rng.Below(3);
  for (int64_t i = 0; i < closed; ++i) {
    c.milestones.push_back(MakeMilestone(
        rng, ++n, rng.Chance(80) ? MilestoneState::kReleased : MilestoneState::kRefunded));
  }
  const bool ended = rng.Chance(8);
  if (!ended && rng.Chance(60)) {
    c.milestones.push_back(MakeMilestone(
        rng, ++n, rng.Chance(50) ? MilestoneState::kActive : MilestoneState::kSubmitted));
  }
  const int64_t future = rng.Below(4);
  for (int64_t i = 0; i < future; ++i) {
    c.milestones.push_back(MakeMilestone(rng, ++n, MilestoneState::kNotFunded));
  }
  if (ended) c.status = ContractStatus::kEnded;
  if (!ended && rng.Chance(30)) c.carry_over = rng.Below(3000);
  if (!ended && rng.Chance(25)) {
    ChangeRequest request;
    request.id = "cr-1";
    Action action;
    if (future > 0 && rng.Chance(60)) {
      action.type = ActionType::kEdit;
      action.id = c.milestones.back().id;
      action.fields.amount = 500 + rng.Below(9000);
    } else {
      action.type = ActionType::kAdd;
      action.fields.id = "m-" + std::to_string(n + 1);
      action.fields.title = "Proposed";
      action.fields.amount = rng.Chance(90) ? 900 : 100;  // 100: accept fails now
    }
    request.actions.push_back(action);
    c.change_request = request;
  }
  return c;
}

Action Of(ActionType type, const std::string& id = "") {
  Action a;
  a.type = type;
  a.id = id;
  return a;
}

// The action as the actor sends it: a freelancer's plan edit as a proposal.
std::vector<Action> AsSent(const Action& action, Actor actor) {
  const bool plan = action.type == ActionType::kAdd || action.type == ActionType::kEdit ||
                    action.type == ActionType::kDelete || action.type == ActionType::kMove;
  if (actor != Actor::kFreelancer || !plan) return {action};
  Action propose = Of(ActionType::kPropose);
  propose.actions.push_back(action);
  return {propose};
}

std::string FirstError(const ValidateResult& result) {
  for (const Issue& issue : result.issues) {
    if (issue.severity == Severity::kError) return issue.code;
  }
  return "";
}

class Agreement {
 public:
  Agreement(const Engine& engine, const Contract& contract, const ActOptions& options)
      : engine_(engine), contract_(contract), options_(options) {}

  void Expect(const char* what, const Can& can, const Action& action) {
    ++cases;
    const ValidateResult check = engine_.Check(contract_, AsSent(action, options_.actor), options_);
    const std::string code = can.issue ? can.issue->code : "";
    if (check.ok != can.ok || (!can.ok && FirstError(check) != code)) {
      ++disagreements;
      if (disagreements <= 5) {
        ADD_FAILURE() << what << " as " << ActorName(options_.actor) << ": can.ok=" << can.ok
                      << " (" << code << "), check.ok=" << check.ok << " (" << FirstError(check)
                      << ")\n"
                      << ContractToJson(contract_);
      }
    }
  }

  int cases = 0;
  int disagreements = 0;

 private:
  const Engine& engine_;
  const Contract& contract_;
  const ActOptions& options_;
};

TEST(ViewPropertyTest, EveryCanAgreesWithCheck) {
  const Engine engine;
  Rng rng(20261201);
  int cases = 0;
  int valid = 0;
  for (int round = 0; round < kContracts; ++round) {
    const Contract contract = RandomContract(rng);
    if (!engine.Validate(contract, {}).ok) continue;
    ++valid;
    for (Actor actor : {Actor::kClient, Actor::kFreelancer, Actor::kMarketplace}) {
      ActOptions options;
      options.actor = actor;
      options.now = "2026-12-01";
      const View view = Describe(engine, contract, options);
      ASSERT_TRUE(view.ok);
      ASSERT_EQ(view.milestones.size(), contract.milestones.size());
      Agreement agree(engine, contract, options);
      const ContractView& cv = view.contract;

      Action add = Of(ActionType::kAdd);
      add.fields.title = "New milestone";
      add.fields.amount = engine.policy().DefaultCurrency().minimum_amount;
      add.index = cv.add_range.to;
      agree.Expect("add", cv.add, add);
      agree.Expect("end", cv.end, Of(ActionType::kEnd));
      agree.Expect("withdraw", cv.withdraw, Of(ActionType::kWithdraw));
      agree.Expect("accept", cv.accept, Of(ActionType::kAccept));
      agree.Expect("decline", cv.decline, Of(ActionType::kDecline));
      for (const Milestone& m : contract.milestones) {
        if (m.state != MilestoneState::kNotFunded) continue;
        Action edit = Of(ActionType::kEdit, m.id);
        edit.fields.title = m.title;
        Action propose = Of(ActionType::kPropose);
        propose.actions.push_back(edit);
        agree.Expect("propose", cv.propose, propose);
        break;
      }

      for (const RowView& row : view.milestones) {
        const std::string& id = row.milestone.id;
        Action edit = Of(ActionType::kEdit, id);
        edit.fields.title = row.milestone.title;
        agree.Expect("edit", row.edit, edit);
        agree.Expect("delete", row.remove, Of(ActionType::kDelete, id));
        agree.Expect("fund", row.fund, Of(ActionType::kFund, id));
        agree.Expect("submit", row.submit, Of(ActionType::kSubmit, id));
        Action changes = Of(ActionType::kRequestChanges, id);
        changes.message = "Please fix the layout.";
        agree.Expect("requestChanges", row.request_changes, changes);
        Action release = Of(ActionType::kRelease, id);
        if (row.release_needs_decision) release.then = "keepOpen";
        agree.Expect("release", row.release, release);
        // Every position, inside the range and out of it.
        const int64_t n = static_cast<int64_t>(contract.milestones.size());
        for (int64_t to = -1; to <= n; ++to) {
          Action move = Of(ActionType::kMove, id);
          move.to_index = to;
          const bool inside = to >= row.move_range.from && to <= row.move_range.to;
          Can expected = row.move;
          if (row.move.ok && !inside) {
            // Refused for the position alone: Check must refuse too.
            const ValidateResult check = engine.Check(contract, AsSent(move, actor), options);
            ++agree.cases;
            EXPECT_FALSE(check.ok) << "move of " << id << " to " << to << " outside the range";
            continue;
          }
          agree.Expect("move", expected, move);
        }
        if (row.fund.ok) {
          // The charge the view shows is what funding charges.
          const ApplyResult funded = engine.Apply(contract, {Of(ActionType::kFund, id)}, options);
          ASSERT_TRUE(funded.ok);
          int64_t charged = 0;
          for (const Event& event : funded.events) {
            if (event.amount && (event.type == "charged" || event.type == "feeCharged")) {
              charged += *event.amount;
            }
          }
          EXPECT_EQ(charged, row.charge.total);
        }
      }
      EXPECT_EQ(agree.disagreements, 0);
      cases += agree.cases;
    }
  }
  EXPECT_GT(valid, kContracts * 9 / 10);
  EXPECT_GE(cases, 10000);
  std::printf("view property: %d contracts, %d cases\n", valid, cases);
}

}  // namespace
}  // namespace milestone
