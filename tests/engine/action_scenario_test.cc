// The article's sentences as scenarios, the money of SPEC 3 to the cent, the
// paths of issues, and the action JSON format.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "milestone/action.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"

namespace milestone {
namespace {

// Design (released), Build (active, $1,200.00), Launch ($300.00, future).
const char kContract[] = R"({"id":"ctr-1001","version":4,"currency":"USD","status":"open",
  "initiationFee":299,"initiationFeeCharged":true,"carryOver":0,"milestones":[
  {"id":"m-1","title":"Wireframes","dueDate":"2026-12-15","amount":50000,"state":"released","funded":50000,"released":50000},
  {"id":"m-2","title":"Build","description":"API and UI","dueDate":"2027-01-10","amount":120000,"state":"active","funded":120000,"released":0},
  {"id":"m-3","title":"Launch","dueDate":null,"amount":30000,"state":"not_funded","funded":0,"released":0}],
  "changeRequest":null})";

// Two future milestones, nothing funded yet.
const char kFresh[] = R"({"id":"ctr-2","version":0,"currency":"USD","status":"open",
  "initiationFeeCharged":false,"carryOver":0,"milestones":[
  {"id":"m-1","title":"Build","amount":120000,"state":"not_funded","funded":0,"released":0},
  {"id":"m-2","title":"Launch","amount":30000,"state":"not_funded","funded":0,"released":0}],
  "changeRequest":null})";

Contract Doc(const char* text) {
  Contract c;
  IssueList issues;
  EXPECT_TRUE(ParseContract(text, &c, &issues));
  return c;
}

class Session {
 public:
  explicit Session(const char* doc) : contract_(Doc(doc)) {}

  // Applies `action_json` as `actor`; on success the contract moves on.
  ApplyResult Do(Actor actor, const std::string& action_json) {
    std::vector<Action> actions;
    IssueList issues;
    EXPECT_TRUE(ParseActions(action_json, &actions, &issues)) << action_json;
    ActOptions options;
    options.actor = actor;
    options.now = "2026-11-27";
    ApplyResult result = engine_.Apply(contract_, actions, options);
    if (result.ok) contract_ = result.contract;
    return result;
  }

  const Contract& contract() const { return contract_; }
  const Milestone& milestone(const char* id) const {
    return contract_.milestones[static_cast<size_t>(FindMilestone(contract_, id))];
  }

 private:
  Engine engine_;
  Contract contract_;
};

std::vector<std::string> Codes(const ApplyResult& r) {
  std::vector<std::string> out;
  for (const Issue& i : r.issues) {
    if (i.severity == Severity::kError) out.push_back(i.code);
  }
  return out;
}

std::vector<std::string> Types(const ApplyResult& r) {
  std::vector<std::string> out;
  for (const Event& e : r.events) out.push_back(e.type);
  return out;
}

using Strings = std::vector<std::string>;

// "You can release a partial milestone payment ... and any remaining funds
// can be used to fund the next milestone."
TEST(ActionScenario, PartialReleaseFundsTheNextMilestone) {
  Session s(kContract);
  ApplyResult r = s.Do(Actor::kClient, R"({"type":"release","id":"m-2","amount":100000})");
  ASSERT_TRUE(r.ok) << Codes(r).size();
  EXPECT_EQ(Types(r), Strings({"released"}));
  EXPECT_EQ(r.events[0].amount, 100000);
  EXPECT_EQ(r.events[0].message,
            "Released $1,000.00 for “Build”. The remaining $200.00 stays in "
            "escrow for the next milestone.");
  EXPECT_EQ(s.milestone("m-2").state, MilestoneState::kReleased);
  EXPECT_EQ(s.milestone("m-2").released, 100000);
  EXPECT_EQ(s.contract().carry_over, 20000);

  r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"charged"}));  // the fee was paid before
  EXPECT_EQ(r.events[0].amount, 10000);       // $300.00 - $200.00 carried
  EXPECT_EQ(r.events[0].message,
            "Funded “Launch”: $100.00 charged to escrow and $200.00 paid from "
            "the previous milestone's unused deposit.");
  EXPECT_EQ(s.contract().carry_over, 0);
  EXPECT_EQ(s.milestone("m-3").funded, 30000);
}

TEST(ActionScenario, CarryOverLargerThanTheNextMilestoneStaysForLater) {
  Session s(kContract);
  ASSERT_TRUE(s.Do(Actor::kClient, R"({"type":"release","id":"m-2","amount":1})").ok);
  EXPECT_EQ(s.contract().carry_over, 119999);
  ApplyResult r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.events[0].amount, 0);
  EXPECT_EQ(s.contract().carry_over, 89999);
}

