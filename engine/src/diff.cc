// Diffs between two contracts and the change lists they produce (SPEC 4.1).
//
// A diff's steps come in a fixed order, so each index is easy to state and a
// list applied in order rebuilds `after` (docs/diff.md):
//   1. deletes, front to back (index: the list at that step);
//   2. moves of the common milestones not in the longest increasing
//      subsequence of their after-order, in after-order (the fewest moves);
//   3. adds, in after-order (index: the index in `after`);
//   4. edits, in after-order, fields in the order title, description,
//      dueDate, amount (by id; the patch's index is the index in `after`).

#include "milestone/diff.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "json.h"
#include "milestone/codes.h"
#include "milestone/date.h"
#include "milestone/money.h"
#include "rules.h"
#include "sentences.h"

namespace milestone {

// Shared with changeset.cc (declared in rules.h).

FieldValue GetField(const Milestone& m, EditField field) {
  switch (field) {
    case EditField::kTitle:
      return m.title;
    case EditField::kDescription:
      return m.description;
    case EditField::kDueDate:
      if (m.due_date) return *m.due_date;
      return nullptr;
    case EditField::kAmount:
      return m.amount;
  }
  return nullptr;
}

// `value` must fit the field (FitsField, changeset.cc).
void SetField(Milestone* m, EditField field, const FieldValue& value) {
  switch (field) {
    case EditField::kTitle:
      m->title = std::get<std::string>(value);
      break;
    case EditField::kDescription:
      m->description = std::get<std::string>(value);
      break;
    case EditField::kDueDate:
      if (std::holds_alternative<std::string>(value)) {
        m->due_date = std::get<std::string>(value);
      } else {
        m->due_date.reset();
      }
      break;
    case EditField::kAmount:
      m->amount = std::get<int64_t>(value);
      break;
  }
}

const char* OpName(ChangeOp op) {
  switch (op) {
    case ChangeOp::kAdd:
      return "add";
    case ChangeOp::kDelete:
      return "delete";
    case ChangeOp::kEdit:
      return "edit";
    case ChangeOp::kMove:
      return "move";
  }
  return "edit";
}

bool SameEditableFields(const Milestone& a, const Milestone& b) {
  return a.title == b.title && a.description == b.description && a.due_date == b.due_date &&
         a.amount == b.amount;
}

namespace {

json::Value FieldToValue(const FieldValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    return json::Value::String(*s);
  }
  if (const auto* i = std::get_if<int64_t>(&value)) return json::Value::Int(*i);
  return json::Value::Null();
}

// ---------------------------------------------------------------------------
// Summary sentences.

// ---------------------------------------------------------------------------
// RFC 6902 patch operations.

std::string ElementPointer(int64_t index) { return "/milestones/" + std::to_string(index); }

json::Value PatchOp(const char* op, const std::string& path) {
  json::Value v = json::Value::Object();
  v.Set("op", json::Value::String(op));
  v.Set("path", json::Value::String(path));
  return v;
}

// Optional members (description, dueDate) may be absent from the document as
// written; RFC 6902 "add" on an object member replaces it when present and
// creates it when not, so it is right either way. Required members are
// always there, and "replace" says what happens.
const char* PatchVerbFor(EditField field) {
  return field == EditField::kTitle || field == EditField::kAmount ? "replace" : "add";
}

// Steps for what a Change cannot say (state, ledger, unknown fields), so the
// patch yields `after`'s milestones exactly even when those differ.
void AppendNonEditablePatch(const Milestone& b, const Milestone& a, int64_t index,
                            json::Value* patch) {
  if (b.state == a.state && b.funded == a.funded && b.released == a.released && b.unknown.empty() &&
      a.unknown.empty()) {
    return;  // the common case, checked before any string is built
  }
  const std::string base = ElementPointer(index) + "/";
  if (b.state != a.state) {
    json::Value op = PatchOp("replace", base + "state");
    op.Set("value", json::Value::String(StateName(a.state)));
    patch->Push(std::move(op));
  }
  if (b.funded != a.funded) {
    json::Value op = PatchOp("replace", base + "funded");
    op.Set("value", json::Value::Int(a.funded));
    patch->Push(std::move(op));
  }
  if (b.released != a.released) {
    json::Value op = PatchOp("replace", base + "released");
    op.Set("value", json::Value::Int(a.released));
    patch->Push(std::move(op));
  }
  for (const UnknownField& f : b.unknown) {
    bool kept = false;
    for (const UnknownField& g : a.unknown) kept = kept || g.key == f.key;
    if (!kept) patch->Push(PatchOp("remove", base + PointerToken(f.key)));
  }
  for (const UnknownField& g : a.unknown) {
    const UnknownField* was = nullptr;
    for (const UnknownField& f : b.unknown) {
      if (f.key == g.key) was = &f;
    }
    if (was && was->json == g.json) continue;
    json::Value value;
    json::ParseError error;
    if (!json::Parse(g.json, &value, &error)) continue;  // was read as JSON
    json::Value op = PatchOp("add", base + PointerToken(g.key));
    op.Set("value", std::move(value));
    patch->Push(std::move(op));
  }
}

// ---------------------------------------------------------------------------
// Fewest moves.

// Indices (into `seq`) of one longest strictly increasing subsequence,
// by patience sorting: O(n log n).
std::vector<bool> LongestIncreasing(const std::vector<int32_t>& seq) {
  const size_t n = seq.size();
  std::vector<int32_t> tails;  // tails[k]: index ending the best run of k+1
  std::vector<int32_t> prev(n, -1);
  for (size_t i = 0; i < n; ++i) {
    auto it = std::lower_bound(tails.begin(), tails.end(), seq[i],
                               [&seq](int32_t t, int32_t value) { return seq[t] < value; });
    if (it != tails.begin()) prev[i] = *(it - 1);
    if (it == tails.end()) {
      tails.push_back(static_cast<int32_t>(i));
    } else {
      *it = static_cast<int32_t>(i);
    }
  }
  std::vector<bool> in(n, false);
  for (int32_t i = tails.empty() ? -1 : tails.back(); i >= 0; i = prev[i]) {
    in[i] = true;
  }
  return in;
}

// Occupied-slot counts with prefix sums, so a position in a list that is
// changing is found in O(log n).
class Fenwick {
 public:
  explicit Fenwick(size_t n) : tree_(n + 1, 0) {}
  void Add(size_t slot, int32_t delta) {
    for (size_t i = slot + 1; i < tree_.size(); i += i & (~i + 1)) {
      tree_[i] += delta;
    }
  }
  // Occupied slots before `slot`.
  int64_t Before(size_t slot) const {
    int64_t sum = 0;
    for (size_t i = slot; i > 0; i -= i & (~i + 1)) sum += tree_[i];
    return sum;
  }

