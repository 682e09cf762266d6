// The action rules as a table: (client | freelancer) x every action x every
// state of the milestone the action names x (a change request pending or not).
// Every cell states its outcome; a change to a rule shows up here as a cell.

#include <gtest/gtest.h>

#include <array>
#include <iterator>
#include <string>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/engine.h"

namespace milestone {
namespace {

constexpr std::array<const char*, 5> kStates = {"not_funded", "active", "submitted", "released",
                                                "refunded"};

// m-1 is released, m-2 (the milestone every action names) is in `state`, m-3
// is a future milestone. A pending request asks to rename m-2.
std::string MatrixContract(const std::string& state, bool pending, bool ended = false) {
  const bool funded = state != "not_funded";
  const bool released = state == "released";
  std::string doc =
      R"({"id":"ctr-m","version":7,"currency":"USD","status":")" +
      std::string(ended ? "ended" : "open") +
      R"(","initiationFeeCharged":true,"carryOver":0,"milestones":[)"
      R"({"id":"m-1","title":"Design","amount":10000,"state":"released","funded":10000,"released":10000},)"
      R"({"id":"m-2","title":"Build","amount":20000,"state":")" +
      state + R"(","funded":)" + (funded ? "20000" : "0") + R"(,"released":)" +
      (released ? "20000" : "0") +
      R"(},{"id":"m-3","title":"Launch","amount":30000,"state":"not_funded","funded":0,"released":0}],)"
      R"("changeRequest":)";
  doc +=
      pending
          ? R"({"id":"cr-7","by":"freelancer","actions":[{"type":"edit","id":"m-2","set":{"title":"Renamed"}}]})"
          : "null";
  return doc + "}";
}

const char* ActionFor(ActionType type) {
  switch (type) {
    case ActionType::kAdd:
      return R"({"type":"add","milestone":{"title":"New","amount":1000}})";
    case ActionType::kEdit:
      return R"({"type":"edit","id":"m-2","set":{"amount":25000}})";
    case ActionType::kDelete:
      return R"({"type":"delete","id":"m-2"})";
    case ActionType::kMove:
      return R"({"type":"move","id":"m-2","toIndex":2})";
    case ActionType::kPropose:
      return R"({"type":"propose","actions":[{"type":"edit","id":"m-2","set":{"title":"Renamed"}}]})";
    case ActionType::kWithdraw:
      return R"({"type":"withdraw"})";
    case ActionType::kAccept:
      return R"({"type":"accept"})";
    case ActionType::kDecline:
      return R"({"type":"decline"})";
    case ActionType::kFund:
      return R"({"type":"fund","id":"m-2"})";
    case ActionType::kSubmit:
      return R"({"type":"submit","id":"m-2"})";
    case ActionType::kRequestChanges:
      return R"({"type":"requestChanges","id":"m-2","message":"Fix it"})";
    case ActionType::kRelease:
      return R"({"type":"release","id":"m-2"})";
    case ActionType::kEnd:
      return R"({"type":"end"})";
    case ActionType::kRequestRefund:
      return R"({"type":"requestRefund","id":"m-2"})";
    case ActionType::kApproveRefund:
      return R"({"type":"approveRefund","id":"m-2"})";
    case ActionType::kDeclineRefund:
      return R"({"type":"declineRefund","id":"m-2","reason":"The work was delivered."})";
    case ActionType::kDispute:
      return R"({"type":"dispute","id":"m-2","reason":"Not as agreed."})";
    case ActionType::kWithdrawDispute:
      return R"({"type":"withdrawDispute","id":"m-2"})";
    case ActionType::kResolveDispute:
      return R"({"type":"resolveDispute","id":"m-2","release":10000,"refund":10000})";
  }
  return "";
}

// Short names keep the table readable.
constexpr const char* OK = "ok";
constexpr const char* ROLE = "NOT_ALLOWED_FOR_ROLE";
constexpr const char* LOCKED = "MILESTONE_LOCKED";
constexpr const char* PENDING = "CHANGE_REQUEST_PENDING";
constexpr const char* NONE = "NO_PENDING_REQUEST";
constexpr const char* TRANS = "INVALID_TRANSITION";
constexpr const char* HELD = "ESCROW_HELD";
constexpr const char* NOREF = "NO_REFUND_REQUEST";
constexpr const char* NODISP = "NO_DISPUTE";
constexpr const char* NOTDUE = "NOT_DUE";

struct Row {
  Actor actor;
  ActionType type;
  // Per state of m-2 (not_funded, active, submitted, released, refunded).
  std::array<const char*, 5> idle;     // no request pending
  std::array<const char*, 5> pending;  // the freelancer's request waits
};

constexpr Row MarketplaceCannot(ActionType type) {
  return {
      Actor::kMarketplace, type, {ROLE, ROLE, ROLE, ROLE, ROLE}, {ROLE, ROLE, ROLE, ROLE, ROLE}};
}

