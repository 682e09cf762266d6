// Property test of Diff, ApplyChanges, InvertChanges and the RFC 6902 patch
// over seeded random pairs of contracts (shuffles, deletes, adds, edits).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "json.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "rules.h"
#include "test_rng.h"

namespace milestone {
namespace {

using testing::Rng;

const char* const kTitles[] = {"Design",     "Build", "Testing", "Launch",      "QA",
                               "Wireframes", "API",   "Docs",    "Café “menu”", ""};

std::string RandomDate(Rng& rng) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "20%02d-%02d-%02d", static_cast<int>(26 + rng.Below(3)),
                static_cast<int>(1 + rng.Below(12)), static_cast<int>(1 + rng.Below(28)));
  return buf;
}

Milestone RandomMilestone(Rng& rng, const std::string& id) {
  Milestone m;
  m.id = id;
  m.title = kTitles[rng.Below(10)];
  m.description = rng.Chance(30) ? "Notes " + std::to_string(rng.Below(5)) : "";
  if (rng.Chance(70)) m.due_date = RandomDate(rng);
  m.amount = 500 + rng.Below(100000);
  return m;
}

void RandomEdit(Rng& rng, Milestone* m) {
  switch (rng.Below(4)) {
    case 0:
      m->title = kTitles[rng.Below(10)] + std::string(" v2");
      break;
    case 1:
      m->description = m->description.empty() ? "Added notes" : "";
      break;
    case 2:
      if (m->due_date && rng.Chance(40)) {
        m->due_date.reset();
      } else {
        m->due_date = RandomDate(rng);
      }
      break;
    default:
      m->amount += 1 + rng.Below(5000);
      break;
  }
}

// Longest strictly increasing subsequence length, by a route other than the
// engine's (binary search over tail values, no reconstruction).
size_t LisLength(const std::vector<int>& seq) {
  std::vector<int> tails;
  for (int x : seq) {
    auto it = std::lower_bound(tails.begin(), tails.end(), x);
    if (it == tails.end()) {
      tails.push_back(x);
    } else {
      *it = x;
    }
  }
  return tails.size();
}

size_t ExpectedMoves(const Contract& before, const Contract& after) {
  std::vector<int> ranks;
  for (const Milestone& m : before.milestones) {
    const int64_t j = FindMilestone(after, m.id);
    if (j >= 0) ranks.push_back(static_cast<int>(j));
  }
  return ranks.size() - LisLength(ranks);
}

// ---------------------------------------------------------------------------
// A small RFC 6902 applier, written apart from the engine so the patch is
// checked by something that did not produce it.

bool ParsePointer(const std::string& pointer, std::vector<std::string>* out) {
  out->clear();
  if (pointer.empty()) return true;
  if (pointer[0] != '/') return false;
  std::string token;
  for (size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      out->push_back(token);
      token.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 >= pointer.size()) return false;
      const char e = pointer[++i];
      if (e == '0') {
        token += '~';
      } else if (e == '1') {
        token += '/';
      } else {
        return false;
      }
    } else {
      token += pointer[i];
    }
  }
  return true;
}

bool ArrayIndex(const std::string& token, size_t limit, size_t* out) {
  if (token.empty() || token.size() > 9) return false;
  if (token.size() > 1 && token[0] == '0') return false;
  size_t v = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  if (v > limit) return false;
  *out = v;
  return true;
}

json::Value* Child(json::Value* parent, const std::string& token) {
  if (parent->is_object()) {
    for (json::Member& m : parent->members()) {
      if (m.first == token) return &m.second;
    }
    return nullptr;
  }
  if (parent->is_array()) {
    size_t i = 0;
    if (!ArrayIndex(token, parent->items().size() - 1, &i) || parent->items().empty()) {
      return nullptr;
    }
    return &parent->items()[i];
  }
  return nullptr;
}

// The container holding the pointer's last token.
json::Value* Parent(json::Value* doc, const std::vector<std::string>& tokens) {
  json::Value* v = doc;
  for (size_t i = 0; i + 1 < tokens.size() && v; ++i) v = Child(v, tokens[i]);
  return v;
}

bool Remove(json::Value* doc, const std::string& path, json::Value* removed) {
  std::vector<std::string> tokens;
  if (!ParsePointer(path, &tokens) || tokens.empty()) return false;
  json::Value* parent = Parent(doc, tokens);
  if (!parent) return false;
  if (parent->is_object()) {
    auto& members = parent->members();
    for (auto it = members.begin(); it != members.end(); ++it) {
      if (it->first == tokens.back()) {
        *removed = std::move(it->second);
        members.erase(it);
        return true;
      }
    }
    return false;
  }
  if (!parent->is_array() || parent->items().empty()) return false;
  size_t i = 0;
  if (!ArrayIndex(tokens.back(), parent->items().size() - 1, &i)) return false;
  *removed = std::move(parent->items()[i]);
  parent->items().erase(parent->items().begin() + i);
  return true;
}

