// Example tests of Diff's changes, patch and summary sentences, of
// ApplyChanges' conflicts and of the changes' JSON form.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "json.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "rules.h"

namespace milestone {
namespace {

Milestone Future(const std::string& id, const std::string& title, int64_t amount,
                 std::optional<std::string> due = {}) {
  Milestone m;
  m.id = id;
  m.title = title;
  m.amount = amount;
  m.due_date = std::move(due);
  return m;
}

// Design, Build, Review, Testing: all future, all $100.00.
Contract Four() {
  Contract c;
  c.id = "ctr-1";
  c.milestones = {Future("m-1", "Design", 10000, "2026-12-01"),
                  Future("m-2", "Build", 10000, "2026-12-10"), Future("m-3", "Review", 10000),
                  Future("m-4", "Testing", 10000, "2026-12-20")};
  return c;
}

std::vector<std::string> Ids(const Contract& c) {
  std::vector<std::string> ids;
  for (const Milestone& m : c.milestones) ids.push_back(m.id);
  return ids;
}

TEST(DiffTest, IdenticalContractsHaveNoChanges) {
  const DiffResult d = Diff(Four(), Four());
  EXPECT_TRUE(d.changes.empty());
  EXPECT_TRUE(d.summary.empty());
  EXPECT_EQ(d.patch, "[]");
  EXPECT_EQ(DiffResultToJson(d), R"({"changes":[],"patch":[],"summary":[]})");
}

TEST(DiffTest, AmountChangeSentenceAndPatch) {
  Contract after = Four();
  after.milestones[0].amount = 15000;
  const DiffResult d = Diff(Four(), after);
  ASSERT_EQ(d.changes.size(), 1u);
  const Change& c = d.changes[0];
  EXPECT_EQ(c.op, ChangeOp::kEdit);
  EXPECT_EQ(c.id, "m-1");
  EXPECT_EQ(c.field, EditField::kAmount);
  EXPECT_EQ(c.from, FieldValue(int64_t{10000}));
  EXPECT_EQ(c.to, FieldValue(int64_t{15000}));
  EXPECT_EQ(d.summary[0], "Changed the amount of “Design” from $100.00 to $150.00.");
  EXPECT_EQ(d.patch, R"([{"op":"replace","path":"/milestones/0/amount","value":15000}])");
  EXPECT_EQ(ChangeToJson(c),
            R"({"op":"edit","id":"m-1","field":"amount","from":10000,"to":15000})");
}

TEST(DiffTest, MoveSentenceCountsFromOne) {
  Contract after = Four();
  // Testing from the bottom to the second place.
  after.milestones = {after.milestones[0], after.milestones[3], after.milestones[1],
                      after.milestones[2]};
  const DiffResult d = Diff(Four(), after);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].op, ChangeOp::kMove);
  EXPECT_EQ(d.changes[0].from_index, 3);
  EXPECT_EQ(d.changes[0].to_index, 1);
  EXPECT_EQ(d.summary[0], "Moved “Testing” from position 4 to 2.");
  EXPECT_EQ(d.patch, R"([{"op":"move","path":"/milestones/1","from":"/milestones/3"}])");
}

TEST(DiffTest, BottomToTopIsOneMove) {
  Contract after = Four();
  std::rotate(after.milestones.rbegin(), after.milestones.rbegin() + 1, after.milestones.rend());
  ASSERT_EQ(Ids(after), (std::vector<std::string>{"m-4", "m-1", "m-2", "m-3"}));
  const DiffResult d = Diff(Four(), after);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.summary[0], "Moved “Testing” from position 4 to 1.");
}

TEST(DiffTest, ReversalIsNMinusOneMoves) {
  Contract after = Four();
  std::reverse(after.milestones.begin(), after.milestones.end());
  const DiffResult d = Diff(Four(), after);
  EXPECT_EQ(d.changes.size(), 3u);
  const ApplyChangesResult r = ApplyChanges(Four(), d.changes);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Ids(r.contract), Ids(after));
}

