#include "value/value_codec.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/java_string.h"

namespace dynemu {
namespace {

// Decoding runs in two passes, the way DynamoDB's front end does:
//
// 1. The shape pass (CheckShape) is the JSON deserializer: every member must have the
//    JSON kind its type wants, or the whole request is a SerializationException. It
//    walks the entire value before any validation, so {"L":[{"N":"x"},{"S":1}]}
//    reports the S member (a serialization error), not the bad number. The texts and
//    their cases are dynalite's checkTypes (validations/index.js), which copies
//    DynamoDB's Java deserializer.
// 2. The validation pass (Build) is dynalite's validateAttributeValue: checks per type,
//    in a fixed type order, then "more than one datatypes". It builds the value as it
//    goes.
//
// Both passes see the members in the order S, B, N, BOOL, NULL, BS, NS, SS, L, M,
// whatever the order in the request: DynamoDB deserializes into a structure whose
// fields are checked in declaration order (dynalite rebuilds the object in that order
// in checkTypes, so its validation sees that order too). Unknown members and members
// whose value is JSON null are ignored, so {"X":"y"} is an empty AttributeValue.

enum class Kind { kS, kB, kN, kBool, kNull, kBS, kNS, kSS, kL, kM };
struct TypeMember {
  Kind kind;
  std::string_view name;
};
constexpr std::array<TypeMember, 10> kTypeOrder = {{
    {Kind::kS, "S"},
    {Kind::kB, "B"},
    {Kind::kN, "N"},
    {Kind::kBool, "BOOL"},
    {Kind::kNull, "NULL"},
    {Kind::kBS, "BS"},
    {Kind::kNS, "NS"},
    {Kind::kSS, "SS"},
    {Kind::kL, "L"},
    {Kind::kM, "M"},
}};

constexpr char kStartOfStructure[] = "Start of structure or map found where not expected";
constexpr char kUnexpectedFieldType[] = "Unexpected field type";
constexpr char kEmptyValue[] =
    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
constexpr char kMoreThanOne[] =
    "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
    "supported datatypes";
constexpr char kInvalidPrefix[] = "One or more parameter values were invalid: ";
// The text real DynamoDB sends for an item nested too deep (captured from eu-west-2 by
// the paritysuite/dynamodb-conformance suite; the API reference lists its first
// sentence only).
constexpr char kNestingTooDeep[] =
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit";
// DynamoDB's text for a JSON null inside a set is not known; a set member cannot be
// null, so this is our own wording in DynamoDB's style.
constexpr char kNullSetMember[] =
    "One or more parameter values were invalid: Set values may not contain null members";

// The shape pass recurses once per L/M level. Requests from json::Parse nest at most
// json::kMaxDepth JSON levels (two per value level), so this bound is never reached
// by them; it keeps a hand-built, absurdly deep Value from exhausting the stack.
constexpr int kShapeDepthLimit = 2 * kMaxValueNestingDepth + 8;

// The position of type member `name` in kTypeOrder, or -1 for an unknown member.
constexpr int TypeIndex(std::string_view name) {
  switch (name.size()) {
    case 1:
      switch (name[0]) {
        case 'S':
          return 0;
        case 'B':
          return 1;
        case 'N':
          return 2;
        case 'L':
          return 8;
        case 'M':
          return 9;
        default:
          return -1;
      }
    case 2:
      if (name[1] != 'S') return -1;
      return name[0] == 'B' ? 5 : name[0] == 'N' ? 6 : name[0] == 'S' ? 7 : -1;
    case 4:
      return name == "BOOL" ? 3 : name == "NULL" ? 4 : -1;
    default:
      return -1;
  }
}

constexpr bool TypeIndexMatchesOrder() {
  for (size_t i = 0; i < kTypeOrder.size(); i++) {
    if (TypeIndex(kTypeOrder[i].name) != static_cast<int>(i)) return false;
  }
  return true;
}
static_assert(TypeIndexMatchesOrder(), "TypeIndex must follow kTypeOrder");

// The type members of object `obj` by position in kTypeOrder, each the last one
// when the name repeats (as in JavaScript's JSON.parse); null when absent or JSON
// null. One walk over the object (perf: searching it once per type name was ~3%
// of a PutItem's instructions). REQUIRES: obj.IsObject().
using TypeMembers = std::array<const json::Value*, kTypeOrder.size()>;
TypeMembers FindTypeMembers(const json::Value& obj) {
  TypeMembers found{};
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    int i = TypeIndex(json::AsStringView(it->name));
    if (i >= 0) found[static_cast<size_t>(i)] = it->value.IsNull() ? nullptr : &it->value;
  }
  return found;
}

// Java's tokenizer names a JSON number NUMBER_VALUE when integral, DECIMAL_VALUE
// otherwise (dynalite decides with `val % 1 === 0`, i.e. on the value).
std::string NumberKindName(const json::Value& v) {
  if (v.IsInt64() || v.IsUint64()) return "NUMBER_VALUE";
  double d = v.GetDouble();
  return std::isfinite(d) && d == std::floor(d) ? "NUMBER_VALUE" : "DECIMAL_VALUE";
}


// A JSON value read into a "String" field (S, N, SS and NS members).
Status CheckString(const json::Value& v) {
  if (v.IsString()) return Status::OK();
  if (v.IsBool()) {
    return SerializationError(std::string(v.GetBool() ? "TRUE_VALUE" : "FALSE_VALUE") +
                              " cannot be converted to String");
  }
  if (v.IsNumber()) return SerializationError(NumberKindName(v) + " cannot be converted to String");
  if (v.IsArray()) return SerializationError("Unrecognized collection type class java.lang.String");
  return SerializationError(kStartOfStructure);
}

// A JSON value read into a "Blob" field (B and BS members): a canonical base64 string.
Status CheckBlob(const json::Value& v) {
  if (v.IsBool() || v.IsNumber()) {
    return SerializationError("only base-64-encoded strings are convertible to bytes");
  }
  if (v.IsArray()) {
    return SerializationError("Unrecognized collection type class java.nio.ByteBuffer");
  }
  if (!v.IsString()) return SerializationError(kStartOfStructure);
  std::string_view text = json::AsStringView(v);
  size_t length = Utf16Length(text);
  if (length % 4 != 0) {
    return SerializationError(
        "Base64 encoded length is expected a multiple of 4 bytes but found: " +
        std::to_string(length));
  }
  std::string ignored;
  // [sic]: DynamoDB's own spelling.
  if (!Base64Decode(text, &ignored)) {
    return SerializationError("Invalid last non-pad Base64 character dectected");
  }
  return Status::OK();
}

// A JSON value read into a "Boolean" field (BOOL, NULL). DynamoDB's deserializer also
// takes the strings true/false, 1/0 and yes/no in any case (dynalite notes the same).
Status CheckBoolean(const json::Value& v, bool* out) {
  if (v.IsBool()) {
    *out = v.GetBool();
    return Status::OK();
  }
  if (v.IsNumber())
    return SerializationError(NumberKindName(v) + " cannot be converted to Boolean");
  if (v.IsString()) {
    std::string upper(json::AsStringView(v));
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (upper == "TRUE" || upper == "1" || upper == "YES") {
      *out = true;
      return Status::OK();
    }
    if (upper == "FALSE" || upper == "0" || upper == "NO") {
      *out = false;
      return Status::OK();
    }
    return SerializationError("Unexpected token received from parser");
  }
  if (v.IsArray())
    return SerializationError("Unrecognized collection type class java.lang.Boolean");
  return SerializationError(kStartOfStructure);
}

// A JSON value read into a "List" field (SS, NS, BS, L).
Status CheckList(const json::Value& v) {
  if (v.IsArray()) return Status::OK();
  if (v.IsObject()) return SerializationError(kStartOfStructure);
  return SerializationError(kUnexpectedFieldType);
}

// A JSON value read into a map of attribute values (M, and an Item or Key).
Status CheckAttributeMap(const json::Value& v) {
  if (v.IsObject()) return Status::OK();
  if (v.IsArray()) {
    return SerializationError(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  }
  return SerializationError(kUnexpectedFieldType);
}

Status CheckShape(const json::Value& v, int depth);

Status CheckMembers(const json::Value& list, Status (*check)(const json::Value&)) {
  for (const auto& member : list.GetArray()) {
    if (member.IsNull()) continue;
    DYN_RETURN_IF_ERROR(check(member));
  }
  return Status::OK();
}

// The shape of one attribute value (dynalite's AttrStruct<ValueStruct>).
Status CheckShape(const json::Value& v, int depth) {
  if (v.IsNull()) return Status::OK();  // reported by Build as an empty value
  if (!v.IsObject()) {
    if (v.IsArray()) {
      return SerializationError(
          "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    }
    return SerializationError("Unexpected value type in payload");
  }
  if (depth > kShapeDepthLimit) return ValidationError(kNestingTooDeep);
  const TypeMembers members = FindTypeMembers(v);
  for (size_t t = 0; t < kTypeOrder.size(); t++) {
    const TypeMember& type = kTypeOrder[t];
    const json::Value* m = members[t];
    if (m == nullptr) continue;
    switch (type.kind) {
      case Kind::kS:
      case Kind::kN:
        DYN_RETURN_IF_ERROR(CheckString(*m));
        break;
      case Kind::kB:
        DYN_RETURN_IF_ERROR(CheckBlob(*m));
        break;
      case Kind::kBool:
      case Kind::kNull: {
        bool ignored;
        DYN_RETURN_IF_ERROR(CheckBoolean(*m, &ignored));
        break;
      }
      case Kind::kBS:
        DYN_RETURN_IF_ERROR(CheckList(*m));
        DYN_RETURN_IF_ERROR(CheckMembers(*m, CheckBlob));
        break;
      case Kind::kNS:
      case Kind::kSS:
        DYN_RETURN_IF_ERROR(CheckList(*m));
        DYN_RETURN_IF_ERROR(CheckMembers(*m, CheckString));
        break;
      case Kind::kL:
        DYN_RETURN_IF_ERROR(CheckList(*m));
        for (const auto& element : m->GetArray()) {
          DYN_RETURN_IF_ERROR(CheckShape(element, depth + 1));
        }
        break;
      case Kind::kM:
        DYN_RETURN_IF_ERROR(CheckAttributeMap(*m));
        for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it) {
          DYN_RETURN_IF_ERROR(CheckShape(it->value, depth + 1));
        }
        break;
    }
  }
  return Status::OK();
}

// dynalite's valueStr of a string list: "[a, b, c]".
std::string JoinForMessage(const json::Value& list) {
  std::string out = "[";
  bool first = true;
  for (const auto& member : list.GetArray()) {
    if (!first) out += ", ";
    first = false;
    out += member.IsString() ? std::string(json::AsStringView(member)) : std::string("null");
  }
  out += "]";
  return out;
}

// Reads the members of a string or binary set. REQUIRES: the shape pass passed.
Result<std::vector<std::string>> ReadByteMembers(const json::Value& list, bool base64) {
  std::vector<std::string> members;
  members.reserve(list.Size());
  for (const auto& member : list.GetArray()) {
    if (!member.IsString()) return ValidationError(kNullSetMember);
    if (base64) {
      std::string bytes;
      if (!Base64Decode(json::AsStringView(member), &bytes)) {
        return SerializationError("Invalid last non-pad Base64 character dectected");
      }
      members.push_back(std::move(bytes));
    } else {
      members.emplace_back(json::AsStringView(member));
    }
  }
  return members;
}

bool HasDuplicate(const std::vector<std::string>& members) {
  std::unordered_set<std::string_view> seen;
  for (const std::string& m : members) {
    if (!seen.insert(m).second) return true;
  }
  return false;
}

// Validates and builds one attribute value at nesting `level` (a top-level attribute
// is level 1). REQUIRES: CheckShape(v) passed.
//
// DynamoDB accepts 32 levels, counting the attribute itself: 31 nested maps around a
// scalar are stored, 32 are refused (paritysuite/dynamodb-conformance, captured from
// real DynamoDB). So any value at level 33 or deeper is refused.
Result<AttributeValue> Build(const json::Value& v, int level) {
  if (level > kMaxValueNestingDepth) return ValidationError(kNestingTooDeep);
  if (!v.IsObject()) return ValidationError(kEmptyValue);  // JSON null

  int types_set = 0;
  std::optional<AttributeValue> result;
  auto keep = [&](AttributeValue value) {
    if (!result) result = std::move(value);
  };
  const TypeMembers members = FindTypeMembers(v);
  for (size_t t = 0; t < kTypeOrder.size(); t++) {
    const TypeMember& type = kTypeOrder[t];
    const json::Value* m = members[t];
    if (m == nullptr) continue;
    types_set++;
    switch (type.kind) {
      case Kind::kS:
        keep(AttributeValue::S(std::string(json::AsStringView(*m))));
        break;
      case Kind::kB: {
        std::string bytes;
        if (!Base64Decode(json::AsStringView(*m), &bytes)) {
          return SerializationError("Invalid last non-pad Base64 character dectected");
        }
        keep(AttributeValue::B(std::move(bytes)));
        break;
      }
      case Kind::kN: {
        DYN_ASSIGN_OR_RETURN(Number n, Number::Parse(json::AsStringView(*m)));
        keep(AttributeValue::N(std::move(n)));
        break;
      }
      case Kind::kBool: {
        bool b = false;
        DYN_RETURN_IF_ERROR(CheckBoolean(*m, &b));
        keep(AttributeValue::Bool(b));
        break;
      }
      case Kind::kNull: {
        bool b = false;
        DYN_RETURN_IF_ERROR(CheckBoolean(*m, &b));
        if (!b) {
          return ValidationError(std::string(kInvalidPrefix) +
                                 "Null attribute value types must have the value of true");
        }
        keep(AttributeValue::Null());
        break;
      }
      case Kind::kBS: {
        if (m->Empty()) {
          return ValidationError(std::string(kInvalidPrefix) + "Binary sets should not be empty");
        }
        DYN_ASSIGN_OR_RETURN(std::vector<std::string> members, ReadByteMembers(*m, true));
        // Canonical base64 is one text per byte string, so equal bytes are equal texts.
        // The missing space before "of type" is DynamoDB's.
        if (HasDuplicate(members)) {
          return ValidationError(std::string(kInvalidPrefix) + "Input collection " +
                                 JoinForMessage(*m) + "of type BS contains duplicates.");
        }
        keep(AttributeValue::BS(std::move(members)));
        break;
      }
      case Kind::kNS: {
        if (m->Empty()) {
          // The two spaces are DynamoDB's.
          return ValidationError(std::string(kInvalidPrefix) + "An number set  may not be empty");
        }
        std::vector<Number> members;
        members.reserve(m->Size());
        for (const auto& member : m->GetArray()) {
          // A null member reads as an empty text (dynalite's checkNum).
          std::string_view text = member.IsString() ? json::AsStringView(member) : "";
          DYN_ASSIGN_OR_RETURN(Number n, Number::Parse(text));
          members.push_back(std::move(n));
        }
        // Duplicates are found after normalization: "1" and "1.0" are one number.
        std::vector<Number> sorted = members;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
          return ValidationError("Input collection contains duplicates");
        }
        keep(AttributeValue::NS(std::move(members)));
        break;
      }
      case Kind::kSS: {
        if (m->Empty()) {
          return ValidationError(std::string(kInvalidPrefix) + "An string set  may not be empty");
        }
        DYN_ASSIGN_OR_RETURN(std::vector<std::string> members, ReadByteMembers(*m, false));
        if (HasDuplicate(members)) {
          return ValidationError(std::string(kInvalidPrefix) + "Input collection " +
                                 JoinForMessage(*m) + " contains duplicates.");
        }
        keep(AttributeValue::SS(std::move(members)));
        break;
      }
      case Kind::kL: {
        List list;
        list.reserve(m->Size());
        for (const auto& element : m->GetArray()) {
          DYN_ASSIGN_OR_RETURN(AttributeValue child, Build(element, level + 1));
          list.push_back(std::move(child));
        }
        keep(AttributeValue::L(std::move(list)));
        break;
      }
      case Kind::kM: {
        Map map;
        for (auto it = m->MemberBegin(); it != m->MemberEnd(); ++it) {
          DYN_ASSIGN_OR_RETURN(AttributeValue child, Build(it->value, level + 1));
          map.insert_or_assign(std::string(json::AsStringView(it->name)), std::move(child));
        }
        keep(AttributeValue::M(std::move(map)));
        break;
      }
    }
  }
  if (types_set == 0) return ValidationError(kEmptyValue);
  if (types_set > 1) return ValidationError(kMoreThanOne);
  return std::move(*result);
}

void WriteStringArray(const std::vector<std::string>& members, bool base64, json::Writer& w) {
  w.StartArray();
  for (const std::string& m : members) {
    if (base64) {
      json::WriteString(w, Base64Encode(m));
    } else {
      json::WriteString(w, m);
    }
  }
  w.EndArray();
}

}  // namespace

Result<AttributeValue> DecodeAttributeValue(const json::Value& v) {
  DYN_RETURN_IF_ERROR(CheckShape(v, 1));
  return Build(v, 1);
}

Result<Item> DecodeItem(const json::Value& v) {
  DYN_RETURN_IF_ERROR(CheckAttributeMap(v));
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    DYN_RETURN_IF_ERROR(CheckShape(it->value, 1));
  }
  Item item;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    DYN_ASSIGN_OR_RETURN(AttributeValue value, Build(it->value, 1));
    item.insert_or_assign(std::string(json::AsStringView(it->name)), std::move(value));
  }
  return item;
}

