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
namespace {

constexpr EditField kEditFields[] = {EditField::kTitle, EditField::kDescription,
                                     EditField::kDueDate, EditField::kAmount};

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

// Whether `value` has the type `field` holds.
bool FitsField(EditField field, const FieldValue& value) {
  switch (field) {
    case EditField::kTitle:
    case EditField::kDescription:
      return std::holds_alternative<std::string>(value);
    case EditField::kDueDate:
      return !std::holds_alternative<int64_t>(value);
    case EditField::kAmount:
      return std::holds_alternative<int64_t>(value);
  }
  return false;
}

// `value` must fit the field (FitsField).
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

json::Value FieldToValue(const FieldValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    return json::Value::String(*s);
  }
  if (const auto* i = std::get_if<int64_t>(&value)) return json::Value::Int(*i);
  return json::Value::Null();
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

// ---------------------------------------------------------------------------
// Reading changes.

bool ReadIndex(const json::Value& obj, const char* key, const std::string& base, int64_t* out,
               IssueList* issues) {
  const json::Value* v = obj.Find(key);
  if (!v) {
    issues->push_back(MakeError(codes::kSchema, base + "/" + key, "",
                                std::string("The change has no \"") + key + "\".",
                                "Give the index as a whole number.", "SCHEMA.changeIndexMissing",
                                {TextParam("field", key)}));
    return false;
  }
  if (!v->is_int()) {
    issues->push_back(
        MakeError(codes::kSchema, base + "/" + key, "",
                  std::string("\"") + key + "\" must be a whole number.",
                  "Give the index as a whole number.", "SCHEMA.changeIndexType",
                  {TextParam("field", key), WordParam("actual", "type", JsonTypeName(*v))}));
    return false;
  }
  *out = v->as_int();
  return true;
}

bool ReadString(const json::Value& obj, const char* key, const std::string& base, std::string* out,
                IssueList* issues) {
  const json::Value* v = obj.Find(key);
  if (!v || !v->is_string()) {
    issues->push_back(MakeError(
        codes::kSchema, base + "/" + key, "", std::string("\"") + key + "\" must be a string.",
        v ? "" : std::string("Add \"") + key + "\" to the change.",
        v ? "SCHEMA.textType" : "SCHEMA.changeStringMissing",
        {TextParam("field", key),
         v ? WordParam("actual", "type", JsonTypeName(*v)) : NullParam("actual")}));
    return false;
  }
  *out = v->as_string();
  return true;
}

bool ReadFieldValue(const json::Value& obj, const char* key, EditField field,
                    const std::string& base, const std::string& id, FieldValue* out,
                    IssueList* issues) {
  const json::Value* v = obj.Find(key);
  const std::string path = base + "/" + key;
  const std::string name = EditFieldName(field);
  if (!v) {
    issues->push_back(
        MakeError(codes::kSchema, path, id, std::string("The edit has no \"") + key + "\".",
                  std::string("Add \"") + key + "\" to the edit.", "SCHEMA.editValueMissing",
                  {TextParam("key", key), WordParam("field", "field", name)}));
    return false;
  }
  if (field == EditField::kAmount) {
    int64_t amount = 0;
    if (!ReadAmount(*v, path, id, &amount, issues)) return false;
    *out = amount;
    return true;
  }
  if (v->is_string()) {
    *out = v->as_string();
    return true;
  }
  if (field == EditField::kDueDate && v->is_null()) {
    *out = nullptr;
    return true;
  }
  const bool date = field == EditField::kDueDate;
  issues->push_back(MakeError(codes::kSchema, path, id,
                              "\"" + std::string(key) + "\" of a " + name + " edit must be " +
                                  (date ? "a date string or null." : "a string."),
                              "", date ? "SCHEMA.editValueTypeDate" : "SCHEMA.editValueType",
                              {TextParam("key", key), WordParam("field", "field", name),
                               WordParam("actual", "type", JsonTypeName(*v))}));
  return false;
}

// A change's milestone, read by the document reader (so it is read exactly as
// a contract's would be) from a one-milestone contract. A future milestone's
// state and ledger may be left out: they are the only ones an edit can add.
bool ReadChangeMilestone(const json::Value& value, const std::string& id, const std::string& base,
                         Milestone* out, IssueList* issues) {
  const std::string path = base + "/milestone";
  if (!value.is_object()) {
    issues->push_back(MakeError(codes::kSchema, path, id, "\"milestone\" must be an object.", "",
                                "SCHEMA.changeMilestone",
                                {WordParam("actual", "type", JsonTypeName(value))}));
    return false;
  }
  json::Value m = value;
  if (!m.Find("id")) m.Set("id", json::Value::String(id));
  if (!m.Find("state")) m.Set("state", json::Value::String("not_funded"));
  if (!m.Find("funded")) m.Set("funded", json::Value::Int(0));
  if (!m.Find("released")) m.Set("released", json::Value::Int(0));
  json::Value doc = json::Value::Object();
  doc.Set("id", json::Value::String("change"));
  doc.Set("version", json::Value::Int(0));
  doc.Set("currency", json::Value::String("USD"));
  doc.Set("status", json::Value::String("open"));
  doc.Set("initiationFeeCharged", json::Value::Bool(false));
  doc.Set("carryOver", json::Value::Int(0));
  json::Value list = json::Value::Array();
  list.Push(std::move(m));
  doc.Set("milestones", std::move(list));

  Contract contract;
  IssueList found;
  ReadNotes notes;
  const bool read = ReadContract(doc, &contract, &found, &notes);
  bool ok = read && contract.milestones.size() == 1;
  const std::string prefix = "/milestones/0";
  for (Issue& issue : found) {
    if (issue.severity != Severity::kError) continue;  // unknown fields travel
    if (issue.path.compare(0, prefix.size(), prefix) == 0) {
      issue.path = path + issue.path.substr(prefix.size());
    } else {
      issue.path = path;
    }
    issues->push_back(std::move(issue));
    ok = false;
  }
  if (!ok) return false;
  *out = std::move(contract.milestones[0]);
  if (out->id != id) {
    issues->push_back(MakeError(codes::kSchema, path + "/id", id,
                                "The milestone's id \"" + out->id + "\" is not the change's id.",
                                "Use the same id in the change and its milestone.",
                                "SCHEMA.changeMilestoneId",
                                {TextParam("id", id), TextParam("found", out->id)}));
    return false;
  }
  return true;
}

bool ReadChange(const json::Value& v, size_t n, Change* out, IssueList* issues) {
  const std::string base = "/changes/" + std::to_string(n);
  if (!v.is_object()) {
    issues->push_back(MakeError(codes::kSchema, base, "", "A change must be an object.", "",
                                "SCHEMA.change", {WordParam("actual", "type", JsonTypeName(v))}));
    return false;
  }
  std::string op;
  if (!ReadString(v, "op", base, &op, issues)) return false;
  const char* const* allowed = nullptr;
  static const char* const kAddKeys[] = {"op", "id", "index", "milestone", nullptr};
  static const char* const kEditKeys[] = {"op", "id", "field", "from", "to", nullptr};
  static const char* const kMoveKeys[] = {"op", "id", "fromIndex", "toIndex", nullptr};
  if (op == "add") {
    out->op = ChangeOp::kAdd;
    allowed = kAddKeys;
  } else if (op == "delete") {
    out->op = ChangeOp::kDelete;
    allowed = kAddKeys;
  } else if (op == "edit") {
    out->op = ChangeOp::kEdit;
    allowed = kEditKeys;
  } else if (op == "move") {
    out->op = ChangeOp::kMove;
    allowed = kMoveKeys;
  } else {
    op = op.substr(0, 40);
    issues->push_back(MakeError(codes::kSchema, base + "/op", "", "\"" + op + "\" is not a change.",
                                "Use add, delete, edit or move.", "SCHEMA.changeOp",
                                {TextParam("op", op)}));
    return false;
  }
  bool ok = true;
  for (const json::Member& member : v.members()) {
    bool known = false;
    for (const char* const* k = allowed; *k; ++k) {
      known = known || member.first == *k;
    }
    if (!known) {
      const std::string key = member.first.substr(0, 64);
      issues->push_back(MakeError(codes::kSchema, base + "/" + PointerToken(member.first), "",
                                  "A " + op + " change has no \"" + key + "\".",
                                  "Remove \"" + key + "\".", "SCHEMA.changeKey",
                                  {TextParam("op", op), TextParam("key", key)}));
      ok = false;
    }
  }
  if (!ReadString(v, "id", base, &out->id, issues)) return false;
  switch (out->op) {
    case ChangeOp::kAdd:
    case ChangeOp::kDelete: {
      ok = ReadIndex(v, "index", base, &out->index, issues) && ok;
      const json::Value* m = v.Find("milestone");
      if (m) {
        ok = ReadChangeMilestone(*m, out->id, base, &out->milestone, issues) && ok;
      } else if (out->op == ChangeOp::kAdd) {
        issues->push_back(MakeError(codes::kSchema, base + "/milestone", out->id,
                                    "The add has no \"milestone\".", "Add the milestone to insert.",
                                    "SCHEMA.addNoMilestone", {}));
        ok = false;
      }
      // A delete without its milestone deletes whatever has the id there;
      // with it, the milestone's editable fields must still match.
      break;
    }
    case ChangeOp::kEdit: {
      std::string field;
      if (!ReadString(v, "field", base, &field, issues)) return false;
      bool known = false;
      for (EditField f : kEditFields) {
        if (field == EditFieldName(f)) {
          out->field = f;
          known = true;
        }
      }
      if (!known) {
        field = field.substr(0, 40);
        issues->push_back(MakeError(codes::kSchema, base + "/field", out->id,
                                    "\"" + field + "\" is not an editable field.",
                                    "Use title, description, dueDate or amount.",
                                    "SCHEMA.editField", {TextParam("field", field)}));
        return false;
      }
      ok = ReadFieldValue(v, "from", out->field, base, out->id, &out->from, issues) && ok;
      ok = ReadFieldValue(v, "to", out->field, base, out->id, &out->to, issues) && ok;
      break;
    }
    case ChangeOp::kMove:
      ok = ReadIndex(v, "fromIndex", base, &out->from_index, issues) && ok;
      ok = ReadIndex(v, "toIndex", base, &out->to_index, issues) && ok;
      break;
  }
  return ok;
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

namespace {

bool SameEditableFields(const Milestone& a, const Milestone& b) {
  return a.title == b.title && a.description == b.description && a.due_date == b.due_date &&
         a.amount == b.amount;
}

// `variant`: the catalog sentence "CHANGE_CONFLICT.<variant>"; `extra` its
// params beside the change's number, op and id.
Issue Conflict(size_t n, const Change& change, const char* variant, const std::string& what,
               std::initializer_list<Param> extra = {}) {
  Params params = {NumberParam("number", static_cast<int64_t>(n) + 1),
                   WordParam("op", "op", OpName(change.op)), TextParam("id", change.id)};
  params.insert(params.end(), extra);
  return MakeError(codes::kChangeConflict, "/changes/" + std::to_string(n), change.id,
                   "Change " + std::to_string(n + 1) + " (" + OpName(change.op) + " of \"" +
                       change.id + "\") conflicts: " + what,
                   "Reload the contract and make the change again.",
                   std::string(codes::kChangeConflict) + "." + variant, std::move(params));
}

}  // namespace

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

ApplyChangesResult ApplyChanges(const Contract& contract, const std::vector<Change>& changes) {
  ApplyChangesResult result;
  // The steps permute indices into a pool of milestones (the contract's, then
  // each add's), so a move shifts integers, not milestones, and an id finds
  // its milestone through a map that moves do not disturb.
  result.contract = contract;
  std::vector<Milestone> pool = std::move(result.contract.milestones);
  result.contract.milestones.clear();
  std::vector<int32_t> order(pool.size());
  std::unordered_map<std::string, int32_t> by_id;
  by_id.reserve(pool.size());
  for (size_t i = 0; i < pool.size(); ++i) {
    order[i] = static_cast<int32_t>(i);
    by_id.emplace(pool[i].id, static_cast<int32_t>(i));  // first one wins
  }
  const auto size = [&order] { return static_cast<int64_t>(order.size()); };
  const auto id_at = [&](int64_t index) -> const std::string& { return pool[order[index]].id; };

  for (size_t n = 0; n < changes.size(); ++n) {
    const Change& c = changes[n];
    switch (c.op) {
      case ChangeOp::kAdd: {
        if (by_id.count(c.id)) {
          result.issues.push_back(
              Conflict(n, c, "exists", "a milestone with that id already exists."));
        } else if (c.index < 0 || c.index > size()) {
          result.issues.push_back(
              Conflict(n, c, "pastEnd",
                       "position " + std::to_string(c.index + 1) + " is past the end of the list.",
                       {NumberParam("position", c.index + 1)}));
        } else if (!c.milestone.id.empty() && c.milestone.id != c.id) {
          result.issues.push_back(Conflict(n, c, "otherId", "its milestone has another id."));
        } else {
          const auto k = static_cast<int32_t>(pool.size());
          pool.push_back(c.milestone);
          pool.back().id = c.id;
          by_id.emplace(c.id, k);
          order.insert(order.begin() + c.index, k);
          continue;
        }
        break;
      }
      case ChangeOp::kDelete: {
        if (c.index < 0 || c.index >= size() || id_at(c.index) != c.id) {
          result.issues.push_back(Conflict(
              n, c, "moved",
              "the milestone is no longer at position " + std::to_string(c.index + 1) + ".",
              {NumberParam("position", c.index + 1)}));
        } else if (!c.milestone.id.empty() &&
                   !SameEditableFields(c.milestone, pool[order[c.index]])) {
          result.issues.push_back(
              Conflict(n, c, "changed", "the milestone was changed meanwhile."));
        } else {
          auto it = by_id.find(c.id);
          if (it != by_id.end() && it->second == order[c.index]) {
            by_id.erase(it);
          }
          order.erase(order.begin() + c.index);
          continue;
        }
        break;
      }
      case ChangeOp::kEdit: {
        auto it = by_id.find(c.id);
        if (it == by_id.end()) {
          result.issues.push_back(
              Conflict(n, c, "gone", "the milestone is no longer in the contract."));
        } else if (!FitsField(c.field, c.from) || !FitsField(c.field, c.to)) {
          result.issues.push_back(MakeError(
              codes::kSchema, "/changes/" + std::to_string(n), c.id,
              std::string("The values of a ") + EditFieldName(c.field) +
                  " edit have the wrong type.",
              "", "SCHEMA.changeValues", {WordParam("field", "field", EditFieldName(c.field))}));
        } else if (GetField(pool[it->second], c.field) != c.from) {
          result.issues.push_back(Conflict(n, c, "field",
                                           std::string("its ") + EditFieldName(c.field) +
                                               " is no longer what the change started from.",
                                           {WordParam("field", "field", EditFieldName(c.field))}));
        } else {
          SetField(&pool[it->second], c.field, c.to);
          continue;
        }
        break;
      }
      case ChangeOp::kMove: {
        const int64_t from = c.from_index;
        const int64_t to = c.to_index;
        if (from < 0 || from >= size() || id_at(from) != c.id) {
          result.issues.push_back(
              Conflict(n, c, "moved",
                       "the milestone is no longer at position " + std::to_string(from + 1) + ".",
                       {NumberParam("position", from + 1)}));
        } else if (to < 0 || to >= size()) {
          result.issues.push_back(Conflict(
              n, c, "outside", "position " + std::to_string(to + 1) + " is outside the list.",
              {NumberParam("position", to + 1)}));
        } else {
          if (from < to) {
            std::rotate(order.begin() + from, order.begin() + from + 1, order.begin() + to + 1);
          } else if (to < from) {
            std::rotate(order.begin() + to, order.begin() + from, order.begin() + from + 1);
          }
          continue;
        }
        break;
      }
    }
    // All or nothing: the first conflict ends it; later changes were written
    // against a list this one did not produce.
    result.contract = contract;
    return result;
  }
  result.contract.milestones.reserve(order.size());
  for (int32_t k : order) {
    result.contract.milestones.push_back(std::move(pool[k]));
  }
  result.ok = true;
  return result;
}

std::vector<Change> InvertChanges(const std::vector<Change>& changes) {
  std::vector<Change> inverse;
  inverse.reserve(changes.size());
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    Change c = *it;
    switch (c.op) {
      case ChangeOp::kAdd:
        c.op = ChangeOp::kDelete;
        break;
      case ChangeOp::kDelete:
        c.op = ChangeOp::kAdd;
        break;
      case ChangeOp::kEdit:
        std::swap(c.from, c.to);
        break;
      case ChangeOp::kMove:
        std::swap(c.from_index, c.to_index);
        break;
    }
    inverse.push_back(std::move(c));
  }
  return inverse;
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

bool ParseChanges(std::string_view json_text, std::vector<Change>* out, IssueList* issues) {
  out->clear();
  json::Value doc;
  if (!ParseJson(json_text, &doc, issues, "/changes")) return false;
  if (!doc.is_array()) {
    issues->push_back(MakeError(codes::kSchema, "/changes", "", "The changes must be a JSON array.",
                                "Pass the \"changes\" list of a diff.", "SCHEMA.changes",
                                {WordParam("actual", "type", JsonTypeName(doc))}));
    return false;
  }
  bool ok = true;
  out->reserve(doc.items().size());
  for (size_t n = 0; n < doc.items().size(); ++n) {
    Change c;
    if (ReadChange(doc.items()[n], n, &c, issues)) {
      out->push_back(std::move(c));
    } else {
      ok = false;
    }
  }
  if (!ok) out->clear();
  return ok;
}

}  // namespace milestone
