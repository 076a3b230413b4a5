#include "storage/item_codec.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "value/base64.h"

namespace dynemu::item_codec {
namespace {

// Layout, version 1:
//
//   item   := 0x01 varint(count) { name value }*count
//   name   := varint(length) bytes
//   value  := type:1 payload            type is the ValueType enumerator
//     S, B   varint(length) bytes
//     N      number
//     BOOL   0x00 | 0x01
//     NULL   (nothing)
//     SS, BS varint(count) { varint(length) bytes }*count
//     NS     varint(count) number*count
//     L      varint(count) value*count
//     M      varint(count) { name value }*count
//   number := varint(digit_count << 1 | negative)
//             [ zigzag-varint(exponent)  ceil(digit_count / 2) bytes ]   when digit_count > 0
//
// Digits are packed two per byte, high nibble first, with a zero low nibble after an
// odd last digit: a 38-digit number takes 22 bytes instead of 40 as text. varints are
// LEB128 (7 bits per byte, low first). Sets and maps are written in the order the
// AttributeValue holds them (sorted), so equal items encode to equal bytes; a
// reader refuses members or names out of that order (or repeated).
constexpr uint8_t kVersion1 = 0x01;

// Items we store are at most 32 levels deep (the value codec refuses more); the decoder
// accepts a little more but must bound its recursion whatever the bytes say.
constexpr int kMaxDecodeDepth = 64;

void PutVarint(uint64_t v, std::string* dst) {
  while (v >= 0x80) {
    dst->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  dst->push_back(static_cast<char>(v));
}

void PutBytes(std::string_view bytes, std::string* dst) {
  PutVarint(bytes.size(), dst);
  dst->append(bytes);
}

void PutNumber(const Number& n, std::string* dst) {
  const std::string& digits = n.digits();
  PutVarint((static_cast<uint64_t>(digits.size()) << 1) | (n.negative() ? 1 : 0), dst);
  if (digits.empty()) return;
  int64_t e = n.exponent();
  PutVarint(static_cast<uint64_t>((e << 1) ^ (e >> 63)), dst);  // zigzag
  for (size_t i = 0; i < digits.size(); i += 2) {
    uint8_t high = static_cast<uint8_t>(digits[i] - '0');
    uint8_t low = i + 1 < digits.size() ? static_cast<uint8_t>(digits[i + 1] - '0') : 0;
    dst->push_back(static_cast<char>((high << 4) | low));
  }
}

void PutValue(const AttributeValue& v, std::string* dst);

void PutMap(const Map& map, std::string* dst) {
  PutVarint(map.size(), dst);
  for (const auto& [name, value] : map) {
    PutBytes(name, dst);
    PutValue(value, dst);
  }
}

void PutValue(const AttributeValue& v, std::string* dst) {
  dst->push_back(static_cast<char>(v.type()));
  switch (v.type()) {
    case ValueType::kS:
      PutBytes(v.s(), dst);
      break;
    case ValueType::kB:
      PutBytes(v.b(), dst);
      break;
    case ValueType::kN:
      PutNumber(v.n(), dst);
      break;
    case ValueType::kBool:
      dst->push_back(v.boolean() ? 1 : 0);
      break;
    case ValueType::kNull:
      break;
    case ValueType::kSS:
      PutVarint(v.ss().size(), dst);
      for (const std::string& s : v.ss()) PutBytes(s, dst);
      break;
    case ValueType::kNS:
      PutVarint(v.ns().size(), dst);
      for (const Number& n : v.ns()) PutNumber(n, dst);
      break;
    case ValueType::kBS:
      PutVarint(v.bs().size(), dst);
      for (const std::string& b : v.bs()) PutBytes(b, dst);
      break;
    case ValueType::kL:
      PutVarint(v.l().size(), dst);
      for (const AttributeValue& element : v.l()) PutValue(element, dst);
      break;
    case ValueType::kM:
      PutMap(v.m(), dst);
      break;
  }
}

Status Corrupt(std::string_view what) {
  return InternalError("Internal server error (corrupt stored item: " + std::string(what) + ")");
}

// What ItemSizeOf writes to, and what skips a value a projection leaves out:
// nothing.
struct NullSink {
  void StartObject() {}
  void EndObject() {}
  void StartArray() {}
  void EndArray() {}
  void Bool(bool) {}
};

// The attributes an item is projected on (WriteJson's `only`): names sorted
// as the stored names are, and the projected item's size counted here.
struct TopLevelProjection {
  const std::vector<std::string_view>* names;
  size_t* projected_size;
};

// Reads the layout above. Every read checks the bytes left first, so no input can
// make it read out of bounds; counts are checked against the bytes left before any
// memory is reserved, so no input can make it allocate more than its own size.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool done() const { return pos_ == in_.size(); }
  size_t left() const { return in_.size() - pos_; }

  std::optional<uint8_t> Byte() {
    if (pos_ >= in_.size()) return std::nullopt;
    return static_cast<uint8_t>(in_[pos_++]);
  }

  std::optional<uint64_t> Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::optional<uint8_t> b = Byte();
      if (!b) return std::nullopt;
      // The tenth byte may only carry the top bit of a 64-bit value.
      if (shift == 63 && *b > 1) return std::nullopt;
      v |= static_cast<uint64_t>(*b & 0x7F) << shift;
      if ((*b & 0x80) == 0) return v;
    }
    return std::nullopt;
  }