// "Before you can activate and fund an additional milestone, you must release
// funds on the current milestone." "Milestones are sequential."
TEST(ActionScenario, ReleaseTheCurrentMilestoneBeforeFundingTheNext) {
  Session s(kContract);
  ApplyResult r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})");
  EXPECT_EQ(Codes(r), Strings({"FUND_WHILE_IN_FLIGHT"}));
  EXPECT_EQ(r.issues[0].path, "/id");
  EXPECT_EQ(r.issues[0].milestone_id, "m-3");
  ASSERT_TRUE(
      s.Do(Actor::kClient, R"({"type":"add","milestone":{"title":"Docs","amount":5000}})").ok);
  ASSERT_TRUE(s.Do(Actor::kClient, R"({"type":"release","id":"m-2"})").ok);
  r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-4"})");
  EXPECT_EQ(Codes(r), Strings({"FUND_NOT_NEXT"}));
  EXPECT_TRUE(s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})").ok);
}

// "You only pay a contract initiation fee at the beginning of a new contract."
TEST(ActionScenario, InitiationFeeOnlyWithTheFirstFunding) {
  Session s(kFresh);
  ApplyResult r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-1"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"charged", "feeCharged"}));
  EXPECT_EQ(r.events[0].message, "Funded “Build”: $1,200.00 charged to escrow.");
  EXPECT_EQ(r.events[1].amount, 299);  // the policy's: the document has none
  EXPECT_TRUE(s.contract().initiation_fee_charged);
  ASSERT_TRUE(s.Do(Actor::kClient, R"({"type":"release","id":"m-1"})").ok);
  r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-2"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"charged"}));
}

TEST(ActionScenario, DocumentFeeOverridesThePolicy) {
  Contract c = Doc(kFresh);
  c.initiation_fee = 0;
  std::vector<Action> fund(1);
  fund[0].type = ActionType::kFund;
  fund[0].id = "m-1";
  ApplyResult r = Engine().Apply(c, fund, ActOptions{});
  ASSERT_TRUE(r.ok);
  ASSERT_EQ(Types(r), Strings({"charged", "feeCharged"}));
  EXPECT_EQ(r.events[1].amount, 0);
}

// "You will need to respond to the request before you can make any
// additional changes."
TEST(ActionScenario, RespondToTheRequestBeforeAnyOtherChange) {
  Session s(kContract);
  ApplyResult r = s.Do(Actor::kFreelancer, R"({"type":"propose","message":"Split launch",
    "actions":[{"type":"add","milestone":{"title":"QA","amount":25000,"dueDate":"2027-02-01"}},
               {"type":"edit","id":"m-3","set":{"amount":20000}}]})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"requestProposed"}));
  EXPECT_EQ(r.events[0].message,
            "The freelancer proposed changes to the milestones: Added “QA” "
            "($250.00, due Feb 1, 2027). Changed the amount of “Launch” from "
            "$300.00 to $200.00.");
  ASSERT_TRUE(s.contract().change_request.has_value());
  EXPECT_EQ(s.contract().change_request->id, "cr-5");  // version + 1
  // The generated id is fixed when proposed, so both sides see the same one.
  EXPECT_EQ(s.contract().change_request->actions[0].fields.id, "m-4");
  EXPECT_EQ(s.contract().version, 4);             // the server's counter, not ours
  EXPECT_EQ(s.contract().milestones.size(), 3u);  // nothing applied yet

  EXPECT_EQ(Codes(s.Do(Actor::kClient, R"({"type":"edit","id":"m-3","set":{"title":"Go live"}})")),
            Strings({"CHANGE_REQUEST_PENDING"}));
  EXPECT_EQ(Codes(s.Do(Actor::kClient, R"({"type":"add","milestone":{"title":"X","amount":900}})")),
            Strings({"CHANGE_REQUEST_PENDING"}));
  EXPECT_EQ(Codes(s.Do(Actor::kFreelancer,
                       R"({"type":"propose","actions":[{"type":"delete","id":"m-3"}]})")),
            Strings({"CHANGE_REQUEST_PENDING"}));
  // Work already done can still be paid for; the next funding waits.
  ASSERT_TRUE(s.Do(Actor::kFreelancer, R"({"type":"submit","id":"m-2"})").ok);
  ASSERT_TRUE(s.Do(Actor::kClient, R"({"type":"release","id":"m-2"})").ok);
  EXPECT_EQ(Codes(s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})")),
            Strings({"CHANGE_REQUEST_PENDING"}));

  r = s.Do(Actor::kClient, R"({"type":"accept"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"requestAccepted", "milestoneAdded", "milestoneEdited"}));
  EXPECT_FALSE(s.contract().change_request.has_value());
  ASSERT_EQ(s.contract().milestones.size(), 4u);
  EXPECT_EQ(s.contract().milestones[3].id, "m-4");
  EXPECT_EQ(s.milestone("m-3").amount, 20000);
  EXPECT_TRUE(s.Do(Actor::kClient, R"({"type":"edit","id":"m-3","set":{"title":"Go live"}})").ok);
  EXPECT_TRUE(s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})").ok);
}

