// A Session driven by a byte stream. The first bytes choose the options and the
// opened contract (built from a small grammar, or raw text up to a NUL); every
// following byte picks the next call: apply (an action from the grammar, or raw
// JSON up to a NUL), undo, redo, issues, changes or changeset. After each call
// the invariants below are checked against the engine's own answers.
#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/engine.h"
#include "milestone/session.h"

namespace {

using fuzz::Json;
using fuzz::Require;

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool empty() const { return pos_ >= size_; }
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }
  template <typename T, size_t N>
  const T& Pick(const T (&pool)[N]) {
    return pool[Next() % N];
  }
  // Raw text up to the next NUL (or the end).
  std::string_view Text() {
    size_t start = pos_;
    while (pos_ < size_ && data_[pos_] != 0) ++pos_;
    std::string_view out(reinterpret_cast<const char*>(data_ + start), pos_ - start);
    if (pos_ < size_) ++pos_;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

const char* const kTitles[] = {"Design",
                               "Build",
                               "",
                               "Launch",
                               "  ",
                               "QA \xE2\x80\x9C"
                               "final\xE2\x80\x9D",
                               "x"};
const char* const kDates[] = {"2026-12-15", "2027-01-10", "2025-01-01", "2027-02-30",
                              "2028-02-29", "2027-2-3",   "9999-12-31"};
const int64_t kAmounts[] = {50000, 120000, 500, 499, 0, 100000000, 100000001, 30000};
const char* const kIds[] = {"m-1", "m-2", "m-3", "m-4", "m-9", "m-10", "new", "m-1000"};

Json DueDate(Bytes& in) {
  uint8_t b = in.Next();
  if (b % 3 == 0) return nullptr;
  return in.Pick(kDates);
}

// A contract document from the grammar: released milestones, at most one in
// flight, then unfunded ones; sometimes ended, sometimes with broken ledgers.
std::string GrammarContract(Bytes& in) {
  Json doc = {{"id", "ctr-1"},           {"version", in.Next() % 5},
              {"currency", "USD"},       {"status", in.Next() % 9 == 0 ? "ended" : "open"},
              {"initiationFee", 299},    {"carryOver", 0},
              {"changeRequest", nullptr}};
  int count = in.Next() % 7;
  int closed = count ? in.Next() % (count + 1) : 0;
  uint8_t flight = in.Next();
  Json milestones = Json::array();
  bool funded_any = false;
  for (int i = 0; i < count; ++i) {
    int64_t amount = in.Pick(kAmounts);
    std::string state = "not_funded";
    if (i < closed) {
      state = "released";
    } else if (i == closed && flight % 3 != 0) {
      state = flight % 3 == 1 ? "active" : "submitted";
    }
    int64_t funded = state == "not_funded" ? 0 : amount;
    int64_t released = state == "released" ? amount : 0;
    funded_any |= funded > 0;
    milestones.push_back({{"id", "m-" + std::to_string(i + 1)},
                          {"title", in.Pick(kTitles)},
                          {"description", ""},
                          {"dueDate", DueDate(in)},
                          {"amount", amount},
                          {"state", state},
                          {"funded", funded},
                          {"released", released}});
  }
  doc["initiationFeeCharged"] = funded_any;
  doc["milestones"] = milestones;
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string SomeId(Bytes& in, const milestone::Contract& draft) {
  uint8_t b = in.Next();
  if (!draft.milestones.empty() && b % 4 != 0) {
    return draft.milestones[in.Next() % draft.milestones.size()].id;
  }
  return in.Pick(kIds);
}

Json Fields(Bytes& in, bool with_id) {
  Json set = Json::object();
  uint8_t which = in.Next();
  if (with_id && which & 1) set["id"] = in.Pick(kIds);
  if (which & 2) set["title"] = in.Pick(kTitles);
  if (which & 4) set["description"] = which & 64 ? std::string(5001, 'd') : "text";
  if (which & 8) set["dueDate"] = DueDate(in);
  if (which & 16) set["amount"] = in.Pick(kAmounts);
  if (which & 32) set["title"] = std::string(256, 't');
  return set;
}

Json GrammarAction(Bytes& in, const milestone::Contract& draft) {
  static const char* const kTypes[] = {"add",  "edit",   "edit",   "delete",  "move",
                                       "edit", "add",    "fund",   "release", "propose",
                                       "end",  "submit", "accept", "move"};
  std::string type = in.Pick(kTypes);
  Json action = {{"type", type}};
  if (type == "add") {
    Json m = Fields(in, true);
    if (!m.contains("title")) m["title"] = "New";
    if (!m.contains("amount")) m["amount"] = 10000;
    action["milestone"] = m;
    uint8_t b = in.Next();
    if (b % 3 == 0) action["index"] = static_cast<int64_t>(b % 9) - 1;
  } else if (type == "edit") {
    action["id"] = SomeId(in, draft);
    action["set"] = Fields(in, false);
  } else if (type == "move") {
    action["id"] = SomeId(in, draft);
    action["toIndex"] = static_cast<int64_t>(in.Next() % 9) - 1;
  } else if (type == "propose") {
    action["actions"] = Json::array({GrammarAction(in, draft)});
  } else if (type != "end" && type != "accept") {
    action["id"] = SomeId(in, draft);
  }
  return action;
}

void CheckEdit(const milestone::SessionEdit& edit) {
  std::string text = milestone::SessionEditToJson(edit);
  Json v = fuzz::CheckEnvelope(text);
  Require(v.contains("applied") && v["applied"].is_boolean(), "no boolean applied", text);
  Require(v.contains("touched") && v["touched"].is_array(), "no touched array", text);
  fuzz::CheckIssueList(edit.issues, edit.ok, "SessionEdit.ok is not 'no error among issues'");
}

using IssueKey = std::tuple<std::string, std::string, int>;

std::multiset<IssueKey> Keys(const milestone::IssueList& issues) {
  std::multiset<IssueKey> out;
  for (const milestone::Issue& i : issues) {
    out.emplace(i.code, i.path, static_cast<int>(i.severity));
  }
  return out;
}

std::string MilestonesJson(const milestone::Contract& contract) {
  milestone::Contract only;
  only.milestones = contract.milestones;
  return milestone::ContractToJson(only);
}

bool UniqueIds(const milestone::Contract& contract) {
  std::set<std::string> seen;
  for (const auto& m : contract.milestones) {
    if (!seen.insert(m.id).second) return false;
  }
  return true;
}

// Every milestone of the opened contract is still in the draft.
bool NothingDeleted(const milestone::Contract& base, const milestone::Contract& draft) {
  std::set<std::string> ids;
  for (const auto& m : draft.milestones) ids.insert(m.id);
  for (const auto& m : base.milestones) {
    if (!ids.count(m.id)) return false;
  }
  return true;
}

// Ids in `after` that `before` does not have.
std::set<std::string> NewIds(const milestone::Contract& before, const milestone::Contract& after) {
  std::set<std::string> old;
  for (const auto& m : before.milestones) old.insert(m.id);
  std::set<std::string> out;
  for (const auto& m : after.milestones) {
    if (!old.count(m.id)) out.insert(m.id);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes in(data, size);
  static const milestone::Engine engine;
  uint8_t setup = in.Next();
  milestone::ActOptions options;
  options.actor = setup & 1 ? milestone::Actor::kFreelancer : milestone::Actor::kClient;
  static const char* const kNows[] = {"", "2026-11-27", "2030-01-01", "2026-12-15"};
  options.now = kNows[(setup >> 1) % 4];
  std::string contract = setup & 8 ? std::string(in.Text()) : GrammarContract(in);

  // Options either typed or as JSON text (which may be unreadable on purpose).
  std::unique_ptr<milestone::Session> session;
  if (setup & 16) {
    std::string json = "{\"actor\":\"" + std::string(milestone::ActorName(options.actor)) + "\"";
    if (!options.now.empty()) json += ",\"now\":\"" + options.now + "\"";
    json += setup & 32 ? ",\"extra\":1}" : "}";
    session = std::make_unique<milestone::Session>(engine, contract, json);
  } else {
    session = std::make_unique<milestone::Session>(engine, contract, options);
  }
  milestone::ValidateOptions validate_options;
  validate_options.now = options.now;

  for (int step = 0; step < 48 && !in.empty(); ++step) {
    const std::string before = milestone::ContractToJson(session->draft());
    uint8_t op = in.Next();
    switch (op % 8) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4: {
        Json grammar = op % 8 == 4 ? Json() : GrammarAction(in, session->draft());
        // Ids taken from a raw contract may hold bytes that are not UTF-8: written as U+FFFD.
        std::string action = op % 8 == 4
                                 ? std::string(in.Text())
                                 : grammar.dump(-1, ' ', false, Json::error_handler_t::replace);
        // An add without an id: the engine and the session must generate the same one.
        const bool plain_add =
            grammar.is_object() && grammar["type"] == "add" && !grammar["milestone"].contains("id");
        std::optional<milestone::Contract> draft_before;
        if (plain_add) draft_before = session->draft();
        milestone::SessionEdit edit = session->Apply(action);
        CheckEdit(edit);
        const std::string after = milestone::ContractToJson(session->draft());
        if (plain_add && edit.applied && edit.ok && options.actor == milestone::Actor::kClient &&
            NothingDeleted(session->base(), *draft_before)) {
          std::vector<milestone::Action> actions;
          milestone::IssueList issues;
          Require(milestone::ParseActions(action, &actions, &issues), "a grammar add is unreadable",
                  action);
          milestone::ApplyResult engine_add = engine.Apply(*draft_before, actions, options);
          if (engine_add.ok) {
            Require(NewIds(*draft_before, engine_add.contract) ==
                        NewIds(*draft_before, session->draft()),
                    "engine.apply and the session generate different ids for one add",
                    action + "\n" + before);
          }
        }
        if (!session->usable()) Require(!edit.ok && !edit.applied, "an unusable session applied");
        if (!edit.applied) {
          Require(after == before, "a rejected action changed the draft", action);
        } else if (op & 0x80) {
          // Undo takes the draft back exactly, redo forward exactly.
          milestone::SessionEdit undo = session->Undo();
          CheckEdit(undo);
          Require(undo.applied, "undo after an applied action did nothing", action);
          Require(milestone::ContractToJson(session->draft()) == before,
                  "undo does not restore the draft", action);
          milestone::SessionEdit redo = session->Redo();
          CheckEdit(redo);
          Require(redo.applied, "redo after undo did nothing", action);
          Require(milestone::ContractToJson(session->draft()) == after,
                  "redo does not restore the draft", action);
        }
        break;
      }
      case 5:
        CheckEdit(session->Undo());
        break;
      case 6:
        CheckEdit(session->Redo());
        break;
      case 7: {
        if (!session->usable()) {
          Require(!session->MakeChangeset().ok, "an unusable session has an ok changeset");
          break;
        }
        // The session's issues are validate's for the draft.
        const milestone::IssueList& issues = session->Issues();
        milestone::ValidateResult validated = engine.Validate(session->draft(), validate_options);
        bool same = Keys(issues) == Keys(validated.issues);
        Require(same, "session issues differ from validate(draft)",
                milestone::IssuesToJson(issues) + "\nvalidate:\n" +
                    milestone::IssuesToJson(validated.issues) + "\n" + before);

        // Its changes rebuild the draft from the opened contract.
        if (UniqueIds(session->base()) && UniqueIds(session->draft())) {
          milestone::DiffResult changes = session->Changes();
          milestone::ApplyChangesResult rebuilt =
              milestone::ApplyChanges(session->base(), changes.changes);
          Require(
              rebuilt.ok && MilestonesJson(rebuilt.contract) == MilestonesJson(session->draft()),
              "session changes do not rebuild the draft",
              milestone::ChangesToJson(changes.changes));
        }

        // An ok changeset is one the engine accepts on the opened contract.
        milestone::Changeset cs = session->MakeChangeset();
        std::string text = milestone::ChangesetToJson(cs);
        Json v = fuzz::CheckEnvelope(text);
        if (cs.ok) {
          Require(validated.ok, "a changeset is ok while the draft has errors", text);
          milestone::ValidateResult check = engine.Check(session->base(), cs.actions, options);
          Require(check.ok, "an ok changeset is refused by engine.check",
                  text + "\n" + milestone::IssuesToJson(check.issues) +
                      "\nbase: " + milestone::ContractToJson(session->base()));
          if (options.actor == milestone::Actor::kClient) {
            milestone::ApplyResult applied = engine.Apply(session->base(), cs.actions, options);
            Require(
                applied.ok && MilestonesJson(applied.contract) == MilestonesJson(session->draft()),
                "applying an ok changeset does not give the draft", text);
          }
        }
        break;
      }
    }
  }
  return 0;
}
