// Escrow over time (SPEC 3.1): review windows and automatic release, refund
// requests, disputes and their resolution, the new `end`, timers, the escrow
// fields read and written back exactly, and the view model of each.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "milestone/view.h"

namespace milestone {
namespace {

// m-1 released, m-2 in `state` (funded 120000) with `escrow` fields spliced
// in, m-3 a future milestone unless `last`.
std::string Doc(const std::string& state, const std::string& escrow = "", bool last = false) {
  std::string doc =
      R"({"id":"ctr-e","version":2,"currency":"USD","status":"open","initiationFeeCharged":true,)"
      R"("carryOver":0,"milestones":[)"
      R"({"id":"m-1","title":"Design","description":"","dueDate":null,"amount":50000,"state":"released",)"
      R"("funded":50000,"released":50000},)"
      R"({"id":"m-2","title":"Build","description":"","dueDate":null,"amount":120000,"state":")" +
      state + R"(","funded":120000,"released":0)" + escrow + "}";
  if (!last) {
    doc += R"(,{"id":"m-3","title":"Launch","description":"","dueDate":null,"amount":30000,)"
           R"("state":"not_funded","funded":0,"released":0})";
  }
  return doc + R"(],"changeRequest":null})";
}

Contract Read(const std::string& text) {
  Contract c;
  IssueList issues;
  EXPECT_TRUE(ParseContract(text, &c, &issues)) << text;
  return c;
}

ApplyResult Act(const Contract& c, const std::string& action, Actor actor,
                const std::string& now = "2026-12-01", const Policy& policy = Policy::Upwork()) {
  std::vector<Action> actions;
  IssueList issues;
  EXPECT_TRUE(ParseActions(action, &actions, &issues)) << action;
  ActOptions options;
  options.actor = actor;
  options.now = now;
  return Engine(policy).Apply(c, actions, options);
}

std::string FirstCode(const ApplyResult& r) {
  for (const Issue& issue : r.issues) {
    if (issue.severity == Severity::kError) return issue.code;
  }
  return r.ok ? "ok" : "refused without an error";
}

std::string FirstPath(const ApplyResult& r) { return r.issues.empty() ? "" : r.issues[0].path; }

std::vector<std::string> EventTypes(const ApplyResult& r) {
  std::vector<std::string> types;
  for (const Event& e : r.events) types.push_back(e.type);
  return types;
}

const Milestone& M2(const Contract& c) { return c.milestones[1]; }

TEST(Escrow, SubmitRecordsTheDateAndRequestChangesClearsIt) {
  ApplyResult submitted =
      Act(Read(Doc("active")), R"({"type":"submit","id":"m-2"})", Actor::kFreelancer);
  ASSERT_TRUE(submitted.ok) << FirstCode(submitted);
  EXPECT_EQ(M2(submitted.contract).submitted_on, "2026-12-01");
  EXPECT_NE(submitted.events[0].message.find("released automatically on Dec 15, 2026"),
            std::string::npos)
      << submitted.events[0].message;

  ApplyResult back =
      Act(submitted.contract, R"({"type":"requestChanges","id":"m-2","message":"Add tests"})",
          Actor::kClient, "2026-12-03");
  ASSERT_TRUE(back.ok);
  EXPECT_FALSE(M2(back.contract).submitted_on.has_value());
  // The document never had the field: it is left out again.
  EXPECT_EQ(ContractToJson(back.contract).find("submittedOn"), std::string::npos);

  ApplyResult no_clock =
      Act(Read(Doc("active")), R"({"type":"submit","id":"m-2"})", Actor::kFreelancer, "");
  EXPECT_EQ(FirstCode(no_clock), "SCHEMA");
  EXPECT_EQ(FirstPath(no_clock), "/options/now");
}

