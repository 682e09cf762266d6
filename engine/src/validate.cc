#include <algorithm>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "milestone/codes.h"
#include "milestone/date.h"
#include "milestone/engine.h"
#include "milestone/money.h"
#include "milestone/text.h"
#include "rules.h"

namespace milestone {
namespace {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kNoIndex = static_cast<size_t>(-1);

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == ':' || c == '-';
}

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::all_of(id.begin(), id.end(), IsIdChar);
}

// Clipped and made printable for a message: the sentence must stay readable
// whatever a hostile document put in the id.
std::string Shown(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  }
  if (text.size() > 40) out += "...";
  return out;
}

// Paths are built only for a finding: the clean case is the hot one.
void CheckId(std::string_view id, size_t index, const char* field, const std::string& milestone_id,
             IssueList* issues) {
  if (IsValidId(id)) return;
  std::string why = id.empty()                 ? "is empty"
                    : id.size() > kMaxIdLength ? "is longer than 64 characters"
                                               : "may only hold letters, digits and _ . : -";
  const char* which = id.empty()                 ? "INVALID_ID.empty"
                      : id.size() > kMaxIdLength ? "INVALID_ID.long"
                                                 : "INVALID_ID.characters";
  std::string path = index == kNoIndex ? std::string(field) : MilestonePath(index, field);
  issues->push_back(Tagged(MakeError(codes::kInvalidId, std::move(path), milestone_id,
                                     "The id \"" + Shown(id) + "\" " + why + ".",
                                     "Use 1 to 64 characters from A-Z, a-z, 0-9, _ . : and -."),
                           which, {TextParam("id", Shown(id))}));
}

// INVALID_TEXT for bad UTF-8 or control characters; the code point count when
// the text is fine, -1 when it is not.
int64_t CheckText(std::string_view text, size_t index, const char* field,
                  const std::string& milestone_id, IssueList* issues) {
  TextFacts facts = AnalyzeText(text);
  if (facts.valid_utf8 && !facts.forbidden_control) return facts.code_points;
  issues->push_back(Tagged(
      MakeError(codes::kInvalidText, MilestonePath(index, field), milestone_id,
                facts.valid_utf8
                    ? std::string("The ") + field + " holds an invisible control character."
                    : std::string("The ") + field + " holds bytes that are not valid UTF-8 text.",
                facts.valid_utf8
                    ? "Remove control characters; only tab and new line are allowed."
                    : "Retype the text; it contains a broken or lone surrogate character."),
      facts.valid_utf8 ? "INVALID_TEXT.control" : "INVALID_TEXT.encoding",
      {WordParam("field", "field", field)}));
  return -1;
}

// Open-addressing set of ids, one allocation for the whole list: a node-based
// set costs an allocation per milestone, which dominated validating 1,000.
class IdSet {
 public:
  explicit IdSet(size_t n) {
    size_t capacity = 16;
    while (capacity < n * 2) capacity <<= 1;
    slots_.assign(capacity, std::string_view());
    mask_ = capacity - 1;
  }
  // False when the id was there already. Ids are never empty here.
  bool Insert(std::string_view id) {
    for (size_t k = std::hash<std::string_view>()(id) & mask_;; k = (k + 1) & mask_) {
      if (slots_[k].empty()) {
        slots_[k] = id;
        return true;
      }
      if (slots_[k] == id) return false;
    }
  }

 private:
  std::vector<std::string_view> slots_;
  size_t mask_ = 0;
};

int StateRank(MilestoneState state) {
  if (IsClosed(state)) return 0;
  if (IsInFlight(state)) return 1;
  return 2;
}

