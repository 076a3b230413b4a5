#include "value/number.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cstdlib>
#include <utility>

namespace dynemu {
namespace {

// DynamoDB's limits. Our exponent counts from a leading "0.", so 1E125 (the largest
// power of ten allowed) is 0.1 * 10^126 and 1E-130 (the smallest magnitude) is
// 0.1 * 10^-129.
constexpr size_t kMaxDigits = 38;
constexpr int64_t kMaxExponent = 126;
constexpr int64_t kMinExponent = -129;

// Caps the exponent text of absurd inputs ("1e99999999999999") so the arithmetic
// below cannot overflow; anything this large is out of range anyway.
constexpr int64_t kExponentTextCap = 1'000'000'000;

constexpr char kNotNumeric[] = "The parameter cannot be converted to a numeric value";
constexpr char kTooManyDigits[] = "Attempting to store more than 38 significant digits in a Number";
constexpr char kOverflow[] =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr char kUnderflow[] =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// The accepted syntax is Java BigDecimal's (which DynamoDB uses): an optional sign,
// then digits with at most one point and at least one digit ("1.", ".5" are fine,
// "." is not), then an optional e/E exponent with an optional sign. No spaces, no
// hex, no NaN or Infinity.
//
// The checks run in dynalite's order (validations/index.js checkNum), which mirrors
// DynamoDB: overflow before underflow before the digit count, so "1E200" with 40
// digits reports the overflow.
Result<Number> Number::Parse(std::string_view text) {
  if (text.empty()) return ValidationError(kNotNumeric);
  auto not_numeric = [&] {
    return ValidationError(std::string(kNotNumeric) + ": " + std::string(text));
  };

  size_t pos = 0;
  bool negative = false;
  if (text[pos] == '+' || text[pos] == '-') {
    negative = text[pos] == '-';
    pos++;
  }
  std::string all_digits;  // integer and fraction digits, point removed
  size_t int_digits = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    all_digits.push_back(text[pos++]);
    int_digits++;
  }
  if (pos < text.size() && text[pos] == '.') {
    pos++;
    while (pos < text.size() && IsDigit(text[pos])) all_digits.push_back(text[pos++]);
  }
  if (all_digits.empty()) return not_numeric();
  int64_t exp_value = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    pos++;
    bool exp_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      exp_negative = text[pos] == '-';
      pos++;
    }
    if (pos >= text.size() || !IsDigit(text[pos])) return not_numeric();
    while (pos < text.size() && IsDigit(text[pos])) {
      exp_value = std::min<int64_t>(exp_value * 10 + (text[pos] - '0'), kExponentTextCap);
      pos++;
    }
    if (exp_negative) exp_value = -exp_value;
  }
  if (pos != text.size()) return not_numeric();

  size_t first = all_digits.find_first_not_of('0');
  if (first == std::string::npos) return Number();  // any spelling of zero, "-0" included
  size_t last = all_digits.find_last_not_of('0');
  // 0.<all_digits> * 10^int_digits * 10^exp; dropping `first` leading zeros moves the
  // point right by as many places.
  int64_t exponent = static_cast<int64_t>(int_digits) - static_cast<int64_t>(first) + exp_value;
  if (exponent > kMaxExponent) return ValidationError(kOverflow);
  if (exponent < kMinExponent) return ValidationError(kUnderflow);
  if (last - first + 1 > kMaxDigits) return ValidationError(kTooManyDigits);

  Number n;
  n.negative_ = negative;
  n.digits_ = all_digits.substr(first, last - first + 1);
  n.exponent_ = static_cast<int32_t>(exponent);
  return n;
}

Number Number::FromInt64(int64_t v) {
  Number n;
  if (v == 0) return n;
  n.negative_ = v < 0;
  // Through uint64_t so that INT64_MIN negates without overflow.
  uint64_t magnitude = v < 0 ? ~static_cast<uint64_t>(v) + 1 : static_cast<uint64_t>(v);
  std::string digits = std::to_string(magnitude);
  n.exponent_ = static_cast<int32_t>(digits.size());
  digits.erase(digits.find_last_not_of('0') + 1);
  n.digits_ = std::move(digits);
  return n;
}

std::optional<Number> Number::FromParts(bool negative, std::string digits, int32_t exponent) {
  if (digits.empty()) {
    if (negative || exponent != 0) return std::nullopt;
    return Number();
  }
  if (digits.size() > kMaxDigits || digits.front() == '0' || digits.back() == '0') {
    return std::nullopt;
  }
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
  }
  if (exponent > kMaxExponent || exponent < kMinExponent) return std::nullopt;
  Number n;
  n.negative_ = negative;
  n.digits_ = std::move(digits);
  n.exponent_ = exponent;
  return n;
}