TEST(DiffTest, AddSentences) {
  Contract after = Four();
  after.milestones.push_back(Future("m-5", "QA", 25000, "2026-12-20"));
  after.milestones.insert(after.milestones.begin() + 1, Future("m-6", "Extra", 123456));
  const DiffResult d = Diff(Four(), after);
  ASSERT_EQ(d.changes.size(), 2u);
  // In after-order, each at its index in `after`.
  EXPECT_EQ(d.changes[0].op, ChangeOp::kAdd);
  EXPECT_EQ(d.changes[0].id, "m-6");
  EXPECT_EQ(d.changes[0].index, 1);
  EXPECT_EQ(d.summary[0], "Added “Extra” ($1,234.56).");
  EXPECT_EQ(d.changes[1].index, 5);
  EXPECT_EQ(d.summary[1], "Added “QA” ($250.00, due Dec 20, 2026).");
  EXPECT_EQ(d.changes[1].milestone.title, "QA");
}

TEST(DiffTest, DeleteSentenceAndIndicesAtEachStep) {
  Contract after = Four();
  after.milestones.erase(after.milestones.begin() + 1);  // Build
  after.milestones.erase(after.milestones.begin() + 1);  // Review
  const DiffResult d = Diff(Four(), after);
  ASSERT_EQ(d.changes.size(), 2u);
  EXPECT_EQ(d.summary[0], "Deleted “Build” ($100.00).");
  EXPECT_EQ(d.summary[1], "Deleted “Review” ($100.00).");
  // Front to back: Review is at 1 once Build is gone.
  EXPECT_EQ(d.changes[0].index, 1);
  EXPECT_EQ(d.changes[1].index, 1);
  EXPECT_EQ(d.patch, R"([{"op":"remove","path":"/milestones/1"},)"
                     R"({"op":"remove","path":"/milestones/1"}])");
}

TEST(DiffTest, TitleDescriptionAndDueDateSentences) {
  Contract before = Four();
  before.milestones[1].description = "Old notes";
  Contract after = before;
  after.milestones[0].title = "UX Design";
  after.milestones[0].amount = 20000;
  after.milestones[0].description = "Screens";
  after.milestones[1].description = "";
  after.milestones[1].due_date = "2026-12-11";
  after.milestones[2].due_date = "2027-01-05";
  after.milestones[2].description = "Other notes";
  after.milestones[3].due_date.reset();
  const DiffResult d = Diff(before, after);
  const std::vector<std::string> want = {
      "Renamed “Design” to “UX Design”.",
      "Added a description to “UX Design”.",
      // The sentences follow the steps: the rename came first.
      "Changed the amount of “UX Design” from $100.00 to $200.00.",
      "Removed the description of “Build”.",
      "Changed the due date of “Build” from Dec 10, 2026 to Dec 11, 2026.",
      "Added a description to “Review”.",
      "Set the due date of “Review” to Jan 5, 2027.",
      "Removed the due date of “Testing” (was Dec 20, 2026).",
  };
  EXPECT_EQ(d.summary, want);
  Contract changed = before;
  changed.milestones[1].description = "New notes";
  EXPECT_EQ(Diff(before, changed).summary,
            std::vector<std::string>{"Changed the description of “Build”."});
}

TEST(DiffTest, DraftDatesAndBlankTitlesStayReadable) {
  Contract after = Four();
  after.milestones[0].due_date = "2027-02-30";  // typed, not yet valid
  after.milestones[1].title = "  ";
  const DiffResult d = Diff(Four(), after);
  ASSERT_EQ(d.summary.size(), 2u);
  EXPECT_EQ(d.summary[0], "Changed the due date of “Design” from Dec 1, 2026 to 2027-02-30.");
  EXPECT_EQ(d.summary[1], "Renamed “Build” to “Untitled”.");
}

TEST(DiffTest, OptionalMembersArePatchedWithAdd) {
  // "add" replaces a member that exists and creates one that a document
  // written without it lacks; "replace" would fail on the latter.
  Contract after = Four();
  after.milestones[2].due_date = "2027-01-05";
  after.milestones[2].description = "x";
  const DiffResult d = Diff(Four(), after);
  EXPECT_EQ(d.patch, R"([{"op":"add","path":"/milestones/2/description","value":"x"},)"
                     R"({"op":"add","path":"/milestones/2/dueDate","value":"2027-01-05"}])");
}

TEST(DiffTest, NonEditableDifferencesReachOnlyThePatch) {
  Contract after = Four();
  after.milestones[0].state = MilestoneState::kActive;
  after.milestones[0].funded = 10000;
  after.milestones[0].unknown.push_back({"color", "\"red\""});
  const DiffResult d = Diff(Four(), after);
  EXPECT_TRUE(d.changes.empty());
  EXPECT_EQ(d.patch, R"([{"op":"replace","path":"/milestones/0/state","value":"active"},)"
                     R"({"op":"replace","path":"/milestones/0/funded","value":10000},)"
                     R"({"op":"add","path":"/milestones/0/color","value":"red"}])");
}

