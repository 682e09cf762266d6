// The allocator settings of the native shells that read contracts over and
// over (the server, the benchmarks): keep the memory they free.
//
// Every changeset the server takes reads and re-checks a whole contract:
// about 1 MB of short-lived allocations for 1,000 milestones, its milestones
// one 190 KB vector. glibc's defaults give a freed block of more than 128 KB
// back to the kernel (mmap/munmap) and shrink the heap when its top is free,
// so every read faulted those pages in again: half of a native read +
// validate of that contract (1.3 -> 0.7 ms under load, docs/benchmarks.md).
// Documents are at most 4 MiB; 64 MB of freed heap kept bounds the cost.

#pragma once

#include <cstddef>  // defines __GLIBC__ where glibc is the C library
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace milestone::tools {

inline void KeepFreedMemory() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
#endif
}

}  // namespace milestone::tools