// One pass over the list, in document order. With `with_fields`, each
// milestone's own field rules are reported just before its list rules.
void CheckList(const Contract& contract, const Policy& policy, const ValidateOptions& options,
               const ReadNotes* notes, bool with_fields, IssueList* issues) {
  std::optional<Date> now;
  if (!options.now.empty()) now = ParseDate(options.now);
  const Currency money = policy.CurrencyFor(contract.currency);
  const bool sequential = policy.funding_order == FundingOrder::kSequential;
  IdSet ids(contract.milestones.size());
  int highest_rank = 0;
  size_t in_flight = 0;
  std::optional<Date> latest_due;
  size_t latest_due_index = 0;
  for (size_t i = 0; i < contract.milestones.size(); ++i) {
    const Milestone& m = contract.milestones[i];
    uint32_t bad = notes != nullptr && i < notes->bad_fields.size() ? notes->bad_fields[i] : 0;
    if (bad == ~0u) continue;  // not an object; already reported
    if (with_fields) CheckMilestoneFields(m, i, policy, money, bad, issues);
    if (!(bad & kBadId) && !m.id.empty() && !ids.Insert(m.id)) {
      issues->push_back(
          Tagged(MakeError(codes::kDuplicateId, MilestonePath(i, "id"), m.id,
                           "Another milestone already has the id \"" + Shown(m.id) + "\".",
                           "Give every milestone its own id."),
                 codes::kDuplicateId, {TextParam("id", Shown(m.id))}));
    }
    if (!(bad & kBadState)) {
      int rank = StateRank(m.state);
      if (IsInFlight(m.state) && static_cast<int64_t>(++in_flight) > policy.max_in_flight) {
        issues->push_back(Tagged(
            MakeError(
                codes::kMultipleInFlight, MilestonePath(i, "state"), m.id,
                policy.max_in_flight == 1
                    ? std::string("Only one milestone can be funded and in progress at a time.")
                    : "At most " + std::to_string(policy.max_in_flight) +
                          " milestones can be funded and in progress at a time.",
                "Release or refund a milestone in progress before another is active."),
            policy.max_in_flight == 1 ? "MULTIPLE_IN_FLIGHT.one" : codes::kMultipleInFlight,
            {NumberParam("maxInFlight", policy.max_in_flight)}));
      } else if (sequential && rank < highest_rank) {
        issues->push_back(Tagged(
            MakeError(codes::kOutOfSequence, MilestonePath(i, "state"), m.id,
                      QuotedTitle(m) + " is " + StateName(m.state) +
                          " but comes after a milestone that has not got that far.",
                      "Milestones are sequential: finished ones first, then the one in "
                      "progress, then future ones."),
            codes::kOutOfSequence,
            {TitleParam("title", m.title), WordParam("state", "stateName", StateName(m.state))}));
      } else if (IsInFlight(m.state) && contract.status == ContractStatus::kEnded) {
        issues->push_back(Tagged(MakeError(codes::kOutOfSequence, MilestonePath(i, "state"), m.id,
                                           "An ended contract cannot have a milestone in progress.",
                                           "Mark the milestone refunded or reopen the contract."),
                                 "OUT_OF_SEQUENCE.ended", {}));
      }
      highest_rank = std::max(highest_rank, rank);
    }
    if (bad & kBadDueDate || !m.due_date) continue;
    std::optional<Date> due = ParseDate(*m.due_date);
    if (!due) continue;  // INVALID_DATE, reported with the fields
    if (now && *due < *now && !(bad & kBadState) && !IsClosed(m.state)) {
      issues->push_back(Tagged(MakeWarning(codes::kDueDateInPast, MilestonePath(i, "dueDate"), m.id,
                                           QuotedTitle(m) + " is due " + FormatReadableDate(*due) +
                                               ", which has already passed.",
                                           "Pick a due date from today on, or agree a new one."),
                               codes::kDueDateInPast,
                               {TitleParam("title", m.title), DateParam("due", *m.due_date)}));
    }
    if (latest_due && *due < *latest_due) {
      const std::string earlier = contract.milestones[latest_due_index].title.substr(0, 80);
      issues->push_back(Tagged(
          MakeWarning(
              codes::kDueDatesOutOfOrder, MilestonePath(i, "dueDate"), m.id,
              QuotedTitle(m) + " is due " + FormatReadableDate(*due) + ", before “" + earlier +
                  "” that comes earlier (" + FormatReadableDate(*latest_due) + ").",
              "Move the milestone or change its due date so they follow the order of work."),
          codes::kDueDatesOutOfOrder,
          {TitleParam("title", m.title), DateParam("due", *m.due_date),
           TextParam("earlierTitle", earlier),
           DateParam("earlierDue", FormatIsoDate(*latest_due))}));
    } else {
      latest_due = due;
      latest_due_index = i;
    }
  }
}

}  // namespace

