#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milestone/action.h"
#include "milestone/issue.h"
#include "milestone/money.h"

namespace milestone {

// The sentences of one language, read from a catalog file (engine/catalogs/
// en.json, es.json; docs/languages.md): each message id has a template naming
// its params ("The amount {amount} is below the {minimum} minimum per
// milestone."), optionally a hint template, and the catalog says how that
// language writes money, dates, titles and words. Catalogs are data: the
// engine is not rebuilt for a language, and the wasm holds none.
class Catalog {
 public:
  // Reads a catalog document; a problem is a CATALOG issue naming the key.
  static std::optional<Catalog> FromJson(std::string_view json, IssueList* issues);

  const std::string& locale() const { return locale_; }

  // The sentence `id` (`hint`: its hint) written with `params`; nullopt when
  // the catalog has no such sentence or it names a param not given.
  std::optional<std::string> Render(const std::string& id, const Params& params,
                                    bool hint = false) const;

  // Rewrites message and hint of each issue / event that has a message id
  // the catalog knows; the others keep their text.
  void Localize(Issue* issue) const;
  void Localize(Event* event) const;
  void Localize(IssueList* issues) const;
  void Localize(std::vector<Event>* events) const;

  // Money and dates as this language writes them.
  std::string Money(int64_t amount, const std::string& currency, int exponent) const;
  std::string Date(const std::string& iso) const;  // not a date: as given
  // What a person typed, read the way this language writes money (es:
  // "1.234,56 US$", "1234,56"); as milestone::ParseMoney otherwise.
  bool ParseMoney(std::string_view text, const Currency& currency, int64_t* amount,
                  IssueList* issues) const;
  // A word of the words table `table` ("label": "fund" -> "Financiar");
  // `fallback` when the catalog has none.
  std::string Label(std::string_view table, const std::string& key,
                    std::string_view fallback) const;

  struct Entry {
    std::string message;
    std::string hint;
  };
  const std::map<std::string, Entry, std::less<>>& entries() const { return entries_; }
  // The param names a template refers to, in order of appearance.
  static std::vector<std::string> ParamNames(std::string_view text);

 private:
  std::string Fill(std::string_view text, const Params& params, bool* ok) const;
  std::string Value(const Param& param) const;
  // `value` in the words table `table` ("state": "active" -> "active"); itself
  // when the table has no such word.
  std::string Word(std::string_view table, const std::string& value) const;

  std::string locale_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> words_;
  // Money: "{sign}{symbol}{number}" where a symbol is known, else codePattern.
  std::string money_pattern_ = "{sign}{symbol}{number}";
  std::string money_code_pattern_ = "{sign}{code} {number}";
  std::string decimal_ = ".";
  std::string group_ = ",";
  std::map<std::string, std::string, std::less<>> symbols_;
  std::string date_pattern_ = "{month} {day}, {year}";
  std::vector<std::string> months_;
  std::string open_quote_ = "\u201c";
  std::string close_quote_ = "\u201d";
  std::string untitled_ = "Untitled";
};

// The catalog the JSON writers of this thread (IssuesToJson, EventsToJson,
// SessionEditToJson, ...) write sentences with while a scope is alive; none:
// as the engine wrote them. json_api sets it from its engine; a binding
// that writes a session's results sets it from the session's engine.
const Catalog* CurrentCatalog();
class CatalogScope {
 public:
  explicit CatalogScope(const Catalog* catalog);
  ~CatalogScope();
  CatalogScope(const CatalogScope&) = delete;
  CatalogScope& operator=(const CatalogScope&) = delete;

 private:
  const Catalog* saved_;
};

// The catalog to use for `locale` ("es-MX", "es_ES.UTF-8", "ES") among the
// languages shipped (engine/catalogs/: "en", "es"): the language itself, then
// its primary subtag, then "en" (SPEC 2: fall back to English).
std::string CatalogLanguage(std::string_view locale, const std::vector<std::string>& shipped);
inline const std::vector<std::string>& ShippedLanguages() {
  static const std::vector<std::string> kShipped = {"en", "es"};
  return kShipped;
}

}  // namespace milestone
