#include "base/java_string.h"

#include <gtest/gtest.h>

namespace dynemu {
namespace {

TEST(JavaStringTest, Utf16Length) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xc3\xa9"), 1u);          // é: 2 bytes, 1 unit
  EXPECT_EQ(Utf16Length("\xe2\x82\xac"), 1u);      // €: 3 bytes, 1 unit
  EXPECT_EQ(Utf16Length("\xf0\x9f\x98\x80"), 2u);  // 😀: 4 bytes, a surrogate pair
}

TEST(JavaStringTest, HashCodeMatchesJava) {
  // Values of Java's "...".hashCode().
  EXPECT_EQ(JavaStringHash(""), 0);
  EXPECT_EQ(JavaStringHash("a"), 97);
  EXPECT_EQ(JavaStringHash("hello"), 99162322);
  EXPECT_EQ(JavaStringHash("polygenelubricants"), INT32_MIN);  // the classic overflow case
  // Over UTF-16 units: U+1F600 is the pair D83D DE00, so 31 * 0xD83D + 0xDE00.
  EXPECT_EQ(JavaStringHash("\xf0\x9f\x98\x80"), 31 * 0xD83D + 0xDE00);
}

TEST(JavaStringTest, HashMapOrderIsByBucketThenInsertion) {
  // "a" (97) and "q" (113) share bucket 1 of 16; "b" is bucket 2.
  EXPECT_EQ(JavaHashOrder(std::vector<std::string_view>{"b", "q", "a"}), (std::vector<size_t>{1, 2, 0}));
  // Past 12 keys the table has 32 buckets: "a" (1) and "q" (17) part ways.
  std::vector<std::string> many = {"q", "a"};
  for (char c = 'c'; c < 'c' + 11; c++) many.push_back(std::string(1, c));
  std::vector<size_t> order = JavaHashOrder(many);
  EXPECT_EQ(order.front(), 1u);  // "a", bucket 1, now before "q" (bucket 17)
  EXPECT_EQ(order.size(), many.size());
}

}  // namespace
}  // namespace dynemu