TEST(DiffTest, StepsComeDeletesMovesAddsEdits) {
  Contract after = Four();
  after.milestones.erase(after.milestones.begin());  // -Design
  std::rotate(after.milestones.begin(), after.milestones.begin() + 2,
              after.milestones.end());                        // Testing up
  after.milestones.push_back(Future("m-9", "Launch", 5000));  // +Launch
  after.milestones[1].amount = 500;                           // Build
  const DiffResult d = Diff(Four(), after);
  std::vector<ChangeOp> ops;
  for (const Change& c : d.changes) ops.push_back(c.op);
  EXPECT_EQ(ops, (std::vector<ChangeOp>{ChangeOp::kDelete, ChangeOp::kMove, ChangeOp::kAdd,
                                        ChangeOp::kEdit}));
  const ApplyChangesResult r = ApplyChanges(Four(), d.changes);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(ContractToJson(r.contract), ContractToJson(after));
}

TEST(DiffTest, OneReorderInTenThousandIsOneMove) {
  Contract before;
  before.id = "ctr-big";
  for (int i = 0; i < 10000; ++i) {
    before.milestones.push_back(Future("m-" + std::to_string(i), "Step " + std::to_string(i), 500));
  }
  Contract after = before;
  Milestone last = after.milestones.back();
  after.milestones.pop_back();
  after.milestones.insert(after.milestones.begin() + 17, last);
  const DiffResult d = Diff(before, after);
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].op, ChangeOp::kMove);
  EXPECT_EQ(d.changes[0].from_index, 9999);
  EXPECT_EQ(d.changes[0].to_index, 17);
  EXPECT_EQ(d.summary[0], "Moved “Step 9999” from position 10000 to 18.");
  const ApplyChangesResult r = ApplyChanges(before, d.changes);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Ids(r.contract), Ids(after));
}

TEST(DiffTest, RepeatedIdsStillRebuildTheOrder) {
  // Invalid documents (DUPLICATE_ID) must not crash the diff; the k-th
  // occurrence pairs with the k-th.
  Contract before;
  before.milestones = {Future("a", "A1", 500), Future("a", "A2", 500), Future("b", "B", 500)};
  Contract after;
  after.milestones = {before.milestones[2], before.milestones[0]};
  const DiffResult d = Diff(before, after);
  const ApplyChangesResult r = ApplyChanges(before, d.changes);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Ids(r.contract), Ids(after));
}

// ---------------------------------------------------------------------------
// ApplyChanges and InvertChanges.

Change Edit(const std::string& id, EditField field, FieldValue from, FieldValue to) {
  Change c;
  c.op = ChangeOp::kEdit;
  c.id = id;
  c.field = field;
  c.from = std::move(from);
  c.to = std::move(to);
  return c;
}

Change Move(const std::string& id, int64_t from, int64_t to) {
  Change c;
  c.op = ChangeOp::kMove;
  c.id = id;
  c.from_index = from;
  c.to_index = to;
  return c;
}

void ExpectConflict(const ApplyChangesResult& r, const std::string& path, const std::string& id) {
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].code, "CHANGE_CONFLICT");
  EXPECT_EQ(r.issues[0].severity, Severity::kError);
  EXPECT_EQ(r.issues[0].path, path);
  EXPECT_EQ(r.issues[0].milestone_id, id);
  EXPECT_EQ(r.issues[0].message.back(), '.');
  // All or nothing: the contract comes back as it was.
  EXPECT_EQ(ContractToJson(r.contract), ContractToJson(Four()));
}

TEST(ApplyChangesTest, StaleFromValueConflicts) {
  const std::vector<Change> changes = {
      Edit("m-2", EditField::kTitle, std::string("Build"), std::string("API")),
      Edit("m-1", EditField::kAmount, int64_t{9999}, int64_t{20000})};
  const ApplyChangesResult r = ApplyChanges(Four(), changes);
  ExpectConflict(r, "/changes/1", "m-1");
  EXPECT_NE(r.issues[0].message.find("Change 2"), std::string::npos) << r.issues[0].message;
}

TEST(ApplyChangesTest, MovedMilestoneConflicts) {
  ExpectConflict(ApplyChanges(Four(), {Move("m-2", 2, 0)}), "/changes/0", "m-2");
  ExpectConflict(ApplyChanges(Four(), {Move("m-2", 1, 4)}), "/changes/0", "m-2");
  ExpectConflict(ApplyChanges(Four(), {Move("m-2", -1, 0)}), "/changes/0", "m-2");
}