TEST(ActionScenario, DeclineAndWithdrawDropTheRequest) {
  Session s(kContract);
  const char* propose = R"({"type":"propose","actions":[{"type":"delete","id":"m-3"}]})";
  ASSERT_TRUE(s.Do(Actor::kFreelancer, propose).ok);
  ApplyResult r = s.Do(Actor::kClient, R"({"type":"decline","reason":"Keep it"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"requestDeclined"}));
  EXPECT_FALSE(s.contract().change_request.has_value());
  EXPECT_EQ(s.contract().milestones.size(), 3u);
  ASSERT_TRUE(s.Do(Actor::kFreelancer, propose).ok);
  r = s.Do(Actor::kFreelancer, R"({"type":"withdraw"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"requestWithdrawn"}));
  EXPECT_EQ(Codes(s.Do(Actor::kClient, R"({"type":"accept"})")), Strings({"NO_PENDING_REQUEST"}));
}

TEST(ActionScenario, ProposalThatWouldNotPassIsRefusedWithItsIssues) {
  Session s(kContract);
  ApplyResult r = s.Do(Actor::kFreelancer, R"({"type":"propose","actions":[
    {"type":"edit","id":"m-3","set":{"title":"Launch v2"}},
    {"type":"edit","id":"m-3","set":{"amount":100}}]})");
  ASSERT_EQ(Codes(r), Strings({"AMOUNT_BELOW_MINIMUM"}));
  EXPECT_EQ(r.issues[0].path, "/actions/1/set/amount");
  r = s.Do(Actor::kFreelancer,
           R"({"type":"propose","actions":[{"type":"move","id":"m-3","toIndex":0}]})");
  ASSERT_EQ(Codes(r), Strings({"MOVE_INTO_LOCKED_RANGE"}));
  EXPECT_EQ(r.issues[0].path, "/actions/0/toIndex");
  r = s.Do(Actor::kFreelancer, R"({"type":"propose","actions":[{"type":"fund","id":"m-3"}]})");
  EXPECT_EQ(Codes(r), Strings({"SCHEMA"}));
  EXPECT_FALSE(s.contract().change_request.has_value());
}

TEST(ActionScenario, AcceptRecheckedAgainstTheContractAsItIsNow) {
  // A request to rename m-2 waits, but m-2 has been funded meanwhile.
  Contract c = Doc(kContract);
  std::vector<Action> rename;
  IssueList issues;
  ASSERT_TRUE(
      ParseActions(R"([{"type":"edit","id":"m-2","set":{"title":"X"}}])", &rename, &issues));
  c.change_request = ChangeRequest{"cr-4", "freelancer", rename, "", {}};
  std::vector<Action> accept(1);
  accept[0].type = ActionType::kAccept;
  ApplyResult r = Engine().Apply(c, accept, ActOptions{});
  ASSERT_EQ(Codes(r), Strings({"MILESTONE_LOCKED"}));
  EXPECT_EQ(r.issues[0].path, "/changeRequest/actions/0/id");
  EXPECT_TRUE(r.contract.change_request.has_value());  // still pending
}

