#include "fixture_loader.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace milestone::testing {

std::string FixturesDir() { return MILESTONE_FIXTURES_DIR; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Policy ShippedPolicy(const std::string& name) {
  Policy policy;
  IssueList issues;
  if (!ParsePolicy(ReadFile(std::string(MILESTONE_POLICIES_DIR) + "/" + name + ".json"),
                   Policy::Upwork(), &policy, &issues)) {
    throw std::runtime_error(
        name + ".json: " + (issues.empty() ? "" : issues[0].path + " " + issues[0].message));
  }
  return policy;
}

std::vector<Fixture> LoadFixtures(const std::string& folder) {
  std::vector<std::string> names;
  std::string dir = FixturesDir() + "/" + folder;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0) names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<Fixture> out;
  for (const std::string& name : names) {
    Fixture f;
    f.file = folder + "/" + name;
    json::ParseError error;
    // Fixture files may be larger than documents: lift the size limit only.
    json::Limits limits;
    limits.max_bytes = 64u << 20;
    limits.max_depth = 64;
    if (!json::Parse(ReadFile(dir + "/" + name), &f.data, &error, limits)) {
      throw std::runtime_error(f.file + ": " + error.message);
    }
    out.push_back(std::move(f));
  }
  return out;
}

namespace {

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

const char kGeneratedBase[] =
    R"({"id":"ctr-gen","version":1,"currency":"USD","status":"open","initiationFeeCharged":false,)"
    R"("carryOver":0,"milestones":[{"id":"m-1","title":"Only","amount":1000,"state":"not_funded",)"
    R"("funded":0,"released":0}],"changeRequest":null)";

}  // namespace

std::string FixtureDocument(const json::Value& fixture) {
  if (const json::Value* input = fixture.Find("input")) return json::Write(*input);
  if (const json::Value* text = fixture.Find("inputText")) {
    std::string doc = text->as_string();
    if (const json::Value* raw = fixture.Find("rawBytes")) {
      const std::string& placeholder = raw->Find("placeholder")->as_string();
      std::string bytes = FromHex(raw->Find("hex")->as_string());
      for (size_t at = doc.find(placeholder); at != std::string::npos;
           at = doc.find(placeholder, at + bytes.size())) {
        doc.replace(at, placeholder.size(), bytes);
      }
    }
    return doc;
  }
  const json::Value* gen = fixture.Find("generate");
  if (gen == nullptr) throw std::runtime_error("fixture has no input");
  const std::string& kind = gen->Find("kind")->as_string();
  std::string doc = kGeneratedBase;
  if (kind == "deep") {
    // The contract object is level 1; "deep" holds (depth - 1) nested arrays.
    int64_t arrays = gen->Find("depth")->as_int() - 1;
    doc += ",\"deep\":" + std::string(static_cast<size_t>(arrays), '[') +
           std::string(static_cast<size_t>(arrays), ']');
  } else if (kind == "size") {
    size_t bytes = static_cast<size_t>(gen->Find("bytes")->as_int());
    doc += ",\"padding\":\"";
    if (bytes > doc.size() + 2) doc.append(bytes - doc.size() - 2, 'x');
    doc += "\"";
  } else {
    throw std::runtime_error("unknown generator " + kind);
  }
  return doc + "}";
}

}  // namespace milestone::testing
