// Session: the draft a page edits keystroke by keystroke (SPEC 5).

#include "milestone/session.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "milestone/contract.h"
#include "milestone/engine.h"

namespace milestone {
namespace {

// SPEC 1.1's example: one released, one active, one future milestone.
constexpr char kContract[] = R"({
  "id": "ctr-1001", "version": 4, "currency": "USD", "status": "open",
  "initiationFee": 299, "initiationFeeCharged": true, "carryOver": 0,
  "milestones": [
    {"id": "m-1", "title": "Wireframes", "description": "", "dueDate": "2026-12-15",
     "amount": 50000, "state": "released", "funded": 50000, "released": 50000},
    {"id": "m-2", "title": "Build", "description": "API and UI", "dueDate": "2027-01-10",
     "amount": 120000, "state": "active", "funded": 120000, "released": 0},
    {"id": "m-3", "title": "Launch", "description": "", "dueDate": null,
     "amount": 30000, "state": "not_funded", "funded": 0, "released": 0},
    {"id": "m-4", "title": "Support", "description": "", "dueDate": null,
     "amount": 20000, "state": "not_funded", "funded": 0, "released": 0}
  ],
  "changeRequest": null
})";

ActOptions Client() {
  ActOptions options;
  options.actor = Actor::kClient;
  options.now = "2026-11-27";
  return options;
}

ActOptions Freelancer() {
  ActOptions options = Client();
  options.actor = Actor::kFreelancer;
  return options;
}

bool HasCode(const IssueList& issues, const std::string& code) {
  for (const Issue& issue : issues) {
    if (issue.code == code) return true;
  }
  return false;
}

std::vector<std::string> Ids(const Contract& contract) {
  std::vector<std::string> ids;
  for (const Milestone& m : contract.milestones) ids.push_back(m.id);
  return ids;
}

TEST(Session, FieldValueErrorKeepsTheEditBesideItsIssue) {
  Session session(Engine(), kContract, Client());
  ASSERT_TRUE(session.usable());
  SessionEdit edit = session.Apply(R"({"type":"edit","id":"m-3","set":{"amount":100}})");
  EXPECT_TRUE(edit.applied);
  EXPECT_FALSE(edit.ok);
  ASSERT_EQ(edit.issues.size(), 1u);
  EXPECT_EQ(edit.issues[0].code, "AMOUNT_BELOW_MINIMUM");
  EXPECT_EQ(edit.issues[0].path, "/milestones/2/amount");
  EXPECT_EQ(edit.touched, std::vector<std::string>{"m-3"});
  EXPECT_EQ(session.draft().milestones[2].amount, 100);
  EXPECT_TRUE(HasCode(session.Issues(), "AMOUNT_BELOW_MINIMUM"));
}

TEST(Session, RuleErrorRejectsAndLeavesTheDraft) {
  Session session(Engine(), kContract, Client());
  SessionEdit edit = session.Apply(R"({"type":"edit","id":"m-2","set":{"title":"New"}})");
  EXPECT_FALSE(edit.applied);
  EXPECT_FALSE(edit.ok);
  EXPECT_TRUE(HasCode(edit.issues, "MILESTONE_LOCKED"));
  EXPECT_EQ(session.draft().milestones[1].title, "Build");
  // Not even a field-value problem gets a locked milestone through.
  edit = session.Apply(R"({"type":"edit","id":"m-2","set":{"title":""}})");
  EXPECT_FALSE(edit.applied);
  EXPECT_EQ(session.draft().milestones[1].title, "Build");
}

TEST(Session, MoveAboveALockedMilestoneIsRejected) {
  Session session(Engine(), kContract, Client());
  SessionEdit edit = session.Apply(R"({"type":"move","id":"m-4","toIndex":0})");
  EXPECT_FALSE(edit.applied);
  EXPECT_TRUE(HasCode(edit.issues, "MOVE_INTO_LOCKED_RANGE"));
  EXPECT_EQ(Ids(session.draft()), (std::vector<std::string>{"m-1", "m-2", "m-3", "m-4"}));
}

TEST(Session, UnknownMilestoneAndUnreadableActionsAreRejected) {
  Session session(Engine(), kContract, Client());
  EXPECT_TRUE(HasCode(session.Apply(R"({"type":"edit","id":"m-9","set":{"title":"x"}})").issues,
                      "UNKNOWN_MILESTONE"));
  SessionEdit bad = session.Apply("{not json");
  EXPECT_FALSE(bad.applied);
  EXPECT_TRUE(HasCode(bad.issues, "INVALID_JSON"));
  bad = session.Apply(R"({"type":"edit","id":"m-3","set":{"amount":5.5}})");
  EXPECT_FALSE(bad.applied);
  EXPECT_EQ(session.draft().milestones[2].amount, 30000);
}

TEST(Session, OnlyMilestoneEditsBelongInADraft) {
  Session session(Engine(), kContract, Client());
  SessionEdit edit = session.Apply(R"({"type":"fund","id":"m-3"})");
  EXPECT_FALSE(edit.applied);
  ASSERT_FALSE(edit.issues.empty());
  EXPECT_EQ(edit.issues[0].code, "SCHEMA");
  EXPECT_EQ(edit.issues[0].path, "/type");
}

