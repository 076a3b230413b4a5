#pragma once

// What the server hands the core for one request, and what it gets back.
// The server knows HTTP; the core knows DynamoDB. Neither knows the other's types.

#include <cstdint>
#include <string>

#include "base/status.h"
#include "json/error_body.h"

namespace dynemu {

struct Operation {
  std::string target;         // the X-Amz-Target header ("DynamoDB_20120810.PutItem"); may be empty
  std::string body;           // the request body, as received
  std::string authorization;  // the Authorization header; empty when absent
  bool has_date = false;      // an X-Amz-Date or Date header was present
  std::string client;         // the peer, "address:port"
};

struct Response {
  uint16_t http_status = 200;
  std::string body;        // JSON (application/x-amz-json-1.0)
  std::string request_id;  // sent back as x-amzn-RequestId
  std::string operation;   // the operation name when known ("PutItem"), for logs
};

// A whole error response: status code from the error catalog, rendered body.
Response ErrorResponse(const Status& status);

}  // namespace dynemu
