#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace milestone {

// A calendar date with no time and no zone.
struct Date {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31

  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
  friend bool operator<(const Date& a, const Date& b) {
    if (a.year != b.year) return a.year < b.year;
    if (a.month != b.month) return a.month < b.month;
    return a.day < b.day;
  }
};

// Strict "YYYY-MM-DD" (four-digit year 0001..9999, two-digit month and day) of
// a real date, leap years included. "2027-2-3" and "2027-02-30" are nullopt.
std::optional<Date> ParseDate(std::string_view text);

// Days since 1970-01-01 (negative before), and back: for review windows.
int64_t DayNumber(const Date& date);
Date FromDayNumber(int64_t days);
// `date` + `days`; nullopt when it would leave the years 0001..9999.
std::optional<Date> AddDays(const Date& date, int64_t days);

std::string FormatIsoDate(const Date& date);       // "2026-12-20"
std::string FormatReadableDate(const Date& date);  // "Dec 20, 2026"

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace milestone
