// Change lists (SPEC 4.1): reading a "changes" list a client sends, applying
// one to a contract with the conflicts a stale list meets, and inverting one.
// Computing a diff and writing it are diff.cc's; this file is kept apart from
// it because the wasm build inlines diff.cc for speed (a Show Changes on every
// keystroke of a draft) and builds this, which runs once per save, for size.

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "json.h"
#include "milestone/codes.h"
#include "milestone/date.h"
#include "milestone/diff.h"
#include "milestone/money.h"
#include "rules.h"
#include "sentences.h"

namespace milestone {
namespace {

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
