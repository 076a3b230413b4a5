#pragma once

// X-Amz-Target operation name -> handler. Each operation has the same shape:
// decode the request (already shape-checked) into a typed input, execute it on
// the engine, encode the typed output. A handler returns an error Status or
// writes the response object into `out`.

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "json/json.h"

namespace dynemu {

class Engine;

struct OpContext {
  Engine& engine;
  std::string_view operation;   // "PutItem"
  std::string_view request_id;
  int64_t delay_ms = 0;         // hook delays met while executing, applied by the pipeline
};

using OpHandler = Status (*)(OpContext& ctx, const json::Value& request, json::Writer& out);

// The handler of `name`, or nullptr when dynemu does not implement `name`
// (the pipeline then answers UnknownOperationException, as DynamoDB does for
// an operation it does not have).
OpHandler FindOperation(std::string_view name);

}  // namespace dynemu
