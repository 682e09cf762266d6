#include "sentences.h"

#include <string>
#include <variant>

#include "milestone/catalog.h"
#include "milestone/date.h"
#include "milestone/money.h"
#include "milestone/text.h"

namespace milestone {

std::string Quote(std::string_view raw) {
  std::string_view title = TrimWhiteSpace(raw);
  if (title.empty()) return "“Untitled”";
  if (CodePointCount(title) > 80) {
    // Cut on a code point boundary.
    size_t cut = 0;
    int64_t seen = 0;
    while (cut < title.size() && seen < 80) {
      ++cut;
      while (cut < title.size() && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) ++cut;
      ++seen;
    }
    return "“" + std::string(title.substr(0, cut)) + "…”";
  }
  return "“" + std::string(title) + "”";
}

std::string QuotedTitle(const Milestone& milestone) { return Quote(milestone.title); }

std::string DateText(const std::optional<std::string>& date, const char* none) {
  if (!date) return none;
  if (std::optional<Date> parsed = ParseDate(*date)) return FormatReadableDate(*parsed);
  return *date;
}

namespace {

struct StateText {
  const char* label;  // on a badge
  const char* words;  // inside a sentence
};

// Indexed by MilestoneState.
constexpr StateText kStateTexts[] = {
    {"Not funded", "not funded"}, {"Active", "active"},     {"Submitted", "submitted"},
    {"Released", "released"},     {"Refunded", "refunded"},
};

const StateText& TextOf(MilestoneState state) { return kStateTexts[static_cast<size_t>(state)]; }

}  // namespace

const char* StateLabel(MilestoneState state) { return TextOf(state).label; }

const char* StateWords(MilestoneState state) { return TextOf(state).words; }

std::string PositionText(int64_t index) { return std::to_string(index + 1); }

std::string Written(const Sentence& sentence) {
  if (const Catalog* catalog = CurrentCatalog()) {
    if (std::optional<std::string> said = catalog->Render(sentence.id, sentence.params)) {
      return *said;
    }
  }
  return sentence.text;
}

namespace {

Param MoneyIn(const char* name, int64_t amount, const Currency& money) {
  return MoneyParam(name, amount, money.code, money.exponent);
}

}  // namespace

Sentence AddedSentence(const Milestone& m, const Currency& money) {
  std::string s = "Added " + QuotedTitle(m) + " (" + FormatMoney(m.amount, money);
  if (m.due_date) s += ", due " + DateText(m.due_date);
  return {s + ").",
          "event.milestoneAdded",
          {TitleParam("title", m.title), MoneyIn("amount", m.amount, money),
           DateParam("due", m.due_date.value_or(""))}};
}

Sentence DeletedSentence(const Milestone& m, const Currency& money) {
  return {"Deleted " + QuotedTitle(m) + " (" + FormatMoney(m.amount, money) + ").",
          "event.milestoneDeleted",
          {TitleParam("title", m.title), MoneyIn("amount", m.amount, money)}};
}

Sentence MovedSentence(const Milestone& m, int64_t from, int64_t to) {
  Params params = {TitleParam("title", m.title), NumberParam("from", from + 1),
                   NumberParam("to", to + 1)};
  if (from == to) {
    return {QuotedTitle(m) + " stays at position " + PositionText(from) + ".",
            "event.milestoneMoved.stays", std::move(params)};
  }
  return {"Moved " + QuotedTitle(m) + " from position " + PositionText(from) + " to " +
              PositionText(to) + ".",
          "event.milestoneMoved", std::move(params)};
}

Sentence EditedSentence(const Milestone& m, EditField field, const FieldValue& from,
                        const FieldValue& to, const Currency& money) {
  const std::string who = QuotedTitle(m);
  Params params = {TitleParam("title", m.title), WordParam("field", "field", EditFieldName(field))};
  if (field == EditField::kTitle) {
    params.push_back(TitleParam("to", std::get<std::string>(to)));
    return {"Renamed " + who + " to " + Quote(std::get<std::string>(to)) + ".",
            "event.milestoneEdited.title", std::move(params)};
  }
  if (field == EditField::kDescription) {
    const bool had = !std::get<std::string>(from).empty();
    const bool has = !std::get<std::string>(to).empty();
    if (!had) {
      return {"Added a description to " + who + ".", "event.milestoneEdited.descriptionAdded",
              std::move(params)};
    }
    if (!has) {
      return {"Removed the description of " + who + ".", "event.milestoneEdited.descriptionRemoved",
              std::move(params)};
    }
    return {"Changed the description of " + who + ".", "event.milestoneEdited.description",
            std::move(params)};
  }
  if (field == EditField::kDueDate) {
    // from != to: at most one of them is absent.
    const auto* had = std::get_if<std::string>(&from);
    const auto* has = std::get_if<std::string>(&to);
    params.push_back(DateParam("from", had ? *had : ""));
    params.push_back(DateParam("to", has ? *has : ""));
    if (had && has) {
      return {"Changed the due date of " + who + " from " + DateText(*had) + " to " +
                  DateText(*has) + ".",
              "event.milestoneEdited.dueDate", std::move(params)};
    }
    if (had) {
      return {"Removed the due date of " + who + " (was " + DateText(*had) + ").",
              "event.milestoneEdited.dueDateRemoved", std::move(params)};
    }
    return {"Set the due date of " + who + " to " + DateText(has ? *has : "") + ".",
            "event.milestoneEdited.dueDateSet", std::move(params)};
  }
  params.push_back(MoneyIn("from", std::get<int64_t>(from), money));
  params.push_back(MoneyIn("to", std::get<int64_t>(to), money));
  return {"Changed the amount of " + who + " from " + FormatMoney(std::get<int64_t>(from), money) +
              " to " + FormatMoney(std::get<int64_t>(to), money) + ".",
          "event.milestoneEdited.amount", std::move(params)};
}

}  // namespace milestone
