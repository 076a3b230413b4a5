#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dynemu {

// Every error dynemu can answer, in one table. Columns:
//   code       the C++ name
//   wire_type  the exact "__type" DynamoDB sends (namespace included)
//   http       the HTTP status
//   retryable  whether SDKs retry it (documentation only; SDKs decide)
//   msg_key    the JSON member holding the text: DynamoDB writes "message" for most
//              errors but "Message" for a few (SerializationException,
//              TransactionCanceledException); an empty key means no message member.
#define DYNEMU_ERRORS(X)                                                                          \
  X(kValidation, "com.amazon.coral.validate#ValidationException", 400, false, "message")          \
  X(kSerialization, "com.amazon.coral.service#SerializationException", 400, false, "Message")      \
  X(kUnknownOperation, "com.amazon.coral.service#UnknownOperationException", 400, false, "")       \
  X(kMissingAuthenticationToken, "com.amazon.coral.service#MissingAuthenticationTokenException",  \
    400, false, "message")                                                                         \
  X(kIncompleteSignature, "com.amazon.coral.service#IncompleteSignatureException", 400, false,    \
    "message")                                                                                     \
  X(kInvalidSignature, "com.amazon.coral.service#InvalidSignatureException", 400, false,          \
    "message")                                                                                     \
  X(kUnrecognizedClient, "com.amazon.coral.service#UnrecognizedClientException", 400, false,      \
    "message")                                                                                     \
  X(kAccessDenied, "com.amazon.coral.service#AccessDeniedException", 400, false, "message")        \
  X(kThrottling, "com.amazon.coral.availability#ThrottlingException", 400, true, "message")        \
  X(kServiceUnavailable, "com.amazon.coral.availability#ServiceUnavailableException", 503, true,  \
    "message")                                                                                     \
  X(kInternalServerError, "com.amazonaws.dynamodb.v20120810#InternalServerError", 500, true,       \
    "message")                                                                                     \
  X(kResourceNotFound, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", 400, false,  \
    "message")                                                                                     \
  X(kResourceInUse, "com.amazonaws.dynamodb.v20120810#ResourceInUseException", 400, false,        \
    "message")                                                                                     \
  X(kLimitExceeded, "com.amazonaws.dynamodb.v20120810#LimitExceededException", 400, false,        \
    "message")                                                                                     \
  X(kConditionalCheckFailed, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",  \
    400, false, "message")                                                                         \
  X(kProvisionedThroughputExceeded,                                                                \
    "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", 400, true,          \
    "message")                                                                                     \
  X(kRequestLimitExceeded, "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", 400, true,     \
    "message")                                                                                     \
  X(kItemCollectionSizeLimitExceeded,                                                              \
    "com.amazonaws.dynamodb.v20120810#ItemCollectionSizeLimitExceededException", 400, false,       \
    "message")                                                                                     \
  X(kTransactionCanceled, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", 400,   \
    false, "Message")                                                                              \
  X(kTransactionConflict, "com.amazonaws.dynamodb.v20120810#TransactionConflictException", 400,   \
    false, "message")                                                                              \
  X(kTransactionInProgress, "com.amazonaws.dynamodb.v20120810#TransactionInProgressException",    \
    400, false, "Message")                                                                         \
  X(kIdempotentParameterMismatch,                                                                  \
    "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException", 400, false,           \
    "Message")                                                                                     \
  X(kDuplicateItem, "com.amazonaws.dynamodb.v20120810#DuplicateItemException", 400, false,        \
    "message")                                                                                     \
  X(kTableNotFound, "com.amazonaws.dynamodb.v20120810#TableNotFoundException", 400, false,        \
    "message")                                                                                     \
  X(kTableAlreadyExists, "com.amazonaws.dynamodb.v20120810#TableAlreadyExistsException", 400,     \
    false, "message")                                                                              \
  X(kTableInUse, "com.amazonaws.dynamodb.v20120810#TableInUseException", 400, false, "message")   \
  X(kReplicatedWriteConflict,                                                                      \
    "com.amazonaws.dynamodb.v20120810#ReplicatedWriteConflictException", 400, true, "message")

enum class ErrorCode : uint16_t {
  kOk = 0,
#define DYNEMU_ERROR_ENUM(code, wire, http, retry, key) code,
  DYNEMU_ERRORS(DYNEMU_ERROR_ENUM)
#undef DYNEMU_ERROR_ENUM
};

struct ErrorInfo {
  std::string_view wire_type;   // "com.amazon.coral.validate#ValidationException"
  std::string_view short_name;  // "ValidationException"
  uint16_t http_status;
  bool retryable;
  std::string_view message_key;  // "message", "Message" or "" (no message member)
};

// Returns the table row for `code`. REQUIRES: code != kOk.
const ErrorInfo& GetErrorInfo(ErrorCode code);

// Looks an error up by its short name ("ValidationException") or its full wire type.
// Used by plugins that fail an operation with a named DynamoDB error.
std::optional<ErrorCode> ErrorCodeFromName(std::string_view name);

}  // namespace dynemu
