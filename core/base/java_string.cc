#include "base/java_string.h"

#include <algorithm>
#include <utility>

namespace dynemu {

size_t Utf16Length(std::string_view s) {
  size_t units = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;  // a lead byte; 4-byte forms pair up
  }
  return units;
}

int32_t JavaStringHash(std::string_view s) {
  uint32_t h = 0;
  auto add = [&h](uint32_t unit) { h = 31 * h + unit; };
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c >> 5) == 0x6 && i + 1 < s.size()) {
      cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3Fu);
      len = 2;
    } else if ((c >> 4) == 0xE && i + 2 < s.size()) {
      cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      len = 3;
    } else if ((c >> 3) == 0x1E && i + 3 < s.size()) {
      cp = ((c & 0x07u) << 18) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 12) |
           ((static_cast<unsigned char>(s[i + 2]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(s[i + 3]) & 0x3Fu);
      len = 4;
    } else {
      cp = 0xFFFD;  // what Java decodes a malformed byte to
      len = 1;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      add(0xD800 + (cp >> 10));
      add(0xDC00 + (cp & 0x3FF));
    } else {
      add(cp);
    }
    i += len;
  }
  return static_cast<int32_t>(h);
}

std::vector<size_t> JavaHashOrder(const std::vector<std::string_view>& keys) {
  // HashMap starts with 16 buckets and doubles whenever it holds more than 3/4
  // of its bucket count; a resize keeps the relative order within a bucket, so
  // the final order is by bucket, then by insertion.
  uint64_t buckets = 16;
  while (keys.size() > buckets * 3 / 4) buckets *= 2;
  std::vector<std::pair<uint64_t, size_t>> slots;
  slots.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); i++) {
    uint32_t h = static_cast<uint32_t>(JavaStringHash(keys[i]));
    uint32_t spread = h ^ (h >> 16);
    slots.emplace_back(spread & (buckets - 1), i);
  }
  // By bucket, then by position: the pairs' own order.
  std::sort(slots.begin(), slots.end());
  std::vector<size_t> order;
  order.reserve(keys.size());
  for (const auto& slot : slots) order.push_back(slot.second);
  return order;
}

std::vector<size_t> JavaHashOrder(const std::vector<std::string>& keys) {
  return JavaHashOrder(std::vector<std::string_view>(keys.begin(), keys.end()));
}

}  // namespace dynemu