TEST(Session, BatchIsAllOrNothing) {
  Session session(Engine(), kContract, Client());
  SessionEdit edit = session.Apply(
      R"([{"type":"edit","id":"m-3","set":{"title":"Go live"}},
          {"type":"edit","id":"m-2","set":{"title":"Locked"}}])");
  EXPECT_FALSE(edit.applied);
  EXPECT_EQ(session.draft().milestones[2].title, "Launch");
}

TEST(Session, AddGetsAFreshIdAndBlankFieldsAreKept) {
  Session session(Engine(), kContract, Client());
  SessionEdit edit = session.Apply(R"({"type":"add","milestone":{"title":"","amount":0}})");
  EXPECT_TRUE(edit.applied);
  EXPECT_FALSE(edit.ok);
  EXPECT_TRUE(HasCode(edit.issues, "TITLE_REQUIRED"));
  EXPECT_TRUE(HasCode(edit.issues, "AMOUNT_BELOW_MINIMUM"));
  ASSERT_EQ(session.draft().milestones.size(), 5u);
  const std::string id = session.draft().milestones[4].id;
  EXPECT_EQ(edit.touched, std::vector<std::string>{id});
  EXPECT_EQ(FindMilestone(session.draft(), id), 4);
  // A second blank add while the first still has errors is kept too.
  EXPECT_TRUE(session.Apply(R"({"type":"add","milestone":{"title":"","amount":0}})").applied);
  EXPECT_NE(session.draft().milestones[5].id, id);
}

TEST(Session, ErrorsTheOpenedContractHadDoNotBlockEdits) {
  std::string contract = kContract;
  // A second milestone in flight: MULTIPLE_IN_FLIGHT stands before any edit.
  contract.replace(contract.find("\"released\", \"funded\": 50000"), 10, "\"submitted\"");
  Session session(Engine(), contract, Client());
  ASSERT_TRUE(session.usable());
  ASSERT_FALSE(NoErrors(session.Issues()));
  SessionEdit edit = session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"Go live"}})");
  EXPECT_TRUE(edit.applied) << (edit.issues.empty() ? "" : edit.issues[0].code);
  EXPECT_EQ(session.draft().milestones[2].title, "Go live");
}

TEST(Session, UnreadableContractMakesAnUnusableSession) {
  Session session(Engine(), "[1, 2", Client());
  EXPECT_FALSE(session.usable());
  SessionEdit edit = session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"x"}})");
  EXPECT_FALSE(edit.ok);
  EXPECT_TRUE(HasCode(edit.issues, "INVALID_JSON"));
  EXPECT_TRUE(HasCode(session.Issues(), "INVALID_JSON"));
  EXPECT_FALSE(session.MakeChangeset().ok);

  Session wrong_type(Engine(), R"({"id": 5})", Client());
  EXPECT_FALSE(wrong_type.usable());
  EXPECT_TRUE(HasCode(wrong_type.Issues(), "SCHEMA"));
}

TEST(Session, BadOptionsMakeAnUnusableSession) {
  Session session(Engine(), kContract, std::string_view(R"({"actor":"admin"})"));
  EXPECT_FALSE(session.usable());
  ASSERT_FALSE(session.Issues().empty());
  EXPECT_EQ(session.Issues()[0].path, "/options/actor");
  Session fine(Engine(), kContract, std::string_view(R"({"now":"2026-11-27"})"));
  EXPECT_TRUE(fine.usable());
}

TEST(Session, UndoAndRedoWalkTheHistory) {
  Session session(Engine(), kContract, Client());
  session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"L"}})");
  session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"La"}})");
  session.Apply(R"({"type":"move","id":"m-4","toIndex":2})");
  EXPECT_EQ(Ids(session.draft()), (std::vector<std::string>{"m-1", "m-2", "m-4", "m-3"}));

  EXPECT_TRUE(session.Undo().applied);
  EXPECT_EQ(Ids(session.draft()), (std::vector<std::string>{"m-1", "m-2", "m-3", "m-4"}));
  EXPECT_TRUE(session.Undo().applied);
  EXPECT_EQ(session.draft().milestones[2].title, "L");
  EXPECT_TRUE(session.Redo().applied);
  EXPECT_EQ(session.draft().milestones[2].title, "La");
  EXPECT_TRUE(session.Undo().applied);
  EXPECT_TRUE(session.Undo().applied);
  EXPECT_EQ(session.draft().milestones[2].title, "Launch");
  EXPECT_FALSE(session.Undo().applied);  // nothing left

  // A new edit drops what could have been redone.
  session.Apply(R"({"type":"edit","id":"m-4","set":{"amount":25000}})");
  EXPECT_FALSE(session.Redo().applied);
  EXPECT_EQ(ContractToJson(session.draft()).find("\"Launch\"") != std::string::npos, true);
}