TEST(Escrow, TheMarketplaceReleasesAfterTheReviewWindowAndNotBefore) {
  const Contract c = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01")", /*last=*/true));
  const std::string release = R"({"type":"release","id":"m-2"})";
  ApplyResult early = Act(c, release, Actor::kMarketplace, "2026-12-14");
  EXPECT_EQ(FirstCode(early), "NOT_DUE");
  EXPECT_NE(early.issues[0].message.find("Dec 15, 2026"), std::string::npos);

  ApplyResult due = Act(c, release, Actor::kMarketplace, "2026-12-15");
  ASSERT_TRUE(due.ok) << FirstCode(due);
  EXPECT_EQ(M2(due.contract).state, MilestoneState::kReleased);
  EXPECT_EQ(M2(due.contract).released, 120000);
  // The last milestone: the contract stays open, the decision is the client's.
  EXPECT_EQ(due.contract.status, ContractStatus::kOpen);
  EXPECT_EQ(EventTypes(due), std::vector<std::string>{"released"});

  EXPECT_EQ(FirstCode(Act(c, R"({"type":"release","id":"m-2","then":"end"})", Actor::kMarketplace,
                          "2026-12-20")),
            "SCHEMA");
  EXPECT_EQ(FirstCode(Act(c, R"({"type":"release","id":"m-2","amount":100})", Actor::kMarketplace,
                          "2026-12-20")),
            "RELEASE_EXCEEDS_ESCROW");
  // Automatic release off.
  Policy off;
  off.review_days = 0;
  EXPECT_EQ(FirstCode(Act(c, release, Actor::kMarketplace, "2027-06-01", off)), "NOT_DUE");
  // Active work is never released by the marketplace.
  EXPECT_EQ(FirstCode(Act(Read(Doc("active")), release, Actor::kMarketplace)),
            "INVALID_TRANSITION");
}

TEST(Escrow, TimersSayWhatIsDueAndTheirActionIsAccepted) {
  const Engine engine;
  const Contract c = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01")"));
  ValidateOptions at;
  at.now = "2026-12-10";
  std::vector<Timer> timers = engine.Timers(c, at);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].milestone_id, "m-2");
  EXPECT_EQ(timers[0].kind, "autoRelease");
  EXPECT_EQ(timers[0].due, "2026-12-15");
  EXPECT_EQ(timers[0].days_left, 5);
  EXPECT_EQ(timers[0].message, "Releases automatically on Dec 15, 2026 unless you act.");
  EXPECT_EQ(ActionToJson(timers[0].action), R"({"type":"release","id":"m-2"})");
  at.now = "2026-12-31";
  timers = engine.Timers(c, at);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].days_left, 0);
  ActOptions market;
  market.actor = Actor::kMarketplace;
  market.now = at.now;
  EXPECT_TRUE(engine.Apply(c, {timers[0].action}, market).ok);

  // A refund request runs the freelancer's answer window instead.
  const Contract asked = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01",)"
                                               R"("refundRequest":{"requestedOn":"2026-12-02"})"));
  at.now = "2026-12-03";
  timers = engine.Timers(asked, at);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].kind, "autoRefund");
  EXPECT_EQ(timers[0].due, "2026-12-09");
  EXPECT_EQ(timers[0].days_left, 6);
  EXPECT_EQ(ActionToJson(timers[0].action), R"({"type":"approveRefund","id":"m-2"})");

  // A dispute stops every clock; an ended contract has none.
  const Contract frozen =
      Read(Doc("submitted", R"(,"submittedOn":"2026-12-01",)"
                            R"("dispute":{"by":"client","openedOn":"2026-12-02","reason":"No"})"));
  EXPECT_TRUE(engine.Timers(frozen, at).empty());
}

TEST(Escrow, RefundApprovedByTheFreelancerOrGrantedWhenUnanswered) {
  ApplyResult asked =
      Act(Read(Doc("active")), R"({"type":"requestRefund","id":"m-2","message":"Cancelled"})",
          Actor::kClient);
  ASSERT_TRUE(asked.ok) << FirstCode(asked);
  ASSERT_TRUE(M2(asked.contract).refund_request.has_value());
  EXPECT_EQ(M2(asked.contract).refund_request->requested_on, "2026-12-01");
  EXPECT_EQ(EventTypes(asked), std::vector<std::string>{"refundRequested"});
  // A second request, a release and a submit wait for the answer.
  EXPECT_EQ(
      FirstCode(Act(asked.contract, R"({"type":"requestRefund","id":"m-2"})", Actor::kClient)),
      "REFUND_PENDING");
  EXPECT_EQ(FirstCode(Act(asked.contract, R"({"type":"release","id":"m-2"})", Actor::kClient)),
            "REFUND_PENDING");
  EXPECT_EQ(FirstCode(Act(asked.contract, R"({"type":"submit","id":"m-2"})", Actor::kFreelancer)),
            "REFUND_PENDING");

  ApplyResult approved =
      Act(asked.contract, R"({"type":"approveRefund","id":"m-2"})", Actor::kFreelancer);
  ASSERT_TRUE(approved.ok);
  EXPECT_EQ(M2(approved.contract).state, MilestoneState::kRefunded);
  EXPECT_EQ(M2(approved.contract).refunded, 120000);
  EXPECT_FALSE(M2(approved.contract).refund_request.has_value());
  ASSERT_EQ(EventTypes(approved), std::vector<std::string>{"refunded"});
  EXPECT_EQ(approved.events[0].amount, 120000);
  // The client may now end: nothing is held.
  EXPECT_TRUE(Act(approved.contract, R"({"type":"end"})", Actor::kClient).ok);

  const std::string grant = R"({"type":"approveRefund","id":"m-2"})";
  EXPECT_EQ(FirstCode(Act(asked.contract, grant, Actor::kMarketplace, "2026-12-07")), "NOT_DUE");
  ApplyResult granted = Act(asked.contract, grant, Actor::kMarketplace, "2026-12-08");
  ASSERT_TRUE(granted.ok) << FirstCode(granted);
  EXPECT_EQ(M2(granted.contract).refunded, 120000);
}

