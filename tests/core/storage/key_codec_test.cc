#include "storage/key_codec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace dynemu::key_codec {
namespace {

std::string Enc(const AttributeValue& v) {
  std::string out;
  AppendKeyValue(v, &out);
  return out;
}

Number N(std::string_view text) { return *Number::Parse(text); }

int Sign(int v) { return v < 0 ? -1 : (v > 0 ? 1 : 0); }

int MemcmpOrder(const std::string& a, const std::string& b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return Sign(c);
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool IsPrefix(const std::string& a, const std::string& b) {
  return a.size() < b.size() && b.compare(0, a.size(), a) == 0;
}

// The reference order for numbers, independent of Number::Compare: compares the plain
// decimal texts ("-12.5") by sign, then integer part, then fraction.
int DecimalTextOrder(const std::string& x, const std::string& y) {
  auto split = [](const std::string& t, bool* neg, std::string* ip, std::string* fp) {
    size_t pos = 0;
    *neg = !t.empty() && t[0] == '-';
    if (*neg) pos = 1;
    size_t dot = t.find('.', pos);
    *ip = t.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    *fp = dot == std::string::npos ? "" : t.substr(dot + 1);
    if (*ip == "0" && fp->empty()) *neg = false;
  };
  bool nx, ny;
  std::string ix, fx, iy, fy;
  split(x, &nx, &ix, &fx);
  split(y, &ny, &iy, &fy);
  auto is_zero = [](const std::string& ip, const std::string& fp) {
    return ip == "0" && fp.empty();
  };
  int sx = is_zero(ix, fx) ? 0 : (nx ? -1 : 1);
  int sy = is_zero(iy, fy) ? 0 : (ny ? -1 : 1);
  if (sx != sy) return sx < sy ? -1 : 1;
  if (sx == 0) return 0;
  int magnitude;
  if (ix.size() != iy.size()) {
    magnitude = ix.size() < iy.size() ? -1 : 1;
  } else if (ix != iy) {
    magnitude = ix < iy ? -1 : 1;
  } else {
    size_t n = std::max(fx.size(), fy.size());
    fx.resize(n, '0');
    fy.resize(n, '0');
    magnitude = fx == fy ? 0 : (fx < fy ? -1 : 1);
  }
  return sx * magnitude;
}

// The reference order for strings and binaries: unsigned bytes.
int ByteOrder(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; i++) {
    unsigned char x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

Number RandomNumber(std::mt19937_64& rng) {
  if (rng() % 50 == 0) return Number();
  int digits = 1 + static_cast<int>(rng() % 38);
  // Small exponents often, so that numbers collide and share prefixes; the full range
  // sometimes.
  int exponent =
      rng() % 3 == 0 ? -129 + static_cast<int>(rng() % 256) : -3 + static_cast<int>(rng() % 8);
  std::string d(static_cast<size_t>(digits), '0');
  for (char& c : d) c = static_cast<char>('0' + rng() % (rng() % 2 ? 10 : 3));
  d.front() = static_cast<char>('1' + rng() % 9);
  d.back() = static_cast<char>('1' + rng() % 9);
  std::string text = std::string(rng() % 2 ? "-" : "") + "0." + d + "e" + std::to_string(exponent);
  Result<Number> n = Number::Parse(text);
  EXPECT_TRUE(n.ok()) << text << ": " << n.status().ToString();
  return n.ok() ? *n : Number();
}

std::string RandomBytes(std::mt19937_64& rng) {
  static const unsigned char kAlphabet[] = {0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF, 'a', 'b'};
  size_t len = rng() % 8;
  std::string s;
  for (size_t i = 0; i < len; i++) {
    s.push_back(static_cast<char>(rng() % 4 == 0 ? static_cast<unsigned char>(rng())
                                                 : kAlphabet[rng() % sizeof(kAlphabet)]));
  }
  return s;
}

struct Sample {
  AttributeValue value;
  std::string reference;  // text fed to the reference order
  std::string encoding;
};

// Checks that memcmp order on encodings is the reference order, and that no encoding
// is a prefix of another.
void CheckOrder(std::vector<Sample> samples,
                int (*reference)(const std::string&, const std::string&), std::mt19937_64& rng) {
  std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) {
    return MemcmpOrder(a.encoding, b.encoding) < 0;
  });
  for (size_t i = 0; i + 1 < samples.size(); i++) {
    const Sample& a = samples[i];
    const Sample& b = samples[i + 1];
    int enc = MemcmpOrder(a.encoding, b.encoding);
    ASSERT_EQ(enc, reference(a.reference, b.reference))
        << "\"" << a.reference << "\" vs \"" << b.reference << "\"";
    // In sorted order a prefix is followed by its extensions, so checking neighbours
    // finds every prefix pair.
    ASSERT_FALSE(IsPrefix(a.encoding, b.encoding))
        << "\"" << a.reference << "\" is a prefix of \"" << b.reference << "\"";
  }
  for (int i = 0; i < 200000; i++) {
    const Sample& a = samples[rng() % samples.size()];
    const Sample& b = samples[rng() % samples.size()];
    ASSERT_EQ(MemcmpOrder(a.encoding, b.encoding), reference(a.reference, b.reference))
        << "\"" << a.reference << "\" vs \"" << b.reference << "\"";
  }
}

TEST(KeyCodecTest, NumberOrderProperty) {
  std::mt19937_64 rng(20240601);
  std::vector<Sample> samples;
  for (const char* fixed : {"0",      "1",       "-1",
                            "1e125",  "-1e125",  "9.9999999999999999999999999999999999999e125",
                            "1e-130", "-1e-130", "0.1",
                            "0.12",   "0.123",   "-0.12",
                            "-0.123", "10",      "100",
                            "99",     "101",     "-99",
                            "-100",   "-101"}) {
    Number n = N(fixed);
    samples.push_back({AttributeValue::N(n), n.ToString(), Enc(AttributeValue::N(n))});
  }
  for (int i = 0; i < 5000; i++) {
    Number n = RandomNumber(rng);
    samples.push_back({AttributeValue::N(n), n.ToString(), Enc(AttributeValue::N(n))});
    // Neighbours that share digits: one more digit, and ten times the value.
    if (!n.is_zero()) {
      for (std::optional<Number> near :
           {Number::FromParts(n.negative(), n.digits() + "5", n.exponent()),
            Number::FromParts(n.negative(), n.digits(), n.exponent() + 1)}) {
        if (near) {
          samples.push_back(
              {AttributeValue::N(*near), near->ToString(), Enc(AttributeValue::N(*near))});
        }
      }
    }
  }
  CheckOrder(std::move(samples), DecimalTextOrder, rng);
}

TEST(KeyCodecTest, StringAndBinaryOrderProperty) {
  std::mt19937_64 rng(77);
  for (ValueType type : {ValueType::kS, ValueType::kB}) {
    std::vector<Sample> samples;
    auto add = [&](const std::string& s) {
      AttributeValue v = type == ValueType::kS ? AttributeValue::S(s) : AttributeValue::B(s);
      samples.push_back({v, s, Enc(v)});
    };
    for (int i = 0; i < 3000; i++) {
      std::string s = RandomBytes(rng);
      add(s);
      // Prefixes and extensions of each other, with the bytes the escaping treats
      // specially.
      if (!s.empty()) add(s.substr(0, rng() % s.size()));
      add(s + std::string(1, '\0'));
      add(s + std::string("\x00\x00", 2));
      add(s + "\x01");
      add(s + "\xff");
      add(s + std::string("\x00\xff", 2));
    }
    CheckOrder(std::move(samples), ByteOrder, rng);
  }
}

TEST(KeyCodecTest, EqualNumbersEncodeEqually) {
  EXPECT_EQ(Enc(AttributeValue::N(N("1000"))), Enc(AttributeValue::N(N("1e3"))));
  EXPECT_EQ(Enc(AttributeValue::N(N("-0"))), Enc(AttributeValue::N(N("0.000"))));
  EXPECT_NE(Enc(AttributeValue::N(N("1"))), Enc(AttributeValue::N(N("-1"))));
}

TEST(KeyCodecTest, TypesNeverShareAnEncoding) {
  EXPECT_NE(Enc(AttributeValue::S("a")), Enc(AttributeValue::B("a")));
  EXPECT_NE(Enc(AttributeValue::S("")), Enc(AttributeValue::B("")));
}

TEST(KeyCodecTest, StringEscaping) {
  EXPECT_EQ(Enc(AttributeValue::S("")).substr(1), std::string("\x00\x01", 2));
  EXPECT_EQ(Enc(AttributeValue::S(std::string("a\0b", 3))).substr(1), std::string("a\x00\xff"
                                                                                  "b\x00\x01",
                                                                                  6));
  // Zeros at either end and side by side.
  EXPECT_EQ(Enc(AttributeValue::B(std::string("\0\0x\0", 4))).substr(1),
            std::string("\x00\xff\x00\xffx\x00\xff\x00\x01", 9));
}

TEST(KeyCodecTest, PartitionHashIsStable) {
  // Frozen values: every stored row key contains this hash, so it may never change.
  // Computed independently from the documented algorithm (FNV-1a over the key
  // encoding, then murmur3's fmix32).
  EXPECT_EQ(PartitionHash(AttributeValue::S("")), 3843782761u);
  EXPECT_EQ(PartitionHash(AttributeValue::S("user")), 2849575528u);
  EXPECT_EQ(PartitionHash(AttributeValue::N(N("1.0"))), 1325539485u);
  EXPECT_EQ(PartitionHash(AttributeValue::B("\xff")), 756481700u);
}

TEST(KeyCodecTest, PartitionHashSpreads) {
  // Sequential keys land evenly over 16 segments.
  std::vector<int> buckets(16, 0);
  for (int i = 0; i < 16000; i++) {
    buckets[PartitionHash(AttributeValue::S("user#" + std::to_string(i))) >> 28]++;
  }
  for (int count : buckets) {
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1200);
  }
}

