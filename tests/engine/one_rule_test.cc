// One rule, one answer: the defects found when the session, the view and the
// engine each had their own copy of a rule (issue 11), each pinned down.

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "milestone/codes.h"
#include "milestone/contract.h"
#include "milestone/engine.h"
#include "milestone/json_api.h"
#include "milestone/session.h"
#include "milestone/view.h"

namespace milestone {
namespace {

Contract Future(const std::vector<std::string>& ids) {
  Contract c;
  c.id = "ctr-one";
  c.version = 2;
  for (const std::string& id : ids) {
    Milestone m;
    m.id = id;
    m.title = "Step " + id;
    m.amount = 10000;
    c.milestones.push_back(m);
  }
  return c;
}

Action AddOne() {
  Action add;
  add.type = ActionType::kAdd;
  add.fields.title = "New";
  add.fields.amount = 5000;
  return add;
}

ActOptions As(Actor actor) {
  ActOptions options;
  options.actor = actor;
  options.now = "2026-12-01";
  return options;
}

TEST(OneRuleTest, ApplyAndSessionGenerateTheSameId) {
  const Engine engine;
  const Contract c = Future({"m-1", "m-2", "m-3", "m-9"});
  const ApplyResult applied = engine.Apply(c, {AddOne()}, As(Actor::kClient));
  ASSERT_TRUE(applied.ok);
  Session session(engine, ContractToJson(c), As(Actor::kClient));
  const SessionEdit edit = session.Apply(std::vector<Action>{AddOne()});
  ASSERT_TRUE(edit.applied);
  EXPECT_EQ(applied.contract.milestones.back().id, "m-10");
  EXPECT_EQ(session.draft().milestones.back().id, "m-10");
  ASSERT_EQ(edit.touched.size(), 1u);
  EXPECT_EQ(edit.touched[0], "m-10");
}

TEST(OneRuleTest, ADeletedIdIsNeverReusedInASession) {
  const Engine engine;
  Session session(engine, ContractToJson(Future({"m-1", "m-2", "m-3"})), As(Actor::kClient));
  Action remove;
  remove.type = ActionType::kDelete;
  remove.id = "m-3";
  ASSERT_TRUE(session.Apply(std::vector<Action>{remove}).applied);
  ASSERT_TRUE(session.Apply(std::vector<Action>{AddOne()}).applied);
  EXPECT_EQ(session.draft().milestones.back().id, "m-4");
  const DiffResult changes = session.Changes();
  for (const std::string& line : changes.summary) {
    EXPECT_EQ(line.find("Renamed"), std::string::npos) << line;
  }
  ASSERT_EQ(changes.summary.size(), 2u);
  const Changeset changeset = session.MakeChangeset();
  EXPECT_TRUE(changeset.ok);
  const ApplyResult server = engine.Apply(session.base(), changeset.actions, As(Actor::kClient));
  ASSERT_TRUE(server.ok);
  EXPECT_EQ(ContractToJson(server.contract), ContractToJson(session.draft()));
}

TEST(OneRuleTest, AnUnchangedFreelancerDraftSendsNothing) {
  const Engine engine;
  const Contract c = Future({"m-1", "m-2"});
  Session session(engine, ContractToJson(c), As(Actor::kFreelancer));
  Changeset empty = session.MakeChangeset();
  EXPECT_TRUE(empty.ok);
  EXPECT_TRUE(empty.actions.empty());
  EXPECT_TRUE(engine.Check(c, empty.actions, As(Actor::kFreelancer)).ok);

  Action edit;
  edit.type = ActionType::kEdit;
  edit.id = "m-1";
  edit.fields.amount = 12345;
  ASSERT_TRUE(session.Apply(std::vector<Action>{edit}).applied);
  ASSERT_TRUE(session.Undo().applied);
  Changeset undone = session.MakeChangeset();
  EXPECT_TRUE(undone.ok);
  EXPECT_TRUE(undone.actions.empty());
  EXPECT_TRUE(engine.Check(c, undone.actions, As(Actor::kFreelancer)).ok);
}

TEST(OneRuleTest, AChangeRequestHoldsPlanEditsOnly) {
  const Engine engine;
  const std::string base = ContractToJson(Future({"m-1"}));
  auto with_request = [&](const std::string& actions) {
    std::string text = base;
    const std::string key = "\"changeRequest\":null";
    text.replace(
        text.find(key), key.size(),
        "\"changeRequest\":{\"id\":\"cr-1\",\"by\":\"freelancer\",\"actions\":" + actions + "}");
    return engine.Validate(text, {});
  };
  const ValidateResult fund = with_request(R"([{"type":"fund","id":"m-1"}])");
  ASSERT_FALSE(fund.ok);
  EXPECT_EQ(fund.issues[0].code, codes::kSchema);
  EXPECT_EQ(fund.issues[0].path, "/changeRequest/actions/0/type");
  const ValidateResult none = with_request("[]");
  ASSERT_FALSE(none.ok);
  EXPECT_EQ(none.issues[0].path, "/changeRequest/actions");
  EXPECT_TRUE(with_request(R"([{"type":"delete","id":"m-1"}])").ok);
}

TEST(OneRuleTest, ARefusedPreviewStillGivesTheCurrentOrder) {
  const Engine engine;
  const std::string c = ContractToJson(Future({"m-1", "m-2", "m-3"}));
  for (double to : {-1.0, 2.5, std::numeric_limits<double>::quiet_NaN()}) {
    const std::string answer = json_api::PreviewReorder(engine, c, "m-3", to, "");
    EXPECT_NE(answer.find(R"("order":["m-1","m-2","m-3"])"), std::string::npos) << answer;
    EXPECT_NE(answer.find(R"("allowedRange":{"from":0,"to":2})"), std::string::npos) << answer;
    EXPECT_NE(answer.find(R"("ok":false)"), std::string::npos) << answer;
  }
}

TEST(OneRuleTest, AContractAtTheLimitStaysEditableAndRefusesOneMore) {
  const Engine engine;
  std::vector<std::string> ids;
  for (int i = 1; i <= 1000; ++i) ids.push_back("m-" + std::to_string(i));
  const Contract c = Future(ids);
  ASSERT_TRUE(engine.Validate(c, {}).ok);

  const View view = Describe(engine, c, As(Actor::kClient));
  EXPECT_TRUE(view.milestones[500].edit.ok);
  ASSERT_FALSE(view.contract.add.ok);
  EXPECT_EQ(view.contract.add.issue->code, codes::kTooManyMilestones);

  Session session(engine, ContractToJson(c), As(Actor::kClient));
  Action edit;
  edit.type = ActionType::kEdit;
  edit.id = "m-700";
  edit.fields.title = "Still editable";
  const SessionEdit edited = session.Apply(std::vector<Action>{edit});
  EXPECT_TRUE(edited.applied);
  ASSERT_EQ(edited.rows.size(), 1u);
  EXPECT_EQ(edited.rows[0].milestone.title, "Still editable");
  ASSERT_TRUE(edited.contract);
  EXPECT_FALSE(edited.contract->add.ok);

  const SessionEdit added = session.Apply(std::vector<Action>{AddOne()});
  EXPECT_FALSE(added.applied);
  ASSERT_FALSE(added.issues.empty());
  EXPECT_EQ(added.issues[0].code, codes::kTooManyMilestones);
  EXPECT_EQ(added.issues[0].message, view.contract.add.issue->message);
}

TEST(OneRuleTest, SessionViewMatchesDescribeOfTheDraft) {
  const Engine engine;
  const Contract c = Future({"m-1", "m-2"});
  Session session(engine, ContractToJson(c), As(Actor::kFreelancer));
  Action edit;
  edit.type = ActionType::kEdit;
  edit.id = "m-2";
  edit.fields.amount = 100;  // below the minimum: kept, with its issue
  const SessionEdit kept = session.Apply(std::vector<Action>{edit});
  ASSERT_TRUE(kept.applied);
  ASSERT_EQ(kept.rows.size(), 1u);
  EXPECT_EQ(kept.rows[0].issues[0].code, codes::kAmountBelowMinimum);
  EXPECT_EQ(ViewToJson(session.Describe()),
            ViewToJson(Describe(engine, session.draft(), As(Actor::kFreelancer))));
}

}  // namespace
}  // namespace milestone