TEST(Escrow, DeclineOpensADisputeAndAResolutionSplitsExactly) {
  const Contract asked = Read(Doc(
      "submitted", R"(,"submittedOn":"2026-11-20","refundRequest":{"requestedOn":"2026-11-30"})"));
  EXPECT_EQ(FirstCode(Act(asked, R"({"type":"declineRefund","id":"m-2","reason":"  "})",
                          Actor::kFreelancer)),
            "SCHEMA");
  ApplyResult declined =
      Act(asked, R"({"type":"declineRefund","id":"m-2","reason":"The work was delivered."})",
          Actor::kFreelancer);
  ASSERT_TRUE(declined.ok) << FirstCode(declined);
  EXPECT_EQ(EventTypes(declined), (std::vector<std::string>{"refundDeclined", "disputeOpened"}));
  const Milestone& m = M2(declined.contract);
  EXPECT_FALSE(m.refund_request.has_value());
  ASSERT_TRUE(m.dispute.has_value());
  EXPECT_EQ(m.dispute->by, "freelancer");
  EXPECT_EQ(m.dispute->opened_on, "2026-12-01");

  // Frozen: nothing moves the money but the marketplace.
  for (const auto& [action, actor] : std::vector<std::pair<std::string, Actor>>{
           {R"({"type":"release","id":"m-2"})", Actor::kClient},
           {R"({"type":"release","id":"m-2"})", Actor::kMarketplace},
           {R"({"type":"requestChanges","id":"m-2","message":"More"})", Actor::kClient},
           {R"({"type":"requestRefund","id":"m-2"})", Actor::kClient},
           {R"({"type":"dispute","id":"m-2","reason":"Again"})", Actor::kClient},
           {R"({"type":"end"})", Actor::kClient},
           {R"({"type":"end"})", Actor::kFreelancer}}) {
    SCOPED_TRACE(action);
    EXPECT_EQ(FirstCode(Act(declined.contract, action, actor, "2027-01-30")), "DISPUTE_OPEN");
  }
  // Only the side that opened it withdraws it.
  EXPECT_EQ(
      FirstCode(Act(declined.contract, R"({"type":"withdrawDispute","id":"m-2"})", Actor::kClient)),
      "NO_DISPUTE");

  const std::string wrong =
      R"({"type":"resolveDispute","id":"m-2","release":84000,"refund":35999})";
  EXPECT_EQ(FirstCode(Act(declined.contract, wrong, Actor::kMarketplace)), "RESOLUTION_MISMATCH");
  EXPECT_EQ(FirstCode(Act(declined.contract,
                          R"({"type":"resolveDispute","id":"m-2","release":84000,"refund":36000})",
                          Actor::kClient)),
            "NOT_ALLOWED_FOR_ROLE");
  ApplyResult resolved = Act(
      declined.contract, R"({"type":"resolveDispute","id":"m-2","release":84000,"refund":36000})",
      Actor::kMarketplace);
  ASSERT_TRUE(resolved.ok) << FirstCode(resolved);
  const Milestone& r = M2(resolved.contract);
  EXPECT_EQ(r.state, MilestoneState::kReleased);
  EXPECT_EQ(r.released, 84000);
  EXPECT_EQ(r.refunded, 36000);
  EXPECT_FALSE(r.dispute.has_value());
  EXPECT_EQ(resolved.contract.carry_over, 0);
  EXPECT_EQ(EventTypes(resolved),
            (std::vector<std::string>{"disputeResolved", "released", "refunded"}));

  // Through the C++ API a part may be negative: the guard refuses it, not only the ledger.
  {
    Action split;
    split.type = ActionType::kResolveDispute;
    split.id = "m-2";
    split.split_release = -1;
    split.split_refund = 120001;
    ActOptions market;
    market.actor = Actor::kMarketplace;
    market.now = "2026-12-01";
    EXPECT_EQ(FirstCode(Engine().Apply(declined.contract, {split}, market)), "RESOLUTION_MISMATCH");
  }
  ApplyResult all_back =
      Act(declined.contract, R"({"type":"resolveDispute","id":"m-2","release":0,"refund":120000})",
          Actor::kMarketplace);
  ASSERT_TRUE(all_back.ok);
  EXPECT_EQ(M2(all_back.contract).state, MilestoneState::kRefunded);
}

