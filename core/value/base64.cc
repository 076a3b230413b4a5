#include "value/base64.h"

#include <cstdint>

namespace dynemu {
namespace {

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The 6-bit value of a base64 character, or -1.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) |
                 (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(kBase64Alphabet[(n >> 6) & 63]);
    out.push_back(kBase64Alphabet[n & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out += "==";
  } else if (rest == 2) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out.push_back(kBase64Alphabet[(n >> 18) & 63]);
    out.push_back(kBase64Alphabet[(n >> 12) & 63]);
    out.push_back(kBase64Alphabet[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

// Canonical means: what Base64Encode would write for the decoded bytes. DynamoDB
// (and dynalite, by decoding leniently and re-encoding) refuses anything else: a bad
// length, characters outside the alphabet, padding in the middle, or pad bits that
// are not zero ("QR==" for "A").
bool Base64Decode(std::string_view text, std::string* out) {
  if (out) out->clear();
  if (text.size() % 4 != 0) return false;
  if (out) out->reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pads = 0;
    if (last && text[i + 3] == '=') pads = text[i + 2] == '=' ? 2 : 1;
    int v[4] = {0, 0, 0, 0};
    for (int k = 0; k < 4 - pads; k++) {
      v[k] = Base64Value(text[i + k]);
      if (v[k] < 0) return false;
    }
    if (pads == 2 && (v[1] & 0x0F) != 0) return false;
    if (pads == 1 && (v[2] & 0x03) != 0) return false;
    uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                 (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    if (out == nullptr) continue;
    out->push_back(static_cast<char>((n >> 16) & 0xFF));
    if (pads < 2) out->push_back(static_cast<char>((n >> 8) & 0xFF));
    if (pads < 1) out->push_back(static_cast<char>(n & 0xFF));
  }
  return true;
}

bool IsCanonicalBase64(std::string_view text) { return Base64Decode(text, nullptr); }

}  // namespace dynemu
