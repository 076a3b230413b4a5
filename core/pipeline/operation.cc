#include "pipeline/operation.h"

#include "json/error_body.h"

namespace dynemu {


Response ErrorResponse(const Status& status) {
  Response r;
  r.http_status = GetErrorInfo(status.code()).http_status;
  r.body = RenderErrorBody(status);
  return r;
}

}  // namespace dynemu