// Every escrow step's event and refusal says what it was made from (SPEC 2 `params`).
std::string ParamNames(const Params& params) {
  std::string names;
  for (const Param& p : params) names += (names.empty() ? "" : ",") + p.name;
  return names;
}

TEST(Escrow, StepsAndRefusalsCarryTheirParams) {
  const Contract c = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01")"));
  ApplyResult opened =
      Act(c, R"({"type":"dispute","id":"m-2","reason":"Late"})", Actor::kFreelancer);
  ASSERT_TRUE(opened.ok);
  EXPECT_EQ(ParamNames(opened.events[0].params), "title,amount,by,reason");
  EXPECT_EQ(opened.events[0].params[1].number, 120000);
  ApplyResult early = Act(c, R"({"type":"release","id":"m-2"})", Actor::kMarketplace, "2026-12-02");
  ASSERT_EQ(FirstCode(early), "NOT_DUE");
  EXPECT_EQ(ParamNames(early.issues[0].params), "title,due,action");
  EXPECT_EQ(early.issues[0].params[1].text, "2026-12-15");
  ApplyResult resolved =
      Act(opened.contract, R"({"type":"resolveDispute","id":"m-2","release":1,"refund":119999})",
          Actor::kMarketplace);
  ASSERT_TRUE(resolved.ok);
  for (const Event& e : resolved.events) EXPECT_FALSE(e.params.empty()) << e.type;
}

TEST(Escrow, WithdrawingADisputeRestoresTheMilestone) {
  const Contract c = Read(Doc("active"));
  ApplyResult opened =
      Act(c, R"({"type":"dispute","id":"m-2","reason":"Missed the deadline"})", Actor::kClient);
  ASSERT_TRUE(opened.ok) << FirstCode(opened);
  EXPECT_EQ(M2(opened.contract).dispute->by, "client");
  ApplyResult withdrawn =
      Act(opened.contract, R"({"type":"withdrawDispute","id":"m-2"})", Actor::kClient);
  ASSERT_TRUE(withdrawn.ok);
  EXPECT_EQ(ContractToJson(withdrawn.contract).find("\"dispute\":{"), std::string::npos);
  EXPECT_EQ(M2(withdrawn.contract).state, MilestoneState::kActive);
  EXPECT_TRUE(Act(withdrawn.contract, R"({"type":"release","id":"m-2"})", Actor::kClient).ok);
}

TEST(Escrow, AfterAWithdrawnDisputeTheReviewWindowCountsFromTheSubmission) {
  // Submitted on Dec 1 (due Dec 15), frozen from Dec 5 to Dec 20: once the
  // dispute is gone the window has run out, and the marketplace may release.
  const Contract c = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01")"));
  ApplyResult opened = Act(c, R"({"type":"dispute","id":"m-2","reason":"Unfinished"})",
                           Actor::kClient, "2026-12-05");
  ASSERT_TRUE(opened.ok) << FirstCode(opened);
  EXPECT_TRUE(Engine().Timers(opened.contract, {}).empty());
  ApplyResult withdrawn = Act(opened.contract, R"({"type":"withdrawDispute","id":"m-2"})",
                              Actor::kClient, "2026-12-20");
  ASSERT_TRUE(withdrawn.ok) << FirstCode(withdrawn);
  EXPECT_EQ(M2(withdrawn.contract).submitted_on, "2026-12-01");
  ValidateOptions at;
  at.now = "2026-12-20";
  const std::vector<Timer> timers = Engine().Timers(withdrawn.contract, at);
  ASSERT_EQ(timers.size(), 1u);
  EXPECT_EQ(timers[0].due, "2026-12-15");
  EXPECT_EQ(timers[0].days_left, 0);
  EXPECT_TRUE(
      Act(withdrawn.contract, R"({"type":"release","id":"m-2"})", Actor::kMarketplace, "2026-12-20")
          .ok);
}

