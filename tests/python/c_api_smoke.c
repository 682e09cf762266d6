/* milestone.h from C (C99, -pedantic): the header holds no C++, the calls
 * answer JSON for good and bad input alike, and nothing needs more than
 * milestone_free. Built and run by test_c_header.py; prints one line per
 * check and exits non-zero on the first failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milestone.h"

static int failures = 0;

static void expect(const char* what, char* answer, const char* needle) {
  if (answer == NULL || strstr(answer, needle) == NULL) {
    printf("FAIL %s: %s\n", what, answer ? answer : "(null)");
    failures++;
  } else {
    printf("ok %s\n", what);
  }
  milestone_free(answer);
}

#define TEXT(s) (s), strlen(s)

int main(void) {
  const char* contract =
      "{\"id\":\"c-1\",\"version\":1,\"currency\":\"USD\",\"status\":\"open\","
      "\"initiationFeeCharged\":false,\"carryOver\":0,\"milestones\":[{\"id\":\"m-1\","
      "\"title\":\"Design\",\"amount\":50000,\"state\":\"not_funded\",\"funded\":0,\"released\":0}]}";
  char* error = NULL;
  milestone_engine* engine;

  printf("version %s\n", milestone_version());
  engine = milestone_engine_new(TEXT("{\"minimumAmount\": \"x\"}"), &error);
  if (engine != NULL) { printf("FAIL a bad policy made an engine\n"); failures++; }
  expect("a bad policy answers POLICY", error, "\"code\":\"POLICY\"");

  engine = milestone_engine_new(NULL, 0, &error);
  if (engine == NULL || error != NULL) { printf("FAIL the default engine\n"); return 1; }
  expect("policy", milestone_engine_policy(engine), "\"minimumAmount\":500");
  expect("validate", milestone_validate(engine, TEXT(contract), TEXT("{\"now\":null}")), "\"ok\":true");
  expect("validate broken text", milestone_validate(engine, TEXT("{\"id\":"), NULL, 0), "INVALID_JSON");
  expect("validate no text", milestone_validate(engine, NULL, 0, NULL, 0), "INVALID_JSON");
  expect("check", milestone_check(engine, TEXT(contract), TEXT("{\"type\":\"fund\",\"id\":\"m-1\"}"),
                                  TEXT("{\"actor\":\"client\",\"now\":null}")), "\"ok\":true");
  expect("apply", milestone_apply(engine, TEXT(contract), TEXT("{\"type\":\"fund\",\"id\":\"m-1\"}"),
                                  TEXT("{\"actor\":\"client\",\"now\":null}")), "\"charged\"");
  expect("apply by the wrong role", milestone_apply(engine, TEXT(contract), TEXT("{\"type\":\"fund\",\"id\":\"m-1\"}"),
                                  TEXT("{\"actor\":\"freelancer\",\"now\":null}")), "NOT_ALLOWED_FOR_ROLE");
  expect("diff", milestone_diff(engine, TEXT(contract), TEXT(contract)), "\"changes\":[]");
  expect("apply_changes", milestone_apply_changes(engine, TEXT(contract), TEXT("[]")), "\"ok\":true");
  expect("invert_changes", milestone_invert_changes(TEXT("{")), "INVALID_JSON");
  expect("preview_reorder", milestone_preview_reorder(engine, TEXT(contract), TEXT("m-1"), 0.0,
                                                      TEXT("{\"now\":null}")), "\"allowedRange\"");
  expect("parse_money", milestone_parse_money(TEXT("$1,234.56")), "\"amount\":123456");
  expect("describe", milestone_describe(engine, TEXT(contract), TEXT("{\"actor\":\"client\",\"now\":null}")), "\"ok\"");
  expect("timers", milestone_timers(engine, TEXT(contract), TEXT("{\"now\":\"2026-12-01\"}")), "[]");
  expect("timers without a clock", milestone_timers(engine, TEXT(contract), TEXT("{\"now\":null}")),
         "/options/now");
  expect("timers of broken text", milestone_timers(engine, TEXT("{"), NULL, 0), "INVALID_JSON");
  expect("timers on a NULL engine", milestone_timers(NULL, TEXT(contract), NULL, 0), "NO_ENGINE");
  expect("a NULL engine", milestone_validate(NULL, TEXT(contract), NULL, 0), "NO_ENGINE");
  milestone_engine_free(engine);
  milestone_engine_free(NULL);
  milestone_free(NULL);
  printf("%d failed\n", failures);
  return failures == 0 ? 0 : 1;
}
