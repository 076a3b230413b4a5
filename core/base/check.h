#pragma once

// DYN_CHECK(cond): always on, in every build type. For broken invariants and
// "should never happen" environment failures only; client input never reaches one.
// Aborts with the file, line and condition.

namespace dynemu::internal {
[[noreturn]] void CheckFailed(const char* file, int line, const char* condition);
}  // namespace dynemu::internal

#define DYN_CHECK(cond)                                              \
  do {                                                               \
    if (!(cond)) ::dynemu::internal::CheckFailed(__FILE__, __LINE__, #cond); \
  } while (0)