 private:
  std::vector<int32_t> tree_;
};

struct MoveStep {
  int32_t element;  // index into the common list
  int64_t from;
  int64_t to;
};

// Moves that put `rank` (the after-order of each common milestone, listed in
// before-order) in order, with as few steps as there are elements outside the
// longest increasing subsequence. Each element outside it is moved once, in
// rank order, to just after the element ranked one below (or to the front):
// that one is already in place, by induction. Positions come from a slot
// layout fixed in advance, each moved element having a slot right after its
// predecessor's, so the whole is O(n log n).
std::vector<MoveStep> FewestMoves(const std::vector<int32_t>& rank) {
  const size_t n = rank.size();
  const std::vector<bool> stays = LongestIncreasing(rank);
  std::vector<int32_t> by_rank(n);
  std::vector<bool> rank_stays(n);
  for (size_t i = 0; i < n; ++i) {
    by_rank[rank[i]] = static_cast<int32_t>(i);
    rank_stays[rank[i]] = stays[i];
  }

  std::vector<size_t> home(n);     // an element's slot before it moves
  std::vector<size_t> landing(n);  // a moved element's slot, by rank
  size_t slots = 0;
  auto lay_run_after = [&](size_t r) {  // ranks r, r+1, ... that move
    for (; r < n && !rank_stays[r]; ++r) landing[r] = slots++;
  };
  lay_run_after(0);
  for (size_t i = 0; i < n; ++i) {
    home[i] = slots++;
    if (stays[i]) lay_run_after(static_cast<size_t>(rank[i]) + 1);
  }

  Fenwick occupied(slots);
  for (size_t i = 0; i < n; ++i) occupied.Add(home[i], 1);
  std::vector<MoveStep> steps;
  for (size_t r = 0; r < n; ++r) {
    if (rank_stays[r]) continue;
    const int32_t e = by_rank[r];
    MoveStep step{e, occupied.Before(home[e]), 0};
    occupied.Add(home[e], -1);
    step.to = occupied.Before(landing[r]);
    occupied.Add(landing[r], 1);
    steps.push_back(step);
  }
  return steps;
}

}  // namespace

