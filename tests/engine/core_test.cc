// The building blocks the rules stand on: the strict JSON reader, money,
// dates and text.

#include <gtest/gtest.h>

#include <string>

#include "json.h"
#include "milestone/date.h"
#include "milestone/money.h"
#include "milestone/text.h"

namespace milestone {
namespace {

bool Parses(const std::string& text, json::Value* out = nullptr) {
  json::Value v;
  json::ParseError error;
  bool ok = json::Parse(text, &v, &error);
  if (out != nullptr) *out = v;
  return ok;
}

TEST(Json, KeepsNumbersAsWritten) {
  json::Value v;
  ASSERT_TRUE(Parses("[500, 500.5, -0.0, -0, 1e400, 9007199254740993, 123456789012345678901]", &v));
  EXPECT_TRUE(v.items()[0].is_int());
  EXPECT_EQ(v.items()[0].as_int(), 500);
  EXPECT_FALSE(v.items()[1].is_int());
  EXPECT_EQ(v.items()[1].number_text(), "500.5");
  EXPECT_FALSE(v.items()[2].is_int());
  EXPECT_FALSE(v.items()[3].is_int()) << "-0 is not an integer amount";
  EXPECT_EQ(v.items()[4].number_text(), "1e400");
  EXPECT_TRUE(v.items()[5].is_int());
  EXPECT_EQ(v.items()[5].as_int(), 9007199254740993);
  EXPECT_FALSE(v.items()[6].is_int()) << "too many digits for int64";
  EXPECT_EQ(json::Write(v), "[500,500.5,-0.0,-0,1e400,9007199254740993,123456789012345678901]");
}

TEST(Json, RefusesDuplicateKeysAtAnyDepth) {
  EXPECT_FALSE(Parses(R"({"a":1,"a":2})"));
  EXPECT_FALSE(Parses(R"({"x":[{"b":1,"c":{"d":1,"d":1}}]})"));
  EXPECT_TRUE(Parses(R"({"a":{"a":1}})"));
}

TEST(Json, DepthLimitIsThirtyTwo) {
  EXPECT_TRUE(Parses(std::string(32, '[') + std::string(32, ']')));
  EXPECT_FALSE(Parses(std::string(33, '[') + std::string(33, ']')));
  // Far deeper input is refused without recursing into it.
  EXPECT_FALSE(Parses(std::string(1000000, '[')));
}

TEST(Json, SizeLimitIsFourMebibytes) {
  std::string at_limit = "\"" + std::string((4u << 20) - 2, 'x') + "\"";
  EXPECT_TRUE(Parses(at_limit));
  EXPECT_FALSE(Parses(at_limit + " "));
}

TEST(Json, RejectsMalformedText) {
  for (const char* bad : {"", " ", "{", "[1,]", "{\"a\":}", "01", "1.", ".5", "+1", "NaN",
                          "\"\\x\"", "\"a\nb\"", "tru", "[1] [2]", "{'a':1}", "\"\\u12\""}) {
    EXPECT_FALSE(Parses(bad)) << bad;
  }
}

TEST(Json, StringsRoundTripAndSurrogatesSurvive) {
  json::Value v;
  ASSERT_TRUE(Parses(R"(["a\"b\\c\n\u00e9\ud83d\ude00", "\ud800x", "\u0007"])", &v));
  EXPECT_EQ(v.items()[0].as_string(), "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(v.items()[1].as_string(), "\xED\xA0\x80x");
  // A lone surrogate goes back out as the escape JS sent.
  EXPECT_EQ(json::Write(v.items()[1]), R"("\ud800x")");
  EXPECT_EQ(json::Write(v.items()[2]), R"("\u0007")");
  // Raw invalid bytes come out as U+FFFD: the output is always valid JSON.
  EXPECT_EQ(json::Write(json::Value::String("a\xC0\xAFz")), "\"a\xEF\xBF\xBD\xEF\xBF\xBDz\"");
}

TEST(Money, ParsesWhatPeopleType) {
  struct Case {
    const char* text;
    int64_t cents;
  } cases[] = {{"12", 1200},          {"12.5", 1250},      {"12.50", 1250},
               {"$1,234.56", 123456}, {"1234.56", 123456}, {"0.01", 1},
               {"$5", 500},           {" 7.25 ", 725},     {"1,000,000.00", 100000000}};
  for (const Case& c : cases) {
    int64_t cents = -1;
    IssueList issues;
    EXPECT_TRUE(ParseMoney(c.text, &cents, &issues)) << c.text;
    EXPECT_EQ(cents, c.cents) << c.text;
  }
}

TEST(Money, RejectsWhatItCannotReadExactly) {
  for (const char* text :
       {"5.005", "1e2", "NaN", "-5", "5,00", "", "$", "1,23", "12,3456", ",123", "1.", ".5", "$$5",
        "5$", "Infinity", "0x10", "1 000", "99999999999999999999"}) {
    int64_t cents = 0;
    IssueList issues;
    EXPECT_FALSE(ParseMoney(text, &cents, &issues)) << text;
    ASSERT_EQ(issues.size(), 1u) << text;
    EXPECT_EQ(issues[0].code, "INVALID_AMOUNT");
    EXPECT_FALSE(issues[0].hint.empty());
  }
}

TEST(Money, FormatsDollars) {
  EXPECT_EQ(FormatMoney(1250), "$12.50");
  EXPECT_EQ(FormatMoney(0), "$0.00");
  EXPECT_EQ(FormatMoney(5), "$0.05");
  EXPECT_EQ(FormatMoney(123456), "$1,234.56");
  EXPECT_EQ(FormatMoney(100000000), "$1,000,000.00");
  EXPECT_EQ(FormatMoney(-500), "-$5.00");
  EXPECT_EQ(FormatMoney(INT64_MIN), "-$92,233,720,368,547,758.08");
}

TEST(Money, CheckedArithmeticStopsAtTwoToThe53) {
  int64_t out = 0;
  EXPECT_TRUE(CheckedAdd(kMaxSafeInteger - 1, 1, &out));
  EXPECT_EQ(out, kMaxSafeInteger);
  EXPECT_FALSE(CheckedAdd(kMaxSafeInteger, 1, &out));
  EXPECT_TRUE(CheckedSub(0, kMaxSafeInteger, &out));
  EXPECT_FALSE(CheckedSub(-kMaxSafeInteger, 1, &out));
}

TEST(Dates, RealCalendarDatesOnly) {
  EXPECT_TRUE(ParseDate("2028-02-29"));
  EXPECT_TRUE(ParseDate("2000-02-29"));
  EXPECT_FALSE(ParseDate("2100-02-29"));
  EXPECT_FALSE(ParseDate("2027-02-29"));
  EXPECT_FALSE(ParseDate("2027-02-30"));
  EXPECT_FALSE(ParseDate("2027-04-31"));
  EXPECT_FALSE(ParseDate("2027-2-3"));
  EXPECT_FALSE(ParseDate("0000-01-01"));
  EXPECT_FALSE(ParseDate("2027-00-10"));
  EXPECT_FALSE(ParseDate("2027-01-1a"));
  EXPECT_FALSE(ParseDate(" 2027-01-01"));
  EXPECT_TRUE(ParseDate("2027-12-31"));
  EXPECT_EQ(FormatReadableDate(*ParseDate("2026-12-20")), "Dec 20, 2026");
  EXPECT_EQ(FormatIsoDate(*ParseDate("0999-01-05")), "0999-01-05");
  EXPECT_TRUE(*ParseDate("2026-12-31") < *ParseDate("2027-01-01"));
}

// Every day of whole years, through the text and back, and each digit's
// place refusing the bytes either side of '0'..'9' and beyond ASCII.
TEST(Dates, EveryDayRoundTripsAndEveryDigitPlaceRefusesNonDigits) {
  for (int year : {1, 999, 1969, 2000, 2024, 2100, 2399, 9999}) {
    int days = 0;
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= 31; ++day) {
        const Date date{year, month, day};
        const std::string text = FormatIsoDate(date);
        const std::optional<Date> parsed = ParseDate(text);
        ASSERT_EQ(parsed.has_value(), day <= DaysInMonth(year, month)) << text;
        if (parsed) {
          EXPECT_EQ(*parsed, date) << text;
          ++days;
        }
      }
    }
    EXPECT_EQ(days, IsLeapYear(year) ? 366 : 365) << year;
  }
  for (size_t place : {0, 1, 2, 3, 5, 6, 8, 9}) {
    for (char c : {'/', ':', 'a', ' ', '\0', '\xff'}) {
      std::string text = "2027-01-19";
      text[place] = c;
      EXPECT_FALSE(ParseDate(text)) << place << " " << static_cast<int>(c);
    }
  }
}

TEST(Text, Utf8ValidityAndLength) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80 \xE4\xB8\xAD"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // lone surrogate
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));          // truncated
  EXPECT_EQ(CodePointCount("\xF0\x9F\x98\x80\xE4\xB8\xAD"
                           "a"),
            3);
  EXPECT_TRUE(HasForbiddenControl("a\x07"));
  EXPECT_TRUE(HasForbiddenControl("a\x7F"));
  EXPECT_TRUE(HasForbiddenControl("a\xC2\x85"));
  EXPECT_FALSE(HasForbiddenControl("a\tb\nc"));
  EXPECT_EQ(TrimWhiteSpace(" \t\xC2\xA0 x y\xE3\x80\x80 "), "x y");
  EXPECT_EQ(TrimWhiteSpace("   "), "");
}

}  // namespace
}  // namespace milestone
