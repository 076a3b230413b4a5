#include "base/check.h"

#include <cstdio>
#include <cstdlib>

namespace dynemu::internal {

void CheckFailed(const char* file, int line, const char* condition) {
  std::fprintf(stderr, "dynemu: check failed at %s:%d: %s\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace dynemu::internal