  std::optional<std::string_view> Bytes() {
    std::optional<uint64_t> n = Varint();
    if (!n || *n > left()) return std::nullopt;
    std::string_view out = in_.substr(pos_, static_cast<size_t>(*n));
    pos_ += static_cast<size_t>(*n);
    return out;
  }

  // The next bytes of a sequence that must strictly increase (set members, map
  // names, as Encode writes them): `i` is their position, *previous the bytes
  // before them. `what` names them in the errors.
  Result<std::string_view> OrderedBytes(size_t i, std::string_view* previous,
                                        std::string_view what) {
    std::optional<std::string_view> bytes = Bytes();
    if (!bytes) return Corrupt("truncated " + std::string(what));
    if (i > 0 && *bytes <= *previous) {
      return Corrupt(std::string(what) + " out of order or repeated");
    }
    *previous = *bytes;
    return *bytes;
  }

  // A count of elements that each take at least `min_bytes` bytes.
  std::optional<size_t> Count(size_t min_bytes) {
    std::optional<uint64_t> n = Varint();
    if (!n || *n > left() / min_bytes) return std::nullopt;
    return static_cast<size_t>(*n);
  }

  Result<Number> ReadNumber() {
    std::optional<uint64_t> header = Varint();
    if (!header) return Corrupt("truncated number");
    bool negative = (*header & 1) != 0;
    uint64_t digit_count = *header >> 1;
    if (digit_count == 0) {
      if (negative) return Corrupt("negative zero");
      return Number();
    }
    if (digit_count > 38) return Corrupt("number too long");
    std::optional<uint64_t> zigzag = Varint();
    if (!zigzag) return Corrupt("truncated number");
    int64_t exponent = static_cast<int64_t>(*zigzag >> 1) ^ -static_cast<int64_t>(*zigzag & 1);
    if (exponent < INT32_MIN || exponent > INT32_MAX) return Corrupt("bad exponent");
    size_t packed = static_cast<size_t>((digit_count + 1) / 2);
    if (packed > left()) return Corrupt("truncated number");
    std::string digits;
    digits.reserve(static_cast<size_t>(digit_count));
    for (size_t i = 0; i < packed; i++) {
      uint8_t b = static_cast<uint8_t>(in_[pos_++]);
      uint8_t high = b >> 4, low = b & 0x0F;
      if (high > 9 || low > 9) return Corrupt("bad digit");
      digits.push_back(static_cast<char>('0' + high));
      if (digits.size() < digit_count) {
        digits.push_back(static_cast<char>('0' + low));
      } else if (low != 0) {
        return Corrupt("bad digit padding");
      }
    }
    std::optional<Number> n =
        Number::FromParts(negative, std::move(digits), static_cast<int32_t>(exponent));
    if (!n) return Corrupt("number out of range");
    return std::move(*n);
  }

  Result<std::vector<std::string>> ReadByteMembers() {
    std::optional<size_t> count = Count(1);
    if (!count) return Corrupt("bad set size");
    std::vector<std::string> members;
    members.reserve(*count);
    std::string_view previous;
    for (size_t i = 0; i < *count; i++) {
      DYN_ASSIGN_OR_RETURN(std::string_view bytes, OrderedBytes(i, &previous, "set member"));
      members.emplace_back(bytes);
    }
    return members;
  }

  Result<Map> ReadMap(int depth) {
    // An entry takes at least two bytes: an empty name and a NULL value's type.
    std::optional<size_t> count = Count(2);
    if (!count) return Corrupt("bad map size");
    Map map;
    std::string_view previous;
    for (size_t i = 0; i < *count; i++) {
      DYN_ASSIGN_OR_RETURN(std::string_view name, OrderedBytes(i, &previous, "name"));
      DYN_ASSIGN_OR_RETURN(AttributeValue value, ReadValue(depth));
      map.emplace_hint(map.end(), std::string(name), std::move(value));
    }
    return map;
  }

