#include "server/crc32.h"

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

}  // namespace
}  // namespace dynemu::server
