#include "sentences.h"

#include <string>
#include <variant>

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

std::string AddedSentence(const Milestone& m, const Currency& money) {
  std::string s = "Added " + QuotedTitle(m) + " (" + FormatMoney(m.amount, money);
  if (m.due_date) s += ", due " + DateText(m.due_date);
  return s + ").";
}

std::string DeletedSentence(const Milestone& m, const Currency& money) {
  return "Deleted " + QuotedTitle(m) + " (" + FormatMoney(m.amount, money) + ").";
}

std::string MovedSentence(const Milestone& m, int64_t from, int64_t to) {
  if (from == to) return QuotedTitle(m) + " stays at position " + PositionText(from) + ".";
  return "Moved " + QuotedTitle(m) + " from position " + PositionText(from) + " to " +
         PositionText(to) + ".";
}

std::string EditedSentence(const Milestone& m, EditField field, const FieldValue& from,
                           const FieldValue& to, const Currency& money) {
  const std::string who = QuotedTitle(m);
  switch (field) {
    case EditField::kTitle:
      return "Renamed " + who + " to " + Quote(std::get<std::string>(to)) + ".";
    case EditField::kDescription: {
      const bool had = !std::get<std::string>(from).empty();
      const bool has = !std::get<std::string>(to).empty();
      if (!had) return "Added a description to " + who + ".";
      if (!has) return "Removed the description of " + who + ".";
      return "Changed the description of " + who + ".";
    }
    case EditField::kDueDate: {
      const auto* had = std::get_if<std::string>(&from);
      const auto* has = std::get_if<std::string>(&to);
      if (!had && has) return "Set the due date of " + who + " to " + DateText(*has) + ".";
      if (had && !has) {
        return "Removed the due date of " + who + " (was " + DateText(*had) + ").";
      }
      if (had && has) {
        return "Changed the due date of " + who + " from " + DateText(*had) + " to " +
               DateText(*has) + ".";
      }
      return "Changed the due date of " + who + ".";
    }
    case EditField::kAmount:
      return "Changed the amount of " + who + " from " +
             FormatMoney(std::get<int64_t>(from), money) + " to " +
             FormatMoney(std::get<int64_t>(to), money) + ".";
  }
  return "Changed " + who + ".";
}

}  // namespace milestone
