// json_api::PreviewReorder(contract, id, toIndex, options):
// input "contract \0 id \0 toIndex as text (strtod) \0 options".
#include <cstdlib>

#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"
#include "milestone/text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 4);
  static const milestone::Engine engine;
  std::string index_text(args[2]);
  double to_index = std::strtod(index_text.c_str(), nullptr);
  std::string answer =
      milestone::json_api::PreviewReorder(engine, args[0], args[1], to_index, args[3]);
  fuzz::Json v = fuzz::CheckEnvelope(answer);
  fuzz::Require(v.contains("order") && v["order"].is_array(), "no order", answer);
  fuzz::Require(v.contains("changes") && v["changes"].is_array(), "no changes", answer);
  fuzz::Require(v.contains("allowedRange") && v["allowedRange"].is_object() &&
                    v["allowedRange"]["from"].is_number_integer() &&
                    v["allowedRange"]["to"].is_number_integer(),
                "no allowedRange {from, to}", answer);
  milestone::Contract doc;
  milestone::IssueList issues;
  if (!milestone::ParseContract(args[0], &doc, &issues)) return 0;
  // docs/diff.md: the order is the resulting one when ok, the current one otherwise.
  fuzz::Require(v["order"].size() == doc.milestones.size(),
                "order does not hold every milestone of a readable contract", answer);
  if (!v["ok"].get<bool>()) {
    for (size_t i = 0; i < doc.milestones.size(); ++i) {
      // Text that is not UTF-8 is written with U+FFFD (json.h), so only a
      // valid id can be compared byte for byte; its INVALID_TEXT is validate's.
      if (!milestone::IsValidUtf8(doc.milestones[i].id)) continue;
      fuzz::Require(v["order"][i] == doc.milestones[i].id,
                    "a refused reorder's order is not the current one", answer);
    }
  }
  return 0;
}
