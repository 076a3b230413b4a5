#include "base/error_codes.h"

#include <array>

#include "base/check.h"

namespace dynemu {
namespace {

constexpr std::string_view ShortName(std::string_view wire) {
  return wire.substr(wire.find('#') + 1);
}

constexpr std::array kErrorTable = {
    ErrorInfo{"", "", 200, false, ""},  // kOk, never rendered
#define DYNEMU_ERROR_ROW(code, wire, http, retry, key) \
  ErrorInfo{wire, ShortName(wire), http, retry, key},
    DYNEMU_ERRORS(DYNEMU_ERROR_ROW)
#undef DYNEMU_ERROR_ROW
};

}  // namespace

const ErrorInfo& GetErrorInfo(ErrorCode code) {
  auto index = static_cast<size_t>(code);
  DYN_CHECK(index > 0 && index < kErrorTable.size());
  return kErrorTable[index];
}

std::optional<ErrorCode> ErrorCodeFromName(std::string_view name) {
  for (size_t i = 1; i < kErrorTable.size(); i++) {
    if (kErrorTable[i].short_name == name || kErrorTable[i].wire_type == name) {
      return static_cast<ErrorCode>(i);
    }
  }
  return std::nullopt;
}

}  // namespace dynemu
