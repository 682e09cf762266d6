#pragma once

// Every sentence the engine writes about a milestone is built here, once: titles
// in quotes, dates and money as people read them, and the sentences of a change
// (added, deleted, moved, edited) that both the events of an action and the
// summary of a diff use. Codes and JSON shapes are elsewhere; words are here.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milestone/contract.h"
#include "milestone/diff.h"
#include "milestone/issue.h"
#include "milestone/money.h"

namespace milestone {

// “Build”; “Untitled” when blank; cut to 80 code points with an ellipsis.
std::string Quote(std::string_view title);
std::string QuotedTitle(const Milestone& milestone);

// "Dec 20, 2026"; a draft's unreadable date as typed; `none` when there is none.
std::string DateText(const std::optional<std::string>& date, const char* none = "no due date");

// "Not funded", "Active", ...: for people, where StateName is for documents.
const char* StateLabel(MilestoneState state);
// The same in a sentence: "not funded", "active", ...
const char* StateWords(MilestoneState state);

// People count positions from 1.
std::string PositionText(int64_t index);

// A sentence as the engine writes it in English, and as a catalog writes it:
// its message id ("event.milestoneAdded", docs/languages.md) and params.
struct Sentence {
  std::string text;
  const char* id;
  Params params;
};

// `sentence` in the catalog of this thread (CurrentCatalog), else its English:
// a diff's summary is text, written as it is made.
std::string Written(const Sentence& sentence);

// The sentences of a change, as an action's event and a diff's summary say it.
// Amounts are written in `money`, the contract's currency.
Sentence AddedSentence(const Milestone& added, const Currency& money);
Sentence DeletedSentence(const Milestone& deleted, const Currency& money);
Sentence MovedSentence(const Milestone& moved, int64_t from, int64_t to);
// `before` is the milestone before the edit.
Sentence EditedSentence(const Milestone& before, EditField field, const FieldValue& from,
                        const FieldValue& to, const Currency& money);

}  // namespace milestone