TEST(KeyCodecTest, RowKeyLayout) {
  AttributeValue pk = AttributeValue::S("user");
  AttributeValue sk1 = AttributeValue::N(N("-5"));
  AttributeValue sk2 = AttributeValue::N(N("3"));
  std::string index = IndexPrefix(7, 2);
  EXPECT_EQ(index, std::string("\x02\x00\x00\x00\x07\x02", 6));
  std::string partition = PartitionPrefix(7, 2, pk);
  uint32_t h = PartitionHash(pk);
  std::string hash_bytes = {static_cast<char>(h >> 24), static_cast<char>(h >> 16),
                            static_cast<char>(h >> 8), static_cast<char>(h)};
  EXPECT_EQ(partition, index + hash_bytes + Enc(pk));
  std::string k1 = RowKey(7, 2, pk, &sk1);
  std::string k2 = RowKey(7, 2, pk, &sk2);
  EXPECT_EQ(k1, partition + Enc(sk1));
  EXPECT_EQ(RowKey(7, 2, pk, nullptr), partition);
  EXPECT_LT(k1, k2);
  EXPECT_LT(k2, PrefixSuccessor(partition));
  // The row sits inside its hash range.
  EXPECT_LE(HashBoundKey(7, 2, h), k1);
  EXPECT_LT(k2, HashBoundKey(7, 2, uint64_t{h} + 1));
  // Tables and indexes do not interleave.
  EXPECT_LT(PrefixSuccessor(IndexPrefix(7, 1)), index + std::string(1, '\0'));
  EXPECT_LT(k2, IndexPrefix(7, 3));
  EXPECT_LT(k2, IndexPrefix(8, 0));
  EXPECT_EQ(HashBoundKey(7, 2, uint64_t{1} << 32), PrefixSuccessor(index));
  EXPECT_EQ(HashBoundKey(7, 2, 0), index + std::string(4, '\0'));
}

