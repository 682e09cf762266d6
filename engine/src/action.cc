// Actions as data: the names of actors and action types, and the JSON shape of
// an action (SPEC 3) read into and written out of the Action struct. The rules
// that decide whether an action may be done live in apply.cc.

#include "milestone/action.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "milestone/codes.h"
#include "json.h"
#include "rules.h"

namespace milestone {
namespace {

struct TypeName {
  ActionType type;
  const char* name;
};

constexpr TypeName kTypeNames[] = {
    {ActionType::kAdd, "add"},
    {ActionType::kEdit, "edit"},
    {ActionType::kDelete, "delete"},
    {ActionType::kMove, "move"},
    {ActionType::kPropose, "propose"},
    {ActionType::kWithdraw, "withdraw"},
    {ActionType::kAccept, "accept"},
    {ActionType::kDecline, "decline"},
    {ActionType::kFund, "fund"},
    {ActionType::kSubmit, "submit"},
    {ActionType::kRequestChanges, "requestChanges"},
    {ActionType::kRelease, "release"},
    {ActionType::kEnd, "end"},
};

bool ParseActionType(std::string_view text, ActionType* out) {
  for (const TypeName& entry : kTypeNames) {
    if (text == entry.name) {
      *out = entry.type;
      return true;
    }
  }
  return false;
}

// The keys each action type may carry besides "type". An unknown key is an
// error, not a warning: an action is an instruction, and silently ignoring a
// misspelt "ammount" would do something other than what was asked.
std::vector<const char*> AllowedKeys(ActionType type) {
  switch (type) {
    case ActionType::kAdd:
      return {"milestone", "index"};
    case ActionType::kEdit:
      return {"id", "set"};
    case ActionType::kDelete:
      return {"id"};
    case ActionType::kMove:
      return {"id", "toIndex"};
    case ActionType::kPropose:
      return {"actions", "message"};
    case ActionType::kWithdraw:
      return {};
    case ActionType::kAccept:
      return {};
    case ActionType::kDecline:
      return {"reason"};
    case ActionType::kFund:
      return {"id"};
    case ActionType::kSubmit:
      return {"id", "message"};
    case ActionType::kRequestChanges:
      return {"id", "message"};
    case ActionType::kRelease:
      return {"id", "amount", "then"};
    case ActionType::kEnd:
      return {};
  }
  return {};
}

class Reader {
 public:
  explicit Reader(IssueList* issues) : issues_(issues) {}

  bool ok() const { return ok_; }

  void Schema(const std::string& path, std::string message,
              std::string hint = {}) {
    issues_->push_back(MakeError(codes::kSchema, path, "", std::move(message),
                                 std::move(hint)));
    ok_ = false;
  }