// Plain notation always: DynamoDB answers 1.5E2 as "150" and 1E-5 as "0.00001"
// (the normalization Big.js's toFixed() gives dynalite).
std::string Number::ToString() const {
  if (is_zero()) return "0";
  std::string out;
  if (negative_) out.push_back('-');
  const int64_t n = static_cast<int64_t>(digits_.size());
  if (exponent_ <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exponent_), '0');
    out += digits_;
  } else if (exponent_ < n) {
    out.append(digits_, 0, static_cast<size_t>(exponent_));
    out.push_back('.');
    out.append(digits_, static_cast<size_t>(exponent_), std::string::npos);
  } else {
    out += digits_;
    out.append(static_cast<size_t>(exponent_ - n), '0');
  }
  return out;
}

int Number::Compare(const Number& other) const {
  // Sign classes first: negative < zero < positive.
  auto sign_class = [](const Number& x) { return x.is_zero() ? 0 : (x.negative_ ? -1 : 1); };
  int a = sign_class(*this), b = sign_class(other);
  if (a != b) return a < b ? -1 : 1;
  if (a == 0) return 0;
  // Same sign: compare magnitudes. The first digit is never zero, so the exponent
  // decides; then the digits, where a prefix is smaller (0.12 < 0.123).
  int magnitude;
  if (exponent_ != other.exponent_) {
    magnitude = exponent_ < other.exponent_ ? -1 : 1;
  } else {
    int c = digits_.compare(other.digits_);
    magnitude = c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return a > 0 ? magnitude : -magnitude;
}

namespace {

using boost::multiprecision::cpp_int;

// The coefficient of `n` scaled to the power of ten `scale`: n = result * 10^scale.
// REQUIRES: scale <= the position of n's last digit.
cpp_int ScaledCoefficient(const Number& n, int64_t scale) {
  if (n.is_zero()) return cpp_int(0);
  int64_t last_digit_pos =
      static_cast<int64_t>(n.exponent()) - static_cast<int64_t>(n.digits().size());
  cpp_int c(n.digits());
  c *= boost::multiprecision::pow(cpp_int(10), static_cast<unsigned>(last_digit_pos - scale));
  return n.negative() ? cpp_int(-c) : c;
}

}  // namespace

// a + b exactly: both coefficients are aligned on the lower of the two last-digit
// positions (at most about 300 digits apart, the exponent range), added as integers,
// then normalized. DynamoDB refuses a result it cannot hold exactly; when the result
// needs more than 38 digits it says "Number overflow", not the digit-count text of
// Parse (ScyllaDB's test_number.py, test_update_expression_plus_imprecise, observed
// this against DynamoDB: 1e50 + 1 fails with the overflow message).
Result<Number> Number::Add(const Number& a, const Number& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  auto last_pos = [](const Number& n) {
    return static_cast<int64_t>(n.exponent_) - static_cast<int64_t>(n.digits_.size());
  };
  int64_t scale = std::min(last_pos(a), last_pos(b));
  cpp_int sum = ScaledCoefficient(a, scale) + ScaledCoefficient(b, scale);
  if (sum == 0) return Number();
  Number r;
  r.negative_ = sum < 0;
  if (r.negative_) sum = -sum;
  std::string digits = sum.str();
  int64_t exponent = static_cast<int64_t>(digits.size()) + scale;
  digits.erase(digits.find_last_not_of('0') + 1);
  if (exponent > kMaxExponent) return ValidationError(kOverflow);
  if (exponent < kMinExponent) return ValidationError(kUnderflow);
  if (digits.size() > kMaxDigits) return ValidationError(kOverflow);
  r.digits_ = std::move(digits);
  r.exponent_ = static_cast<int32_t>(exponent);
  return r;
}

Result<Number> Number::Subtract(const Number& a, const Number& b) {
  Number negated = b;
  if (!negated.is_zero()) negated.negative_ = !negated.negative_;
  return Add(a, negated);
}

// DynamoDB stores a number as one exponent byte, then the value's base-100 digits
// aligned on the decimal point (so 1.2 is "01" "20": two digits, while 12 is one),
// then, for negatives, one terminator byte. dynalite's db/index.js valSize encodes the
// same rule, fitted to DynamoDB's ConsumedCapacity. The AWS guide's "1 byte per two
// significant digits, plus 1" is this rule rounded.
//
// With value = 0.d1..dn * 10^exponent: an even exponent pairs the digits as (d1d2)...,
// giving ceil(n / 2) base-100 digits; an odd one pads a zero in front, (0d1)(d2d3)...,
// giving ceil((n + 1) / 2).
size_t Number::ByteSize() const {
  if (is_zero()) return 1;
  size_t n = digits_.size();
  size_t centesimal = exponent_ % 2 == 0 ? (n + 1) / 2 : (n + 2) / 2;
  return 1 + centesimal + (negative_ ? 1 : 0);
}

}  // namespace dynemu
