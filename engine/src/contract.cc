#include "milestone/contract.h"

#include <cmath>
#include <cstring>
#include <iterator>

#include "action_spec.h"
#include "milestone/codes.h"
#include "milestone/money.h"
#include "rules.h"

namespace milestone {

const char* StateName(MilestoneState state) {
  switch (state) {
    case MilestoneState::kNotFunded:
      return "not_funded";
    case MilestoneState::kActive:
      return "active";
    case MilestoneState::kSubmitted:
      return "submitted";
    case MilestoneState::kReleased:
      return "released";
    case MilestoneState::kRefunded:
      return "refunded";
  }
  return "not_funded";
}

bool IsInFlight(MilestoneState state) {
  return state == MilestoneState::kActive || state == MilestoneState::kSubmitted;
}

bool IsClosed(MilestoneState state) {
  return state == MilestoneState::kReleased || state == MilestoneState::kRefunded;
}

int64_t EscrowOf(const Milestone& m) {
  return IsInFlight(m.state) ? m.funded - m.released - m.refunded : 0;
}

int64_t FindMilestone(const Contract& contract, std::string_view id) {
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    if (contract.milestones[i].id == id) return static_cast<int64_t>(i);
  }
  return -1;
}

bool ParseJson(std::string_view text, json::Value* out, IssueList* issues,
               const std::string& path) {
  json::ParseError error;
  if (json::Parse(text, out, &error)) return true;
  // The reason is always a param; three reasons have their own sentence.
  const std::string reason = error.reason;
  Params params = {WordParam("reason", "jsonError", reason),
                   NumberParam("offset", static_cast<int64_t>(error.offset))};
  std::string id = codes::kInvalidJson;
  if (reason == "tooLarge") {
    id += ".tooLarge";
    params.push_back(NumberParam("maxMiB", error.limit));
  } else if (reason == "tooDeep") {
    id += ".tooDeep";
    params.push_back(NumberParam("maxDepth", error.limit));
  } else if (reason == "duplicateKey") {
    id += ".duplicateKey";
    params.push_back(TextParam("key", error.key));
  }
  issues->push_back(MakeError(codes::kInvalidJson, path, "",
                              "The text is not a usable JSON document: " + error.message,
                              "Send one JSON value, at most 4 MiB, nested at most 32 "
                              "levels, with no key repeated.",
                              id, std::move(params)));
  return false;
}

bool ReadAmount(const json::Value& value, const std::string& path, const std::string& milestone_id,
                int64_t* out, IssueList* issues) {
  if (!value.is_number()) {
    issues->push_back(MakeError(
        codes::kSchema, path, milestone_id, "The value at " + path + " must be a number of cents.",
        "Write the amount as an integer count of cents, e.g. 50000 for $500.00.", "SCHEMA.amount",
        {TextParam("pointer", path), WordParam("actual", "type", JsonTypeName(value))}));
    return false;
  }
  if (!value.is_int() || value.as_int() > kMaxSafeInteger || value.as_int() < -kMaxSafeInteger) {
    std::string spelled = value.is_int() ? std::to_string(value.as_int()) : value.number_text();
    spelled = spelled.substr(0, 40);
    issues->push_back(
        MakeError(codes::kInvalidAmount, path, milestone_id,
                  "The amount " + spelled + " is not a whole number of cents in range.",
                  "Use an integer count of cents between 0 and 9007199254740992.",
                  codes::kInvalidAmount, {TextParam("value", spelled)}));
    return false;
  }
  *out = value.as_int();
  return true;
}

namespace {

// A JSON type as params name it (the catalog's "type" words) and as English does.
struct TypeNames {
  const char* name;
  const char* words;
};

// Indexed by json::Type.
constexpr TypeNames kTypeNames[] = {{"null", "null"},       {"boolean", "a boolean"},
                                    {"number", "a number"}, {"string", "a string"},
                                    {"array", "an array"},  {"object", "an object"}};

const TypeNames& NamesOf(const json::Value& v) { return kTypeNames[static_cast<size_t>(v.type())]; }

const char* TypeName(const json::Value& v) { return NamesOf(v).words; }

}  // namespace

const char* JsonTypeName(const json::Value& v) { return NamesOf(v).name; }

namespace {

// What a field must be: its name in params (the catalog's "expected" words)
// and in English.
struct Expected {
  const char* name;
  const char* words;
};
constexpr Expected kString{"string", "a string"};
constexpr Expected kCents{"cents", "an integer number of cents"};
constexpr Expected kDate{"date", "a date \"YYYY-MM-DD\""};
constexpr Expected kDateOrNull{"dateOrNull", "a date \"YYYY-MM-DD\" or null"};
constexpr Expected kBoolean{"boolean", "true or false"};
constexpr Expected kArray{"array", "an array"};
constexpr Expected kVersion{"version", "the server's revision number"};
constexpr Expected kEditActions{"editActions", "an array of edit actions"};
constexpr Expected kRefundRequest{"refundRequest", "null or {\"requestedOn\", \"message\"}"};
constexpr Expected kDispute{"dispute", "null or {\"by\", \"openedOn\", \"reason\"}"};

// Where an object is, as a JSON pointer: `prefix`, then the milestone's index
// when there is one, then `member`. A reading that finds nothing never builds it.
struct Where {
  const char* prefix = "";
  int64_t index = -1;
  const char* member = nullptr;

