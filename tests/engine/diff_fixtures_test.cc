// Runs every case of tests/fixtures/diff/ (format: its README.md) through
// Diff, ApplyChanges or Engine::PreviewReorder.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "fixture_loader.h"
#include "json.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/engine.h"

namespace milestone {
namespace {

// Deep equality, member order aside (a JS runner compares the same way).
bool JsonEqual(const json::Value& a, const json::Value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case json::Type::kNull:
      return true;
    case json::Type::kBool:
      return a.as_bool() == b.as_bool();
    case json::Type::kNumber:
      if (a.is_int() != b.is_int()) return false;
      return a.is_int() ? a.as_int() == b.as_int() : a.number_text() == b.number_text();
    case json::Type::kString:
      return a.as_string() == b.as_string();
    case json::Type::kArray:
      if (a.items().size() != b.items().size()) return false;
      for (size_t i = 0; i < a.items().size(); ++i) {
        if (!JsonEqual(a.items()[i], b.items()[i])) return false;
      }
      return true;
    case json::Type::kObject:
      if (a.members().size() != b.members().size()) return false;
      for (const json::Member& m : a.members()) {
        const json::Value* other = b.Find(m.first);
        if (!other || !JsonEqual(m.second, *other)) return false;
      }
      return true;
  }
  return false;
}

json::Value ParseOrDie(const std::string& text) {
  json::Value v;
  json::ParseError error;
  EXPECT_TRUE(json::Parse(text, &v, &error)) << error.message << ": " << text;
  return v;
}

// Compares `actual` (JSON text) with the case's expect[key] when present.
void ExpectMember(const json::Value& expect, const char* key, const std::string& actual) {
  const json::Value* want = expect.Find(key);
  if (!want) return;
  EXPECT_TRUE(JsonEqual(ParseOrDie(actual), *want))
      << key << "\n  got:  " << actual << "\n  want: " << json::Write(*want);
}

Contract ReadDocument(const json::Value& doc) {
  Contract c;
  IssueList issues;
  EXPECT_TRUE(ParseContract(json::Write(doc), &c, &issues));
  return c;
}

std::string IdsJson(const Contract& c) {
  json::Value ids = json::Value::Array();
  for (const Milestone& m : c.milestones) ids.Push(json::Value::String(m.id));
  return json::Write(ids);
}

// The (code, path, severity) of each issue, as the cases list them.
std::string IssueKeys(const IssueList& issues) {
  json::Value list = json::Value::Array();
  for (const Issue& i : issues) {
    json::Value v = json::Value::Object();
    v.Set("code", json::Value::String(i.code));
    v.Set("path", json::Value::String(i.path));
    v.Set("severity", json::Value::String(i.severity == Severity::kError ? "error" : "warning"));
    list.Push(std::move(v));
  }
  return json::Write(list);
}

void RunDiffCase(const json::Value& data) {
  const json::Value& input = *data.Find("input");
  const Contract before = ReadDocument(*input.Find("before"));
  const Contract after = ReadDocument(*input.Find("after"));
  const DiffResult result = Diff(before, after);
  const json::Value& expect = *data.Find("expect");
  const json::Value all = ParseOrDie(DiffResultToJson(result));
  ExpectMember(expect, "changes", json::Write(*all.Find("changes")));
  ExpectMember(expect, "patch", json::Write(*all.Find("patch")));
  ExpectMember(expect, "summary", json::Write(*all.Find("summary")));
  if (const json::Value* moves = expect.Find("moveCount")) {
    int64_t count = 0;
    for (const Change& c : result.changes) count += c.op == ChangeOp::kMove;
    EXPECT_EQ(count, moves->as_int());
  }
  // Whatever the case pins down, the changes must rebuild both sides.
  const ApplyChangesResult forward = ApplyChanges(before, result.changes);
  ASSERT_TRUE(forward.ok);
  EXPECT_EQ(ContractToJson(forward.contract), ContractToJson(after));
  const ApplyChangesResult back = ApplyChanges(after, InvertChanges(result.changes));
  ASSERT_TRUE(back.ok);
  EXPECT_EQ(ContractToJson(back.contract), ContractToJson(before));
}

void RunApplyChangesCase(const json::Value& data) {
  const Contract contract = ReadDocument(*data.Find("input"));
  std::vector<Change> changes;
  IssueList parse_issues;
  ASSERT_TRUE(
      ParseChanges(json::Write(*data.Find("action")->Find("changes")), &changes, &parse_issues))
      << IssueKeys(parse_issues);
  const ApplyChangesResult result = ApplyChanges(contract, changes);
  const json::Value& expect = *data.Find("expect");
  EXPECT_EQ(result.ok, expect.Find("ok")->as_bool());
  ExpectMember(expect, "issues", IssueKeys(result.issues));
  ExpectMember(expect, "order", IdsJson(result.contract));
}

void RunReorderCase(const json::Value& data) {
  const Contract contract = ReadDocument(*data.Find("input"));
  const json::Value& action = *data.Find("action");
  ValidateOptions options;
  if (const json::Value* o = data.Find("options")) {
    if (const json::Value* now = o->Find("now")) options.now = now->as_string();
  }
  const ReorderPreview preview = Engine().PreviewReorder(contract, action.Find("id")->as_string(),
                                                         action.Find("toIndex")->as_int(), options);
  const json::Value all = ParseOrDie(ReorderPreviewToJson(preview));
  const json::Value& expect = *data.Find("expect");
  EXPECT_EQ(preview.ok, expect.Find("ok")->as_bool());
  ExpectMember(expect, "order", json::Write(*all.Find("order")));
  ExpectMember(expect, "changes", json::Write(*all.Find("changes")));
  ExpectMember(expect, "allowedRange", json::Write(*all.Find("allowedRange")));
  ExpectMember(expect, "issues", IssueKeys(preview.issues));
}

TEST(DiffFixtures, EveryCaseMatches) {
  const auto fixtures = testing::LoadFixtures("diff");
  ASSERT_GE(fixtures.size(), 20u);
  std::set<std::string> kinds;
  for (const auto& f : fixtures) {
    SCOPED_TRACE(f.file);
    const json::Value* action = f.data.Find("action");
    const std::string kind = action ? action->Find("type")->as_string() : std::string("diff");
    kinds.insert(kind);
    if (kind == "diff") {
      RunDiffCase(f.data);
    } else if (kind == "applyChanges") {
      RunApplyChangesCase(f.data);
    } else if (kind == "previewReorder") {
      RunReorderCase(f.data);
    } else {
      ADD_FAILURE() << "unknown action type " << kind;
    }
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"diff", "applyChanges", "previewReorder"}));
}

// The comparison the cases rest on must tell different values apart.
TEST(DiffFixtures, JsonEqualIgnoresOnlyMemberOrder) {
  EXPECT_TRUE(JsonEqual(ParseOrDie(R"({"a":1,"b":[true,null]})"),
                        ParseOrDie(R"({"b":[true,null],"a":1})")));
  EXPECT_FALSE(JsonEqual(ParseOrDie(R"({"a":1})"), ParseOrDie(R"({"a":2})")));
  EXPECT_FALSE(JsonEqual(ParseOrDie(R"([1,2])"), ParseOrDie(R"([2,1])")));
  EXPECT_FALSE(JsonEqual(ParseOrDie(R"({"a":1})"), ParseOrDie(R"({"a":1,"b":1})")));
  EXPECT_FALSE(JsonEqual(ParseOrDie(R"("1")"), ParseOrDie("1")));
}

}  // namespace
}  // namespace milestone
