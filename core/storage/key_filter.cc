#include "storage/key_filter.h"

#include <algorithm>
#include <functional>

#include "base/env.h"

namespace dynemu {
namespace {

// A split-block Bloom filter: a key sets one bit in each of the eight 64-bit
// words of one 512-bit block, so a look-up touches one cache line. With 16 bits
// per key, about 1 in 1,000 absent keys is taken for present.
constexpr size_t kWordsPerBlock = 8;
constexpr size_t kBitsPerKey = 16;

uint64_t Mix(uint64_t x) { return SplitMix64(&x); }

// A key's hash, which picks its block in each filter, and the bits it sets
// there: six bits per word name the bit in that word.
struct Probe {
  explicit Probe(std::string_view key) : hash(std::hash<std::string_view>()(key)), bits(Mix(hash)) {}
  size_t BlockIn(size_t blocks) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(hash) * blocks) >> 64);
  }
  uint64_t hash;
  uint64_t bits;
};

}  // namespace

struct KeyFilter::Level {
  explicit Level(size_t cap)
      : capacity(cap),
        blocks(std::max<size_t>(1, cap * kBitsPerKey / (64 * kWordsPerBlock))),
        words(new std::atomic<uint64_t>[blocks * kWordsPerBlock]()) {}

  void Add(const Probe& p) {
    std::atomic<uint64_t>* block = &words[p.BlockIn(blocks) * kWordsPerBlock];
    for (size_t i = 0; i < kWordsPerBlock; ++i) {
      const uint64_t bit = uint64_t{1} << ((p.bits >> (6 * i)) & 63);
      // A key written again finds its bits set: no read-modify-write then.
      if ((block[i].load(std::memory_order_acquire) & bit) == 0) {
        block[i].fetch_or(bit, std::memory_order_release);
      }
    }
  }

  bool MayContain(const Probe& p) const {
    const std::atomic<uint64_t>* block = &words[p.BlockIn(blocks) * kWordsPerBlock];
    for (size_t i = 0; i < kWordsPerBlock; ++i) {
      const uint64_t bit = uint64_t{1} << ((p.bits >> (6 * i)) & 63);
      if ((block[i].load(std::memory_order_acquire) & bit) == 0) return false;
    }
    return true;
  }

  const size_t capacity;
  const size_t blocks;
  std::atomic<size_t> added{0};
  std::unique_ptr<std::atomic<uint64_t>[]> words;
};

KeyFilter::KeyFilter(size_t first_capacity) {
  levels_[0].store(new Level(std::max<size_t>(first_capacity, 64)), std::memory_order_release);
  level_count_.store(1, std::memory_order_release);
}

KeyFilter::~KeyFilter() {
  for (auto& level : levels_) delete level.load(std::memory_order_acquire);
}

KeyFilter::Level* KeyFilter::Newest() {
  while (true) {
    const size_t count = level_count_.load(std::memory_order_acquire);
    Level* newest = levels_[count - 1].load(std::memory_order_acquire);
    if (newest->added.fetch_add(1, std::memory_order_relaxed) < newest->capacity ||
        count == kMaxLevels) {
      return newest;
    }
    // Full: the next filter, twice as large. A key added to a full one is
    // still found there; it only makes that filter a little less sharp.
    std::lock_guard<std::mutex> lock(grow_mu_);
    if (level_count_.load(std::memory_order_acquire) == count) {
      levels_[count].store(new Level(newest->capacity * 2), std::memory_order_release);
      level_count_.store(count + 1, std::memory_order_release);
    }
  }
}

void KeyFilter::Add(std::string_view key) {
  const Probe probe(key);
  // A key already there (written again, or taken for one) is not added: the
  // filters grow with the keys, not with the writes.
  const size_t count = level_count_.load(std::memory_order_acquire);
  for (size_t i = count; i-- > 0;) {
    if (levels_[i].load(std::memory_order_acquire)->MayContain(probe)) return;
  }
  Newest()->Add(probe);
}

bool KeyFilter::MayContain(std::string_view key) const {
  if (!complete()) return true;
  const Probe probe(key);
  const size_t count = level_count_.load(std::memory_order_acquire);
  for (size_t i = count; i-- > 0;) {
    if (levels_[i].load(std::memory_order_acquire)->MayContain(probe)) return true;
  }
  return false;
}

size_t KeyFilter::memory_bytes() const {
  size_t bytes = 0;
  const size_t count = level_count_.load(std::memory_order_acquire);
  for (size_t i = 0; i < count; ++i) {
    bytes += levels_[i].load(std::memory_order_acquire)->blocks * kWordsPerBlock * sizeof(uint64_t);
  }
  return bytes;
}

}  // namespace dynemu