  void ReadAction(const json::Value& value, const std::string& path,
                  Action* out) {
    if (!value.is_object()) {
      Schema(path, "An action must be a JSON object.",
             "Send an object such as {\"type\": \"fund\", \"id\": \"m-2\"}.");
      return;
    }
    const json::Value* type = value.Find("type");
    if (type == nullptr) {
      Schema(path + "/type", "The action has no type.",
             "Add \"type\", for example \"fund\" or \"edit\".");
      return;
    }
    if (!type->is_string() || !ParseActionType(type->as_string(), &out->type)) {
      Schema(path + "/type", "The action type is not one the engine knows.",
             "Use add, edit, delete, move, propose, withdraw, accept, decline, "
             "fund, submit, requestChanges, release or end.");
      return;
    }
    const std::vector<const char*> allowed = AllowedKeys(out->type);
    for (const json::Member& member : value.members()) {
      if (member.first == "type") continue;
      bool known = false;
      for (const char* key : allowed) known = known || member.first == key;
      if (!known) {
        Schema(path + "/" + PointerToken(member.first),
               "A " + std::string(ActionTypeName(out->type)) +
                   " action has no field \"" + member.first + "\".",
               "Remove the field or check its spelling.");
      }
    }
    switch (out->type) {
      case ActionType::kAdd:
        ReadFields(value.Find("milestone"), path + "/milestone", true,
                   &out->fields);
        if (const json::Value* index = value.Find("index")) {
          int64_t n = 0;
          if (ReadIndex(*index, path + "/index", &n)) out->index = n;
        }
        break;
      case ActionType::kEdit:
        ReadId(value, path, true, &out->id);
        ReadFields(value.Find("set"), path + "/set", false, &out->fields);
        break;
      case ActionType::kMove:
        ReadId(value, path, true, &out->id);
        if (const json::Value* to = value.Find("toIndex")) {
          ReadIndex(*to, path + "/toIndex", &out->to_index);
        } else {
          Schema(path + "/toIndex", "A move needs \"toIndex\".",
                 "Give the position to move to, counting from 0.");
        }
        break;
      case ActionType::kPropose: {
        const json::Value* actions = value.Find("actions");
        if (actions == nullptr || !actions->is_array()) {
          Schema(path + "/actions", "A proposal needs an \"actions\" array.",
                 "List the add, edit, delete and move actions you propose.");
        } else {
          const auto& items = actions->items();
          out->actions.resize(items.size());
          for (size_t i = 0; i < items.size(); ++i) {
            ReadAction(items[i], path + "/actions/" + std::to_string(i),
                       &out->actions[i]);
          }
        }
        ReadText(value, "message", path, false, &out->message);
        break;
      }
      case ActionType::kDecline:
        ReadText(value, "reason", path, false, &out->reason);
        break;
      case ActionType::kDelete:
      case ActionType::kFund:
        ReadId(value, path, true, &out->id);
        break;
      case ActionType::kSubmit:
        ReadId(value, path, true, &out->id);
        ReadText(value, "message", path, false, &out->message);
        break;
      case ActionType::kRequestChanges:
        ReadId(value, path, true, &out->id);
        ReadText(value, "message", path, true, &out->message);
        break;
      case ActionType::kRelease: {
        ReadId(value, path, true, &out->id);
        if (const json::Value* amount = value.Find("amount")) {
          int64_t n = 0;
          if (ReadAmount(*amount, path + "/amount", "", &n, issues_)) {
            out->amount = n;
          } else {
            ok_ = false;
          }
        }
        if (const json::Value* then = value.Find("then")) {
          if (!then->is_string() ||
              (then->as_string() != "end" && then->as_string() != "keepOpen")) {
            Schema(path + "/then", "\"then\" must be \"end\" or \"keepOpen\".",
                   "Say whether to end the contract or keep it open after "
                   "the last milestone.");
          } else {
            out->then = then->as_string();
          }
        }
        break;
      }
      case ActionType::kWithdraw:
      case ActionType::kAccept:
      case ActionType::kEnd:
        break;
    }
  }

 private:
  void ReadId(const json::Value& value, const std::string& path, bool required,
              std::string* out) {
    const json::Value* id = value.Find("id");
    if (id == nullptr) {
      if (required) {
        Schema(path + "/id", "The action does not say which milestone.",
               "Add the milestone's \"id\".");
      }
      return;
    }
    if (!id->is_string()) {
      Schema(path + "/id", "A milestone id must be a string.");
      return;
    }
    *out = id->as_string();
  }

  void ReadText(const json::Value& value, const char* key,
                const std::string& path, bool required, std::string* out) {
    const json::Value* text = value.Find(key);
    if (text == nullptr) {
      if (required) {
        Schema(path + "/" + key,
               std::string("The action needs \"") + key + "\".");
      }
      return;
    }
    if (!text->is_string()) {
      Schema(path + "/" + key,
             std::string("\"") + key + "\" must be a string.");
      return;
    }
    *out = text->as_string();
  }