namespace {

// funded, released and refunded against the state (SPEC 2.1 LEDGER_MISMATCH).
void CheckLedger(const Milestone& m, size_t i, uint32_t bad, IssueList* issues) {
  if (bad & (kBadState | kBadAmount | kBadFunded | kBadReleased | kBadRefunded)) return;
  const char* why = nullptr;
  const char* id = "LEDGER_MISMATCH.negative";
  const char* field = "funded";
  if (m.funded < 0 || m.released < 0 || m.refunded < 0) {
    why = "money cannot be negative";
    field = m.funded < 0 ? "funded" : m.released < 0 ? "released" : "refunded";
  } else if (m.released > m.funded || m.refunded > m.funded - m.released) {
    why = m.refunded == 0 ? "more was released than was funded"
                          : "more was released and refunded than was funded";
    id = m.refunded == 0 ? "LEDGER_MISMATCH.released" : "LEDGER_MISMATCH.refunded";
    field = m.refunded == 0 ? "released" : "refunded";
  } else if (IsInFlight(m.state) && m.funded != m.amount) {
    why = "a milestone in progress must be funded with exactly its amount";
    id = "LEDGER_MISMATCH.inFlight";
  } else if (m.state == MilestoneState::kNotFunded &&
             (m.funded != 0 || m.released != 0 || m.refunded != 0)) {
    why = "a milestone that is not funded cannot hold funded, released or refunded money";
    id = "LEDGER_MISMATCH.notFunded";
    field = m.funded != 0 ? "funded" : m.released != 0 ? "released" : "refunded";
  }
  if (why != nullptr) {
    issues->push_back(Tagged(
        MakeError(codes::kLedgerMismatch, MilestonePath(i, field), m.id,
                  "The money of " + QuotedTitle(m) + " does not add up: " + why + ".",
                  "Take funded, released and refunded from the server's copy of the contract."),
        id, {TitleParam("title", m.title), TextParam("field", field)}));
  }
}

// `id` names the catalog sentence of `why`: INVALID_ESCROW_STATE.<id>.
void EscrowError(const Milestone& m, size_t i, const char* field, std::string why, const char* id,
                 IssueList* issues) {
  issues->push_back(
      Tagged(MakeError(codes::kInvalidEscrowState, MilestonePath(i, field), m.id,
                       "The escrow of " + QuotedTitle(m) + " is not possible: " + why + ".",
                       "Take the escrow fields from the server's copy of the contract."),
             std::string("INVALID_ESCROW_STATE.") + id,
             {TitleParam("title", m.title), WordParam("state", "state", StateName(m.state))}));
}

// submittedOn, refundRequest and dispute against the state (SPEC 2.1
// INVALID_ESCROW_STATE). Each field gets one finding at most.
void CheckEscrow(const Milestone& m, size_t i, uint32_t bad, IssueList* issues) {
  if (bad & (kBadState | kBadEscrow)) return;
  if (m.submitted_on) {
    if (m.state == MilestoneState::kNotFunded || m.state == MilestoneState::kActive) {
      EscrowError(m, i, "submittedOn",
                  std::string("it has a submission date but is ") + StateWords(m.state),
                  "submittedOn", issues);
    } else if (!ParseDate(*m.submitted_on)) {
      EscrowError(m, i, "submittedOn", "its submission date is not a real calendar date",
                  "submittedOnDate", issues);
    }
  }
  const bool in_flight = IsInFlight(m.state);
  if (m.refund_request) {
    if (!in_flight) {
      EscrowError(m, i, "refundRequest",
                  std::string("a refund is requested but it is ") + StateWords(m.state),
                  "refundRequest", issues);
    } else if (m.dispute) {
      EscrowError(m, i, "refundRequest", "a refund request and a dispute cannot both be open",
                  "both", issues);
    } else if (!ParseDate(m.refund_request->requested_on)) {
      EscrowError(m, i, "refundRequest/requestedOn",
                  "the refund request's date is not a real calendar date", "refundRequestDate",
                  issues);
    }
  }
  if (m.dispute) {
    if (!in_flight) {
      EscrowError(m, i, "dispute",
                  std::string("a dispute is open but it is ") + StateWords(m.state), "dispute",
                  issues);
    } else if (!ParseDate(m.dispute->opened_on)) {
      EscrowError(m, i, "dispute/openedOn", "the dispute's date is not a real calendar date",
                  "disputeDate", issues);
    }
  }
}

}  // namespace

std::optional<Issue> MilestoneLimitIssue(size_t count, const Policy& policy, bool adding) {
  if (static_cast<int64_t>(count) <= policy.max_milestones) return std::nullopt;
  return Tagged(
      MakeError(codes::kTooManyMilestones, "/milestones", "",
                std::string(adding ? "Another milestone would make " : "The contract has ") +
                    std::to_string(count) + " milestones; at most " +
                    std::to_string(policy.max_milestones) + " are allowed.",
                adding ? "Delete or combine a future milestone first."
                       : "Combine some milestones or start a new contract."),
      adding ? "TOO_MANY_MILESTONES.adding" : codes::kTooManyMilestones,
      {NumberParam("count", static_cast<int64_t>(count)),
       NumberParam("maximum", policy.max_milestones)});
}

