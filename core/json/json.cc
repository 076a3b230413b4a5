#include "json/json.h"

#include <rapidjson/error/en.h>

namespace dynemu::json {
namespace {

// Returns the deepest nesting of arrays and objects in `text`, stopping early
// once `limit` is passed. Brackets inside strings do not count.
int NestingDepth(std::string_view text, int limit) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); i++) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) {
          max_depth = depth;
          if (max_depth > limit) return max_depth;
        }
        break;
      case ']':
      case '}':
        depth--;
        break;
      default:
        break;
    }
  }
  return max_depth;
}

}  // namespace

Status Parse(std::string_view text, Document* doc) {
  if (NestingDepth(text, kMaxDepth) > kMaxDepth) return SerializationError("");
  rapidjson::MemoryStream ms(text.data(), text.size());
  // Iterative parsing keeps the stack flat whatever the input; encoding
  // validation rejects invalid UTF-8, which DynamoDB refuses too.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                              rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseStopWhenDoneFlag;
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
  doc->ParseStream<kFlags, rapidjson::UTF8<>>(is);
  if (doc->HasParseError()) return SerializationError("");
  // kParseStopWhenDoneFlag lets us reject trailing garbage ourselves, allowing
  // trailing whitespace only.
  for (size_t i = doc->GetErrorOffset() ? doc->GetErrorOffset() : is.Tell(); i < text.size();
       i++) {
    char c = text[i];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return SerializationError("");
  }
  return Status::OK();
}

std::string ToString(const Value& value) {
  StringBuffer buffer;
  Writer writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

const Value* FindMember(const Value& obj, std::string_view name) {
  auto it = obj.FindMember(Value(rapidjson::StringRef(name.data(), name.size())));
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

}  // namespace dynemu::json