bool Add(json::Value* doc, const std::string& path, json::Value value) {
  std::vector<std::string> tokens;
  if (!ParsePointer(path, &tokens) || tokens.empty()) return false;
  json::Value* parent = Parent(doc, tokens);
  if (!parent) return false;
  if (parent->is_object()) {
    for (json::Member& m : parent->members()) {
      if (m.first == tokens.back()) {
        m.second = std::move(value);
        return true;
      }
    }
    parent->members().emplace_back(tokens.back(), std::move(value));
    return true;
  }
  if (!parent->is_array()) return false;
  auto& items = parent->items();
  size_t i = items.size();
  if (tokens.back() != "-" && !ArrayIndex(tokens.back(), items.size(), &i)) {
    return false;
  }
  items.insert(items.begin() + i, std::move(value));
  return true;
}

// Applies `patch` (JSON text) to `doc`; false at the first operation that is
// malformed or whose target does not exist.
bool ApplyJsonPatch(const std::string& patch, json::Value* doc, std::string* error) {
  json::Value ops;
  json::ParseError parse_error;
  json::Limits limits;
  limits.max_bytes = 64u << 20;
  if (!json::Parse(patch, &ops, &parse_error, limits) || !ops.is_array()) {
    *error = "unreadable patch";
    return false;
  }
  for (const json::Value& op : ops.items()) {
    const json::Value* name = op.Find("op");
    const json::Value* path = op.Find("path");
    if (!name || !name->is_string() || !path || !path->is_string()) {
      *error = "operation without op or path";
      return false;
    }
    const std::string& verb = name->as_string();
    const std::string& where = path->as_string();
    bool done = false;
    if (verb == "add") {
      const json::Value* value = op.Find("value");
      done = value && Add(doc, where, *value);
    } else if (verb == "remove") {
      json::Value gone;
      done = Remove(doc, where, &gone);
    } else if (verb == "replace") {
      const json::Value* value = op.Find("value");
      std::vector<std::string> tokens;
      json::Value* target = nullptr;
      if (value && ParsePointer(where, &tokens) && !tokens.empty()) {
        json::Value* parent = Parent(doc, tokens);
        if (parent) target = Child(parent, tokens.back());
      }
      if (target) {
        *target = *value;
        done = true;
      }
    } else if (verb == "move") {
      const json::Value* from = op.Find("from");
      json::Value moving;
      done = from && from->is_string() && Remove(doc, from->as_string(), &moving) &&
             Add(doc, where, std::move(moving));
    }
    if (!done) {
      *error = "failed: " + json::Write(op);
      return false;
    }
  }
  return true;
}

std::string MilestonesJson(const Contract& c) {
  return json::Write(*ContractToValue(c).Find("milestones"));
}

std::string Describe(const Contract& c) {
  std::string s;
  for (const Milestone& m : c.milestones) s += m.id + " ";
  return s;
}

// Field by field rather than through JSON: this runs 20,000 times.
::testing::AssertionResult SameMilestones(const Contract& got, const Contract& want) {
  bool same = got.milestones.size() == want.milestones.size();
  for (size_t i = 0; same && i < got.milestones.size(); ++i) {
    const Milestone& a = got.milestones[i];
    const Milestone& b = want.milestones[i];
    same = a.id == b.id && a.title == b.title && a.description == b.description &&
           a.due_date == b.due_date && a.amount == b.amount && a.state == b.state &&
           a.funded == b.funded && a.released == b.released && a.unknown.size() == b.unknown.size();
  }
  if (same) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "got " << MilestonesJson(got) << "\nwant " << MilestonesJson(want);
}

Contract MakeBefore(Rng& rng, int* next_id) {
  Contract c;
  c.id = "ctr-prop";
  const int64_t n = rng.Below(201);
  for (int64_t i = 0; i < n; ++i) {
    c.milestones.push_back(RandomMilestone(rng, "m-" + std::to_string((*next_id)++)));
  }
  return c;
}

