// Actions as data: the names of actors, and the JSON shape of an action
// (SPEC 3) read into and written out of the Action struct, field by field as
// each action's entry in the table (action_spec.h, apply.cc) lists them. The
// rules that decide whether an action may be done live in apply.cc.

#include "milestone/action.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "action_spec.h"
#include "json.h"
#include "milestone/catalog.h"
#include "milestone/codes.h"
#include "rules.h"

namespace milestone {
namespace {

class Reader {
 public:
  explicit Reader(IssueList* issues) : issues_(issues) {}

  bool ok() const { return ok_; }

  // `id`: the catalog sentence, "SCHEMA." and a variant.
  void Schema(const std::string& path, const char* id, std::initializer_list<Param> params,
              std::string message, std::string hint = {}) {
    issues_->push_back(
        MakeError(codes::kSchema, path, "", std::move(message), std::move(hint), id, params));
    ok_ = false;
  }

  void ReadAction(const json::Value& value, const std::string& path, Action* out) {
    if (!value.is_object()) {
      Schema(path, "SCHEMA.action", {WordParam("actual", "type", JsonTypeName(value))},
             "An action must be a JSON object.",
             "Send an object such as {\"type\": \"fund\", \"id\": \"m-2\"}.");
      return;
    }
    const json::Value* type = value.Find("type");
    if (type == nullptr) {
      Schema(path + "/type", "SCHEMA.actionType", {}, "The action has no type.",
             "Add \"type\", for example \"fund\" or \"edit\".");
      return;
    }
    const ActionSpec* spec = type->is_string() ? FindSpec(type->as_string()) : nullptr;
    if (spec == nullptr) {
      const std::string types = ActionNameList();
      Schema(path + "/type", "SCHEMA.actionTypeUnknown",
             {TextParam("type", type->is_string() ? type->as_string().substr(0, 40) : ""),
              TextParam("types", types)},
             "The action type is not one the engine knows.", "Use one of " + types + ".");
      return;
    }
    out->type = spec->type;
    for (const json::Member& member : value.members()) {
      if (member.first == "type") continue;
      bool known = false;
      for (const FieldSpec& field : spec->fields) {
        known = known || (field.key != nullptr && member.first == field.key);
      }
      if (!known) {
        const std::string field = member.first.substr(0, 64);
        Schema(path + "/" + PointerToken(member.first), "SCHEMA.actionField",
               {TextParam("action", spec->name), TextParam("field", field)},
               "A " + std::string(spec->name) + " action has no field \"" + field + "\".",
               "Remove the field or check its spelling.");
      }
    }
    for (const FieldSpec& field : spec->fields) {
      if (field.key != nullptr) ReadField(value, field, path, out);
    }
  }

