// json_api::Check(contract, action, options): input "contract \0 action \0 options".
#include "fuzz_common.h"
#include "milestone/contract.h"
#include "milestone/json_api.h"
#include "milestone/session.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto args = fuzz::Split(data, size, 3);
  static const milestone::Engine engine;
  std::string answer = milestone::json_api::Check(engine, args[0], args[1], args[2]);
  fuzz::Json v = fuzz::CheckEnvelope(answer);

  // Check and Apply are one decision: Apply succeeds exactly when Check says ok.
  std::string applied = milestone::json_api::Apply(engine, args[0], args[1], args[2]);
  fuzz::Json a = fuzz::CheckEnvelope(applied);
  fuzz::Require(v["ok"] == a["ok"], "check and apply disagree on ok", answer + "\n" + applied);
  return 0;
}
