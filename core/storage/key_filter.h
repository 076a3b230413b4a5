#pragma once

// Which keys the database may hold: a Bloom filter of every key put since the
// store opened, and of every key it held then (added by a scan in the
// background, so that opening reads nothing). Once that scan is done, a key the
// filter has never seen is known absent without asking LevelDB.
//
// That matters beyond the read itself. Most writes read the item they replace
// (for conditions, index entries and the table's statistics), and a new item's
// key is absent: LevelDB would search its memtables, then every level-0 file
// and one file of each other level, and, having looked in more than one file,
// charge a "seek" to the first. A file whose allowed seeks run out is compacted
// on its own, so a stream of new items keeps compacting each new level-0 file
// into level 1 one at a time instead of four at once.
//
// Deleted keys stay in the filter (it only ever says "may be there" of them).
// It grows as keys are added, by stacking filters of doubling capacity, and is
// built afresh each time the store opens. Thread-safe.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>

namespace dynemu {

class KeyFilter {
 public:
  // `first_capacity` keys fit the first filter at ~16 bits each.
  explicit KeyFilter(size_t first_capacity = size_t{1} << 16);
  ~KeyFilter();
  KeyFilter(const KeyFilter&) = delete;
  KeyFilter& operator=(const KeyFilter&) = delete;

  void Add(std::string_view key);

  // False only when `key` was never added and the filter is complete.
  bool MayContain(std::string_view key) const;

  // Every key the database held when the store opened has been added.
  void MarkComplete() { complete_.store(true, std::memory_order_release); }
  bool complete() const { return complete_.load(std::memory_order_acquire); }

  size_t memory_bytes() const;
  size_t levels() const { return level_count_.load(std::memory_order_acquire); }

 private:
  struct Level;
  static constexpr size_t kMaxLevels = 40;

  Level* Newest();

  std::array<std::atomic<Level*>, kMaxLevels> levels_{};
  std::atomic<size_t> level_count_{0};
  std::atomic<bool> complete_{false};
  std::mutex grow_mu_;
};

}  // namespace dynemu
