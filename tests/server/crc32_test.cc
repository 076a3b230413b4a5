#include "server/crc32.h"

#include <random>
#include <string>

#include <boost/crc.hpp>
#include <gtest/gtest.h>

namespace dynemu::server {
namespace {

TEST(Crc32Test, KnownValues) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  // Bodies DynamoDB sends with fixed x-amz-crc32 headers: the health check and the
  // answer to a request that is not a POST.
  EXPECT_EQ(Crc32("healthy: dynamodb.us-east-1.amazonaws.com "), 3128867991u);
  EXPECT_EQ(Crc32("<UnknownOperationException/>\n"), 3552371480u);
}

// The 8-bytes-at-a-time loop against the byte-at-a-time reference, over every
// length up to a few words and every alignment of the start.
TEST(Crc32Test, MatchesBytewiseReference) {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t length = 0; offset + length <= data.size(); ++length) {
      boost::crc_32_type reference;
      reference.process_bytes(data.data() + offset, length);
      ASSERT_EQ(Crc32(std::string_view(data).substr(offset, length)), reference.checksum())
          << "offset " << offset << " length " << length;
    }
  }
}

// Long bodies take the carry-less-multiplication path where the CPU has it
// (64 bytes and up): every length to past a few of its 64-byte steps, every
// start alignment, and random contents, against the byte-at-a-time reference.
TEST(Crc32Test, LongInputsMatchBytewiseReference) {
  std::mt19937_64 rng(11);
  std::string data(5000, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t offset = 0; offset < 16; ++offset) {
    for (size_t length = 0; offset + length <= 700; ++length) {
      boost::crc_32_type reference;
      reference.process_bytes(data.data() + offset, length);
      ASSERT_EQ(Crc32(std::string_view(data).substr(offset, length)), reference.checksum())
          << "offset " << offset << " length " << length;
    }
  }
  for (size_t length : {1024, 1100, 4096, 4999, 5000}) {
    boost::crc_32_type reference;
    reference.process_bytes(data.data(), length);
    EXPECT_EQ(Crc32(std::string_view(data).substr(0, length)), reference.checksum()) << length;
  }
}

}  // namespace
}  // namespace dynemu::server
