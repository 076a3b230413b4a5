#include "json/error_body.h"

#include "json/json.h"

namespace dynemu {

std::string RenderErrorBody(const Status& status) {
  const ErrorInfo& info = GetErrorInfo(status.code());
  json::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  json::WriteKey(w, "__type");
  json::WriteString(w, info.wire_type);
  // DynamoDB omits the message member of errors that have none (a bare
  // SerializationException for malformed JSON, UnknownOperationException).
  if (!info.message_key.empty() && !status.message().empty()) {
    json::WriteKey(w, info.message_key);
    json::WriteString(w, status.message());
  }
  w.EndObject();
  std::string body(buffer.GetString(), buffer.GetSize());
  if (!status.extra_members().empty()) {
    body.pop_back();  // the closing brace
    body += ',';
    body += status.extra_members();
    body += '}';
  }
  return body;
}

}  // namespace dynemu