TEST(Escrow, SubmittedWorkFromBeforeSubmittedOnHasNoReviewWindow) {
  const Contract old = Read(Doc("submitted"));
  ValidateOptions at;
  at.now = "2027-06-01";
  EXPECT_TRUE(Engine().Timers(old, at).empty());
  EXPECT_EQ(
      FirstCode(Act(old, R"({"type":"release","id":"m-2"})", Actor::kMarketplace, "2027-06-01")),
      "NOT_DUE");
  // The client still releases it.
  EXPECT_TRUE(Act(old, R"({"type":"release","id":"m-2"})", Actor::kClient).ok);
}

TEST(Escrow, EndIsRefusedWhileEscrowIsHeldByTheClientAndRefundsByTheFreelancer) {
  const Contract c = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01")"));
  ApplyResult client = Act(c, R"({"type":"end"})", Actor::kClient);
  EXPECT_EQ(FirstCode(client), "ESCROW_HELD");
  EXPECT_EQ(client.issues[0].milestone_id, "m-2");
  ApplyResult freelancer = Act(c, R"({"type":"end"})", Actor::kFreelancer);
  ASSERT_TRUE(freelancer.ok);
  EXPECT_EQ(M2(freelancer.contract).state, MilestoneState::kRefunded);
  EXPECT_EQ(M2(freelancer.contract).refunded, 120000);
  EXPECT_TRUE(Engine().Validate(freelancer.contract, {}).ok);
}

