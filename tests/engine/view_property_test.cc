// The view model never disagrees with Check: over seeded random valid
// contracts, for every actor and every action the view offers, `can.X.ok` is
// what Check answers for the action docs/view-model.md names, and a refusal's
// issue is the first error Check gives. The contracts hold escrow states
// (submission dates, refund requests, disputes, resolved splits) and the clock
// and the windows vary, so the marketplace's actions are sometimes due; a
// row's timer is the one timers() lists. Runs natively and as wasm.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/view.h"
#include "test_rng.h"

namespace milestone {
namespace {

using testing::Rng;

constexpr int kContracts = 1500;

// A date `back` days before 2026-12-01, the clock of most views: windows that
// started long ago have run out, recent ones still run.
std::string DaysBefore(int64_t back) {
  return FormatIsoDate(FromDayNumber(DayNumber(*ParseDate("2026-12-01")) - back));
}

Milestone MakeMilestone(Rng& rng, int n, MilestoneState state) {
  Milestone m;
  m.id = "m-" + std::to_string(n);
  m.title = "Step " + std::to_string(n);
  m.amount = 500 + rng.Below(40000);
  m.state = state;
  if (state != MilestoneState::kNotFunded) m.funded = m.amount;
  if (state == MilestoneState::kReleased) {
    m.released = 1 + rng.Below(m.amount);
    // A resolution's split: the rest went back to the client.
    if (rng.Chance(25)) m.refunded = m.funded - m.released;
  }
  if (state == MilestoneState::kRefunded) {
    m.released = rng.Below(m.amount);
    m.refunded = m.funded - m.released;
  }
  if (state == MilestoneState::kSubmitted || (IsClosed(state) && rng.Chance(30))) {
    // Older documents have no submission date: no review window runs.
    if (rng.Chance(85)) m.submitted_on = DaysBefore(rng.Below(30));
  }
  if (IsInFlight(state)) {
    const int64_t escrow = rng.Below(100);
    if (escrow < 25) {
      RefundRequest request;
      request.requested_on = DaysBefore(rng.Below(12));
      if (rng.Chance(50)) request.message = "Cancelled.";
      m.refund_request = request;
    } else if (escrow < 45) {
      Dispute dispute;
      dispute.by = rng.Chance(50) ? "client" : "freelancer";
      dispute.opened_on = DaysBefore(rng.Below(10));
      dispute.reason = "Not as agreed.";
      m.dispute = dispute;
    }
  }
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
  // The default windows, short ones, and both turned off.
  std::vector<Engine> engines;
  for (int64_t days : {14, 3, 0}) {
    Policy policy = Policy::Upwork();
    policy.review_days = days;
    policy.refund_response_days = days == 14 ? 7 : days;
    engines.emplace_back(policy);
  }
  Rng rng(20261201);
  int cases = 0;
  int valid = 0;
  // Rows where the escrow actions were open, so the generator reaches them.
  int timed = 0, disputable = 0, resolvable = 0, auto_refundable = 0, auto_releasable = 0;
  for (int round = 0; round < kContracts; ++round) {
    const Engine& engine =
        engines[static_cast<size_t>(rng.Below(static_cast<int64_t>(engines.size())))];
    const Contract contract = RandomContract(rng);
    // Mostly the day the dates are relative to; sometimes weeks later.
    const std::string now = rng.Chance(70) ? "2026-12-01" : DaysBefore(-rng.Below(30));
    if (!engine.Validate(contract, {}).ok) continue;
    ValidateOptions at;
    at.now = now;
    const std::vector<Timer> timers = engine.Timers(contract, at);
    ++valid;
    for (Actor actor : {Actor::kClient, Actor::kFreelancer, Actor::kMarketplace}) {
      ActOptions options;
      options.actor = actor;
      options.now = now;
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
        // The escrow actions (SPEC 3.1), as docs/view-model.md names them.
        agree.Expect("requestRefund", row.request_refund, Of(ActionType::kRequestRefund, id));
        agree.Expect("approveRefund", row.approve_refund, Of(ActionType::kApproveRefund, id));
        Action decline_refund = Of(ActionType::kDeclineRefund, id);
        decline_refund.reason = "The work was delivered.";
        agree.Expect("declineRefund", row.decline_refund, decline_refund);
        Action dispute = Of(ActionType::kDispute, id);
        dispute.reason = "Not as agreed.";
        agree.Expect("dispute", row.dispute, dispute);
        agree.Expect("withdrawDispute", row.withdraw_dispute, Of(ActionType::kWithdrawDispute, id));
        Action resolve = Of(ActionType::kResolveDispute, id);
        resolve.split_release = row.escrow;
        resolve.split_refund = 0;
        agree.Expect("resolveDispute", row.resolve_dispute, resolve);
        // The row's timer is the one timers() lists for the milestone.
        const Timer* listed = nullptr;
        for (const Timer& timer : timers) {
          if (timer.milestone_id == id) listed = &timer;
        }
        ASSERT_EQ(row.timer.has_value(), listed != nullptr) << id << "\n"
                                                            << ContractToJson(contract);
        if (listed != nullptr) {
          EXPECT_EQ(row.timer->kind, listed->kind);
          EXPECT_EQ(row.timer->due, listed->due);
          EXPECT_EQ(row.timer->days_left, listed->days_left);
          EXPECT_EQ(ActionToJson(row.timer->action), ActionToJson(listed->action));
          ++timed;
        }
        if (row.dispute.ok) ++disputable;
        if (row.resolve_dispute.ok) ++resolvable;
        if (row.approve_refund.ok && actor == Actor::kMarketplace) ++auto_refundable;
        if (row.release.ok && actor == Actor::kMarketplace) ++auto_releasable;
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
  EXPECT_GT(timed, 100);
  EXPECT_GT(disputable, 100);
  EXPECT_GT(resolvable, 100);
  EXPECT_GT(auto_refundable, 20);
  EXPECT_GT(auto_releasable, 20);
  std::printf(
      "view property: %d contracts, %d cases; timers %d, dispute %d, resolveDispute %d, "
      "marketplace approveRefund %d, marketplace release %d\n",
      valid, cases, timed, disputable, resolvable, auto_refundable, auto_releasable);
}

}  // namespace
}  // namespace milestone