bool IsFieldValueCode(std::string_view code) {
  static const std::string_view kValueCodes[] = {
      codes::kAmountBelowMinimum, codes::kAmountAboveMaximum, codes::kTitleRequired,
      codes::kTitleTooLong,       codes::kDescriptionTooLong, codes::kInvalidText,
      codes::kInvalidDate,        codes::kInvalidId};
  return std::find(std::begin(kValueCodes), std::end(kValueCodes), code) != std::end(kValueCodes);
}

void CheckMilestoneFields(const Milestone& m, size_t i, const Policy& policy, const Currency& money,
                          uint32_t bad, IssueList* issues) {
  if (!(bad & kBadId)) CheckId(m.id, i, "id", m.id, issues);
  int64_t title_length = bad & kBadTitle ? -1 : CheckText(m.title, i, "title", m.id, issues);
  if (title_length >= 0) {
    std::string_view title = TrimWhiteSpace(m.title);
    // Trimming only shortens: count again only when the whole might be too long.
    if (title_length > policy.title_max_length) title_length = CodePointCount(title);
    if (title.empty()) {
      issues->push_back(Tagged(MakeError(codes::kTitleRequired, MilestonePath(i, "title"), m.id,
                                         "Milestone " + std::to_string(i + 1) + " needs a title.",
                                         "Name the deliverable, e.g. \"Wireframes\"."),
                               codes::kTitleRequired,
                               {NumberParam("position", static_cast<int64_t>(i + 1))}));
    } else if (title_length > policy.title_max_length) {
      issues->push_back(Tagged(
          MakeError(codes::kTitleTooLong, MilestonePath(i, "title"), m.id,
                    "The title is " + std::to_string(title_length) +
                        " characters long; the limit is " +
                        std::to_string(policy.title_max_length) + ".",
                    "Shorten the title to " + std::to_string(policy.title_max_length) +
                        " characters or fewer."),
          codes::kTitleTooLong,
          {NumberParam("length", title_length), NumberParam("maximum", policy.title_max_length)}));
    }
  }
  int64_t description_length =
      bad & kBadDescription ? -1 : CheckText(m.description, i, "description", m.id, issues);
  if (description_length > policy.description_max_length) {
    issues->push_back(
        Tagged(MakeError(codes::kDescriptionTooLong, MilestonePath(i, "description"), m.id,
                         "The description is " + std::to_string(description_length) +
                             " characters long; the limit is " +
                             std::to_string(policy.description_max_length) + ".",
                         "Shorten the description or attach the details elsewhere."),
               codes::kDescriptionTooLong,
               {NumberParam("length", description_length),
                NumberParam("maximum", policy.description_max_length)}));
  }
  if (!(bad & kBadDueDate) && m.due_date && !ParseDate(*m.due_date)) {
    issues->push_back(
        Tagged(MakeError(codes::kInvalidDate, MilestonePath(i, "dueDate"), m.id,
                         "The due date \"" + Shown(*m.due_date) + "\" is not a real calendar date.",
                         "Write the date as YYYY-MM-DD, e.g. 2026-12-20, or leave it empty."),
               codes::kInvalidDate, {TextParam("date", Shown(*m.due_date))}));
  }
  if (!(bad & kBadAmount)) {
    if (m.amount < money.minimum_amount) {
      issues->push_back(Tagged(
          MakeError(codes::kAmountBelowMinimum, MilestonePath(i, "amount"), m.id,
                    "The amount " + FormatMoney(m.amount, money) + " is below the " +
                        FormatMoney(money.minimum_amount, money) + " minimum per milestone.",
                    "Set the amount to at least " + FormatMoney(money.minimum_amount, money) + "."),
          codes::kAmountBelowMinimum,
          {MoneyOf("amount", m.amount, money), MoneyOf("minimum", money.minimum_amount, money)}));
    } else if (m.amount > money.maximum_amount) {
      issues->push_back(Tagged(
          MakeError(codes::kAmountAboveMaximum, MilestonePath(i, "amount"), m.id,
                    "The amount " + FormatMoney(m.amount, money) + " is above the " +
                        FormatMoney(money.maximum_amount, money) + " maximum per milestone.",
                    "Set the amount to at most " + FormatMoney(money.maximum_amount, money) +
                        ", or split the work into more milestones."),
          codes::kAmountAboveMaximum,
          {MoneyOf("amount", m.amount, money), MoneyOf("maximum", money.maximum_amount, money)}));
    }
  }
  CheckLedger(m, i, bad, issues);
  CheckEscrow(m, i, bad, issues);
}

void CheckMilestoneList(const Contract& contract, const Policy& policy,
                        const ValidateOptions& options, const ReadNotes* notes, IssueList* issues) {
  CheckList(contract, policy, options, notes, /*with_fields=*/false, issues);
}

