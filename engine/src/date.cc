#include "milestone/date.h"

#include <cstdio>

namespace milestone {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (size_t k = 0; k < lengths[f]; ++k) {
      char c = text[starts[f] + k];
      if (c < '0' || c > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (c - '0');
    }
  }
  Date date{fields[0], fields[1], fields[2]};
  if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
      date.day > DaysInMonth(date.year, date.month)) {
    return std::nullopt;
  }
  return date;
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
