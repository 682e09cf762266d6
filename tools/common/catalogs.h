// Where the native shells (the CLI, the server) find a language's catalog
// for `--locale`: $MILESTONE_CATALOGS, else the source tree's engine/catalogs
// (MILESTONE_CATALOGS_DIR, set by the build). docs/languages.md.

#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "milestone/catalog.h"

namespace milestone::tools {

// The language a shell writes in for `--locale` ("es-MX" -> "es"; none: "en").
inline std::string ShellLanguage(std::string_view locale) {
  return locale.empty() ? "en" : CatalogLanguage(locale, ShippedLanguages());
}

// The catalog file of `language` (.../es.json); nullopt for English, which
// the engine writes itself and needs no file for.
inline std::optional<std::string> CatalogFile(const std::string& language) {
  if (language == "en") return std::nullopt;
  const char* dir = std::getenv("MILESTONE_CATALOGS");
  return std::string(dir != nullptr ? dir : MILESTONE_CATALOGS_DIR) + "/" + language + ".json";
}

}  // namespace milestone::tools
