#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "base/check.h"
#include "base/error_codes.h"

namespace dynemu {

// The outcome of a fallible call: OK, or a DynamoDB error (code + exact message).
// OK is a null pointer, so success costs nothing to create, copy or test.
//
// Some DynamoDB errors carry more than a message (the Item of a failed condition,
// the CancellationReasons of a transaction): `extra_members` holds those as a raw
// JSON fragment of object members (`"Item":{...}`), spliced into the error body.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string extra_members = {});

  Status(const Status& other) : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}
  Status& operator=(const Status& other) {
    if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  static Status OK() { return Status(); }

  bool ok() const { return rep_ == nullptr; }
  ErrorCode code() const { return rep_ ? rep_->code : ErrorCode::kOk; }
  // The exact text DynamoDB sends; empty for OK.
  const std::string& message() const;
  // Extra JSON members of the error body (without surrounding braces); may be empty.
  const std::string& extra_members() const;
  void set_extra_members(std::string members);

  // For logs: "ValidationException: <message>" or "OK".
  std::string ToString() const;

 private:
  struct Rep {
    ErrorCode code;
    std::string message;
    std::string extra_members;
  };
  std::unique_ptr<Rep> rep_;
};

// Shorthands for the errors every layer raises.
inline Status ValidationError(std::string message) {
  return Status(ErrorCode::kValidation, std::move(message));
}
inline Status SerializationError(std::string message) {
  return Status(ErrorCode::kSerialization, std::move(message));
}
inline Status InternalError(std::string message) {
  return Status(ErrorCode::kInternalServerError, std::move(message));
}

// A value, or the Status explaining why there is none. Never holds an OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}                      // NOLINT: implicit by design
  Result(T&& value) : v_(std::move(value)) {}                // NOLINT
  Result(Status status) : v_(std::move(status)) {           // NOLINT
    DYN_CHECK(!std::get<Status>(v_).ok());
  }
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, T> &&
                                        !std::is_same_v<std::decay_t<U>, Status>>>
  Result(U&& value) : v_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  Status take_status() && { return ok() ? Status() : std::move(std::get<Status>(v_)); }

  // REQUIRES: ok().
  T& value() & { DYN_CHECK(ok()); return std::get<0>(v_); }
  const T& value() const& { DYN_CHECK(ok()); return std::get<0>(v_); }
  T&& value() && { DYN_CHECK(ok()); return std::move(std::get<0>(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace dynemu

#define DYN_CONCAT_INNER(a, b) a##b
#define DYN_CONCAT(a, b) DYN_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define DYN_RETURN_IF_ERROR(expr)                          \
  do {                                                     \
    ::dynemu::Status dyn_status_ = (expr);                 \
    if (!dyn_status_.ok()) return dyn_status_;             \
  } while (0)

// DYN_ASSIGN_OR_RETURN(auto x, FetchX()); declares/assigns x, or returns the error.
#define DYN_ASSIGN_OR_RETURN(lhs, expr) \
  DYN_ASSIGN_OR_RETURN_IMPL(DYN_CONCAT(dyn_result_, __LINE__), lhs, expr)
#define DYN_ASSIGN_OR_RETURN_IMPL(result, lhs, expr) \
  auto result = (expr);                              \
  if (!result.ok()) return std::move(result).take_status(); \
  lhs = std::move(result).value()
