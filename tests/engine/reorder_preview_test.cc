// Engine::PreviewReorder: what a drag would do, before the drop.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/engine.h"

namespace milestone {
namespace {

// Released, active, then three future milestones due in order.
constexpr char kContract[] = R"({
  "id": "ctr-1", "version": 3, "currency": "USD", "status": "open",
  "initiationFeeCharged": true, "carryOver": 0, "changeRequest": null,
  "milestones": [
    {"id": "m-1", "title": "Wireframes", "dueDate": "2026-12-01", "amount": 50000,
     "state": "released", "funded": 50000, "released": 50000},
    {"id": "m-2", "title": "Build", "dueDate": "2026-12-10", "amount": 120000,
     "state": "active", "funded": 120000, "released": 0},
    {"id": "m-3", "title": "Testing", "dueDate": "2026-12-20", "amount": 30000,
     "state": "not_funded", "funded": 0, "released": 0},
    {"id": "m-4", "title": "Launch", "dueDate": null, "amount": 30000,
     "state": "not_funded", "funded": 0, "released": 0},
    {"id": "m-5", "title": "Support", "dueDate": "2027-01-15", "amount": 10000,
     "state": "not_funded", "funded": 0, "released": 0}
  ]})";

Contract Load(const char* text = kContract) {
  Contract c;
  IssueList issues;
  EXPECT_TRUE(ParseContract(text, &c, &issues));
  return c;
}

std::vector<std::string> Codes(const IssueList& issues) {
  std::vector<std::string> out;
  for (const Issue& i : issues) out.push_back(i.code);
  return out;
}

using Ids = std::vector<std::string>;

TEST(ReorderPreviewTest, AllowedMoveGivesOrderAndOneChange) {
  const Engine engine;
  const ReorderPreview p = engine.PreviewReorder(Load(), "m-4", 2, {});
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.issues.empty()) << p.issues.front().message;
  EXPECT_EQ(p.order, (Ids{"m-1", "m-2", "m-4", "m-3", "m-5"}));
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].op, ChangeOp::kMove);
  EXPECT_EQ(p.changes[0].id, "m-4");
  EXPECT_EQ(p.changes[0].from_index, 3);
  EXPECT_EQ(p.changes[0].to_index, 2);
  EXPECT_EQ(p.allowed_from, 2);
  EXPECT_EQ(p.allowed_to, 4);
}

TEST(ReorderPreviewTest, ChangesApplyToGiveTheOrder) {
  const Engine engine;
  const Contract c = Load();
  const ReorderPreview p = engine.PreviewReorder(c, "m-3", 4, {});
  ASSERT_TRUE(p.ok);
  const ApplyChangesResult r = ApplyChanges(c, p.changes);
  ASSERT_TRUE(r.ok);
  Ids ids;
  for (const Milestone& m : r.contract.milestones) ids.push_back(m.id);
  EXPECT_EQ(ids, p.order);
}

TEST(ReorderPreviewTest, DroppingInPlaceChangesNothing) {
  const Engine engine;
  const ReorderPreview p = engine.PreviewReorder(Load(), "m-3", 2, {});
  EXPECT_TRUE(p.ok);
  EXPECT_TRUE(p.changes.empty());
  EXPECT_EQ(p.order, (Ids{"m-1", "m-2", "m-3", "m-4", "m-5"}));
}

TEST(ReorderPreviewTest, LockedMilestoneCannotMoveAnywhere) {
  const Engine engine;
  for (const char* id : {"m-1", "m-2"}) {
    SCOPED_TRACE(id);
    const ReorderPreview p = engine.PreviewReorder(Load(), id, 4, {});
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(Codes(p.issues), Ids{"MILESTONE_LOCKED"});
    EXPECT_EQ(p.issues[0].milestone_id, id);
    EXPECT_GT(p.allowed_from, p.allowed_to);  // nowhere
    EXPECT_TRUE(p.changes.empty());
    EXPECT_EQ(p.order, (Ids{"m-1", "m-2", "m-3", "m-4", "m-5"}));
  }
}

TEST(ReorderPreviewTest, NothingMovesAboveAnInFlightOrClosedOne) {
  const Engine engine;
  for (int64_t to : {0, 1}) {
    const ReorderPreview p = engine.PreviewReorder(Load(), "m-5", to, {});
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(Codes(p.issues), Ids{"MOVE_INTO_LOCKED_RANGE"});
    EXPECT_EQ(p.issues[0].path, "/toIndex");
    EXPECT_NE(p.issues[0].message.find("“Build”"), std::string::npos) << p.issues[0].message;
    EXPECT_EQ(p.allowed_from, 2);
    EXPECT_EQ(p.allowed_to, 4);
    EXPECT_TRUE(p.changes.empty());
  }
}