 private:
  void ReadField(const json::Value& value, const FieldSpec& field, const std::string& path,
                 Action* out) {
    const json::Value* found = value.Find(field.key);
    const std::string at = path + "/" + field.key;
    switch (field.kind) {
      case FieldKind::kId:
        ReadId(value, path, true, &out->id);
        break;
      case FieldKind::kMilestone:
        ReadFields(found, at, true, &out->fields);
        break;
      case FieldKind::kSet:
        ReadFields(found, at, false, &out->fields);
        break;
      case FieldKind::kIndex:
        if (found != nullptr) {
          int64_t n = 0;
          if (ReadIndex(*found, at, &n)) out->index = n;
        }
        break;
      case FieldKind::kToIndex:
        if (found != nullptr) {
          ReadIndex(*found, at, &out->to_index);
        } else {
          Schema(at, "SCHEMA.moveToIndex", {}, "A move needs \"toIndex\".",
                 "Give the position to move to, counting from 0.");
        }
        break;
      case FieldKind::kActions:
        if (found == nullptr || !found->is_array()) {
          Schema(at, "SCHEMA.proposalActions", {}, "A proposal needs an \"actions\" array.",
                 "List the add, edit, delete and move actions you propose.");
        } else {
          const auto& items = found->items();
          out->actions.resize(items.size());
          for (size_t i = 0; i < items.size(); ++i) {
            ReadAction(items[i], at + "/" + std::to_string(i), &out->actions[i]);
          }
        }
        break;
      case FieldKind::kMessage:
      case FieldKind::kRequiredMessage:
        ReadText(value, field.key, path, field.kind == FieldKind::kRequiredMessage, &out->message);
        break;
      case FieldKind::kReason:
      case FieldKind::kRequiredReason:
        ReadText(value, field.key, path, field.kind == FieldKind::kRequiredReason, &out->reason);
        break;
      case FieldKind::kSplitRelease:
      case FieldKind::kSplitRefund: {
        std::optional<int64_t>& part =
            field.kind == FieldKind::kSplitRelease ? out->split_release : out->split_refund;
        int64_t n = 0;
        if (found == nullptr) {
          Schema(at, "SCHEMA.resolutionPart", {TextParam("field", field.key)},
                 std::string("A resolution needs \"") + field.key + "\".",
                 "Give both parts in cents: \"release\" to the freelancer, \"refund\" to the "
                 "client.");
        } else if (!ReadAmount(*found, at, "", &n, issues_)) {
          ok_ = false;
        } else if (n < 0) {
          issues_->push_back(MakeError(codes::kInvalidAmount, at, "",
                                       "A part of a resolution cannot be negative.",
                                       "Use zero or more cents.", "INVALID_AMOUNT.negativePart",
                                       {TextParam("field", field.key), NumberParam("value", n)}));
          ok_ = false;
        } else {
          part = n;
        }
        break;
      }
      case FieldKind::kAmount:
        if (found != nullptr) {
          int64_t n = 0;
          if (ReadAmount(*found, at, "", &n, issues_)) {
            out->amount = n;
          } else {
            ok_ = false;
          }
        }
        break;
      case FieldKind::kThen:
        if (found != nullptr) {
          if (!found->is_string() ||
              (found->as_string() != "end" && found->as_string() != "keepOpen")) {
            Schema(at, "SCHEMA.then", {}, "\"then\" must be \"end\" or \"keepOpen\".",
                   "Say whether to end the contract or keep it open after the last milestone.");
          } else {
            out->then = found->as_string();
          }
        }
        break;
    }
  }

  void ReadId(const json::Value& value, const std::string& path, bool required, std::string* out) {
    const json::Value* id = value.Find("id");
    if (id == nullptr) {
      if (required) {
        Schema(path + "/id", "SCHEMA.actionId", {}, "The action does not say which milestone.",
               "Add the milestone's \"id\".");
      }
      return;
    }
    if (!id->is_string()) {
      Schema(path + "/id", "SCHEMA.idType", {WordParam("actual", "type", JsonTypeName(*id))},
             "A milestone id must be a string.");
      return;
    }
    *out = id->as_string();
  }

  void ReadText(const json::Value& value, const char* key, const std::string& path, bool required,
                std::string* out) {
    const json::Value* text = value.Find(key);
    if (text == nullptr) {
      if (required) {
        Schema(path + "/" + key, "SCHEMA.actionText", {TextParam("field", key)},
               std::string("The action needs \"") + key + "\".");
      }
      return;
    }
    if (!text->is_string()) {
      Schema(path + "/" + key, "SCHEMA.textType",
             {TextParam("field", key), WordParam("actual", "type", JsonTypeName(*text))},
             std::string("\"") + key + "\" must be a string.");
      return;
    }
    *out = text->as_string();
  }

  bool ReadIndex(const json::Value& value, const std::string& path, int64_t* out) {
    if (!value.is_int()) {
      Schema(path, "SCHEMA.index", {}, "A position must be a whole number.",
             "Count positions from 0.");
      return false;
    }
    *out = value.as_int();
    return true;
  }

