#pragma once

#include <string>

#include "base/status.h"

namespace dynemu {

// The JSON body of an error, shaped as DynamoDB shapes it:
// {"__type":"<wire type>","message":"<text>"} plus the Status's extra members.
// The message member is named as the error catalog says ("message" or "Message")
// and left out for errors DynamoDB sends without one. The one renderer of error
// bodies: the pipeline's answers and the plugins' view of an error both use it.
// REQUIRES: !status.ok().
std::string RenderErrorBody(const Status& status);

}  // namespace dynemu