TEST(Session, ChangesetActionsRebuildTheDraft) {
  Engine engine;
  Session session(engine, kContract, Client());
  ASSERT_TRUE(
      session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"Go live","amount":45000}})").ok);
  ASSERT_TRUE(
      session
          .Apply(
              R"({"type":"add","milestone":{"title":"QA","amount":25000,"dueDate":"2027-03-01"}})")
          .ok);
  ASSERT_TRUE(session.Apply(R"({"type":"move","id":"m-4","toIndex":2})").applied);
  ASSERT_TRUE(session.Apply(R"({"type":"edit","id":"m-4","set":{"description":"Two weeks"}})").ok);

  Changeset changeset = session.MakeChangeset();
  ASSERT_TRUE(changeset.ok) << (changeset.issues.empty() ? "" : changeset.issues[0].message);
  EXPECT_EQ(changeset.contract_id, "ctr-1001");
  EXPECT_EQ(changeset.base_version, 4);
  // add + one edit per milestone + one move: the fewest that rebuild it.
  EXPECT_EQ(changeset.actions.size(), 4u);
  EXPECT_FALSE(changeset.summary.empty());

  ApplyResult applied = engine.Apply(session.base(), changeset.actions, Client());
  ASSERT_TRUE(applied.ok) << (applied.issues.empty() ? "" : applied.issues[0].message);
  EXPECT_EQ(ContractToJson(applied.contract), ContractToJson(session.draft()));
}

TEST(Session, ChangesetIsNotOkWhileTheDraftHasErrors) {
  Session session(Engine(), kContract, Client());
  session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"  "}})");
  Changeset changeset = session.MakeChangeset();
  EXPECT_FALSE(changeset.ok);
  EXPECT_TRUE(HasCode(changeset.issues, "TITLE_REQUIRED"));
  EXPECT_EQ(changeset.actions.size(), 1u);
}

TEST(Session, FreelancerEditsBecomeOneProposal) {
  Engine engine;
  Session session(engine, kContract, Freelancer());
  ASSERT_TRUE(session.Apply(R"({"type":"edit","id":"m-3","set":{"amount":35000}})").ok);
  ASSERT_TRUE(session.Apply(R"({"type":"delete","id":"m-4"})").applied);
  Changeset changeset = session.MakeChangeset();
  ASSERT_TRUE(changeset.ok);
  ASSERT_EQ(changeset.actions.size(), 1u);
  EXPECT_EQ(changeset.actions[0].type, ActionType::kPropose);
  EXPECT_EQ(changeset.actions[0].actions.size(), 2u);
  EXPECT_TRUE(engine.Apply(session.base(), changeset.actions, Freelancer()).ok);
}

TEST(Session, PendingRequestBlocksTheClientsEdits) {
  std::string contract = kContract;
  contract.replace(contract.find("\"changeRequest\": null"), 21,
                   R"("changeRequest": {"id": "cr-1", "by": "freelancer", "message": "",
                       "actions": [{"type": "edit", "id": "m-3", "set": {"amount": 40000}}]})");
  Session session(Engine(), contract, Client());
  ASSERT_TRUE(session.usable());
  SessionEdit edit = session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"x"}})");
  EXPECT_FALSE(edit.applied);
  EXPECT_TRUE(HasCode(edit.issues, "CHANGE_REQUEST_PENDING"));
}

TEST(Session, ChangesIsTheDiffFromTheOpenedContract) {
  Session session(Engine(), kContract, Client());
  EXPECT_TRUE(session.Changes().changes.empty());
  session.Apply(R"({"type":"edit","id":"m-3","set":{"amount":45000}})");
  DiffResult diff = session.Changes();
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].op, ChangeOp::kEdit);
  EXPECT_EQ(diff.changes[0].id, "m-3");
}

TEST(Session, KeystrokeIssuesConcernOnlyTheTouchedMilestone) {
  std::string contract = kContract;
  // m-4 already has a problem; typing in m-3 must not report it back.
  contract.replace(contract.find("\"amount\": 20000"), 15, "\"amount\": 100");
  Session session(Engine(), contract, Client());
  SessionEdit edit = session.Apply(R"({"type":"edit","id":"m-3","set":{"title":"Go"}})");
  EXPECT_TRUE(edit.applied);
  EXPECT_TRUE(edit.ok);
  EXPECT_TRUE(edit.issues.empty());
  EXPECT_TRUE(HasCode(session.Issues(), "AMOUNT_BELOW_MINIMUM"));
}

TEST(Session, JsonAnswersCarryTheirFields) {
  Session session(Engine(), kContract, Client());
  std::string edit =
      SessionEditToJson(session.Apply(R"({"type":"edit","id":"m-3","set":{"amount":100}})"));
  EXPECT_NE(edit.find("\"applied\":true"), std::string::npos);
  EXPECT_NE(edit.find("\"touched\":[\"m-3\"]"), std::string::npos);
  std::string changeset = ChangesetToJson(session.MakeChangeset());
  EXPECT_NE(changeset.find("\"ok\":false"), std::string::npos);
  EXPECT_NE(changeset.find("\"contractId\":\"ctr-1001\""), std::string::npos);
  EXPECT_NE(changeset.find("\"baseVersion\":4"), std::string::npos);
  EXPECT_NE(changeset.find("\"actor\":\"client\""), std::string::npos);
}

}  // namespace
}  // namespace milestone