  std::string Pointer() const {
    std::string out = prefix;
    if (index >= 0) out += "/" + std::to_string(index);
    if (member != nullptr) out += std::string("/") + member;
    return out;
  }
  Where Inside(const char* key) const { return Where{prefix, index, key}; }
};

const std::string& NoMilestone() {
  static const std::string kNone;
  return kNone;
}

// Reads the members of one object, reporting what is missing, mistyped or
// unknown. Each field reader returns false when the field was unusable.
// `milestone_id` is read at each finding: a milestone's reader is handed the
// milestone's own id field, which holds the id once "id" has been read.
class ObjectReader {
 public:
  ObjectReader(const json::Value& obj, Where where, const std::string& milestone_id,
               IssueList* issues, bool steal_strings = false)
      : obj_(obj),
        where_(where),
        milestone_id_(milestone_id),
        issues_(issues),
        steal_strings_(steal_strings) {}

  const Where& where() const { return where_; }
  std::string PathOf(const char* key) const { return where_.Pointer() + "/" + key; }

  void Missing(const char* key, const Expected& what) {
    issues_->push_back(
        MakeError(codes::kSchema, PathOf(key), milestone_id_,
                  std::string("The field \"") + key + "\" is required.",
                  std::string("Add \"") + key + "\": " + what.words + ".", "SCHEMA.missing",
                  {TextParam("field", key), WordParam("expected", "expected", what.name)}));
  }

  void WrongType(const char* key, const json::Value& v, const Expected& what) {
    issues_->push_back(
        MakeError(codes::kSchema, PathOf(key), milestone_id_,
                  std::string("The field \"") + key + "\" must be " + what.words + ", not " +
                      TypeName(v) + ".",
                  std::string("Make \"") + key + "\" " + what.words + ".", "SCHEMA.type",
                  {TextParam("field", key), WordParam("expected", "expected", what.name),
                   WordParam("actual", "type", JsonTypeName(v))}));
  }

  // The member named `key`, or nullptr. Each key is asked for once: when
  // every member has been read, the answer is nullptr without a search.
  // Documents nearly always list the fields in the order they are read, so
  // the search starts after the member found last and wraps around.
  const json::Value* Get(std::string_view key) {
    const auto& members = obj_.members();
    const size_t n = members.size();
    if (n <= kMaskBits && read_mask_ == LowBits(n)) return nullptr;
    size_t k = next_;
    for (size_t step = 0; step < n; ++step) {
      if (SameKey(members[k].first, key)) {
        MarkRead(k);
        next_ = k + 1 == n ? 0 : k + 1;
        return &members[k].second;
      }
      k = k + 1 == n ? 0 : k + 1;
    }
    return nullptr;
  }

  bool String(const char* key, bool required, std::string* out) {
    return String(key, Get(key), required, out);
  }
  // The same for `v`, the member `key` already got (or nullptr).
  bool String(const char* key, const json::Value* v, bool required, std::string* out) {
    if (v == nullptr) {
      if (required) Missing(key, kString);
      return !required;
    }
    if (!v->is_string()) {
      WrongType(key, *v, kString);
      return false;
    }
    if (steal_strings_) {
      // The caller owns the document and reads each known field once.
      *out = std::move(const_cast<std::string&>(v->as_string()));
    } else {
      *out = v->as_string();
    }
    return true;
  }

  bool Money(const char* key, bool required, int64_t* out) {
    return Money(key, Get(key), required, out);
  }
  bool Money(const char* key, const json::Value* v, bool required, int64_t* out) {
    if (v == nullptr) {
      if (required) Missing(key, kCents);
      return !required;
    }
    // The clean case first: the path string is built only for a finding.
    if (v->is_int() && v->as_int() >= 0 && v->as_int() <= kMaxSafeInteger) {
      *out = v->as_int();
      return true;
    }
    if (!ReadAmount(*v, PathOf(key), milestone_id_, out, issues_)) return false;
    if (*out < 0) {
      issues_->push_back(MakeError(codes::kInvalidAmount, PathOf(key), milestone_id_,
                                   std::string("The field \"") + key + "\" cannot be negative.",
                                   "Use an amount of zero or more cents.",
                                   "INVALID_AMOUNT.negative",
                                   {TextParam("field", key), NumberParam("value", *out)}));
      return false;
    }
    return true;
  }