TEST(ReorderPreviewTest, UnknownIdAndOutOfRangeIndex) {
  const Engine engine;
  ReorderPreview p = engine.PreviewReorder(Load(), "m-404", 2, {});
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(Codes(p.issues), Ids{"UNKNOWN_MILESTONE"});
  EXPECT_GT(p.allowed_from, p.allowed_to);

  for (int64_t to : {-1, 5, 1000000}) {
    p = engine.PreviewReorder(Load(), "m-3", to, {});
    EXPECT_FALSE(p.ok);
    EXPECT_EQ(Codes(p.issues), Ids{"SCHEMA"});
    EXPECT_EQ(p.issues[0].path, "/toIndex");
    EXPECT_EQ(p.allowed_from, 2);  // still says where a drop works
    EXPECT_EQ(p.allowed_to, 4);
  }
}

TEST(ReorderPreviewTest, WarnsOfDueDatesTheNewOrderPutsOutOfOrder) {
  const Engine engine;
  // Support (Jan 15) above Testing (Dec 20).
  const ReorderPreview p = engine.PreviewReorder(Load(), "m-5", 2, {});
  EXPECT_TRUE(p.ok);  // a warning, not a refusal
  EXPECT_EQ(Codes(p.issues), Ids{"DUE_DATES_OUT_OF_ORDER"});
  EXPECT_EQ(p.issues[0].milestone_id, "m-3");
  EXPECT_EQ(p.issues[0].path, "/milestones/3/dueDate");  // the new index
  EXPECT_EQ(p.issues[0].severity, Severity::kWarning);
  // With a clock, dates in the past are reported as well.
  ValidateOptions options;
  options.now = "2027-01-01";
  const ReorderPreview late = engine.PreviewReorder(Load(), "m-5", 2, options);
  EXPECT_EQ(Codes(late.issues),
            (Ids{"DUE_DATE_IN_PAST", "DUE_DATE_IN_PAST", "DUE_DATES_OUT_OF_ORDER"}));
}

TEST(ReorderPreviewTest, EndedContractCannotBeReordered) {
  Contract c = Load();
  c.status = ContractStatus::kEnded;
  c.milestones[1].state = MilestoneState::kRefunded;
  const ReorderPreview p = Engine().PreviewReorder(c, "m-4", 2, {});
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(Codes(p.issues), Ids{"CONTRACT_ENDED"});
}

TEST(ReorderPreviewTest, AllFutureListAllowsEverywhere) {
  Contract c = Load();
  c.milestones.erase(c.milestones.begin(), c.milestones.begin() + 2);
  const ReorderPreview p = Engine().PreviewReorder(c, "m-5", 0, {});
  EXPECT_EQ(p.allowed_from, 0);
  EXPECT_EQ(p.allowed_to, 2);
  EXPECT_EQ(p.order, (Ids{"m-5", "m-3", "m-4"}));
}

TEST(ReorderPreviewTest, JsonShape) {
  const ReorderPreview p = Engine().PreviewReorder(Load(), "m-4", 2, {});
  EXPECT_EQ(ReorderPreviewToJson(p),
            R"({"ok":true,"order":["m-1","m-2","m-4","m-3","m-5"],)"
            R"("changes":[{"op":"move","id":"m-4","fromIndex":3,"toIndex":2}],)"
            R"("issues":[],"summary":["Moved “Launch” from position 4 to 3."],)"
            R"("allowedRange":{"from":2,"to":4}})");
  const ReorderPreview locked = Engine().PreviewReorder(Load(), "m-2", 2, {});
  json::Value v;
  json::ParseError error;
  ASSERT_TRUE(json::Parse(ReorderPreviewToJson(locked), &v, &error));
  EXPECT_FALSE(v.Find("ok")->as_bool());
  EXPECT_EQ(v.Find("issues")->items().size(), 1u);
  EXPECT_EQ(v.Find("allowedRange")->Find("from")->as_int(), 0);
  EXPECT_EQ(v.Find("allowedRange")->Find("to")->as_int(), -1);
}

TEST(ReorderPreviewTest, TenThousandMilestonesOneMove) {
  Policy policy;
  policy.max_milestones = 20000;
  Contract c;
  c.id = "ctr-big";
  for (int i = 0; i < 10000; ++i) {
    Milestone m;
    m.id = "m-" + std::to_string(i);
    m.title = "Step";
    m.amount = 500;
    c.milestones.push_back(m);
  }
  const ReorderPreview p = Engine(policy).PreviewReorder(c, "m-9999", 0, {});
  EXPECT_TRUE(p.ok);
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.order.front(), "m-9999");
  EXPECT_EQ(p.order.back(), "m-9998");
}

}  // namespace
}  // namespace milestone