void CheckDocument(const Contract& contract, const Policy& policy, const ValidateOptions& options,
                   const ReadNotes* notes, IssueList* issues) {
  uint32_t bad = notes != nullptr ? notes->bad_contract_fields : 0;
  if (!(bad & kBadContractId)) CheckId(contract.id, kNoIndex, "/id", "", issues);
  if (!(bad & kBadCurrency) && policy.FindCurrency(contract.currency) == nullptr) {
    std::string allowed;
    std::string others;  // all but the last, for the catalog's "{others} or {last}"
    for (size_t k = 0; k < policy.currencies.size(); ++k) {
      if (k > 0) allowed += k + 1 == policy.currencies.size() ? " or " : ", ";
      allowed += policy.currencies[k].code;
      if (k + 1 < policy.currencies.size()) {
        if (k > 0) others += ", ";
        others += policy.currencies[k].code;
      }
    }
    const bool several = policy.currencies.size() > 1;
    issues->push_back(
        Tagged(MakeError(codes::kUnsupportedCurrency, "/currency", "",
                         "The currency \"" + Shown(contract.currency) +
                             "\" is not supported; contracts here are in " + allowed + ".",
                         "Set \"currency\" to \"" + policy.DefaultCurrency().code + "\"" +
                             (several ? " or another of them" : "") + "."),
               several ? "UNSUPPORTED_CURRENCY.several" : codes::kUnsupportedCurrency,
               {TextParam("currency", Shown(contract.currency)), TextParam("others", others),
                TextParam("last", policy.currencies.back().code),
                TextParam("default", policy.DefaultCurrency().code)}));
  }
  if (std::optional<Issue> limit = MilestoneLimitIssue(contract.milestones.size(), policy, false)) {
    issues->push_back(std::move(*limit));
  }
  CheckList(contract, policy, options, notes, /*with_fields=*/true, issues);
  if (contract.change_request) {
    CheckId(contract.change_request->id, kNoIndex, "/changeRequest/id", "", issues);
  }
}

namespace {

// Document order: contract fields, then milestones by index, then the change
// request; reading and rule findings of one place keep their own order.
size_t OrderKey(const std::string& path) {
  static constexpr std::string_view kMilestones = "/milestones/";
  if (path.compare(0, kMilestones.size(), kMilestones) == 0) {
    size_t n = 0;
    for (size_t k = kMilestones.size(); k < path.size() && path[k] >= '0' && path[k] <= '9'; ++k) {
      n = n * 10 + static_cast<size_t>(path[k] - '0');
    }
    return 1 + n;
  }
  if (path.compare(0, 14, "/changeRequest") == 0) return static_cast<size_t>(-1);
  return 0;
}

// Sorts (key, position) pairs and moves each issue once: a stable sort of the
// issues themselves instantiated std::stable_sort's merge for a large struct
// (7 KB of wasm) and recomputed keys on every comparison.
void SortDocumentOrder(IssueList* issues) {
  std::vector<std::pair<size_t, size_t>> order(issues->size());
  bool sorted = true;
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = {OrderKey((*issues)[i].path), i};
    if (i > 0 && order[i].first < order[i - 1].first) sorted = false;
  }
  if (sorted) return;
  std::sort(order.begin(), order.end());
  IssueList out;
  out.reserve(order.size());
  for (const auto& entry : order) out.push_back(std::move((*issues)[entry.second]));
  *issues = std::move(out);
}

}  // namespace

ValidateResult Engine::Validate(std::string_view contract_json,
                                const ValidateOptions& options) const {
  // Read clean, nothing is left to note: the rules on the contract alone.
  if (Contract clean; MILESTONE_CLEAN_READ && ReadCleanContract(contract_json, &clean)) {
    return Validate(clean, options);
  }
  ValidateResult result;
  json::Value doc;
  if (ParseJson(contract_json, &doc, &result.issues)) {
    Contract contract;
    ReadNotes notes;
    bool is_object = doc.is_object();
    ReadContract(std::move(doc), &contract, &result.issues, &notes);
    if (is_object) CheckDocument(contract, policy_, options, &notes, &result.issues);
    SortDocumentOrder(&result.issues);
    result.ok = NoErrors(result.issues);
  }
  if (catalog_) catalog_->Localize(&result.issues);
  return result;
}

ValidateResult Engine::Validate(const Contract& contract, const ValidateOptions& options) const {
  ValidateResult result;
  CheckDocument(contract, policy_, options, nullptr, &result.issues);
  SortDocumentOrder(&result.issues);
  result.ok = NoErrors(result.issues);
  if (catalog_) catalog_->Localize(&result.issues);
  return result;
}

}  // namespace milestone