void EncodeAttributeValue(const AttributeValue& v, json::Writer& w) {
  w.StartObject();
  json::WriteKey(w, ValueTypeName(v.type()));
  switch (v.type()) {
    case ValueType::kS:
      json::WriteString(w, v.s());
      break;
    case ValueType::kN:
      json::WriteString(w, v.n().ToString());
      break;
    case ValueType::kB:
      json::WriteString(w, Base64Encode(v.b()));
      break;
    case ValueType::kBool:
      w.Bool(v.boolean());
      break;
    case ValueType::kNull:
      w.Bool(true);
      break;
    case ValueType::kSS:
      WriteStringArray(v.ss(), false, w);
      break;
    case ValueType::kNS:
      w.StartArray();
      for (const Number& n : v.ns()) json::WriteString(w, n.ToString());
      w.EndArray();
      break;
    case ValueType::kBS:
      WriteStringArray(v.bs(), true, w);
      break;
    case ValueType::kL:
      w.StartArray();
      for (const AttributeValue& element : v.l()) EncodeAttributeValue(element, w);
      w.EndArray();
      break;
    case ValueType::kM:
      EncodeItem(v.m(), w);
      break;
  }
  w.EndObject();
}

void EncodeItem(const Item& item, json::Writer& w) {
  w.StartObject();
  for (const auto& [name, value] : item) {
    json::WriteKey(w, name);
    EncodeAttributeValue(value, w);
  }
  w.EndObject();
}

std::string ToJson(const AttributeValue& v) {
  json::StringBuffer buffer;
  json::Writer writer(buffer);
  EncodeAttributeValue(v, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string ToJson(const Item& item) {
  json::StringBuffer buffer;
  json::Writer writer(buffer);
  EncodeItem(item, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}



}  // namespace dynemu
