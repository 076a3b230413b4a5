#include "value/base64.h"

#include <random>

#include <gtest/gtest.h>

namespace dynemu {
namespace {

TEST(Base64Test, KnownVectors) {
  // RFC 4648, section 10.
  const std::pair<std::string, std::string> kVectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [bytes, text] : kVectors) {
    EXPECT_EQ(Base64Encode(bytes), text);
    std::string decoded;
    ASSERT_TRUE(Base64Decode(text, &decoded)) << text;
    EXPECT_EQ(decoded, bytes);
    EXPECT_TRUE(IsCanonicalBase64(text));
  }
}

TEST(Base64Test, RefusesWhatIsNotCanonical) {
  for (std::string_view text : {"Zg", "Zg=", "Zm9", "QR==", "Zm8A=", "Zm=8", "Zm 9v", "Zm9v====",
                                "Zm9-", "Zm9_", "=Zm9"}) {
    std::string out;
    EXPECT_FALSE(Base64Decode(text, &out)) << text;
    EXPECT_FALSE(IsCanonicalBase64(text)) << text;
  }
  EXPECT_TRUE(IsCanonicalBase64("QQ=="));  // "A": the pad bits are zero
}

TEST(Base64Test, RoundTripsRandomBytes) {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 2000; i++) {
    std::string bytes(rng() % 64, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng());
    std::string text = Base64Encode(bytes);
    std::string back;
    ASSERT_TRUE(Base64Decode(text, &back));
    EXPECT_EQ(back, bytes);
  }
}

}  // namespace
}  // namespace dynemu