Contract MakeAfter(Rng& rng, const Contract& before, int* next_id) {
  Contract after = before;
  std::vector<Milestone>& list = after.milestones;
  // Deletes.
  if (!list.empty() && rng.Chance(50)) {
    const int64_t k = rng.Below(std::min<int64_t>(list.size(), 20) + 1);
    for (int64_t i = 0; i < k && !list.empty(); ++i) {
      list.erase(list.begin() + rng.Below(list.size()));
    }
  }
  // Reorders: a few moves, a full shuffle, or a reversal.
  const int64_t kind = rng.Below(10);
  if (!list.empty() && kind < 5) {
    const int64_t k = 1 + rng.Below(5);
    for (int64_t i = 0; i < k; ++i) {
      const int64_t from = rng.Below(list.size());
      const int64_t to = rng.Below(list.size());
      Milestone m = std::move(list[from]);
      list.erase(list.begin() + from);
      list.insert(list.begin() + to, std::move(m));
    }
  } else if (kind < 7) {
    for (size_t i = list.size(); i > 1; --i) {
      std::swap(list[i - 1], list[rng.Below(i)]);
    }
  } else if (kind == 7) {
    std::reverse(list.begin(), list.end());
  }
  // Adds.
  if (rng.Chance(50)) {
    const int64_t k = rng.Below(10) + 1;
    for (int64_t i = 0; i < k; ++i) {
      const int64_t at = rng.Below(list.size() + 1);
      list.insert(list.begin() + at, RandomMilestone(rng, "n-" + std::to_string((*next_id)++)));
    }
  }
  // Edits.
  if (!list.empty() && rng.Chance(60)) {
    const int64_t k = rng.Below(15) + 1;
    for (int64_t i = 0; i < k; ++i) RandomEdit(rng, &list[rng.Below(list.size())]);
  }
  return after;
}

TEST(DiffPropertyTest, RandomPairsRoundTrip) {
  constexpr int kPairs = 10000;
  Rng rng(20261127);
  int next_id = 0;
  int checked_patch = 0;
  for (int pair = 0; pair < kPairs; ++pair) {
    const Contract before = MakeBefore(rng, &next_id);
    const Contract after = MakeAfter(rng, before, &next_id);
    SCOPED_TRACE("pair " + std::to_string(pair));

    const DiffResult diff = Diff(before, after);
    ASSERT_EQ(diff.summary.size(), diff.changes.size());

    // (a) The fewest moves, and no move or edit that does nothing.
    size_t moves = 0;
    for (const Change& c : diff.changes) {
      if (c.op == ChangeOp::kMove) {
        ++moves;
        ASSERT_NE(c.from_index, c.to_index);
      }
      if (c.op == ChangeOp::kEdit) {
        ASSERT_FALSE(c.from == c.to);
      }
    }
    ASSERT_EQ(moves, ExpectedMoves(before, after)) << Describe(before) << "-> " << Describe(after);

    // (b) The changes rebuild `after`.
    const ApplyChangesResult forward = ApplyChanges(before, diff.changes);
    ASSERT_TRUE(forward.ok) << forward.issues.front().message;
    ASSERT_TRUE(SameMilestones(forward.contract, after));

    // (c) Their inverse rebuilds `before`.
    const ApplyChangesResult back = ApplyChanges(after, InvertChanges(diff.changes));
    ASSERT_TRUE(back.ok) << back.issues.front().message;
    ASSERT_TRUE(SameMilestones(back.contract, before));

    // (d) The patch, applied by an independent RFC 6902 applier.
    json::Value doc = ContractToValue(before);
    std::string error;
    ASSERT_TRUE(ApplyJsonPatch(diff.patch, &doc, &error)) << error;
    ASSERT_EQ(json::Write(*doc.Find("milestones")), MilestonesJson(after));
    ++checked_patch;

    // The changes survive their JSON form (every 10th pair: it is slower).
    if (pair % 10 == 0) {
      std::vector<Change> parsed;
      IssueList issues;
      ASSERT_TRUE(ParseChanges(ChangesToJson(diff.changes), &parsed, &issues))
          << (issues.empty() ? "" : issues.front().path + " " + issues.front().message);
      ASSERT_EQ(ChangesToJson(parsed), ChangesToJson(diff.changes));
    }
  }
  EXPECT_EQ(checked_patch, kPairs);
}

// The applier itself must refuse what RFC 6902 refuses, or (d) proves little.
TEST(DiffPropertyTest, IndependentApplierRefusesMissingTargets) {
  json::Value doc = json::Value::Object();
  doc.Set("milestones", json::Value::Array());
  std::string error;
  EXPECT_FALSE(ApplyJsonPatch(R"([{"op":"remove","path":"/milestones/0"}])", &doc, &error));
  EXPECT_FALSE(ApplyJsonPatch(R"([{"op":"replace","path":"/milestones/0/title","value":"x"}])",
                              &doc, &error));
  EXPECT_FALSE(ApplyJsonPatch(R"([{"op":"move","from":"/milestones/1","path":"/milestones/0"}])",
                              &doc, &error));
  EXPECT_TRUE(
      ApplyJsonPatch(R"([{"op":"add","path":"/milestones/0","value":{"id":"a"}}])", &doc, &error));
  EXPECT_EQ(json::Write(doc), R"({"milestones":[{"id":"a"}]})");
}

}  // namespace
}  // namespace milestone