TEST(ApplyChangesTest, DeleteAndAddConflicts) {
  Change del;
  del.op = ChangeOp::kDelete;
  del.id = "m-3";
  del.index = 1;
  ExpectConflict(ApplyChanges(Four(), {del}), "/changes/0", "m-3");
  // The milestone it names was changed meanwhile.
  del.index = 2;
  del.milestone = Four().milestones[2];
  del.milestone.amount = 1;
  ExpectConflict(ApplyChanges(Four(), {del}), "/changes/0", "m-3");
  // Without a milestone, only the id and the index are checked.
  del.milestone = Milestone();
  EXPECT_TRUE(ApplyChanges(Four(), {del}).ok);

  Change add;
  add.op = ChangeOp::kAdd;
  add.id = "m-4";
  add.index = 0;
  add.milestone = Future("m-4", "Again", 500);
  ExpectConflict(ApplyChanges(Four(), {add}), "/changes/0", "m-4");
  add.id = add.milestone.id = "m-9";
  add.index = 5;
  ExpectConflict(ApplyChanges(Four(), {add}), "/changes/0", "m-9");
  add.index = 4;
  EXPECT_TRUE(ApplyChanges(Four(), {add}).ok);
}

TEST(ApplyChangesTest, EditOfVanishedMilestoneConflicts) {
  ExpectConflict(
      ApplyChanges(Four(), {Edit("m-7", EditField::kTitle, std::string("X"), std::string("Y"))}),
      "/changes/0", "m-7");
}

TEST(ApplyChangesTest, EditingDueDateToAndFromNull) {
  const ApplyChangesResult r =
      ApplyChanges(Four(), {Edit("m-3", EditField::kDueDate, nullptr, std::string("2027-01-01")),
                            Edit("m-1", EditField::kDueDate, std::string("2026-12-01"), nullptr)});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.contract.milestones[2].due_date, "2027-01-01");
  EXPECT_FALSE(r.contract.milestones[0].due_date.has_value());
}

TEST(ApplyChangesTest, InvertUndoesInReverse) {
  Contract after = Four();
  after.milestones.erase(after.milestones.begin() + 2);
  std::swap(after.milestones[0], after.milestones[2]);
  after.milestones.insert(after.milestones.begin(), Future("m-8", "New", 700));
  after.milestones[1].title = "Tests";
  const DiffResult d = Diff(Four(), after);
  const std::vector<Change> inverse = InvertChanges(d.changes);
  ASSERT_EQ(inverse.size(), d.changes.size());
  // The last change undone first, each op turned around.
  EXPECT_EQ(inverse.front().op, ChangeOp::kEdit);
  EXPECT_EQ(inverse.front().from, d.changes.back().to);
  EXPECT_EQ(inverse.back().op, ChangeOp::kAdd);  // undoes the first delete
  EXPECT_EQ(inverse.back().milestone.title, "Review");
  const ApplyChangesResult back = ApplyChanges(after, inverse);
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(ContractToJson(back.contract), ContractToJson(Four()));
  // Applying the inverse to the wrong side is a conflict, not a mess.
  EXPECT_FALSE(ApplyChanges(Four(), inverse).ok);
}

// ---------------------------------------------------------------------------
// The changes' JSON form.

TEST(ParseChangesTest, RoundTripsEveryOp) {
  Contract after = Four();
  after.milestones.erase(after.milestones.begin());
  std::swap(after.milestones[0], after.milestones[2]);
  after.milestones.push_back(Future("m-9", "Launch", 5000, "2027-03-01"));
  after.milestones.back().unknown.push_back({"color", "\"red\""});
  after.milestones[1].due_date.reset();
  after.milestones[1].description = "d";
  after.milestones[1].title = "T";
  after.milestones[1].amount = 600;
  const DiffResult d = Diff(Four(), after);
  const std::string text = ChangesToJson(d.changes);
  std::vector<Change> parsed;
  IssueList issues;
  ASSERT_TRUE(ParseChanges(text, &parsed, &issues))
      << issues.front().path << " " << issues.front().message;
  EXPECT_TRUE(issues.empty());
  EXPECT_EQ(ChangesToJson(parsed), text);
  const ApplyChangesResult r = ApplyChanges(Four(), parsed);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(ContractToJson(r.contract), ContractToJson(after));
}