  // An add's "milestone" (all of it, title and amount required) or an edit's
  // "set" (any of it).
  void ReadFields(const json::Value* value, const std::string& path, bool add,
                  MilestoneFields* out) {
    if (value == nullptr || !value->is_object()) {
      Schema(path, add ? "SCHEMA.addMilestone" : "SCHEMA.editSet", {},
             add ? "An add needs a \"milestone\" object."
                 : "An edit needs a \"set\" object with the fields to change.",
             add ? "Give at least a title and an amount." : "For example {\"amount\": 15000}.");
      return;
    }
    for (const json::Member& member : value->members()) {
      const std::string& key = member.first;
      const json::Value& field = member.second;
      const std::string field_path = path + "/" + PointerToken(key);
      if (key == "id" && add) {
        if (field.is_string()) {
          out->id = field.as_string();
        } else {
          Schema(field_path, "SCHEMA.idType", {WordParam("actual", "type", JsonTypeName(field))},
                 "A milestone id must be a string.");
        }
      } else if (key == "title" || key == "description") {
        if (field.is_string()) {
          (key == "title" ? out->title : out->description) = field.as_string();
        } else {
          Schema(
              field_path, "SCHEMA.fieldType",
              {WordParam("field", "field", key), WordParam("actual", "type", JsonTypeName(field))},
              "The " + key + " must be a string.");
        }
      } else if (key == "dueDate") {
        if (field.is_null()) {
          out->due_date = std::optional<std::string>();
        } else if (field.is_string()) {
          out->due_date = std::optional<std::string>(field.as_string());
        } else {
          Schema(field_path, "SCHEMA.dueDateType",
                 {WordParam("actual", "type", JsonTypeName(field))},
                 "The due date must be a string or null.", "Write it as YYYY-MM-DD.");
        }
      } else if (key == "amount") {
        int64_t n = 0;
        if (ReadAmount(field, field_path, "", &n, issues_)) {
          out->amount = n;
        } else {
          ok_ = false;
        }
      } else {
        const std::string name = key.substr(0, 64);
        Schema(field_path, "SCHEMA.setField", {TextParam("field", name)},
               "A milestone has no field \"" + name + "\" to set.",
               "Use title, description, dueDate or amount.");
      }
    }
    if (add && !out->title && value->Find("title") == nullptr) {
      Schema(path + "/title", "SCHEMA.addTitle", {}, "A new milestone needs a title.");
    }
    if (add && !out->amount && value->Find("amount") == nullptr) {
      Schema(path + "/amount", "SCHEMA.addAmount", {}, "A new milestone needs an amount.",
             "Give the amount in cents, for example 50000 for $500.00.");
    }
  }

