#include "json/error_body.h"

#include <gtest/gtest.h>

#include "pipeline/operation.h"

namespace dynemu {
namespace {

TEST(ErrorBodyTest, ShapesAsDynamoDB) {
  EXPECT_EQ(RenderErrorBody(ValidationError("bad \"x\"")),
            R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad \"x\""})");
  EXPECT_EQ(RenderErrorBody(SerializationError("")),
            R"({"__type":"com.amazon.coral.service#SerializationException"})");
  EXPECT_EQ(RenderErrorBody(SerializationError("Unexpected field type")),
            R"({"__type":"com.amazon.coral.service#SerializationException","Message":"Unexpected field type"})");
  Status with_item(ErrorCode::kConditionalCheckFailed, "The conditional request failed",
                   R"("Item":{"a":{"S":"b"}})");
  EXPECT_EQ(RenderErrorBody(with_item),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
            R"("message":"The conditional request failed","Item":{"a":{"S":"b"}}})");
  EXPECT_EQ(ErrorResponse(InternalError("x")).http_status, 500);
}

}  // namespace
}  // namespace dynemu