  Result<AttributeValue> ReadValue(int depth) {
    if (depth > kMaxDecodeDepth) return Corrupt("nested too deep");
    std::optional<uint8_t> type = Byte();
    if (!type) return Corrupt("truncated value");
    switch (static_cast<ValueType>(*type)) {
      case ValueType::kS:
      case ValueType::kB: {
        std::optional<std::string_view> bytes = Bytes();
        if (!bytes) return Corrupt("truncated string");
        return static_cast<ValueType>(*type) == ValueType::kS
                   ? AttributeValue::S(std::string(*bytes))
                   : AttributeValue::B(std::string(*bytes));
      }
      case ValueType::kN: {
        DYN_ASSIGN_OR_RETURN(Number n, ReadNumber());
        return AttributeValue::N(std::move(n));
      }
      case ValueType::kBool: {
        std::optional<uint8_t> b = Byte();
        if (!b || *b > 1) return Corrupt("bad boolean");
        return AttributeValue::Bool(*b == 1);
      }
      case ValueType::kNull:
        return AttributeValue::Null();
      case ValueType::kSS:
      case ValueType::kBS: {
        DYN_ASSIGN_OR_RETURN(std::vector<std::string> members, ReadByteMembers());
        if (members.empty()) return Corrupt("empty set");
        return static_cast<ValueType>(*type) == ValueType::kSS
                   ? AttributeValue::SS(std::move(members))
                   : AttributeValue::BS(std::move(members));
      }
      case ValueType::kNS: {
        std::optional<size_t> count = Count(1);
        if (!count || *count == 0) return Corrupt("bad set size");
        std::vector<Number> members;
        members.reserve(*count);
        for (size_t i = 0; i < *count; i++) {
          DYN_ASSIGN_OR_RETURN(Number n, ReadNumber());
          if (i > 0 && !(members.back() < n)) return Corrupt("set out of order");
          members.push_back(std::move(n));
        }
        return AttributeValue::NS(std::move(members));
      }
      case ValueType::kL: {
        std::optional<size_t> count = Count(1);
        if (!count) return Corrupt("bad list size");
        List list;
        list.reserve(*count);
        for (size_t i = 0; i < *count; i++) {
          Result<AttributeValue> element = ReadValue(depth + 1);
          if (!element.ok()) return std::move(element).take_status();
          list.push_back(std::move(element).value());
        }
        return AttributeValue::L(std::move(list));
      }
      case ValueType::kM: {
        DYN_ASSIGN_OR_RETURN(Map map, ReadMap(depth + 1));
        return AttributeValue::M(std::move(map));
      }
    }
    return Corrupt("unknown type");
  }

  // S as it is, B in base64.
  static void WriteBytes(ValueType t, std::string_view bytes, json::Writer& w) {
    if (t == ValueType::kS) {
      json::WriteString(w, bytes);
    } else {
      json::WriteString(w, Base64Encode(bytes));
    }
  }

  // WriteJson's and ItemSizeOf's half of the reader: each value as
  // EncodeAttributeValue writes it (to a json::Writer; a NullSink writes
  // nothing), each size as AttributeValueSize counts it, without building the
  // value. The checks are ReadValue's.
  // With a `projection` (the item's own map only), the attributes it does
  // not name are read (checked and counted in *size) but not written.
  template <typename Sink>
  Status WriteMapJson(int depth, bool nested, Sink& w, size_t* size,
                      const TopLevelProjection* projection = nullptr) {
    constexpr bool kWrites = std::is_same_v<Sink, json::Writer>;
    std::optional<size_t> count = Count(2);
    if (!count) return Corrupt("bad map size");
    w.StartObject();
    std::string_view previous;
    size_t next_kept = 0;  // into projection->names, which are in stored order
    for (size_t i = 0; i < *count; i++) {
      DYN_ASSIGN_OR_RETURN(std::string_view name, OrderedBytes(i, &previous, "name"));
      const size_t before = *size;
      *size += (nested ? 1 : 0) + name.size();
      if (projection != nullptr) {
        const std::vector<std::string_view>& names = *projection->names;
        while (next_kept < names.size() && names[next_kept] < name) next_kept++;
        if (next_kept == names.size() || names[next_kept] != name) {
          NullSink skip;
          DYN_RETURN_IF_ERROR(WriteValueJson(depth, skip, size));
          continue;
        }
      }
      if constexpr (kWrites) json::WriteKey(w, name);
      DYN_RETURN_IF_ERROR(WriteValueJson(depth, w, size));
      if (projection != nullptr) *projection->projected_size += *size - before;
    }
    w.EndObject();
    return Status::OK();
  }

