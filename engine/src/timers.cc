// timers (SPEC 3.1): the windows the marketplace runs, each with the action it
// applies when due. The dates come from ReleaseDue and RefundDue (apply.cc),
// the same functions the marketplace's guards ask, so a timer that says "due"
// is an action Check accepts.

#include <optional>
#include <string>
#include <vector>

#include "action_spec.h"
#include "json.h"
#include "milestone/catalog.h"
#include "milestone/date.h"
#include "milestone/engine.h"

namespace milestone {

std::optional<Timer> TimerOf(const Policy& policy, const Milestone& m, const std::string& now) {
  // Without a clock nothing can be said about a window: no timer rather than
  // one that reads as due.
  const std::optional<Date> today = ParseDate(now);
  if (!today) return std::nullopt;
  Timer timer;
  std::optional<Date> due = ReleaseDue(policy, m);
  if (due) {
    timer.kind = "autoRelease";
    timer.action.type = ActionType::kRelease;
    timer.message = "Releases automatically on " + FormatReadableDate(*due) + " unless you act.";
  } else if ((due = RefundDue(policy, m))) {
    timer.kind = "autoRefund";
    timer.action.type = ActionType::kApproveRefund;
    timer.message =
        "Refunded automatically on " + FormatReadableDate(*due) + " unless the freelancer answers.";
  } else {
    return std::nullopt;
  }
  timer.milestone_id = m.id;
  timer.action.id = m.id;
  timer.due = FormatIsoDate(*due);
  const int64_t left = DayNumber(*due) - DayNumber(*today);
  timer.days_left = left > 0 ? left : 0;
  return timer;
}

std::vector<Timer> Engine::Timers(const Contract& contract, const ValidateOptions& options) const {
  std::vector<Timer> timers;
  if (contract.status != ContractStatus::kOpen) return timers;
  for (const Milestone& m : contract.milestones) {
    if (std::optional<Timer> timer = TimerOf(policy_, m, options.now)) {
      timers.push_back(std::move(*timer));
    }
  }
  return timers;
}

void WriteTimer(const Timer& timer, std::string* out) {
  out->append("{\"milestoneId\":");
  json::WriteString(timer.milestone_id, out);
  out->append(",\"kind\":\"");
  out->append(timer.kind);
  out->append("\",\"due\":\"");
  out->append(timer.due);
  out->append("\",\"daysLeft\":");
  out->append(std::to_string(timer.days_left));
  out->append(",\"action\":");
  out->append(ActionToJson(timer.action));
  out->append(",\"message\":");
  // The sentence "timer.<kind>" of the catalog in use, made from the due date.
  std::optional<std::string> said;
  if (const Catalog* catalog = CurrentCatalog()) {
    said = catalog->Render("timer." + timer.kind, {DateParam("due", timer.due)});
  }
  json::WriteString(said ? *said : timer.message, out);
  out->push_back('}');
}

std::string TimersToJson(const std::vector<Timer>& timers) {
  std::string out = "[";
  for (size_t i = 0; i < timers.size(); ++i) {
    if (i > 0) out.push_back(',');
    WriteTimer(timers[i], &out);
  }
  out.push_back(']');
  return out;
}

}  // namespace milestone
