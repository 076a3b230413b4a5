#include "value/number.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace dynemu {
namespace {

constexpr char kNotNumeric[] = "The parameter cannot be converted to a numeric value";
constexpr char kTooManyDigits[] = "Attempting to store more than 38 significant digits in a Number";
constexpr char kOverflow[] =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr char kUnderflow[] =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

// Concatenates (GCC 12 warns falsely on some chains of std::string operator+).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

Number N(std::string_view text) {
  Result<Number> r = Number::Parse(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : Number();
}

struct Normalization {
  const char* in;
  const char* out;
};

TEST(NumberTest, NormalizesLikeDynamoDB) {
  const std::string zeros_129(129, '0');
  const std::string one_e_minus_130 = Cat("0.", zeros_129, "1");
  const std::string big = Cat("99", std::string(124, '0'));
  const std::vector<Normalization> table = {
      {"0", "0"},
      {"-0", "0"},
      {"+0", "0"},
      {"0.000", "0"},
      {"0e1000", "0"},
      {"-0.0e-5", "0"},
      {"00042", "42"},
      {"+42", "42"},
      {"1.0", "1"},
      {"1.", "1"},
      {".5", "0.5"},
      {"-.5", "-0.5"},
      {"-0.50", "-0.5"},
      {"1.5E2", "150"},
      {"1.5e+2", "150"},
      {"1e+5", "100000"},
      {"15E-1", "1.5"},
      {"1E-5", "0.00001"},
      {"-17e5", "-1700000"},
      {"0001.23", "1.23"},
      {"123.456", "123.456"},
      {"1000", "1000"},
      {"1e3", "1000"},
      {"-7.1234", "-7.1234"},
      {"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
      {"1E-130", one_e_minus_130.c_str()},
      {"9.9E125", big.c_str()},
      {"0.00000000000000000000000000000000000000000000012300",
       "0.000000000000000000000000000000000000000000000123"},
  };
  for (const Normalization& t : table) {
    EXPECT_EQ(N(t.in).ToString(), t.out) << t.in;
  }
}

TEST(NumberTest, FieldsAreNormalized) {
  Number n = N("-001.2300E2");
  EXPECT_TRUE(n.negative());
  EXPECT_EQ(n.digits(), "123");
  EXPECT_EQ(n.exponent(), 3);
  Number zero = N("-0.000");
  EXPECT_TRUE(zero.is_zero());
  EXPECT_FALSE(zero.negative());
  EXPECT_EQ(zero.exponent(), 0);
  EXPECT_EQ(zero, Number());
  EXPECT_EQ(N("1000"), N("1e3"));
  EXPECT_EQ(N("0.1"), N("1E-1"));
}

TEST(NumberTest, RejectsNonNumbers) {
  Result<Number> empty = Number::Parse("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), ErrorCode::kValidation);
  EXPECT_EQ(empty.status().message(), kNotNumeric);

  for (const char* bad :
       {" 1",   "1 ",    " ",   "abc",   "dog", "-dog", "NaN", "-NaN", "Infinity", "-Infinity",
        "0x10", "1e",    "1e+", "e5",    ".",   "-",    "+",   "--1",  "+-1",      "1.2.3",
        "1,5",  "1e5.5", "١",   "1_000", "\t1", "1\n",  "++1", ".e1"}) {
    Result<Number> r = Number::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
    EXPECT_EQ(r.status().message(), std::string(kNotNumeric) + ": " + bad) << bad;
  }
}

struct RangeCase {
  std::string in;
  const char* message;  // nullptr: accepted
};

TEST(NumberTest, RangeAndPrecisionBoundaries) {
  const std::vector<RangeCase> table = {
      {"1e125", nullptr},
      {"-1e125", nullptr},
      {"9.9999999999999999999999999999999999999E125", nullptr},
      {"1e126", kOverflow},
      {"-1e126", kOverflow},
      {"11e125", kOverflow},
      {"1e99999999999999999999", kOverflow},
      {"1e-130", nullptr},
      {"-1e-130", nullptr},
      {"1e-131", kUnderflow},
      {"0.9e-130", kUnderflow},
      {"1e-99999999999999999999", kUnderflow},
      {"31415926535897932384626433832795028841e30", nullptr},
      {"314159265358979323846.26433832795028841", nullptr},
      {"3.14159265358979323846264338327950288419", kTooManyDigits},
      {"314159265358979323846264338327950288419e30", kTooManyDigits},
      {Cat("1", std::string(60, '0')), nullptr},  // one significant digit
      {Cat("0.", std::string(60, '0'), "1"), nullptr},
      {std::string(38, '9'), nullptr},
      {std::string(39, '9'), kTooManyDigits},
      // Overflow is checked before the digit count, as dynalite's checkNum does.
      {Cat(std::string(39, '9'), "e200"), kOverflow},
      {Cat("0.", std::string(39, '9'), "e-200"), kUnderflow},
  };
  for (const RangeCase& t : table) {
    Result<Number> r = Number::Parse(t.in);
    if (t.message == nullptr) {
      EXPECT_TRUE(r.ok()) << t.in << ": " << r.status().ToString();
    } else {
      ASSERT_FALSE(r.ok()) << t.in;
      EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
      EXPECT_EQ(r.status().message(), t.message) << t.in;
    }
  }
}

TEST(NumberTest, FromInt64) {
  EXPECT_EQ(Number::FromInt64(0).ToString(), "0");
  EXPECT_EQ(Number::FromInt64(42).ToString(), "42");
  EXPECT_EQ(Number::FromInt64(-1000).ToString(), "-1000");
  EXPECT_EQ(Number::FromInt64(-1000), N("-1e3"));
  EXPECT_EQ(Number::FromInt64(std::numeric_limits<int64_t>::max()).ToString(),
            "9223372036854775807");
  EXPECT_EQ(Number::FromInt64(std::numeric_limits<int64_t>::min()).ToString(),
            "-9223372036854775808");
}

TEST(NumberTest, FromPartsChecksInvariants) {
  ASSERT_TRUE(Number::FromParts(true, "15", 3).has_value());
  EXPECT_EQ(Number::FromParts(true, "15", 3)->ToString(), "-150");
  EXPECT_TRUE(Number::FromParts(false, "", 0).has_value());
  EXPECT_FALSE(Number::FromParts(true, "", 0).has_value());
  EXPECT_FALSE(Number::FromParts(false, "", 1).has_value());
  EXPECT_FALSE(Number::FromParts(false, "012", 1).has_value());
  EXPECT_FALSE(Number::FromParts(false, "120", 1).has_value());
  EXPECT_FALSE(Number::FromParts(false, "1a", 1).has_value());
  EXPECT_FALSE(Number::FromParts(false, std::string(39, '1'), 1).has_value());
  EXPECT_TRUE(Number::FromParts(false, "1", 126).has_value());
  EXPECT_FALSE(Number::FromParts(false, "1", 127).has_value());
  EXPECT_TRUE(Number::FromParts(false, "1", -129).has_value());
  EXPECT_FALSE(Number::FromParts(false, "1", -130).has_value());
}

TEST(NumberTest, CompareIsNumeric) {
  const std::vector<std::string> ascending = {
      "-9.9e125", "-1e100", "-1000",   "-999.99", "-10",    "-2",    "-1.5",   "-1",
      "-0.123",   "-0.12",  "-1e-130", "0",       "1e-130", "0.12",  "0.123",  "1",
      "1.5",      "2",      "10",      "999.99",  "1000",   "1e100", "9.9e125"};
  for (size_t i = 0; i < ascending.size(); i++) {
    for (size_t j = 0; j < ascending.size(); j++) {
      int expected = i < j ? -1 : (i > j ? 1 : 0);
      EXPECT_EQ(N(ascending[i]).Compare(N(ascending[j])), expected)
          << ascending[i] << " vs " << ascending[j];
    }
  }
  EXPECT_EQ(N("1000").Compare(N("1e3")), 0);
  EXPECT_TRUE(N("-0").Compare(N("0")) == 0);
  EXPECT_TRUE(N("2") < N("10"));
}

struct Arithmetic {
  std::string a;
  std::string b;
  std::string sum;         // or an error message
  std::string difference;  // a - b, or an error message
};

TEST(NumberTest, AddAndSubtractAreExact) {
  const std::string max38(38, '9');
  const std::string tiny_zeros = Cat("0.", std::string(129, '0'));  // then the digit of 1e-130
  const std::vector<Arithmetic> table = {
      {"1", "2", "3", "-1"},
      {"0", "0", "0", "0"},
      {"0", "-5", "-5", "5"},
      {"1.5", "1.5", "3", "0"},
      {"0.1", "0.2", "0.3", "-0.1"},
      {"1", "10000000000000000000000", "10000000000000000000001", "-9999999999999999999999"},
      {"-1e-130", "1e-130", "0", Cat("-", tiny_zeros, "2")},
      {"1.5e-130", "-1e-130", kUnderflow, Cat(tiny_zeros, "25")},
      {"123.456", "-0.456", "123", "123.912"},
      {max38, "0", max38, max38},
      {max38, "1", Cat("1", std::string(38, '0')), Cat(std::string(37, '9'), "8")},
      {"1e125", "1e125", Cat("2", std::string(125, '0')), "0"},
      {"9e125", "9e125", kOverflow, "0"},
      {"9e125", "-9e125", "0", kOverflow},
      // 1e50 + 1 needs 51 digits: DynamoDB answers with the overflow text.
      {"1e50", "1", kOverflow, kOverflow},
      {"1e-130", "1", kOverflow, kOverflow},
      {"9.9e125", "1e-130", kOverflow, kOverflow},
  };
  for (const Arithmetic& t : table) {
    Number a = N(t.a), b = N(t.b);
    for (int op = 0; op < 2; op++) {
      const std::string& want = op == 0 ? t.sum : t.difference;
      Result<Number> r = op == 0 ? Number::Add(a, b) : Number::Subtract(a, b);
      std::string what = Cat(t.a, op == 0 ? " + " : " - ", t.b);
      if (want.rfind("Number ", 0) == 0) {
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.status().code(), ErrorCode::kValidation);
        EXPECT_EQ(r.status().message(), want) << what;
      } else {
        ASSERT_TRUE(r.ok()) << what << ": " << r.status().ToString();
        EXPECT_EQ(r->ToString(), want) << what;
        EXPECT_EQ(*r, N(want)) << what;  // and the result is normalized
      }
    }
  }
}

TEST(NumberTest, AddUnderflow) {
  // 1.5e-130 - 1e-130 = 5e-131, below the smallest magnitude.
  Result<Number> r = Number::Subtract(N("1.5e-130"), N("1e-130"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), kUnderflow);
}

TEST(NumberTest, ByteSize) {
  // 1 for zero; else 1 + base-100 digits aligned on the point, + 1 when negative.
  EXPECT_EQ(N("0").ByteSize(), 1u);
  EXPECT_EQ(N("1").ByteSize(), 2u);
  EXPECT_EQ(N("12").ByteSize(), 2u);
  EXPECT_EQ(N("123").ByteSize(), 3u);
  EXPECT_EQ(N("1.2").ByteSize(), 3u);   // 01.20
  EXPECT_EQ(N("0.12").ByteSize(), 2u);  // .12
  EXPECT_EQ(N("10").ByteSize(), 2u);
  EXPECT_EQ(N("100").ByteSize(), 2u);
  EXPECT_EQ(N("-1").ByteSize(), 3u);
  EXPECT_EQ(N("12345").ByteSize(), 4u);
  EXPECT_EQ(N(std::string(38, '9')).ByteSize(), 20u);
  EXPECT_EQ(N(Cat("9.", std::string(37, '9'))).ByteSize(), 21u);
}

}  // namespace
}  // namespace dynemu