TEST(ParseChangesTest, ShortFormsFillTheMilestone) {
  // A hand-written add needs only what a person would type; a delete need
  // not repeat the milestone.
  std::vector<Change> parsed;
  IssueList issues;
  ASSERT_TRUE(ParseChanges(
      R"([{"op":"add","id":"m-9","index":4,"milestone":{"title":"QA","amount":25000}},
          {"op":"delete","id":"m-1","index":0}])",
      &parsed, &issues))
      << issues.front().path << " " << issues.front().message;
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0].milestone.id, "m-9");
  EXPECT_EQ(parsed[0].milestone.state, MilestoneState::kNotFunded);
  const ApplyChangesResult r = ApplyChanges(Four(), parsed);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Ids(r.contract), (std::vector<std::string>{"m-2", "m-3", "m-4", "m-9"}));
}

std::vector<std::string> ParseProblems(const std::string& text) {
  std::vector<Change> parsed;
  IssueList issues;
  EXPECT_FALSE(ParseChanges(text, &parsed, &issues)) << text;
  EXPECT_TRUE(parsed.empty());
  std::vector<std::string> out;
  for (const Issue& i : issues) out.push_back(i.code + " " + i.path);
  return out;
}

TEST(ParseChangesTest, RefusesMalformedChanges) {
  using V = std::vector<std::string>;
  EXPECT_EQ(ParseProblems("[{]"), V{"INVALID_JSON /changes"});
  EXPECT_EQ(ParseProblems("{}"), V{"SCHEMA /changes"});
  EXPECT_EQ(ParseProblems("[1]"), V{"SCHEMA /changes/0"});
  EXPECT_EQ(ParseProblems(R"([{"op":"rename","id":"m-1"}])"), V{"SCHEMA /changes/0/op"});
  EXPECT_EQ(ParseProblems(R"([{"op":"move","id":"m-1","fromIndex":1.5,"toIndex":0}])"),
            V{"SCHEMA /changes/0/fromIndex"});
  EXPECT_EQ(ParseProblems(R"([{"op":"move","id":"m-1","toIndex":0,"to":3}])"),
            (V{"SCHEMA /changes/0/to", "SCHEMA /changes/0/fromIndex"}));
  EXPECT_EQ(ParseProblems(R"([{"op":"edit","id":"m-1","field":"state","from":"a","to":"b"}])"),
            V{"SCHEMA /changes/0/field"});
  EXPECT_EQ(ParseProblems(R"([{"op":"edit","id":"m-1","field":"amount","from":100,"to":1.5}])"),
            V{"INVALID_AMOUNT /changes/0/to"});
  EXPECT_EQ(ParseProblems(R"([{"op":"edit","id":"m-1","field":"title","from":null,"to":"x"}])"),
            V{"SCHEMA /changes/0/from"});
  EXPECT_EQ(ParseProblems(R"([{"op":"edit","id":"m-1","field":"dueDate","to":null}])"),
            V{"SCHEMA /changes/0/from"});
  EXPECT_EQ(ParseProblems(R"([{"op":"add","id":"m-9","index":0}])"),
            V{"SCHEMA /changes/0/milestone"});
  EXPECT_EQ(ParseProblems(R"([{"op":"add","id":"m-9","index":0,"milestone":{"title":"x"}}])"),
            V{"SCHEMA /changes/0/milestone/amount"});
  EXPECT_EQ(
      ParseProblems(
          R"([{"op":"add","id":"m-9","index":0,"milestone":{"id":"m-8","title":"x","amount":500}}])"),
      V{"SCHEMA /changes/0/milestone/id"});
}

TEST(DiffResultJsonTest, HasTheThreeMembers) {
  Contract after = Four();
  after.milestones[3].amount = 12345;
  const std::string text = DiffResultToJson(Diff(Four(), after));
  json::Value v;
  json::ParseError error;
  ASSERT_TRUE(json::Parse(text, &v, &error)) << text;
  ASSERT_TRUE(v.Find("changes") && v.Find("changes")->is_array());
  ASSERT_TRUE(v.Find("patch") && v.Find("patch")->is_array());
  ASSERT_TRUE(v.Find("summary") && v.Find("summary")->is_array());
  EXPECT_EQ(v.Find("summary")->items()[0].as_string(),
            "Changed the amount of “Testing” from $100.00 to $123.45.");
}

}  // namespace
}  // namespace milestone