const Row kRows[] = {
    // The client edits the plan directly, future milestones only, and not
    // while a request waits for an answer.
    {Actor::kClient,
     ActionType::kAdd,
     {OK, OK, OK, OK, OK},
     {PENDING, PENDING, PENDING, PENDING, PENDING}},
    {Actor::kClient,
     ActionType::kEdit,
     {OK, LOCKED, LOCKED, LOCKED, LOCKED},
     {PENDING, PENDING, PENDING, PENDING, PENDING}},
    {Actor::kClient,
     ActionType::kDelete,
     {OK, LOCKED, LOCKED, LOCKED, LOCKED},
     {PENDING, PENDING, PENDING, PENDING, PENDING}},
    {Actor::kClient,
     ActionType::kMove,
     {OK, LOCKED, LOCKED, LOCKED, LOCKED},
     {PENDING, PENDING, PENDING, PENDING, PENDING}},
    {Actor::kClient,
     ActionType::kPropose,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kClient,
     ActionType::kWithdraw,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    // Accept re-checks the request against the contract as it is now: a
    // rename of a milestone that got locked no longer passes.
    {Actor::kClient,
     ActionType::kAccept,
     {NONE, NONE, NONE, NONE, NONE},
     {OK, LOCKED, LOCKED, LOCKED, LOCKED}},
    {Actor::kClient, ActionType::kDecline, {NONE, NONE, NONE, NONE, NONE}, {OK, OK, OK, OK, OK}},
    {Actor::kClient,
     ActionType::kFund,
     {OK, TRANS, TRANS, TRANS, TRANS},
     {PENDING, PENDING, PENDING, PENDING, PENDING}},
    {Actor::kClient,
     ActionType::kSubmit,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    // Settling work already done stays open while a request waits.
    {Actor::kClient,
     ActionType::kRequestChanges,
     {TRANS, TRANS, OK, TRANS, TRANS},
     {TRANS, TRANS, OK, TRANS, TRANS}},
    {Actor::kClient,
     ActionType::kRelease,
     {TRANS, OK, OK, TRANS, TRANS},
     {TRANS, OK, OK, TRANS, TRANS}},
    // The client cannot end with escrow held (SPEC 3): settle it first.
    {Actor::kClient, ActionType::kEnd, {OK, HELD, HELD, OK, OK}, {OK, HELD, HELD, OK, OK}},
    // Refunds and disputes settle money, not the plan: open while a request waits.
    {Actor::kClient,
     ActionType::kRequestRefund,
     {TRANS, OK, OK, TRANS, TRANS},
     {TRANS, OK, OK, TRANS, TRANS}},
    {Actor::kClient,
     ActionType::kApproveRefund,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kClient,
     ActionType::kDeclineRefund,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kClient,
     ActionType::kDispute,
     {TRANS, OK, OK, TRANS, TRANS},
     {TRANS, OK, OK, TRANS, TRANS}},
    {Actor::kClient,
     ActionType::kWithdrawDispute,
     {NODISP, NODISP, NODISP, NODISP, NODISP},
     {NODISP, NODISP, NODISP, NODISP, NODISP}},
    {Actor::kClient,
     ActionType::kResolveDispute,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    // The freelancer changes the plan only by proposing.
    {Actor::kFreelancer,
     ActionType::kAdd,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kEdit,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kDelete,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kMove,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kPropose,
     {OK, LOCKED, LOCKED, LOCKED, LOCKED},
     {PENDING, PENDING, PENDING, PENDING, PENDING}},
    {Actor::kFreelancer,
     ActionType::kWithdraw,
     {NONE, NONE, NONE, NONE, NONE},
     {OK, OK, OK, OK, OK}},
    {Actor::kFreelancer,
     ActionType::kAccept,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kDecline,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kFund,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    // Submitting work is not a change to the plan: allowed while pending.
    {Actor::kFreelancer,
     ActionType::kSubmit,
     {TRANS, OK, TRANS, TRANS, TRANS},
     {TRANS, OK, TRANS, TRANS, TRANS}},
    {Actor::kFreelancer,
     ActionType::kRequestChanges,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kRelease,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer, ActionType::kEnd, {OK, OK, OK, OK, OK}, {OK, OK, OK, OK, OK}},
    {Actor::kFreelancer,
     ActionType::kRequestRefund,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    {Actor::kFreelancer,
     ActionType::kApproveRefund,
     {NOREF, NOREF, NOREF, NOREF, NOREF},
     {NOREF, NOREF, NOREF, NOREF, NOREF}},
    {Actor::kFreelancer,
     ActionType::kDeclineRefund,
     {NOREF, NOREF, NOREF, NOREF, NOREF},
     {NOREF, NOREF, NOREF, NOREF, NOREF}},
    {Actor::kFreelancer,
     ActionType::kDispute,
     {TRANS, OK, OK, TRANS, TRANS},
     {TRANS, OK, OK, TRANS, TRANS}},
    {Actor::kFreelancer,
     ActionType::kWithdrawDispute,
     {NODISP, NODISP, NODISP, NODISP, NODISP},
     {NODISP, NODISP, NODISP, NODISP, NODISP}},
    {Actor::kFreelancer,
     ActionType::kResolveDispute,
     {ROLE, ROLE, ROLE, ROLE, ROLE},
     {ROLE, ROLE, ROLE, ROLE, ROLE}},
    // The marketplace: timers and mediation only. A submitted milestone
    // without a submission date has no window running.
    MarketplaceCannot(ActionType::kAdd),
    MarketplaceCannot(ActionType::kEdit),
    MarketplaceCannot(ActionType::kDelete),
    MarketplaceCannot(ActionType::kMove),
    MarketplaceCannot(ActionType::kPropose),
    MarketplaceCannot(ActionType::kWithdraw),
    MarketplaceCannot(ActionType::kAccept),
    MarketplaceCannot(ActionType::kDecline),
    MarketplaceCannot(ActionType::kFund),
    MarketplaceCannot(ActionType::kSubmit),
    MarketplaceCannot(ActionType::kRequestChanges),
    {Actor::kMarketplace,
     ActionType::kRelease,
     {TRANS, TRANS, NOTDUE, TRANS, TRANS},
     {TRANS, TRANS, NOTDUE, TRANS, TRANS}},
    MarketplaceCannot(ActionType::kEnd),
    MarketplaceCannot(ActionType::kRequestRefund),
    {Actor::kMarketplace,
     ActionType::kApproveRefund,
     {NOREF, NOREF, NOREF, NOREF, NOREF},
     {NOREF, NOREF, NOREF, NOREF, NOREF}},
    MarketplaceCannot(ActionType::kDeclineRefund),
    MarketplaceCannot(ActionType::kDispute),
    MarketplaceCannot(ActionType::kWithdrawDispute),
    {Actor::kMarketplace,
     ActionType::kResolveDispute,
     {NODISP, NODISP, NODISP, NODISP, NODISP},
     {NODISP, NODISP, NODISP, NODISP, NODISP}},
};

std::string Outcome(const ApplyResult& result) {
  if (result.ok) return OK;
  for (const Issue& issue : result.issues) {
    if (issue.severity == Severity::kError) return issue.code;
  }
  return "refused without an error";
}

ApplyResult ApplyAs(const std::string& doc, const char* action, Actor actor) {
  Contract contract;
  IssueList read;
  EXPECT_TRUE(ParseContract(doc, &contract, &read)) << doc;
  std::vector<Action> actions;
  EXPECT_TRUE(ParseActions(action, &actions, &read)) << action;
  ActOptions options;
  options.actor = actor;
  options.now = "2026-11-27";
  return Engine().Apply(contract, actions, options);
}

TEST(ActionMatrix, EveryRoleActionStateAndPendingCell) {
  // Every (actor, action) pair has exactly one row.
  ASSERT_EQ(std::size(kRows), 3u * 19u);
  int cells = 0;
  for (const Row& row : kRows) {
    for (int pending = 0; pending < 2; ++pending) {
      for (size_t s = 0; s < kStates.size(); ++s) {
        const std::string doc = MatrixContract(kStates[s], pending == 1);
        const char* want = pending == 1 ? row.pending[s] : row.idle[s];
        SCOPED_TRACE(std::string(ActorName(row.actor)) + " " + ActionTypeName(row.type) + " on a " +
                     kStates[s] + " milestone, request " + (pending ? "pending" : "idle"));
        ApplyResult result = ApplyAs(doc, ActionFor(row.type), row.actor);
        EXPECT_EQ(Outcome(result), want);
        if (result.ok) {
          // What an action makes must validate.
          EXPECT_TRUE(Engine().Validate(result.contract, {}).ok);
          EXPECT_FALSE(result.events.empty());
        } else {
          EXPECT_EQ(ContractToJson(result.contract), ContractToJson([&] {
                      Contract c;
                      IssueList ignored;
                      ParseContract(doc, &c, &ignored);
                      return c;
                    }()));
          EXPECT_TRUE(result.events.empty());
        }
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 3 * 19 * 5 * 2);
}

TEST(ActionMatrix, EndedContractRefusesEverything) {
  // After "end", m-2 is refunded; nothing may happen any more. A role that
  // could never do the action hears that first.
  for (const Row& row : kRows) {
    for (int pending = 0; pending < 2; ++pending) {
      SCOPED_TRACE(std::string(ActorName(row.actor)) + " " + ActionTypeName(row.type));
      const std::string doc = MatrixContract("refunded", pending == 1, true);
      ApplyResult result = ApplyAs(doc, ActionFor(row.type), row.actor);
      const bool role_refuses = std::string(row.idle[0]) == ROLE;
      EXPECT_EQ(Outcome(result), role_refuses ? ROLE : "CONTRACT_ENDED");
    }
  }
}

}  // namespace
}  // namespace milestone
