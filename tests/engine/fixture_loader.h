#pragma once

// Reads the shared rule cases in tests/fixtures/ (format: tests/fixtures/README.md)
// so the native and the wasm suites run exactly the same data.

#include <string>
#include <vector>

#include "json.h"
#include "milestone/policy.h"

namespace milestone::testing {

struct Fixture {
  std::string file;  // path relative to tests/fixtures
  json::Value data;  // the whole case
};

// Every *.json file of tests/fixtures/<folder>, sorted by name.
std::vector<Fixture> LoadFixtures(const std::string& folder);

// The document text a case describes: "input" written compactly, or
// "inputText" with "rawBytes" substituted, or a "generate" recipe.
std::string FixtureDocument(const json::Value& fixture);

std::string ReadFile(const std::string& path);
std::string FixturesDir();

// A policy file the package ships (engine/policies/<name>.json), read as an
// engine is given it; a test failure when it does not parse.
Policy ShippedPolicy(const std::string& name);

}  // namespace milestone::testing