  // Members this reader did not ask for: UNKNOWN_FIELD warnings, kept verbatim.
  void KeepUnknown(std::vector<UnknownField>* unknown) {
    const auto& members = obj_.members();
    if (members.size() <= kMaskBits && read_mask_ == LowBits(members.size())) return;
    for (size_t k = 0; k < members.size(); ++k) {
      if (WasRead(k)) continue;
      const json::Member& m = members[k];
      std::string path = where_.Pointer() + "/" + PointerToken(m.first);
      std::string field = m.first.substr(0, 64);
      Issue issue =
          MakeWarning(codes::kUnknownField, path, milestone_id_,
                      "The field \"" + field + "\" is not one the engine knows; it is kept as is.",
                      "Check the spelling if it was meant to be a known field.");
      issues_->push_back(
          Tagged(std::move(issue), codes::kUnknownField, {TextParam("field", std::move(field))}));
      unknown->push_back(UnknownField{m.first, json::Write(m.second)});
    }
  }

 private:
  const json::Value& obj_;
  Where where_;
  const std::string& milestone_id_;
  IssueList* issues_;
  bool steal_strings_;
  size_t next_ = 0;  // where the next Get starts
  // The members read so far: a bit each for the first 64, positions past
  // them (no object type has more known keys than kMaxKnown).
  static constexpr size_t kMaskBits = 64;
  static constexpr size_t kMaxKnown = 16;
  uint64_t read_mask_ = 0;
  size_t found_[kMaxKnown];  // the first found_count_ are set: not zeroed per object
  size_t found_count_ = 0;

  // Inline: keys are a few bytes, shorter than a call to memcmp.
  static bool SameKey(const std::string& a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < b.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }

  static uint64_t LowBits(size_t n) {
    return n >= kMaskBits ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
  }

  void MarkRead(size_t k) {
    if (k < kMaskBits) {
      read_mask_ |= uint64_t{1} << k;
    } else if (found_count_ < kMaxKnown) {
      found_[found_count_++] = k;
    }
  }

