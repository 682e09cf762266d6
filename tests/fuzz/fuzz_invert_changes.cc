// json_api::InvertChanges(changes): the whole input is the change list's text.
#include "fuzz_common.h"
#include "milestone/diff.h"
#include "milestone/json_api.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string answer = milestone::json_api::InvertChanges(text);
  fuzz::Json v = fuzz::ParseAnswer(answer);
  std::vector<milestone::Change> list;
  milestone::IssueList issues;
  if (!milestone::ParseChanges(text, &list, &issues)) {
    fuzz::CheckEnvelope(answer);
    fuzz::Require(!v["ok"].get<bool>(), "unreadable changes invert as ok", answer);
    return 0;
  }
  // A delete without the milestone it removed cannot be undone: the one
  // readable list that inverts to a refusal (SCHEMA at /changes/N/milestone).
  bool invertible = true;
  for (const milestone::Change& change : list) {
    if (change.op == milestone::ChangeOp::kDelete && change.milestone.id.empty())
      invertible = false;
  }
  if (!invertible) {
    fuzz::CheckEnvelope(answer);
    fuzz::Require(!v["ok"].get<bool>(), "a delete without its milestone inverts as ok", answer);
    return 0;
  }
  fuzz::Require(v.is_array(), "the inverse of readable changes is not an array", answer);
  // Inverting twice gives the changes back, and the written inverse reads again.
  std::string twice =
      milestone::ChangesToJson(milestone::InvertChanges(milestone::InvertChanges(list)));
  fuzz::Require(twice == milestone::ChangesToJson(list), "invert(invert(x)) is not x", twice);
  std::vector<milestone::Change> again;
  fuzz::Require(milestone::ParseChanges(answer, &again, &issues),
                "the written inverse cannot be read back", answer);
  return 0;
}
