#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace dynemu {

// A DynamoDB number: an exact decimal of at most 38 significant digits whose
// magnitude is zero or lies in [1E-130, 1E+126). Never a double.
//
// Held normalized: value = (negative ? -1 : 1) * 0.d1d2...dn * 10^exponent, where
// digits() = "d1...dn" has no leading or trailing zeros. Zero has empty digits(),
// exponent 0 and is never negative. Two Numbers are equal iff their fields are.
class Number {
 public:
  Number() = default;  // zero

  // Parses DynamoDB's number syntax (optional sign, digits with an optional point,
  // optional exponent). On failure returns a ValidationException with DynamoDB's text:
  //   "The parameter cannot be converted to a numeric value" (empty text)
  //   "The parameter cannot be converted to a numeric value: <text>"
  //   "Attempting to store more than 38 significant digits in a Number"
  //   "Number overflow. Attempting to store a number with magnitude larger than supported range"
  //   "Number underflow. Attempting to store a number with magnitude smaller than supported range"
  static Result<Number> Parse(std::string_view text);

  // Builds from an integer (always valid).
  static Number FromInt64(int64_t v);

  // Rebuilds a Number from its fields (as storage codecs keep them). Returns nullopt
  // unless the fields satisfy the invariants above: digits '0'..'9' without leading or
  // trailing zeros, at most 38 of them, the magnitude within range, and zero held as
  // (false, "", 0).
  static std::optional<Number> FromParts(bool negative, std::string digits, int32_t exponent);

  // The normalized text DynamoDB returns: "42", "-0.5", "150", "1E+30" never; plain
  // notation always (DynamoDB answers 1.5E2 as "150" and 1E-5 as "0.00001").
  std::string ToString() const;

  // -1, 0 or 1, numerically.
  int Compare(const Number& other) const;
  bool operator==(const Number& other) const = default;
  bool operator<(const Number& other) const { return Compare(other) < 0; }

  // Exact sum and difference. A result beyond 38 significant digits or outside the
  // supported range is an error with DynamoDB's message (as UpdateExpression's
  // SET a = a + :v and ADD report it).
  static Result<Number> Add(const Number& a, const Number& b);
  static Result<Number> Subtract(const Number& a, const Number& b);

  bool negative() const { return negative_; }
  bool is_zero() const { return digits_.empty(); }
  const std::string& digits() const { return digits_; }  // '0'..'9'
  int32_t exponent() const { return exponent_; }

  // Bytes this number costs in DynamoDB's item size. About 1 + ceil(significant
  // digits / 2), exactly: 1 for zero, else 1 + the number of base-100 digits of the
  // value aligned on the decimal point + 1 more when negative (see number.cc).
  size_t ByteSize() const;

 private:
  bool negative_ = false;
  std::string digits_;
  int32_t exponent_ = 0;
};

}  // namespace dynemu