  bool WasRead(size_t k) const {
    if (k < kMaskBits) return (read_mask_ >> k & 1) != 0;
    for (size_t j = 0; j < found_count_; ++j) {
      if (found_[j] == k) return true;
    }
    return false;
  }
};

bool ParseState(std::string_view s, MilestoneState* out) {
  static const MilestoneState kAll[] = {MilestoneState::kNotFunded, MilestoneState::kActive,
                                        MilestoneState::kSubmitted, MilestoneState::kReleased,
                                        MilestoneState::kRefunded};
  // StateName's words with their lengths, measured once.
  static const std::string_view kNames[] = {StateName(kAll[0]), StateName(kAll[1]),
                                            StateName(kAll[2]), StateName(kAll[3]),
                                            StateName(kAll[4])};
  for (size_t i = 0; i < std::size(kAll); ++i) {
    if (s == kNames[i]) {
      *out = kAll[i];
      return true;
    }
  }
  return false;
}

bool ParseStatus(std::string_view s, ContractStatus* out) {
  if (s == "open") {
    *out = ContractStatus::kOpen;
  } else if (s == "ended") {
    *out = ContractStatus::kEnded;
  } else {
    return false;
  }
  return true;
}

// A document from before the "refunded" field: the escrow that went back of
// a refunded milestone.
void DefaultRefunded(Milestone* m) {
  if (m->state == MilestoneState::kRefunded && m->funded >= m->released) {
    m->refunded = m->funded - m->released;
  }
}

// A date of the escrow fields, kept as text: an unreadable one is
// INVALID_ESCROW_STATE, the value rules' finding, not a reading one.
bool ReadDateText(ObjectReader& r, const char* key, bool required, std::string* out) {
  const json::Value* v = r.Get(key);
  if (v == nullptr) {
    if (required) r.Missing(key, kDate);
    return !required;
  }
  if (!v->is_string()) {
    r.WrongType(key, *v, kDate);
    return false;
  }
  *out = v->as_string();
  return true;
}

// submittedOn, refunded, refundRequest and dispute (SPEC 1.1). Returns the
// kBad* bits of what could not be read.
uint32_t ReadEscrow(ObjectReader& r, const std::string& milestone_id, Milestone* m,
                    IssueList* issues) {
  uint32_t bad = 0;
  if (const json::Value* on = r.Get("submittedOn")) {
    m->written |= kHasSubmittedOn;
    if (on->is_string()) {
      m->submitted_on = on->as_string();
    } else if (!on->is_null()) {
      r.WrongType("submittedOn", *on, kDateOrNull);
      bad |= kBadEscrow;
    }
  }
  if (const json::Value* refunded = r.Get("refunded")) {
    m->written |= kHasRefunded;
    if (!r.Money("refunded", refunded, false, &m->refunded)) bad |= kBadRefunded;
  } else {
    DefaultRefunded(m);
  }
  if (const json::Value* request = r.Get("refundRequest")) {
    m->written |= kHasRefundRequest;
    if (request->is_object()) {
      ObjectReader rr(*request, r.where().Inside("refundRequest"), milestone_id, issues);
      RefundRequest out;
      bool ok = ReadDateText(rr, "requestedOn", true, &out.requested_on);
      if (const json::Value* text = rr.Get("message"); text != nullptr && !text->is_null()) {
        std::string message;
        if (rr.String("message", text, false, &message)) {
          out.message = std::move(message);
        } else {
          ok = false;
        }
      } else {
        out.null_message = text != nullptr;
      }
      rr.KeepUnknown(&out.unknown);
      if (ok) {
        m->refund_request = std::move(out);
      } else {
        bad |= kBadEscrow;
      }
    } else if (!request->is_null()) {
      r.WrongType("refundRequest", *request, kRefundRequest);
      bad |= kBadEscrow;
    }
  }
  if (const json::Value* dispute = r.Get("dispute")) {
    m->written |= kHasDispute;
    if (dispute->is_object()) {
      ObjectReader rd(*dispute, r.where().Inside("dispute"), milestone_id, issues);
      Dispute out;
      bool ok = rd.String("by", true, &out.by);
      if (ok && out.by != "client" && out.by != "freelancer") {
        issues->push_back(MakeError(codes::kSchema, rd.PathOf("by"), milestone_id,
                                    "A dispute is opened by the client or the freelancer.",
                                    "Set \"by\" to \"client\" or \"freelancer\".",
                                    "SCHEMA.disputeBy", {TextParam("by", out.by)}));
        ok = false;
      }
      ok &= ReadDateText(rd, "openedOn", true, &out.opened_on);
      ok &= rd.String("reason", true, &out.reason);
      rd.KeepUnknown(&out.unknown);
      if (ok) {
        m->dispute = std::move(out);
      } else {
        bad |= kBadEscrow;
      }
    } else if (!dispute->is_null()) {
      r.WrongType("dispute", *dispute, kDispute);
      bad |= kBadEscrow;
    }
  }
  return bad;
}

uint32_t ReadMilestone(const json::Value& v, size_t index, Milestone* m, IssueList* issues,
                       bool steal_strings) {
  if (!v.is_object()) {
    issues->push_back(MakeError(
        codes::kSchema, MilestonePath(index), "",
        "Milestone " + PositionText(static_cast<int64_t>(index)) + " must be an object.",
        "Write each milestone as {\"id\", \"title\", \"amount\", ...}.", "SCHEMA.milestone",
        {NumberParam("position", static_cast<int64_t>(index) + 1),
         WordParam("actual", "type", JsonTypeName(v))}));
    return ~0u;
  }
  // Findings name the milestone by m->id: "" until "id" is read, and "" when
  // it cannot be.
  const std::string& milestone_id = m->id;
  ObjectReader r(v, Where{"/milestones", static_cast<int64_t>(index)}, milestone_id, issues,
                 steal_strings);
  uint32_t bad = 0;
  if (!r.String("id", true, &m->id)) bad |= kBadId;
  if (!r.String("title", true, &m->title)) bad |= kBadTitle;
  if (!r.String("description", false, &m->description)) bad |= kBadDescription;
  if (const json::Value* due = r.Get("dueDate")) {
    if (due->is_string()) {
      m->due_date = due->as_string();
    } else if (!due->is_null()) {
      r.WrongType("dueDate", *due, kDateOrNull);
      bad |= kBadDueDate;
    }
  }
  if (!r.Money("amount", true, &m->amount)) bad |= kBadAmount;
  std::string state;
  if (!r.String("state", true, &state)) {
    bad |= kBadState;
  } else if (!ParseState(state, &m->state)) {
    state = state.substr(0, 40);
    issues->push_back(MakeError(codes::kSchema, r.PathOf("state"), milestone_id,
                                "The state \"" + state + "\" is not a milestone state.",
                                "Use not_funded, active, submitted, released or refunded.",
                                "SCHEMA.state", {TextParam("state", state)}));
    bad |= kBadState;
  }
  if (!r.Money("funded", true, &m->funded)) bad |= kBadFunded;
  if (!r.Money("released", true, &m->released)) bad |= kBadReleased;
  bad |= ReadEscrow(r, milestone_id, m, issues);
  r.KeepUnknown(&m->unknown);
  return bad;
}

bool ReadChangeRequest(const json::Value& v, ChangeRequest* out, IssueList* issues) {
  const std::string base = "/changeRequest";
  if (!v.is_object()) {
    issues->push_back(
        MakeError(codes::kSchema, base, "", "The change request must be an object or null.",
                  "Write {\"id\", \"by\": \"freelancer\", \"actions\": [...]} or null.",
                  "SCHEMA.changeRequest", {WordParam("actual", "type", JsonTypeName(v))}));
    return false;
  }
  ObjectReader r(v, Where{"/changeRequest"}, NoMilestone(), issues);
  bool ok = r.String("id", true, &out->id);
  ok &= r.String("by", true, &out->by);
  ok &= r.String("message", false, &out->message);
  if (ok && out->by != "freelancer") {
    issues->push_back(MakeError(
        codes::kSchema, base + "/by", "", "A change request can only come from the freelancer.",
        "Set \"by\" to \"freelancer\".", "SCHEMA.changeRequestBy", {TextParam("by", out->by)}));
    ok = false;
  }
  const json::Value* actions = r.Get("actions");
  if (actions == nullptr) {
    r.Missing("actions", kEditActions);
    ok = false;
  } else if (!actions->is_array()) {
    r.WrongType("actions", *actions, kEditActions);
    ok = false;
  } else {
    IssueList action_issues;
    if (!ParseActions(json::Write(*actions), &out->actions, &action_issues)) ok = false;
    for (Issue& issue : action_issues) {
      issue.path = base + "/actions" + issue.path;
      issues->push_back(std::move(issue));
    }
    // A request holds plan edits only, and at least one: what accept applies
    // is what validate accepted (SPEC 1.1).
    if (ok && out->actions.empty()) {
      issues->push_back(MakeError(
          codes::kSchema, base + "/actions", "", "The change request holds no changes.",
          "List at least one add, edit, delete or move action.", "SCHEMA.changeRequestEmpty", {}));
      ok = false;
    }
    for (size_t i = 0; ok && i < out->actions.size(); ++i) {
      if (SpecOf(out->actions[i].type).plan_edit) continue;
      const char* type = ActionTypeName(out->actions[i].type);
      issues->push_back(MakeError(
          codes::kSchema, base + "/actions/" + std::to_string(i) + "/type", "",
          std::string("A change request may hold only add, edit, delete and move actions, not \"") +
              type + "\".",
          "Remove the action from the request.", "SCHEMA.changeRequestAction",
          {TextParam("action", type)}));
      ok = false;
    }
  }
  r.KeepUnknown(&out->unknown);
  return ok;
}

bool ReadContractImpl(const json::Value& doc, Contract* out, IssueList* issues, ReadNotes* notes,
                      bool steal_strings) {
  if (!doc.is_object()) {
    issues->push_back(
        MakeError(codes::kSchema, "", "",
                  "The contract must be a JSON object, not " + std::string(TypeName(doc)) + ".",
                  "Send the contract document as an object.", "SCHEMA.contract",
                  {WordParam("actual", "type", JsonTypeName(doc))}));
    return false;
  }
  size_t errors_before = issues->size();
  ObjectReader r(doc, Where{}, NoMilestone(), issues);
  if (!r.String("id", true, &out->id)) notes->bad_contract_fields |= kBadContractId;
  if (const json::Value* v = r.Get("version")) {
    if (!v->is_int() || v->as_int() < 0 || v->as_int() > kMaxSafeInteger) {
      issues->push_back(MakeError(
          codes::kSchema, "/version", "", "The version must be an integer of zero or more.",
          "Send the version the server gave with the contract.", "SCHEMA.version",
          {WordParam("actual", "type", JsonTypeName(*v))}));
    } else {
      out->version = v->as_int();
    }
  } else {
    r.Missing("version", kVersion);
  }
  if (!r.String("currency", true, &out->currency)) notes->bad_contract_fields |= kBadCurrency;
  std::string status;
  if (r.String("status", true, &status)) {
    if (!ParseStatus(status, &out->status)) {
      issues->push_back(MakeError(codes::kSchema, "/status", "",
                                  "The status must be \"open\" or \"ended\".",
                                  "Set \"status\" to \"open\" or \"ended\".", "SCHEMA.status",
                                  {TextParam("status", status.substr(0, 40))}));
    }
  }
  if (const json::Value* fee = r.Get("initiationFee"); fee != nullptr && !fee->is_null()) {
    int64_t value = 0;
    if (r.Money("initiationFee", fee, false, &value)) {
      out->initiation_fee = value;
    } else {
      notes->bad_contract_fields |= kBadFee;
    }
  }
  if (const json::Value* v = r.Get("initiationFeeCharged")) {
    if (v->is_bool()) {
      out->initiation_fee_charged = v->as_bool();
    } else {
      r.WrongType("initiationFeeCharged", *v, kBoolean);
    }
  } else {
    r.Missing("initiationFeeCharged", kBoolean);
  }
  if (!r.Money("carryOver", true, &out->carry_over)) notes->bad_contract_fields |= kBadCarryOver;

  const json::Value* list = r.Get("milestones");
  if (list == nullptr) {
    r.Missing("milestones", kArray);
    notes->bad_contract_fields |= kBadMilestones;
  } else if (!list->is_array()) {
    r.WrongType("milestones", *list, kArray);
    notes->bad_contract_fields |= kBadMilestones;
  } else {
    out->milestones.resize(list->items().size());
    notes->bad_fields.assign(list->items().size(), 0);
    for (size_t i = 0; i < list->items().size(); ++i) {
      notes->bad_fields[i] =
          ReadMilestone(list->items()[i], i, &out->milestones[i], issues, steal_strings);
    }
  }
  if (const json::Value* cr = r.Get("changeRequest"); cr != nullptr && !cr->is_null()) {
    ChangeRequest request;
    if (ReadChangeRequest(*cr, &request, issues)) {
      out->change_request = std::move(request);
    } else {
      notes->bad_contract_fields |= kBadChangeRequest;
    }
  }
  r.KeepUnknown(&out->unknown);
  return NoErrors(
      IssueList(issues->begin() + static_cast<std::ptrdiff_t>(errors_before), issues->end()));
}

}  // namespace