  template <typename Sink>
  Status WriteValueJson(int depth, Sink& w, size_t* size) {
    constexpr bool kWrites = std::is_same_v<Sink, json::Writer>;
    if (depth > kMaxDecodeDepth) return Corrupt("nested too deep");
    std::optional<uint8_t> type = Byte();
    if (!type) return Corrupt("truncated value");
    const ValueType t = static_cast<ValueType>(*type);
    w.StartObject();
    if constexpr (kWrites) json::WriteKey(w, ValueTypeName(t));
    switch (t) {
      case ValueType::kS:
      case ValueType::kB: {
        std::optional<std::string_view> bytes = Bytes();
        if (!bytes) return Corrupt("truncated string");
        if constexpr (kWrites) WriteBytes(t, *bytes, w);
        *size += bytes->size();
        break;
      }
      case ValueType::kN: {
        DYN_ASSIGN_OR_RETURN(Number n, ReadNumber());
        if constexpr (kWrites) json::WriteString(w, n.ToString());
        *size += n.ByteSize();
        break;
      }
      case ValueType::kBool: {
        std::optional<uint8_t> b = Byte();
        if (!b || *b > 1) return Corrupt("bad boolean");
        w.Bool(*b == 1);
        *size += 1;
        break;
      }
      case ValueType::kNull:
        w.Bool(true);
        *size += 1;
        break;
      case ValueType::kSS:
      case ValueType::kBS: {
        std::optional<size_t> count = Count(1);
        if (!count || *count == 0) return Corrupt("empty set");
        w.StartArray();
        std::string_view previous;
        for (size_t i = 0; i < *count; i++) {
          DYN_ASSIGN_OR_RETURN(std::string_view bytes, OrderedBytes(i, &previous, "set member"));
          if constexpr (kWrites) {
            WriteBytes(t == ValueType::kSS ? ValueType::kS : ValueType::kB, bytes, w);
          }
          *size += bytes.size();
        }
        w.EndArray();
        break;
      }
      case ValueType::kNS: {
        std::optional<size_t> count = Count(1);
        if (!count || *count == 0) return Corrupt("bad set size");
        w.StartArray();
        std::optional<Number> previous;
        for (size_t i = 0; i < *count; i++) {
          DYN_ASSIGN_OR_RETURN(Number n, ReadNumber());
          if (previous && !(*previous < n)) return Corrupt("set out of order");
          if constexpr (kWrites) json::WriteString(w, n.ToString());
          *size += n.ByteSize();
          previous = std::move(n);
        }
        w.EndArray();
        break;
      }
      case ValueType::kL: {
        std::optional<size_t> count = Count(1);
        if (!count) return Corrupt("bad list size");
        w.StartArray();
        *size += 3;
        for (size_t i = 0; i < *count; i++) {
          *size += 1;
          DYN_RETURN_IF_ERROR(WriteValueJson(depth + 1, w, size));
        }
        w.EndArray();
        break;
      }
      case ValueType::kM:
        *size += 3;
        DYN_RETURN_IF_ERROR(WriteMapJson(depth + 1, true, w, size));
        break;
      default:
        return Corrupt("unknown type");
    }
    w.EndObject();
    return Status::OK();
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

void Encode(const Item& item, std::string* dst) {
  dst->push_back(static_cast<char>(kVersion1));
  PutMap(item, dst);
}

Result<Item> Decode(std::string_view bytes) {
  Reader reader(bytes);
  std::optional<uint8_t> version = reader.Byte();
  if (!version) return Corrupt("empty");
  if (*version != kVersion1) return Corrupt("unknown version " + std::to_string(*version));
  DYN_ASSIGN_OR_RETURN(Item item, reader.ReadMap(1));
  if (!reader.done()) return Corrupt("trailing bytes");
  return item;
}

namespace {


template <typename Sink>
Result<size_t> Walk(std::string_view bytes, Sink& sink,
                    const TopLevelProjection* projection = nullptr) {
  Reader reader(bytes);
  std::optional<uint8_t> version = reader.Byte();
  if (!version) return Corrupt("empty");
  if (*version != kVersion1) return Corrupt("unknown version " + std::to_string(*version));
  size_t size = 0;
  DYN_RETURN_IF_ERROR(reader.WriteMapJson(1, false, sink, &size, projection));
  if (!reader.done()) return Corrupt("trailing bytes");
  return size;
}

}  // namespace

Result<size_t> WriteJson(std::string_view bytes, json::Writer& out,
                         const std::vector<std::string_view>* only, size_t* projected_size) {
  size_t projected = 0;
  const TopLevelProjection projection{only, &projected};
  Result<size_t> size = Walk(bytes, out, only != nullptr ? &projection : nullptr);
  if (size.ok() && projected_size != nullptr) *projected_size = only != nullptr ? projected : *size;
  return size;
}

Result<size_t> ItemSizeOf(std::string_view bytes) {
  NullSink sink;
  return Walk(bytes, sink);
}

}  // namespace dynemu::item_codec
