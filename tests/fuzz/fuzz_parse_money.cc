// json_api::ParseMoney(text): the whole input is the text.
#include "fuzz_common.h"
#include "milestone/json_api.h"
#include "milestone/money.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string answer = milestone::json_api::ParseMoney(text);
  fuzz::Json v = fuzz::ParseAnswer(answer);
  fuzz::Require(v.is_object() && v.contains("ok") && v["ok"].is_boolean(), "no boolean ok", answer);
  if (!v["ok"].get<bool>()) {
    fuzz::CheckEnvelope(answer);
    return 0;
  }
  fuzz::Require(v.contains("amount") && v["amount"].is_number_integer(), "no integer amount",
                answer);
  int64_t amount = v["amount"].get<int64_t>();
  fuzz::Require(amount >= 0 && amount <= milestone::kMaxSafeInteger, "amount out of range", answer);
  // What FormatMoney writes, ParseMoney reads back to the same amount.
  std::string formatted = milestone::FormatMoney(amount);
  int64_t again = -1;
  milestone::IssueList issues;
  fuzz::Require(milestone::ParseMoney(formatted, &again, &issues) && again == amount,
                "FormatMoney's text does not parse back", formatted);
  return 0;
}