  bool ReadIndex(const json::Value& value, const std::string& path,
                 int64_t* out) {
    if (!value.is_int()) {
      Schema(path, "A position must be a whole number.",
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
      Schema(path,
             add ? "An add needs a \"milestone\" object."
                 : "An edit needs a \"set\" object with the fields to change.",
             add ? "Give at least a title and an amount."
                 : "For example {\"amount\": 15000}.");
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
          Schema(field_path, "A milestone id must be a string.");
        }
      } else if (key == "title" || key == "description") {
        if (field.is_string()) {
          (key == "title" ? out->title : out->description) = field.as_string();
        } else {
          Schema(field_path, "The " + key + " must be a string.");
        }
      } else if (key == "dueDate") {
        if (field.is_null()) {
          out->due_date = std::optional<std::string>();
        } else if (field.is_string()) {
          out->due_date = std::optional<std::string>(field.as_string());
        } else {
          Schema(field_path, "The due date must be a string or null.",
                 "Write it as YYYY-MM-DD.");
        }
      } else if (key == "amount") {
        int64_t n = 0;
        if (ReadAmount(field, field_path, "", &n, issues_)) {
          out->amount = n;
        } else {
          ok_ = false;
        }
      } else {
        Schema(field_path, "A milestone has no field \"" + key + "\" to set.",
               "Use title, description, dueDate or amount.");
      }
    }
    if (add && !out->title && value->Find("title") == nullptr) {
      Schema(path + "/title", "A new milestone needs a title.");
    }
    if (add && !out->amount && value->Find("amount") == nullptr) {
      Schema(path + "/amount", "A new milestone needs an amount.",
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
    obj.Set("dueDate", *fields.due_date ? json::Value::String(**fields.due_date)
                                        : json::Value::Null());
  }
  if (fields.amount) obj.Set("amount", json::Value::Int(*fields.amount));
  return obj;
}

json::Value ActionToValue(const Action& action) {
  json::Value obj = json::Value::Object();
  obj.Set("type", json::Value::String(ActionTypeName(action.type)));
  switch (action.type) {
    case ActionType::kAdd:
      obj.Set("milestone", FieldsToValue(action.fields));
      if (action.index) obj.Set("index", json::Value::Int(*action.index));
      break;
    case ActionType::kEdit:
      obj.Set("id", json::Value::String(action.id));
      obj.Set("set", FieldsToValue(action.fields));
      break;
    case ActionType::kMove:
      obj.Set("id", json::Value::String(action.id));
      obj.Set("toIndex", json::Value::Int(action.to_index));
      break;
    case ActionType::kPropose: {
      json::Value list = json::Value::Array();
      for (const Action& inner : action.actions)
        list.Push(ActionToValue(inner));
      obj.Set("actions", std::move(list));
      if (!action.message.empty()) {
        obj.Set("message", json::Value::String(action.message));
      }
      break;
    }
    case ActionType::kDecline:
      if (!action.reason.empty()) {
        obj.Set("reason", json::Value::String(action.reason));
      }
      break;
    case ActionType::kDelete:
    case ActionType::kFund:
      obj.Set("id", json::Value::String(action.id));
      break;
    case ActionType::kSubmit:
      obj.Set("id", json::Value::String(action.id));
      if (!action.message.empty()) {
        obj.Set("message", json::Value::String(action.message));
      }
      break;
    case ActionType::kRequestChanges:
      obj.Set("id", json::Value::String(action.id));
      obj.Set("message", json::Value::String(action.message));
      break;
    case ActionType::kRelease:
      obj.Set("id", json::Value::String(action.id));
      if (action.amount) obj.Set("amount", json::Value::Int(*action.amount));
      if (!action.then.empty()) {
        obj.Set("then", json::Value::String(action.then));
      }
      break;
    case ActionType::kWithdraw:
    case ActionType::kAccept:
    case ActionType::kEnd:
      break;
  }
  return obj;
}

}  // namespace

const char* ActorName(Actor actor) {
  return actor == Actor::kClient ? "client" : "freelancer";
}

bool ParseActor(std::string_view text, Actor* out) {
  if (text == "client") {
    *out = Actor::kClient;
    return true;
  }
  if (text == "freelancer") {
    *out = Actor::kFreelancer;
    return true;
  }
  return false;
}

const char* ActionTypeName(ActionType type) {
  for (const TypeName& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "unknown";
}

bool ParseActions(std::string_view json_text, std::vector<Action>* out,
                  IssueList* issues) {
  out->clear();
  json::Value value;
  const size_t before = issues->size();
  if (!ParseJson(json_text, &value, issues)) {
    if (issues->size() == before) {
      issues->push_back(MakeError(codes::kInvalidJson, "", "",
                                  "The action is not valid JSON."));
    }
    return false;
  }
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

std::string ActionToJson(const Action& action) {
  return json::Write(ActionToValue(action));
}

std::string ActionsToJson(const std::vector<Action>& actions) {
  json::Value list = json::Value::Array();
  for (const Action& action : actions) list.Push(ActionToValue(action));
  return json::Write(list);
}

std::string EventsToJson(const std::vector<Event>& events) {
  json::Value list = json::Value::Array();
  for (const Event& event : events) {
    json::Value obj = json::Value::Object();
    obj.Set("type", json::Value::String(event.type));
    if (!event.milestone_id.empty()) {
      obj.Set("milestoneId", json::Value::String(event.milestone_id));
    }
    if (event.amount) obj.Set("amount", json::Value::Int(*event.amount));
    obj.Set("message", json::Value::String(event.message));
    list.Push(std::move(obj));
  }
  return json::Write(list);
}

}  // namespace milestone
