#include "base/status.h"

#include <gtest/gtest.h>


namespace dynemu {
namespace {

Result<int> Half(int x) {
  if (x % 2) return ValidationError("odd");
  return x / 2;
}

Status Quarter(int x, int* out) {
  DYN_ASSIGN_OR_RETURN(int h, Half(x));
  DYN_ASSIGN_OR_RETURN(*out, Half(h));
  return Status::OK();
}

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CopiesAreDeep) {
  Status a(ErrorCode::kResourceNotFound, "Requested resource not found");
  Status b = a;
  b.set_extra_members("\"x\":1");
  EXPECT_EQ(a.extra_members(), "");
  EXPECT_EQ(b.message(), "Requested resource not found");
  EXPECT_EQ(b.ToString(), "ResourceNotFoundException: Requested resource not found");
}

TEST(StatusTest, ResultPropagates) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Quarter(6, &out);
  EXPECT_EQ(s.code(), ErrorCode::kValidation);
  EXPECT_EQ(s.message(), "odd");
}

TEST(ErrorCodesTest, CatalogLookups) {
  EXPECT_EQ(GetErrorInfo(ErrorCode::kValidation).short_name, "ValidationException");
  EXPECT_EQ(GetErrorInfo(ErrorCode::kInternalServerError).http_status, 500);
  EXPECT_EQ(ErrorCodeFromName("ProvisionedThroughputExceededException"),
            ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(ErrorCodeFromName("com.amazon.coral.validate#ValidationException"),
            ErrorCode::kValidation);
  EXPECT_EQ(ErrorCodeFromName("NoSuchException"), std::nullopt);
}


}  // namespace
}  // namespace dynemu