json::Value ChangeToValue(const Change& c) {
  json::Value v = json::Value::Object();
  v.Set("op", json::Value::String(OpName(c.op)));
  v.Set("id", json::Value::String(c.id));
  switch (c.op) {
    case ChangeOp::kAdd:
    case ChangeOp::kDelete:
      v.Set("index", json::Value::Int(c.index));
      v.Set("milestone", MilestoneToValue(c.milestone));
      break;
    case ChangeOp::kEdit:
      v.Set("field", json::Value::String(EditFieldName(c.field)));
      v.Set("from", FieldToValue(c.from));
      v.Set("to", FieldToValue(c.to));
      break;
    case ChangeOp::kMove:
      v.Set("fromIndex", json::Value::Int(c.from_index));
      v.Set("toIndex", json::Value::Int(c.to_index));
      break;
  }
  return v;
}

json::Value ChangesToValue(const std::vector<Change>& changes) {
  json::Value list = json::Value::Array();
  for (const Change& c : changes) list.Push(ChangeToValue(c));
  return list;
}

namespace {}  // namespace

const char* EditFieldName(EditField field) {
  switch (field) {
    case EditField::kTitle:
      return "title";
    case EditField::kDescription:
      return "description";
    case EditField::kDueDate:
      return "dueDate";
    case EditField::kAmount:
      return "amount";
  }
  return "title";
}

DiffResult Diff(const Contract& before, const Contract& after, const Currency* money) {
  const Currency currency = money != nullptr ? *money : CurrencyOfCode(before.currency);
  const std::vector<Milestone>& bm = before.milestones;
  const std::vector<Milestone>& am = after.milestones;

  // Pair by id. Ids are unique in a valid document; should one repeat, its
  // k-th occurrence before pairs with its k-th occurrence after, so even an
  // invalid pair of documents gets a diff that rebuilds `after`'s order.
  std::unordered_map<std::string_view, int32_t> next_after;
  next_after.reserve(am.size());
  std::vector<int32_t> after_next(am.size(), -1);
  for (size_t j = am.size(); j-- > 0;) {
    auto [it, inserted] = next_after.emplace(am[j].id, static_cast<int32_t>(j));
    if (!inserted) {
      after_next[j] = it->second;
      it->second = static_cast<int32_t>(j);
    }
  }
  std::vector<int32_t> partner_of_before(bm.size(), -1);
  std::vector<int32_t> partner_of_after(am.size(), -1);
  for (size_t i = 0; i < bm.size(); ++i) {
    auto it = next_after.find(bm[i].id);
    if (it == next_after.end() || it->second < 0) continue;
    const int32_t j = it->second;
    it->second = after_next[j];
    partner_of_before[i] = j;
    partner_of_after[j] = static_cast<int32_t>(i);
  }

  DiffResult result;
  json::Value patch = json::Value::Array();
  auto emit = [&](Change change, Sentence sentence) {
    result.changes.push_back(std::move(change));
    result.summary.push_back(Written(sentence));
  };

  // 1. Deletes, front to back.
  int64_t deleted = 0;
  std::vector<int32_t> common;  // before indices of kept milestones, in order
  for (size_t i = 0; i < bm.size(); ++i) {
    if (partner_of_before[i] >= 0) {
      common.push_back(static_cast<int32_t>(i));
      continue;
    }
    Change c;
    c.op = ChangeOp::kDelete;
    c.id = bm[i].id;
    c.index = static_cast<int64_t>(i) - deleted;
    c.milestone = bm[i];
    patch.Push(PatchOp("remove", ElementPointer(c.index)));
    Sentence sentence = DeletedSentence(bm[i], currency);
    emit(std::move(c), std::move(sentence));
    ++deleted;
  }

  // 2. Moves. Rank each kept milestone by its place among the kept ones in
  // `after`.
  std::vector<int32_t> rank_of_after(am.size(), -1);
  int32_t ranks = 0;
  for (size_t j = 0; j < am.size(); ++j) {
    if (partner_of_after[j] >= 0) rank_of_after[j] = ranks++;
  }
  std::vector<int32_t> rank(common.size());
  for (size_t k = 0; k < common.size(); ++k) {
    rank[k] = rank_of_after[partner_of_before[common[k]]];
  }
  for (const MoveStep& step : FewestMoves(rank)) {
    const Milestone& m = bm[common[step.element]];
    Change c;
    c.op = ChangeOp::kMove;
    c.id = m.id;
    c.from_index = step.from;
    c.to_index = step.to;
    json::Value op = PatchOp("move", ElementPointer(step.to));
    op.Set("from", json::Value::String(ElementPointer(step.from)));
    patch.Push(std::move(op));
    emit(std::move(c), MovedSentence(m, step.from, step.to));
  }

  // 3. Adds, in after-order: everything before an add's index in `after` is
  // already in place when it is inserted.
  for (size_t j = 0; j < am.size(); ++j) {
    if (partner_of_after[j] >= 0) continue;
    Change c;
    c.op = ChangeOp::kAdd;
    c.id = am[j].id;
    c.index = static_cast<int64_t>(j);
    c.milestone = am[j];
    json::Value op = PatchOp("add", ElementPointer(c.index));
    op.Set("value", MilestoneToValue(am[j]));
    patch.Push(std::move(op));
    emit(std::move(c), AddedSentence(am[j], currency));
  }

  // 4. Edits; the list is now `after`'s order, so the patch uses its indices.
  for (size_t j = 0; j < am.size(); ++j) {
    if (partner_of_after[j] < 0) continue;
    const Milestone& was = bm[partner_of_after[j]];
    if (SameEditableFields(was, am[j])) continue;  // the common case: no copy
    Milestone current = was;                       // as edited so far: it names the sentences
    for (EditField field : kEditFields) {
      FieldValue from = GetField(current, field);
      FieldValue to = GetField(am[j], field);
      if (from == to) continue;
      json::Value op = PatchOp(PatchVerbFor(field), ElementPointer(static_cast<int64_t>(j)) + "/" +
                                                        EditFieldName(field));
      op.Set("value", FieldToValue(to));
      patch.Push(std::move(op));
      Sentence sentence = EditedSentence(current, field, from, to, currency);
      SetField(&current, field, to);
      Change c;
      c.op = ChangeOp::kEdit;
      c.id = am[j].id;
      c.field = field;
      c.from = std::move(from);
      c.to = std::move(to);
      emit(std::move(c), std::move(sentence));
    }
  }
  for (size_t j = 0; j < am.size(); ++j) {
    if (partner_of_after[j] < 0) continue;
    AppendNonEditablePatch(bm[partner_of_after[j]], am[j], static_cast<int64_t>(j), &patch);
  }
  result.patch = json::Write(patch);
  return result;
}

