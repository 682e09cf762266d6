#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace milestone {

enum class Severity { kError, kWarning };

// How a catalog writes a param into a sentence (docs/languages.md). In JSON a
// param is its machine value: money in minor units, a date as written in the
// document, a title untrimmed, a word as the document spells it ("active").
enum class ParamKind { kText, kNumber, kMoney, kDate, kTitle, kWord, kBool, kNull, kSentences };

// One value a sentence was made from (SPEC 2 `params`).
struct Param {
  // Out of line: made at every one of the engine's sentences, a Param copied
  // or destroyed inline would be code at each (the wasm's size).
  Param();
  Param(const Param& other);
  Param(Param&& other) noexcept;
  Param& operator=(const Param& other);
  Param& operator=(Param&& other) noexcept;
  ~Param();

  std::string name;
  ParamKind kind = ParamKind::kText;
  std::string text;    // kText, kDate, kTitle, kWord; kMoney: the currency code
  int64_t number = 0;  // kNumber, kMoney (minor units); kBool: 0 or 1
  int exponent = 2;    // kMoney: minor units per major unit
  std::string table;   // kWord: the catalog's words table ("state", "actor", ...)
  // kSentences: the sentences, each a Param whose `name` is its event type,
  // `text` its English, `table` its message id and `parts` its params.
  std::vector<Param> parts;
};
using Params = std::vector<Param>;

Param TextParam(const char* name, std::string_view text);
Param NumberParam(const char* name, int64_t number);
Param MoneyParam(const char* name, int64_t amount, std::string_view currency, int exponent);
// An ISO date or, in a draft, the text as typed; `date` empty: null.
Param DateParam(const char* name, std::string_view date);
Param TitleParam(const char* name, std::string_view title);
Param WordParam(const char* name, const char* table, std::string_view word);
Param BoolParam(const char* name, bool value);
Param NullParam(const char* name);
// Sentences written one after the other (a proposal's changes); in JSON an
// array of {type, ...params}.
Param SentencesParam(const char* name, std::vector<Param> sentences);
Param SentencePart(std::string type, std::string text, std::string message_id, Params params);

// One finding about a document or an action. `code` is stable public API (see
// docs/rules.md); `path` is a JSON Pointer into the document or the action.
struct Issue {
  // Out of line, as Param's: issues are made, moved and dropped all over the
  // engine, and each inline copy of these was code at the call site.
  Issue();
  Issue(const Issue& other);
  Issue(Issue&& other) noexcept;
  Issue& operator=(const Issue& other);
  Issue& operator=(Issue&& other) noexcept;
  ~Issue();

  std::string code;
  Severity severity = Severity::kError;
  std::string path;
  std::string milestone_id;  // empty when the issue concerns no milestone
  std::string message;       // one plain English sentence
  std::string hint;          // how to fix it; empty when there is nothing to suggest
  // Which catalog sentence `message` and `hint` are (docs/languages.md), and
  // the values they were made from. Empty id: the sentence has no catalog
  // entry yet and stays as written.
  std::string message_id;
  Params params;
};

using IssueList = std::vector<Issue>;

// True when no issue has severity error.
bool NoErrors(const IssueList& issues);

// Appends `source` to `target`.
void Append(IssueList* target, const IssueList& source);

// Escapes one JSON Pointer reference token ("~" -> "~0", "/" -> "~1").
std::string PointerToken(const std::string& token);

}  // namespace milestone