TEST(Escrow, FieldsAreValidated) {
  const Engine engine;
  auto codes_of = [&](const std::string& doc) {
    std::vector<std::string> out;
    for (const Issue& i : engine.Validate(doc, {}).issues) out.push_back(i.code + " " + i.path);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(codes_of(Doc("active", R"(,"submittedOn":"2026-12-01")")),
            V{"INVALID_ESCROW_STATE /milestones/1/submittedOn"});
  EXPECT_EQ(codes_of(Doc("submitted", R"(,"submittedOn":"2026-02-30")")),
            V{"INVALID_ESCROW_STATE /milestones/1/submittedOn"});
  EXPECT_EQ(codes_of(Doc("submitted", R"(,"submittedOn":17)")),
            V{"SCHEMA /milestones/1/submittedOn"});
  EXPECT_EQ(codes_of(Doc("active", R"(,"refundRequest":{"requestedOn":"2026-13-01"})")),
            V{"INVALID_ESCROW_STATE /milestones/1/refundRequest/requestedOn"});
  EXPECT_EQ(
      codes_of(Doc("active", R"(,"refundRequest":{"requestedOn":"2026-12-01"},)"
                             R"("dispute":{"by":"client","openedOn":"2026-12-01","reason":"x"})")),
      V{"INVALID_ESCROW_STATE /milestones/1/refundRequest"});
  EXPECT_EQ(codes_of(Doc("active",
                         R"(,"dispute":{"by":"mediator","openedOn":"2026-12-01","reason":"x"})")),
            V{"SCHEMA /milestones/1/dispute/by"});
  EXPECT_EQ(codes_of(Doc("active", R"(,"dispute":{"by":"client","reason":"x"})")),
            V{"SCHEMA /milestones/1/dispute/openedOn"});
  // On m-1, which is released: a closed milestone holds no request or dispute.
  auto splice = [](std::string doc, const std::string& what, const std::string& with) {
    return doc.replace(doc.find(what), what.size(), with);
  };
  const std::string closed =
      splice(Doc("active"), R"("released":50000})",
             R"("released":50000,"refundRequest":{"requestedOn":"2026-12-01"}})");
  EXPECT_EQ(codes_of(closed), V{"INVALID_ESCROW_STATE /milestones/0/refundRequest"});
  // refunded counts in the ledger.
  EXPECT_EQ(codes_of(Doc("active", R"(,"refunded":1)")), V{});
  const std::string over =
      splice(Doc("active"), R"("released":50000})", R"("released":50000,"refunded":1})");
  EXPECT_EQ(codes_of(over), V{"LEDGER_MISMATCH /milestones/0/refunded"});
  const std::string future = splice(Doc("active"), R"("funded":0,"released":0})",
                                    R"("funded":0,"released":0,"refunded":5})");
  EXPECT_EQ(codes_of(future), V{"LEDGER_MISMATCH /milestones/2/refunded"});
  // Unknown fields inside the escrow objects are kept, with a warning.
  EXPECT_EQ(codes_of(Doc("active", R"(,"refundRequest":{"requestedOn":"2026-12-01","x":1})")),
            V{"UNKNOWN_FIELD /milestones/1/refundRequest/x"});
}

TEST(Escrow, FieldsAreWrittenBackExactly) {
  for (
      const std::string& doc :
      {Doc("submitted",
           R"(,"submittedOn":"2026-12-01","refunded":0,"refundRequest":null,"dispute":null)"),
       Doc("submitted",
           R"(,"submittedOn":"2026-12-01","refundRequest":{"requestedOn":"2026-12-02","message":"Stop","x":[1]})"),
       Doc("active",
           R"(,"dispute":{"by":"freelancer","openedOn":"2026-12-02","reason":"Late pay"})"),
       Doc("active")}) {
    SCOPED_TRACE(doc);
    EXPECT_EQ(ContractToJson(Read(doc)), doc);
  }
  // An impossible refunded milestone (released > funded) gains no field either.
  const std::string impossible =
      R"({"id":"c","version":1,"currency":"USD","status":"open","initiationFeeCharged":true,)"
      R"("carryOver":0,"milestones":[{"id":"m-1","title":"A","description":"","dueDate":null,)"
      R"("amount":500,"state":"refunded","funded":500,"released":600}],"changeRequest":null})";
  EXPECT_EQ(ContractToJson(Read(impossible)), impossible);
  // A refunded milestone from before the field: refunded is what went back,
  // and the document is still written as it came.
  std::string old = Doc("refunded");
  const Contract c = Read(old);
  EXPECT_EQ(M2(c).refunded, 120000);
  EXPECT_EQ(ContractToJson(c), old);
}

TEST(Escrow, TheViewShowsEachActionTheTimerAndTheFigures) {
  const Engine engine;
  const Contract c = Read(Doc("submitted", R"(,"submittedOn":"2026-12-01")"));
  ActOptions options;
  options.now = "2026-12-05";
  options.actor = Actor::kClient;
  View client = Describe(engine, c, options);
  const RowView& row = client.milestones[1];
  EXPECT_TRUE(row.release.ok);
  EXPECT_TRUE(row.request_refund.ok);
  EXPECT_TRUE(row.dispute.ok);
  EXPECT_FALSE(row.withdraw_dispute.ok);
  EXPECT_EQ(row.withdraw_dispute.issue->code, "NO_DISPUTE");
  EXPECT_FALSE(row.approve_refund.ok);
  EXPECT_EQ(row.approve_refund.issue->code, "NOT_ALLOWED_FOR_ROLE");
  ASSERT_TRUE(row.timer.has_value());
  EXPECT_EQ(row.timer->days_left, 10);
  EXPECT_FALSE(client.contract.end.ok);
  EXPECT_EQ(client.contract.end.issue->code, "ESCROW_HELD");

  options.actor = Actor::kMarketplace;
  View market = Describe(engine, c, options);
  EXPECT_FALSE(market.milestones[1].release.ok);
  EXPECT_EQ(market.milestones[1].release.issue->code, "NOT_DUE");
  EXPECT_EQ(market.milestones[1].resolve_dispute.issue->code, "NO_DISPUTE");
  options.now = "2026-12-15";
  EXPECT_TRUE(Describe(engine, c, options).milestones[1].release.ok);

  const Contract disputed =
      Read(Doc("active", R"(,"dispute":{"by":"client","openedOn":"2026-12-02","reason":"Late"})"));
  View mediator = Describe(engine, disputed, options);
  EXPECT_TRUE(mediator.milestones[1].resolve_dispute.ok);
  EXPECT_EQ(mediator.milestones[1].escrow, 120000);
  const std::string json = ViewToJson(mediator);
  EXPECT_NE(json.find(R"("dispute":{"by":"client","openedOn":"2026-12-02","reason":"Late")"),
            std::string::npos);
  EXPECT_NE(json.find(R"("resolveDispute":{"ok":true)"), std::string::npos);
}

}  // namespace
}  // namespace milestone