std::string ChangeToJson(const Change& change) { return json::Write(ChangeToValue(change)); }

std::string ChangesToJson(const std::vector<Change>& changes) {
  return json::Write(ChangesToValue(changes));
}

std::string DiffResultToJson(const DiffResult& result) {
  std::string out = "{\"changes\":";
  json::Write(ChangesToValue(result.changes), &out);
  // The patch is already JSON text.
  out += ",\"patch\":";
  out += result.patch.empty() ? "[]" : result.patch;
  out += ",\"summary\":[";
  for (size_t i = 0; i < result.summary.size(); ++i) {
    if (i) out += ',';
    json::WriteString(result.summary[i], &out);
  }
  out += "]}";
  return out;
}

std::string ReorderPreviewToJson(const ReorderPreview& preview) {
  std::string out = "{\"ok\":";
  out += preview.ok ? "true" : "false";
  out += ",\"order\":[";
  for (size_t i = 0; i < preview.order.size(); ++i) {
    if (i) out += ',';
    json::WriteString(preview.order[i], &out);
  }
  out += "],\"changes\":";
  json::Write(ChangesToValue(preview.changes), &out);
  out += ",\"issues\":";
  out += IssuesToJson(preview.issues);
  out += ",\"summary\":[";
  for (size_t i = 0; i < preview.summary.size(); ++i) {
    if (i) out += ',';
    json::WriteString(preview.summary[i], &out);
  }
  out += "],\"allowedRange\":{\"from\":" + std::to_string(preview.allowed_from) +
         ",\"to\":" + std::to_string(preview.allowed_to) + "}}";
  return out;
}

}  // namespace milestone
