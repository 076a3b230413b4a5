#include "storage/key_codec.h"

#include <cstring>

#include "base/check.h"

namespace dynemu::key_codec {
namespace {

// Second bytes of the meta keyspace.
constexpr char kMetaRecord = 'M';
constexpr char kMetaCatalog = 'C';
constexpr char kMetaStats = 'S';
constexpr char kMetaDropped = 'D';

// Key value type tags: the stable ValueType enumerators (S = 0, N = 1, B = 2). Rows of
// one table and index all share their key types, so the tag never decides an order
// that matters; it keeps values of different types from ever sharing an encoding.
char TypeTag(ValueType type) { return static_cast<char>(type); }

// Number sign classes, in numeric order.
constexpr uint8_t kNegative = 0x01;
constexpr uint8_t kZero = 0x02;
constexpr uint8_t kPositive = 0x03;

// Exponents are biased into two big-endian bytes. DynamoDB's range (-129..126 in
// Number's 0.d1d2... convention) would fit one byte exactly; two leave room and cost
// one byte per key.
constexpr int32_t kExponentBias = 0x8000;

// Ends a number's digits. Digits are stored as the characters '0'..'9' (0x30..0x39),
// so the terminator sorts below every digit: a number whose digits are a prefix of
// another's (0.12 vs 0.123, same exponent) is the smaller magnitude.
constexpr uint8_t kDigitsEnd = 0x00;

// Writes `v` big-endian into the four bytes at `dst`.
void StoreBigEndian32(uint32_t v, char* dst) {
  for (int i = 0; i < 4; i++) dst[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
}

void AppendBigEndian32(uint32_t v, std::string* dst) {
  dst->resize(dst->size() + 4);
  StoreBigEndian32(v, dst->data() + dst->size() - 4);
}

// S and B: every 0x00 becomes 0x00 0xFF and the value ends with 0x00 0x01. Where two
// values first differ, either both bytes are plain (their order is the bytes' order),
// or one side is a 0x00 (escaped or terminating) facing a larger byte, or both are
// 0x00 and the second byte decides: terminator 0x01 < escape 0xFF, so a value sorts
// before its extensions. The terminator pair appears nowhere else, so no encoding is
// a prefix of another.
void AppendBytes(std::string_view bytes, std::string* dst) {
  // Runs without a zero byte are appended whole; each zero is followed by 0xFF.
  while (!bytes.empty()) {
    const void* zero = std::memchr(bytes.data(), '\0', bytes.size());
    const size_t run = zero ? static_cast<size_t>(static_cast<const char*>(zero) - bytes.data())
                            : bytes.size();
    dst->append(bytes.data(), run);
    if (zero == nullptr) break;
    dst->push_back('\0');
    dst->push_back(static_cast<char>(0xFF));
    bytes.remove_prefix(run + 1);
  }
  dst->push_back('\0');
  dst->push_back('\x01');
}

// N: a sign class byte, then for non-zero numbers the biased exponent, the digits and
// the terminator. A larger exponent means a larger magnitude (digits never start with
// 0), and equal exponents compare digit by digit. Negatives invert those bytes, so a
// larger magnitude sorts first. Zero is the class byte alone.
void AppendNumber(const Number& n, std::string* dst) {
  if (n.is_zero()) {
    dst->push_back(static_cast<char>(kZero));
    return;
  }
  dst->push_back(static_cast<char>(n.negative() ? kNegative : kPositive));
  const uint8_t flip = n.negative() ? 0xFF : 0x00;
  uint32_t exponent = static_cast<uint32_t>(n.exponent() + kExponentBias);
  dst->push_back(static_cast<char>(((exponent >> 8) & 0xFF) ^ flip));
  dst->push_back(static_cast<char>((exponent & 0xFF) ^ flip));
  for (char d : n.digits()) dst->push_back(static_cast<char>(static_cast<uint8_t>(d) ^ flip));
  dst->push_back(static_cast<char>(kDigitsEnd ^ flip));
}

std::string DataPrefix(uint32_t table_id, uint8_t index_id) {
  std::string key;
  key.reserve(16);
  key.push_back(kDataPrefix);
  AppendBigEndian32(table_id, &key);
  key.push_back(static_cast<char>(index_id));
  return key;
}

}  // namespace

std::string CatalogKey(std::string_view table_name) {
  std::string key = CatalogPrefix();
  key.append(table_name);
  return key;
}

std::string CatalogPrefix() { return std::string{kMetaPrefix, kMetaCatalog}; }

std::string NextTableIdKey() {
  std::string key{kMetaPrefix, kMetaRecord};
  key.append("next_table_id");
  return key;
}

std::string DroppedTablePrefix() { return std::string{kMetaPrefix, kMetaDropped}; }

std::string DroppedTableKey(uint32_t table_id) {
  std::string key = DroppedTablePrefix();
  AppendBigEndian32(table_id, &key);
  return key;
}

uint32_t DroppedTableId(std::string_view key) {
  DYN_CHECK(key.size() == 6);
  uint32_t id = 0;
  for (size_t i = 2; i < 6; i++) id = (id << 8) | static_cast<uint8_t>(key[i]);
  return id;
}

std::string TablePrefix(uint32_t table_id) {
  std::string key;
  key.push_back(kDataPrefix);
  AppendBigEndian32(table_id, &key);
  return key;
}

std::string TableStatsKey(uint32_t table_id) {
  std::string key{kMetaPrefix, kMetaStats};
  AppendBigEndian32(table_id, &key);
  return key;
}

void AppendKeyValue(const AttributeValue& v, std::string* dst) {
  dst->push_back(TypeTag(v.type()));
  switch (v.type()) {
    case ValueType::kS:
      AppendBytes(v.s(), dst);
      return;
    case ValueType::kB:
      AppendBytes(v.b(), dst);
      return;
    case ValueType::kN:
      AppendNumber(v.n(), dst);
      return;
    default:
      DYN_CHECK(false && "key values are S, N or B");
  }
}

// FNV-1a over the encoding, then murmur3's 32-bit finalizer: FNV alone spreads the
// high bits of short keys poorly, and the high bits choose the Scan segment. Both
// steps are fixed arithmetic, so the hash never changes between builds or machines;
// it must not, since it is part of every stored row key.
namespace {

// The hash of an encoded partition key value (AppendKeyValue's bytes).
uint32_t HashEncoded(std::string_view encoded) {
  uint32_t h = 2166136261u;
  for (unsigned char c : encoded) {
    h ^= c;
    h *= 16777619u;
  }
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

}  // namespace

uint32_t PartitionHash(const AttributeValue& pk) {
  std::string encoded;
  AppendKeyValue(pk, &encoded);
  return HashEncoded(encoded);
}

std::string RowKey(uint32_t table_id, uint8_t index_id, const AttributeValue& pk,
                   const AttributeValue* sk) {
  std::string key = PartitionPrefix(table_id, index_id, pk);
  if (sk != nullptr) AppendKeyValue(*sk, &key);
  return key;
}

std::string IndexStatsKey(uint32_t table_id, uint8_t index_id) {
  std::string key = TableStatsKey(table_id);
  key.push_back(static_cast<char>(index_id));
  return key;
}

std::string IndexRowKey(uint32_t table_id, uint8_t index_id, const AttributeValue& ipk,
                        const AttributeValue* isk, const AttributeValue& tpk,
                        const AttributeValue* tsk) {
  std::string key = RowKey(table_id, index_id, ipk, isk);
  AppendKeyValue(tpk, &key);
  if (tsk != nullptr) AppendKeyValue(*tsk, &key);
  return key;
}

std::string PartitionPrefix(uint32_t table_id, uint8_t index_id, const AttributeValue& pk) {
  std::string key = DataPrefix(table_id, index_id);
  // Room for the hash, the value and a short sort key: one allocation for most keys.
  size_t value_bytes = 24;
  if (pk.type() == ValueType::kS) value_bytes = pk.s().size();
  if (pk.type() == ValueType::kB) value_bytes = pk.b().size();
  key.reserve(key.size() + 4 + value_bytes + 32);
  // The value is encoded once, after room for its hash, and hashed in place.
  const size_t hash_at = key.size();
  AppendBigEndian32(0, &key);
  AppendKeyValue(pk, &key);
  const uint32_t hash = HashEncoded(std::string_view(key).substr(hash_at + 4));
  StoreBigEndian32(hash, key.data() + hash_at);
  return key;
}

std::string IndexPrefix(uint32_t table_id, uint8_t index_id) {
  return DataPrefix(table_id, index_id);
}

// `hash` is 64-bit so that the end of the last segment, 2^32, can be asked for: it is
// the end of the whole index.
std::string HashBoundKey(uint32_t table_id, uint8_t index_id, uint64_t hash) {
  std::string key = DataPrefix(table_id, index_id);
  if (hash > 0xFFFFFFFFull) return PrefixSuccessor(key);
  AppendBigEndian32(static_cast<uint32_t>(hash), &key);
  return key;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string key(prefix);
  while (!key.empty() && static_cast<uint8_t>(key.back()) == 0xFF) key.pop_back();
  DYN_CHECK(!key.empty());
  key.back() = static_cast<char>(static_cast<uint8_t>(key.back()) + 1);
  return key;
}

}  // namespace dynemu::key_codec