TEST(KeyCodecTest, MetaKeys) {
  EXPECT_EQ(CatalogKey("tbl").rfind(CatalogPrefix(), 0), 0u);
  EXPECT_LT(CatalogKey("a"), CatalogKey("b"));
  EXPECT_LT(CatalogKey("ab"), PrefixSuccessor(CatalogPrefix()));
  EXPECT_NE(CatalogKey("x").rfind(NextTableIdKey(), 0), 0u);
  EXPECT_EQ(TableStatsKey(258), std::string("\x01S\x00\x00\x01\x02", 6));
  EXPECT_EQ(NextTableIdKey()[0], kMetaPrefix);
  // Every meta key sorts before every data key.
  EXPECT_LT(CatalogKey("\xff\xff"), IndexPrefix(0, 0));
  EXPECT_LT(TableStatsKey(0xFFFFFFFF), IndexPrefix(0, 0));
}

TEST(KeyCodecTest, PrefixSuccessor) {
  EXPECT_EQ(PrefixSuccessor("a"), "b");
  EXPECT_EQ(PrefixSuccessor("a\xff\xff"), "b");
  EXPECT_EQ(PrefixSuccessor(std::string("a\x00", 2)), std::string("a\x01", 2));
  EXPECT_EQ(PrefixSuccessor("\x01\xfe\xff"), "\x01\xff");
}

}  // namespace
}  // namespace dynemu::key_codec
