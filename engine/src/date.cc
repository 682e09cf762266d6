#include "milestone/date.h"

#include <cstdio>

namespace milestone {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

namespace {

// The value of the ASCII digit `c`, or a number above 9 for any other byte.
inline unsigned Digit(char c) { return static_cast<unsigned>(static_cast<unsigned char>(c)) - '0'; }

}  // namespace

// Straight-line: the rules read two dates of every milestone, and the loop
// over field tables this replaced was 8 % of a native validate.
std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const unsigned y0 = Digit(text[0]), y1 = Digit(text[1]), y2 = Digit(text[2]), y3 = Digit(text[3]);
  const unsigned m0 = Digit(text[5]), m1 = Digit(text[6]), d0 = Digit(text[8]), d1 = Digit(text[9]);
  if ((y0 > 9) | (y1 > 9) | (y2 > 9) | (y3 > 9) | (m0 > 9) | (m1 > 9) | (d0 > 9) | (d1 > 9)) {
    return std::nullopt;
  }
  Date date{static_cast<int>(y0 * 1000 + y1 * 100 + y2 * 10 + y3), static_cast<int>(m0 * 10 + m1),
            static_cast<int>(d0 * 10 + d1)};
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > DaysInMonth(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
}

// Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian.
int64_t DayNumber(const Date& date) {
  const int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (date.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + date.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date FromDayNumber(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return Date{year, month, day};
}

std::optional<Date> AddDays(const Date& date, int64_t days) {
  if (days > 4000000 || days < -4000000) return std::nullopt;
  Date out = FromDayNumber(DayNumber(date) + days);
  if (out.year < 1 || out.year > 9999) return std::nullopt;
  return out;
}

std::string FormatIsoDate(const Date& date) {
  // By hand: snprintf would pull the whole of printf (floats included) into
  // the wasm package for one date.
  auto digits = [](int value, int width, std::string* out) {
    char buf[8];
    for (int i = width - 1; i >= 0; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
    out->append(buf, static_cast<size_t>(width));
  };
  std::string out;
  out.reserve(10);
  digits(date.year, 4, &out);
  out.push_back('-');
  digits(date.month, 2, &out);
  out.push_back('-');
  digits(date.day, 2, &out);
  return out;
}

std::string FormatReadableDate(const Date& date) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (date.month < 1 || date.month > 12) return FormatIsoDate(date);
  return std::string(kMonths[date.month - 1]) + " " + std::to_string(date.day) + ", " +
         std::to_string(date.year);
}

}  // namespace milestone
