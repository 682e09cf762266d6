// What the native benches share: reading a workload file, and the median.
#ifndef MILESTONE_TOOLS_BENCH_BENCH_COMMON_H_
#define MILESTONE_TOOLS_BENCH_BENCH_COMMON_H_

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace milestone::bench {

// The whole file; exits 2 when it cannot be read (`who` names the bench).
inline std::string ReadFile(const char* who, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << who << ": cannot read " << path << "\n";
    std::exit(2);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The middle value (the upper middle of an even count); `v` is not empty.
inline double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

}  // namespace milestone::bench

#endif  // MILESTONE_TOOLS_BENCH_BENCH_COMMON_H_