bool ReadContract(const json::Value& doc, Contract* out, IssueList* issues, ReadNotes* notes) {
  return ReadContractImpl(doc, out, issues, notes, false);
}

bool ReadContract(json::Value&& doc, Contract* out, IssueList* issues, ReadNotes* notes) {
  return ReadContractImpl(doc, out, issues, notes, true);
}

void AppendUnknown(const std::vector<UnknownField>& unknown, json::Value* obj) {
  for (const UnknownField& field : unknown) {
    json::Value value;
    json::ParseError ignored;
    if (!json::Parse(field.json, &value, &ignored)) value = json::Value::String(field.json);
    obj->Set(field.key, std::move(value));
  }
}

namespace {

// The clean read (ReadCleanContract): a cursor over the text that gives up at
// the first thing the model reader would have to look at twice.
class CleanReader {
 public:
  explicit CleanReader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool Contract(milestone::Contract* c) {
    constexpr uint32_t kSawId = 1, kSawVersion = 2, kSawCurrency = 4, kSawStatus = 8;
    constexpr uint32_t kSawFee = 16, kSawCharged = 32, kSawCarry = 64, kSawList = 128;
    constexpr uint32_t kSawRequest = 256;
    auto field = [&](std::string_view key) -> uint32_t {
      if (key == "id") return String(&c->id) ? kSawId : 0;
      if (key == "version") return Cents(&c->version) ? kSawVersion : 0;
      if (key == "currency") return String(&c->currency) ? kSawCurrency : 0;
      if (key == "status") {
        std::string status;
        return String(&status) && ParseStatus(status, &c->status) ? kSawStatus : 0;
      }
      if (key == "initiationFee") {
        if (Null()) return kSawFee;
        int64_t fee = 0;
        if (!Cents(&fee)) return 0;
        c->initiation_fee = fee;
        return kSawFee;
      }
      if (key == "initiationFeeCharged") return Bool(&c->initiation_fee_charged) ? kSawCharged : 0;
      if (key == "carryOver") return Cents(&c->carry_over) ? kSawCarry : 0;
      if (key == "milestones") return Milestones(&c->milestones) ? kSawList : 0;
      if (key == "changeRequest") return Null() ? kSawRequest : 0;  // a request: the model's
      return 0;
    };
    uint32_t seen = 0;
    constexpr uint32_t kRequired =
        kSawId | kSawVersion | kSawCurrency | kSawStatus | kSawCharged | kSawCarry | kSawList;
    if (!Object(kRequired, field, &seen)) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  const char* p_;
  const char* end_;

  bool Milestones(std::vector<Milestone>* list) {
    if (!Next('[')) return false;
    if (Next(']')) return true;
    do {
      list->emplace_back();
      if (!OneMilestone(&list->back())) return false;
    } while (Next(','));
    return Next(']');
  }

  bool OneMilestone(Milestone* m) {
    constexpr uint32_t kSawId = 1, kSawTitle = 2, kSawDescription = 4, kSawDue = 8;
    constexpr uint32_t kSawAmount = 16, kSawState = 32, kSawFunded = 64, kSawReleased = 128;
    constexpr uint32_t kSawSubmittedOn = 256, kSawRefunded = 512, kSawRequest = 1024;
    constexpr uint32_t kSawDispute = 2048;
    auto field = [&](std::string_view key) -> uint32_t {
      if (key == "id") return String(&m->id) ? kSawId : 0;
      if (key == "title") return String(&m->title) ? kSawTitle : 0;
      if (key == "description") return String(&m->description) ? kSawDescription : 0;
      if (key == "dueDate") return Null() || String(&m->due_date.emplace()) ? kSawDue : 0;
      if (key == "amount") return Cents(&m->amount) ? kSawAmount : 0;
      if (key == "state") {
        std::string state;
        return String(&state) && ParseState(state, &m->state) ? kSawState : 0;
      }
      if (key == "funded") return Cents(&m->funded) ? kSawFunded : 0;
      if (key == "released") return Cents(&m->released) ? kSawReleased : 0;
      if (key == "submittedOn") {
        m->written |= kHasSubmittedOn;
        return Null() || String(&m->submitted_on.emplace()) ? kSawSubmittedOn : 0;
      }
      if (key == "refunded") {
        m->written |= kHasRefunded;
        return Cents(&m->refunded) ? kSawRefunded : 0;
      }
      // A refund request or dispute object is the model's to read.
      if (key == "refundRequest") {
        m->written |= kHasRefundRequest;
        return Null() ? kSawRequest : 0;
      }
      if (key == "dispute") {
        m->written |= kHasDispute;
        return Null() ? kSawDispute : 0;
      }
      return 0;
    };
    uint32_t seen = 0;
    constexpr uint32_t kRequired =
        kSawId | kSawTitle | kSawAmount | kSawState | kSawFunded | kSawReleased;
    if (!Object(kRequired, field, &seen)) return false;
    if (!(seen & kSawRefunded)) DefaultRefunded(m);
    return true;
  }

  // An object's members, each key's value read by `field`, which answers the
  // key's bit or 0 to give up (an unknown key, a value the model must read).
  // False too for a repeated key or a `required` one missing.
  template <typename Field>
  bool Object(uint32_t required, Field&& field, uint32_t* seen) {
    if (!Open('{')) return false;
    do {
      std::string_view key;
      if (!Key(&key)) return false;
      const uint32_t bit = field(key);
      if (bit == 0 || (*seen & bit) != 0) return false;
      *seen |= bit;
    } while (Next(','));
    return Next('}') && (*seen & required) == required;
  }

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\t' || *p_ == '\r')) ++p_;
  }
  bool Next(char c) {
    SkipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  // An object with members: an empty one misses the required fields.
  bool Open(char c) { return Next(c) && !Next('}'); }
  bool Null() {
    SkipSpace();
    if (end_ - p_ >= 4 && std::memcmp(p_, "null", 4) == 0) {
      p_ += 4;
      return true;
    }
    return false;
  }
  bool Bool(bool* out) {
    SkipSpace();
    if (end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0) {
      p_ += 4;
      *out = true;
      return true;
    }
    if (end_ - p_ >= 5 && std::memcmp(p_, "false", 5) == 0) {
      p_ += 5;
      *out = false;
      return true;
    }
    return false;
  }
  // A key of plain bytes and its colon; an escaped key is the model's.
  bool Key(std::string_view* key) {
    SkipSpace();
    if (p_ >= end_ || *p_ != '"') return false;
    const char* start = ++p_;
    while (p_ < end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ >= end_) return false;
    *key = std::string_view(start, static_cast<size_t>(p_ - start));
    ++p_;
    return Next(':');
  }
  bool String(std::string* out) {
    SkipSpace();
    const char* next = json::ReadString(p_, end_, out);
    if (next == nullptr) return false;
    p_ = next;
    return true;
  }
  // A count of cents as the model reader takes one: digits only (no sign,
  // fraction or exponent), no leading zero, at most 2^53.
  bool Cents(int64_t* out) {
    SkipSpace();
    const char* start = p_;
    int64_t v = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9' && p_ - start < 17) v = v * 10 + (*p_++ - '0');
    const size_t digits = static_cast<size_t>(p_ - start);
    if (digits == 0 || digits > 16 || (digits > 1 && *start == '0') || v > kMaxSafeInteger) {
      return false;
    }
    if (p_ < end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E' || (*p_ >= '0' && *p_ <= '9'))) {
      return false;
    }
    *out = v;
    return true;
  }
};

}  // namespace

// The package's wasm is built without it (bindings/wasm/CMakeLists.txt): the
// 120 KB budget has no room for it.
bool ReadCleanContract(std::string_view text, Contract* out) {
  if (!MILESTONE_CLEAN_READ || text.size() > json::Limits().max_bytes) return false;
  return CleanReader(text).Contract(out);
}

bool ReadContractByModel(std::string_view text, Contract* out, IssueList* issues,
                         ReadNotes* notes) {
  json::Value doc;
  if (!ParseJson(text, &doc, issues)) return false;
  return ReadContract(std::move(doc), out, issues, notes);
}

bool ParseContract(std::string_view text, Contract* out, IssueList* issues) {
  if (MILESTONE_CLEAN_READ) {
    if (ReadCleanContract(text, out)) return true;
    *out = Contract();
  }
  ReadNotes notes;
  return ReadContractByModel(text, out, issues, &notes);
}

namespace {

// Written straight to text rather than through the JSON model: this is on the
// path of every apply and every session read, and is several times faster.
void WriteKey(const char* key, std::string* out) {
  out->push_back('"');
  out->append(key);
  out->append("\":");
}

void WriteUnknown(const std::vector<UnknownField>& unknown, std::string* out) {
  for (const UnknownField& field : unknown) {
    out->push_back(',');
    json::WriteString(field.key, out);
    out->push_back(':');
    out->append(field.json);  // written by json::Write when read: valid JSON
  }
}

void WriteOptionalDate(const char* key, const std::optional<std::string>& date, std::string* out) {
  out->push_back(',');
  WriteKey(key, out);
  if (date) {
    json::WriteString(*date, out);
  } else {
    out->append("null");
  }
}

// The escrow fields the milestone holds, or the document spelled out: a
// document from before them is written back as it came.
void WriteEscrow(const Milestone& m, std::string* out) {
  if (m.submitted_on || (m.written & kHasSubmittedOn)) {
    WriteOptionalDate("submittedOn", m.submitted_on, out);
  }
  // The reader's default, exactly (ReadEscrow), so a document is written as read.
  const int64_t implied =
      m.state == MilestoneState::kRefunded && m.funded >= m.released ? m.funded - m.released : 0;
  if (m.refunded != implied || (m.written & kHasRefunded)) {
    out->append(",\"refunded\":");
    out->append(std::to_string(m.refunded));
  }
  if (m.refund_request || (m.written & kHasRefundRequest)) {
    out->append(",\"refundRequest\":");
    if (const auto& r = m.refund_request) {
      out->append("{\"requestedOn\":");
      json::WriteString(r->requested_on, out);
      if (r->message) {
        out->append(",\"message\":");
        json::WriteString(*r->message, out);
      } else if (r->null_message) {
        out->append(",\"message\":null");
      }
      WriteUnknown(r->unknown, out);
      out->push_back('}');
    } else {
      out->append("null");
    }
  }
  if (m.dispute || (m.written & kHasDispute)) {
    out->append(",\"dispute\":");
    if (const auto& d = m.dispute) {
      out->append("{\"by\":");
      json::WriteString(d->by, out);
      out->append(",\"openedOn\":");
      json::WriteString(d->opened_on, out);
      out->append(",\"reason\":");
      json::WriteString(d->reason, out);
      WriteUnknown(d->unknown, out);
      out->push_back('}');
    } else {
      out->append("null");
    }
  }
}

void WriteMilestone(const Milestone& m, std::string* out) {
  out->append("{\"id\":");
  json::WriteString(m.id, out);
  out->append(",\"title\":");
  json::WriteString(m.title, out);
  out->append(",\"description\":");
  json::WriteString(m.description, out);
  out->append(",\"dueDate\":");
  if (m.due_date) {
    json::WriteString(*m.due_date, out);
  } else {
    out->append("null");
  }
  out->append(",\"amount\":");
  out->append(std::to_string(m.amount));
  out->append(",\"state\":\"");
  out->append(StateName(m.state));
  out->append("\",\"funded\":");
  out->append(std::to_string(m.funded));
  out->append(",\"released\":");
  out->append(std::to_string(m.released));
  WriteEscrow(m, out);
  WriteUnknown(m.unknown, out);
  out->push_back('}');
}

}  // namespace

json::Value ContractToValue(const Contract& c) {
  json::Value v;
  json::ParseError ignored;
  if (!json::Parse(ContractToJson(c), &v, &ignored)) v = json::Value::Object();
  return v;
}

json::Value MilestoneToValue(const Milestone& m) {
  // Through the one writer: this serves a diff's few added or deleted milestones.
  std::string text;
  WriteMilestone(m, &text);
  json::Value v;
  json::ParseError ignored;
  if (!json::Parse(text, &v, &ignored)) v = json::Value::Object();
  return v;
}

std::string ContractToJson(const Contract& c) {
  std::string out;
  out.reserve(256 + c.milestones.size() * 160);
  out.append("{\"id\":");
  json::WriteString(c.id, &out);
  out.append(",\"version\":");
  out.append(std::to_string(c.version));
  out.append(",\"currency\":");
  json::WriteString(c.currency, &out);
  out.append(c.status == ContractStatus::kOpen ? ",\"status\":\"open\"" : ",\"status\":\"ended\"");
  if (c.initiation_fee) {
    out.append(",\"initiationFee\":");
    out.append(std::to_string(*c.initiation_fee));
  }
  out.append(c.initiation_fee_charged ? ",\"initiationFeeCharged\":true"
                                      : ",\"initiationFeeCharged\":false");
  out.append(",\"carryOver\":");
  out.append(std::to_string(c.carry_over));
  out.append(",\"milestones\":[");
  for (size_t i = 0; i < c.milestones.size(); ++i) {
    if (i > 0) out.push_back(',');
    WriteMilestone(c.milestones[i], &out);
  }
  out.append("],");
  WriteKey("changeRequest", &out);
  if (c.change_request) {
    const ChangeRequest& cr = *c.change_request;
    out.append("{\"id\":");
    json::WriteString(cr.id, &out);
    out.append(",\"by\":");
    json::WriteString(cr.by, &out);
    out.append(",\"actions\":");
    out.append(ActionsToJson(cr.actions));
    out.append(",\"message\":");
    json::WriteString(cr.message, &out);
    WriteUnknown(cr.unknown, &out);
    out.push_back('}');
  } else {
    out.append("null");
  }
  WriteUnknown(c.unknown, &out);
  out.push_back('}');
  return out;
}

}  // namespace milestone