// "When you approve the last milestone you'll be asked if you want to end the
// contract or keep it open."
TEST(ActionScenario, LastReleaseAsksToEndOrKeepOpen) {
  Session s(kContract);
  ASSERT_TRUE(s.Do(Actor::kClient, R"({"type":"release","id":"m-2"})").ok);
  ASSERT_TRUE(s.Do(Actor::kClient, R"({"type":"fund","id":"m-3"})").ok);
  ApplyResult r = s.Do(Actor::kClient, R"({"type":"release","id":"m-3","amount":25000})");
  ASSERT_EQ(Codes(r), Strings({"DECISION_REQUIRED"}));
  EXPECT_EQ(r.issues[0].path, "/then");

  Session ended = s;
  r = ended.Do(Actor::kClient, R"({"type":"release","id":"m-3","amount":25000,"then":"end"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"released", "refunded", "contractEnded"}));
  EXPECT_EQ(r.events[1].amount, 5000);  // the unused deposit goes back
  EXPECT_EQ(ended.contract().status, ContractStatus::kEnded);
  EXPECT_EQ(ended.contract().carry_over, 0);

  // "You can then activate (or create) the next milestone."
  r = s.Do(Actor::kClient, R"({"type":"release","id":"m-3","amount":25000,"then":"keepOpen"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"released"}));
  EXPECT_EQ(s.contract().status, ContractStatus::kOpen);
  EXPECT_EQ(s.contract().carry_over, 5000);
  ASSERT_TRUE(
      s.Do(Actor::kClient, R"({"type":"add","milestone":{"title":"Support","amount":8000}})").ok);
  r = s.Do(Actor::kClient, R"({"type":"fund","id":"m-4"})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.events[0].amount, 3000);
}

// "You can also request an escrow refund for the remaining amount if you ...
// are ending the contract."
TEST(ActionScenario, EndRefundsEscrowAndCarryOver) {
  Contract c = Doc(kContract);
  c.carry_over = 700;
  std::vector<Action> end(1);
  end[0].type = ActionType::kEnd;
  ActOptions as_freelancer;
  as_freelancer.actor = Actor::kFreelancer;
  ApplyResult r = Engine().Apply(c, end, as_freelancer);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Types(r), Strings({"refunded", "refunded", "contractEnded"}));
  EXPECT_EQ(r.events[0].milestone_id, "m-2");
  EXPECT_EQ(r.events[0].amount, 120000);
  EXPECT_EQ(r.events[1].amount, 700);
  EXPECT_EQ(r.contract.milestones[1].state, MilestoneState::kRefunded);
  EXPECT_EQ(r.contract.milestones[2].state, MilestoneState::kNotFunded);
  EXPECT_EQ(r.contract.carry_over, 0);
  EXPECT_EQ(r.events[2].message, "The freelancer ended the contract.");
  // The input is untouched: apply is pure.
  EXPECT_EQ(c.status, ContractStatus::kOpen);
  EXPECT_EQ(c.carry_over, 700);
}

TEST(ActionScenario, ReleaseAmountsFromOneCentToTheEscrow) {
  for (const char* amount : {"0", "-5", "120001"}) {
    Session s(kContract);
    ApplyResult r = s.Do(Actor::kClient,
                         std::string(R"({"type":"release","id":"m-2","amount":)") + amount + "}");
    EXPECT_EQ(Codes(r), Strings({"RELEASE_EXCEEDS_ESCROW"})) << amount;
    EXPECT_EQ(r.issues[0].path, "/amount");
  }
  Session s(kContract);
  EXPECT_TRUE(s.Do(Actor::kClient, R"({"type":"release","id":"m-2","amount":120000})").ok);
  EXPECT_EQ(s.contract().carry_over, 0);
}

TEST(ActionScenario, BatchIsAllOrNothingWithIndexedPaths) {
  Session s(kContract);
  ApplyResult r = s.Do(Actor::kClient, R"([
    {"type":"add","milestone":{"title":"QA","amount":5000}},
    {"type":"edit","id":"m-3","set":{"amount":100}}])");
  ASSERT_EQ(Codes(r), Strings({"AMOUNT_BELOW_MINIMUM"}));
  EXPECT_EQ(r.issues[0].path, "/1/set/amount");
  EXPECT_EQ(s.contract().milestones.size(), 3u);  // the add did not stay

  r = s.Do(Actor::kClient, R"([{"type":"delete","id":"m-3"},{"type":"fund","id":"m-3"}])");
  ASSERT_EQ(Codes(r), Strings({"UNKNOWN_MILESTONE"}));
  EXPECT_EQ(r.issues[0].path, "/1/id");
  EXPECT_EQ(s.contract().milestones.size(), 3u);

  // A single action's paths are relative to it.
  r = s.Do(Actor::kClient, R"({"type":"edit","id":"m-3","set":{"amount":100}})");
  EXPECT_EQ(r.issues[0].path, "/set/amount");

  // Checked at the end of the batch: a value may pass through a bad state.
  r = s.Do(Actor::kClient, R"([{"type":"edit","id":"m-3","set":{"title":""}},
                               {"type":"edit","id":"m-3","set":{"title":"Ship"}}])");
  EXPECT_TRUE(r.ok);
}