  IssueList* issues_;
  bool ok_ = true;
};

json::Value FieldsToValue(const MilestoneFields& fields) {
  json::Value obj = json::Value::Object();
  if (fields.id) obj.Set("id", json::Value::String(*fields.id));
  if (fields.title) obj.Set("title", json::Value::String(*fields.title));
  if (fields.description) {
    obj.Set("description", json::Value::String(*fields.description));
  }
  if (fields.due_date) {
    obj.Set("dueDate",
            *fields.due_date ? json::Value::String(**fields.due_date) : json::Value::Null());
  }
  if (fields.amount) obj.Set("amount", json::Value::Int(*fields.amount));
  return obj;
}

json::Value ActionToValue(const Action& action) {
  const ActionSpec& spec = SpecOf(action.type);
  json::Value obj = json::Value::Object();
  obj.Set("type", json::Value::String(spec.name));
  for (const FieldSpec& field : spec.fields) {
    if (field.key == nullptr) continue;
    switch (field.kind) {
      case FieldKind::kId:
        obj.Set(field.key, json::Value::String(action.id));
        break;
      case FieldKind::kMilestone:
      case FieldKind::kSet:
        obj.Set(field.key, FieldsToValue(action.fields));
        break;
      case FieldKind::kIndex:
        if (action.index) obj.Set(field.key, json::Value::Int(*action.index));
        break;
      case FieldKind::kToIndex:
        obj.Set(field.key, json::Value::Int(action.to_index));
        break;
      case FieldKind::kActions: {
        json::Value list = json::Value::Array();
        for (const Action& inner : action.actions) list.Push(ActionToValue(inner));
        obj.Set(field.key, std::move(list));
        break;
      }
      case FieldKind::kMessage:
        if (!action.message.empty()) obj.Set(field.key, json::Value::String(action.message));
        break;
      case FieldKind::kRequiredMessage:
        obj.Set(field.key, json::Value::String(action.message));
        break;
      case FieldKind::kReason:
        if (!action.reason.empty()) obj.Set(field.key, json::Value::String(action.reason));
        break;
      case FieldKind::kRequiredReason:
        obj.Set(field.key, json::Value::String(action.reason));
        break;
      case FieldKind::kSplitRelease:
        obj.Set(field.key, json::Value::Int(action.split_release.value_or(0)));
        break;
      case FieldKind::kSplitRefund:
        obj.Set(field.key, json::Value::Int(action.split_refund.value_or(0)));
        break;
      case FieldKind::kAmount:
        if (action.amount) obj.Set(field.key, json::Value::Int(*action.amount));
        break;
      case FieldKind::kThen:
        if (!action.then.empty()) obj.Set(field.key, json::Value::String(action.then));
        break;
    }
  }
  return obj;
}

}  // namespace

const char* ActorName(Actor actor) {
  switch (actor) {
    case Actor::kClient:
      return "client";
    case Actor::kFreelancer:
      return "freelancer";
    case Actor::kMarketplace:
      return "marketplace";
  }
  return "client";
}

bool ParseActor(std::string_view text, Actor* out) {
  for (Actor actor : {Actor::kClient, Actor::kFreelancer, Actor::kMarketplace}) {
    if (text == ActorName(actor)) {
      *out = actor;
      return true;
    }
  }
  return false;
}

const char* ActionTypeName(ActionType type) { return SpecOf(type).name; }

bool ParseActions(std::string_view json_text, std::vector<Action>* out, IssueList* issues) {
  out->clear();
  json::Value value;
  if (!ParseJson(json_text, &value, issues)) return false;
  Reader reader(issues);
  if (value.is_array()) {
    // A batch: paths start with the action's index in the array.
    out->resize(value.items().size());
    for (size_t i = 0; i < value.items().size(); ++i) {
      reader.ReadAction(value.items()[i], "/" + std::to_string(i), &(*out)[i]);
    }
  } else {
    out->resize(1);
    reader.ReadAction(value, "", &(*out)[0]);
  }
  return reader.ok();
}

std::string ActionToJson(const Action& action) { return json::Write(ActionToValue(action)); }

std::string ActionsToJson(const std::vector<Action>& actions) {
  json::Value list = json::Value::Array();
  for (const Action& action : actions) list.Push(ActionToValue(action));
  return json::Write(list);
}

std::string EventsToJson(const std::vector<Event>& events) {
  std::string out = "[";
  for (const Event& event : events) {
    if (out.size() > 1) out.push_back(',');
    out.append("{\"type\":");
    json::WriteString(event.type, &out);
    if (!event.milestone_id.empty()) {
      out.append(",\"milestoneId\":");
      json::WriteString(event.milestone_id, &out);
    }
    if (event.amount) out.append(",\"amount\":").append(std::to_string(*event.amount));
    std::optional<std::string> localized;
    if (const Catalog* catalog = CurrentCatalog(); catalog && !event.message_id.empty()) {
      localized = catalog->Render(event.message_id, event.params);
    }
    out.append(",\"message\":");
    json::WriteString(localized ? *localized : event.message, &out);
    out.append(",\"params\":");
    WriteParams(event.params, &out);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

}  // namespace milestone