TEST(ActionScenario, AddGeneratesTheNextFreeIdAndRespectsLockedRange) {
  Session s(kContract);
  ApplyResult r =
      s.Do(Actor::kClient, R"({"type":"add","milestone":{"title":"QA","amount":5000},"index":2})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(s.contract().milestones[2].id, "m-4");
  EXPECT_EQ(Codes(s.Do(Actor::kClient,
                       R"({"type":"add","milestone":{"title":"Up","amount":5000},"index":1})")),
            Strings({"MOVE_INTO_LOCKED_RANGE"}));
  r = s.Do(Actor::kClient,
           R"({"type":"add","milestone":{"id":"m-1","title":"Dup","amount":5000}})");
  ASSERT_EQ(Codes(r), Strings({"DUPLICATE_ID"}));
  EXPECT_EQ(r.issues[0].path, "/milestone/id");
  r = s.Do(Actor::kClient, R"({"type":"move","id":"m-3","toIndex":3})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.events[0].message, "“Launch” stays at position 4.");
  r = s.Do(Actor::kClient, R"({"type":"move","id":"m-3","toIndex":2})");
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.events[0].message, "Moved “Launch” from position 4 to 3.");
}

TEST(ActionScenario, ActionJsonRoundTripsAndRefusesWhatItCannotRead) {
  const std::string text =
      R"([{"type":"add","milestone":{"id":"m-9","title":"QA","description":"","dueDate":null,"amount":500},"index":3},)"
      R"({"type":"edit","id":"m-2","set":{"dueDate":"2027-01-01"}},{"type":"move","id":"m-2","toIndex":0},)"
      R"({"type":"propose","actions":[{"type":"delete","id":"m-3"}],"message":"Hi"},)"
      R"({"type":"decline","reason":"No"},{"type":"release","id":"m-2","amount":5,"then":"end"},)"
      R"({"type":"requestChanges","id":"m-2","message":"More"},{"type":"end"}])";
  std::vector<Action> actions;
  IssueList issues;
  ASSERT_TRUE(ParseActions(text, &actions, &issues));
  EXPECT_EQ(ActionsToJson(actions), text);

  struct Bad {
    const char* json;
    const char* code;
    const char* path;
  };
  for (const Bad& bad : {
           Bad{R"({"type":"fly"})", "SCHEMA", "/type"},
           Bad{R"({"type":"fund"})", "SCHEMA", "/id"},
           Bad{R"({"type":"fund","id":"m-1","ammount":5})", "SCHEMA", "/ammount"},
           Bad{R"({"type":"release","id":"m-1","amount":5.5})", "INVALID_AMOUNT", "/amount"},
           Bad{R"({"type":"release","id":"m-1","then":"later"})", "SCHEMA", "/then"},
           Bad{R"([{"type":"end"},{"type":"edit","id":"m-1","set":{"amount":"5"}}])", "SCHEMA",
               "/1/set/amount"},
           Bad{R"({"type":"add","milestone":{"title":"x"}})", "SCHEMA", "/milestone/amount"},
           Bad{R"({"type":"end",)", "INVALID_JSON", ""},
       }) {
    issues.clear();
    EXPECT_FALSE(ParseActions(bad.json, &actions, &issues)) << bad.json;
    ASSERT_FALSE(issues.empty()) << bad.json;
    EXPECT_EQ(issues[0].code, bad.code) << bad.json;
    if (std::string(bad.code) != "INVALID_JSON") {
      EXPECT_EQ(issues[0].path, bad.path) << bad.json;
    }
  }
}

TEST(ActionScenario, JsonApiApplyAnswersTheCli) {
  const Engine engine;
  std::string out = json_api::Apply(engine, kContract, R"({"type":"fund","id":"m-3"})",
                                    R"({"actor":"client","now":"2026-11-27"})");
  EXPECT_NE(out.find("\"ok\":false"), std::string::npos) << out;
  EXPECT_NE(out.find("FUND_WHILE_IN_FLIGHT"), std::string::npos) << out;
  out = json_api::Apply(engine, kContract, R"({"type":"release","id":"m-2"})",
                        R"({"actor":"client"})");
  EXPECT_EQ(out.rfind("{\"ok\":true", 0), 0u) << out;
  EXPECT_NE(out.find(R"("events":[{"type":"released","milestoneId":"m-2","amount":120000,)"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace milestone
