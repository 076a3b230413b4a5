#include "engine/engine.h"

#include <array>
#include <cstring>
#include <map>
#include <mutex>
#include <shared_mutex>

#include "base/log.h"
#include "host/hook_dispatch.h"
#include "storage/item_codec.h"
#include "storage/key_codec.h"
#include "storage/store.h"
#include "value/item_size.h"

namespace dynemu {
namespace {

// Items are locked by stripes: two writers of one item always meet on the same
// mutex; unrelated items rarely share one. 4096 stripes cost 160 KB.
constexpr size_t kLockStripes = 4096;

// DynamoDB's key size limits (bytes of the value; numbers are always small enough).
constexpr size_t kMaxHashKeyBytes = 2048;
constexpr size_t kMaxRangeKeyBytes = 1024;

// Deleting a table removes its rows in batches of this many keys.
constexpr size_t kDeleteBatchKeys = 1000;

std::string EncodeStats(const TableStats& stats) {
  std::string out(16, '\0');
  std::memcpy(out.data(), &stats.item_count, 8);
  std::memcpy(out.data() + 8, &stats.size_bytes, 8);
  return out;
}

TableStats DecodeStats(std::string_view bytes) {
  TableStats stats;
  if (bytes.size() == 16) {
    std::memcpy(&stats.item_count, bytes.data(), 8);
    std::memcpy(&stats.size_bytes, bytes.data() + 8, 8);
  }
  return stats;
}

std::string EncodeU32(uint32_t v) {
  std::string out(4, '\0');
  std::memcpy(out.data(), &v, 4);
  return out;
}

std::string NewUuid(Random& random) {
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t hi = random.Next(), lo = random.Next();
  // Version 4, variant 1, as DynamoDB's TableId.
  hi = (hi & ~0xF000ULL) | 0x4000ULL;
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);
  std::string out;
  for (int i = 0; i < 32; i++) {
    uint64_t word = i < 16 ? hi : lo;
    int shift = 60 - 4 * (i % 16);
    out += kHex[(word >> shift) & 0xF];
    if (i == 7 || i == 11 || i == 15 || i == 19) out += '-';
  }
  return out;
}

std::string_view KeyValueBytes(const AttributeValue& v) {
  return v.type() == ValueType::kS ? std::string_view(v.s()) : std::string_view(v.b());
}

// Checks one key attribute of an item to be written or a key to be read:
// present, of the declared type, non-empty, within the size limit.
// `for_item` selects the PutItem wording of DynamoDB's messages.
Status CheckKeyPiece(const Item& item, const std::string& name, ScalarType type, bool is_hash,
                     bool for_item) {
  auto it = item.find(name);
  if (it == item.end()) {
    if (for_item) {
      return ValidationError("One or more parameter values were invalid: Missing the key " + name +
                             " in the item");
    }
    return ValidationError("The provided key element does not match the schema");
  }
  const AttributeValue& v = it->second;
  if (v.type() != ToValueType(type)) {
    if (for_item) {
      return ValidationError("One or more parameter values were invalid: Type mismatch for key " +
                             name + " expected: " + std::string(ScalarTypeName(type)) +
                             " actual: " + std::string(ValueTypeName(v.type())));
    }
    return ValidationError("The provided key element does not match the schema");
  }
  if (type != ScalarType::kN) {
    std::string_view bytes = KeyValueBytes(v);
    if (bytes.empty()) {
      std::string kind = type == ScalarType::kS ? "string" : "binary";
      return ValidationError(
          std::string(for_item ? "One or more parameter values are not valid."
                               : "One or more parameter values were invalid:") +
          " The AttributeValue for a key attribute cannot contain an empty " + kind +
          " value. Key: " + name);
    }
    // DynamoDB's text really lacks the space in "of2048".
    if (is_hash && bytes.size() > kMaxHashKeyBytes) {
      return ValidationError(
          "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
          "size limit of2048 bytes");
    }
    if (!is_hash && bytes.size() > kMaxRangeKeyBytes) {
      return ValidationError(
          "One or more parameter values were invalid: Aggregated size of all range keys has "
          "exceeded the size limit of 1024 bytes");
    }
  }
  return Status::OK();
}

}  // namespace

struct Engine::Rep {
  mutable std::shared_mutex catalog_mu;
  std::map<std::string, std::shared_ptr<const TableDescription>, std::less<>> tables;
  uint32_t next_table_id = 1;
  // Serializes catalog writes (create, delete, update), which read-modify-write.
  std::mutex catalog_write_mu;

  // Per-table statistics, persisted with every write of the table.
  struct StatsSlot {
    std::mutex mu;
    TableStats stats;
  };
  // Every write looks its table's slot up; only CreateTable, DeleteTable and
  // Open add or remove one, so lookups share the lock.
  mutable std::shared_mutex stats_map_mu;
  std::map<uint32_t, std::shared_ptr<StatsSlot>> stats;

  std::array<std::mutex, kLockStripes> stripes;

  std::shared_ptr<StatsSlot> Slot(uint32_t table_id) {
    {
      std::shared_lock<std::shared_mutex> lock(stats_map_mu);
      auto it = stats.find(table_id);
      if (it != stats.end()) return it->second;
    }
    std::unique_lock<std::shared_mutex> lock(stats_map_mu);
    auto& slot = stats[table_id];
    if (!slot) slot = std::make_shared<StatsSlot>();
    return slot;
  }
};

Engine::Engine(Env& env, Store& store, const HookRegistry& hooks)
    : env_(env), store_(store), hooks_(hooks), rep_(std::make_unique<Rep>()) {}

Engine::~Engine() = default;

Status Engine::Open() {
  DYN_ASSIGN_OR_RETURN(auto next_id, store_.Get(key_codec::NextTableIdKey()));
  if (next_id && next_id->size() == 4) std::memcpy(&rep_->next_table_id, next_id->data(), 4);

  std::string prefix = key_codec::CatalogPrefix();
  auto it = store_.NewIterator(prefix, key_codec::PrefixSuccessor(prefix));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    DYN_ASSIGN_OR_RETURN(TableDescription desc, FromCatalogRecord(it->value()));
    DYN_ASSIGN_OR_RETURN(auto stats_bytes, store_.Get(key_codec::TableStatsKey(desc.table_id)));
    if (stats_bytes) rep_->Slot(desc.table_id)->stats = DecodeStats(*stats_bytes);
    if (desc.table_id >= rep_->next_table_id) rep_->next_table_id = desc.table_id + 1;
    std::string name = desc.table_name;
    rep_->tables.emplace(std::move(name), std::make_shared<const TableDescription>(std::move(desc)));
  }
  DYN_RETURN_IF_ERROR(it->status());
  log::Get("engine")->info("catalog loaded: {} table(s)", rep_->tables.size());
  return Status::OK();
}

Result<std::shared_ptr<const TableDescription>> Engine::CreateTable(TableDescription desc) {
  std::lock_guard<std::mutex> write_lock(rep_->catalog_write_mu);
  {
    std::shared_lock<std::shared_mutex> lock(rep_->catalog_mu);
    if (rep_->tables.count(desc.table_name)) {
      return Status(ErrorCode::kResourceInUse, "Table already exists: " + desc.table_name);
    }
  }
  desc.table_id = rep_->next_table_id;
  desc.table_uuid = NewUuid(env_.random());
  desc.table_arn = "arn:aws:dynamodb:" + std::string(kRegion) + ":" + std::string(kAccountId) +
                   ":table/" + desc.table_name;
  desc.creation_micros = env_.clock().NowMicros();
  desc.status = TableStatus::kActive;
  for (auto* indexes : {&desc.local_secondary_indexes, &desc.global_secondary_indexes}) {
    for (auto& index : *indexes) {
      index.index_id = desc.next_index_id++;
      index.status = TableStatus::kActive;
    }
  }

  Store::Batch batch;
  batch.Put(key_codec::CatalogKey(desc.table_name), ToCatalogRecord(desc));
  batch.Put(key_codec::NextTableIdKey(), EncodeU32(desc.table_id + 1));
  batch.Put(key_codec::TableStatsKey(desc.table_id), EncodeStats(TableStats{}));
  DYN_RETURN_IF_ERROR(store_.Commit(batch));

  auto stored = std::make_shared<const TableDescription>(std::move(desc));
  std::unique_lock<std::shared_mutex> lock(rep_->catalog_mu);
  rep_->next_table_id = stored->table_id + 1;
  rep_->tables[stored->table_name] = stored;
  rep_->Slot(stored->table_id)->stats = TableStats{};
  return std::shared_ptr<const TableDescription>(stored);
}

std::shared_ptr<const TableDescription> Engine::FindTable(std::string_view name) const {
  std::shared_lock<std::shared_mutex> lock(rep_->catalog_mu);
  auto it = rep_->tables.find(name);
  return it == rep_->tables.end() ? nullptr : it->second;
}

Result<std::shared_ptr<const TableDescription>> Engine::DeleteTable(std::string_view name) {
  std::lock_guard<std::mutex> write_lock(rep_->catalog_write_mu);
  std::shared_ptr<const TableDescription> table = FindTable(name);
  if (!table) {
    return Status(ErrorCode::kResourceNotFound,
                  "Requested resource not found: Table: " + std::string(name) + " not found");
  }
  Store::Batch batch;
  batch.Delete(key_codec::CatalogKey(name));
  batch.Delete(key_codec::TableStatsKey(table->table_id));
  DYN_RETURN_IF_ERROR(store_.Commit(batch));
  {
    std::unique_lock<std::shared_mutex> lock(rep_->catalog_mu);
    rep_->tables.erase(rep_->tables.find(name));
  }
  {
    std::unique_lock<std::shared_mutex> lock(rep_->stats_map_mu);
    rep_->stats.erase(table->table_id);
  }

  // The table is gone from the catalog; its rows are unreachable (ids are never
  // reused) and are removed now, index by index, in bounded batches.
  std::vector<uint8_t> index_ids = {0};
  for (const auto* indexes : {&table->local_secondary_indexes, &table->global_secondary_indexes}) {
    for (const auto& index : *indexes) index_ids.push_back(index.index_id);
  }
  for (uint8_t index_id : index_ids) {
    std::string prefix = key_codec::IndexPrefix(table->table_id, index_id);
    auto it = store_.NewIterator(prefix, key_codec::PrefixSuccessor(prefix));
    Store::Batch rows;
    size_t pending = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      rows.Delete(it->key());
      if (++pending == kDeleteBatchKeys) {
        DYN_RETURN_IF_ERROR(store_.Commit(rows));
        rows.Clear();
        pending = 0;
      }
    }
    DYN_RETURN_IF_ERROR(it->status());
    if (pending) DYN_RETURN_IF_ERROR(store_.Commit(rows));
  }
  return table;
}

Result<std::shared_ptr<const TableDescription>> Engine::UpdateTable(
    std::string_view name, const std::function<Status(TableDescription&)>& mutate) {
  std::lock_guard<std::mutex> write_lock(rep_->catalog_write_mu);
  std::shared_ptr<const TableDescription> table = FindTable(name);
  if (!table) {
    return Status(ErrorCode::kResourceNotFound,
                  "Requested resource not found: Table: " + std::string(name) + " not found");
  }
  TableDescription copy = *table;
  DYN_RETURN_IF_ERROR(mutate(copy));
  DYN_CHECK(copy.table_name == table->table_name && copy.table_id == table->table_id);
  Store::Batch batch;
  batch.Put(key_codec::CatalogKey(name), ToCatalogRecord(copy));
  DYN_RETURN_IF_ERROR(store_.Commit(batch));
  auto stored = std::make_shared<const TableDescription>(std::move(copy));
  std::unique_lock<std::shared_mutex> lock(rep_->catalog_mu);
  rep_->tables[stored->table_name] = stored;
  return std::shared_ptr<const TableDescription>(stored);
}

std::vector<std::string> Engine::ListTableNames() const {
  std::shared_lock<std::shared_mutex> lock(rep_->catalog_mu);
  std::vector<std::string> names;
  names.reserve(rep_->tables.size());
  for (const auto& [name, table] : rep_->tables) names.push_back(name);
  return names;  // std::map keeps them sorted by bytes
}

TableStats Engine::Stats(const TableDescription& table) const {
  auto slot = rep_->Slot(table.table_id);
  std::lock_guard<std::mutex> lock(slot->mu);
  return slot->stats;
}

Status Engine::ValidateKey(const TableDescription& table, const Item& key) const {
  if (key.size() != table.key_schema.size()) {
    return ValidationError("The provided key element does not match the schema");
  }
  for (size_t i = 0; i < table.key_schema.size(); i++) {
    const std::string& name = table.key_schema[i].attribute_name;
    DYN_RETURN_IF_ERROR(CheckKeyPiece(key, name, *table.AttributeType(name), i == 0, false));
  }
  return Status::OK();
}

Status Engine::ValidateItem(const TableDescription& table, const Item& item) const {
  for (size_t i = 0; i < table.key_schema.size(); i++) {
    const std::string& name = table.key_schema[i].attribute_name;
    DYN_RETURN_IF_ERROR(CheckKeyPiece(item, name, *table.AttributeType(name), i == 0, true));
  }
  return Status::OK();
}

Item Engine::ExtractKey(const TableDescription& table, const Item& item) const {
  Item key;
  for (const auto& element : table.key_schema) {
    auto it = item.find(element.attribute_name);
    DYN_CHECK(it != item.end());
    key.emplace(it->first, it->second);
  }
  return key;
}

namespace {

std::string RowKeyOf(const TableDescription& table, const Item& key) {
  const AttributeValue& pk = key.find(table.hash_key())->second;
  const AttributeValue* sk = nullptr;
  if (const std::string* range = table.range_key()) sk = &key.find(*range)->second;
  return key_codec::RowKey(table.table_id, 0, pk, sk);
}

}  // namespace

Result<std::optional<Item>> Engine::GetItem(const TableDescription& table, const Item& key) const {
  DYN_ASSIGN_OR_RETURN(auto bytes, store_.Get(RowKeyOf(table, key)));
  if (!bytes) return std::optional<Item>();
  DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(*bytes));
  return std::optional<Item>(std::move(item));
}

Result<Engine::WriteResult> Engine::WriteItem(const TableDescription& table, const Item& key,
                                              std::string_view operation,
                                              std::string_view request_id, const Mutator& mutate) {
  const std::string row_key = RowKeyOf(table, key);
  std::mutex& stripe = rep_->stripes[std::hash<std::string>{}(row_key) % kLockStripes];
  std::lock_guard<std::mutex> item_lock(stripe);

  WriteResult result;
  DYN_ASSIGN_OR_RETURN(auto old_bytes, store_.Get(row_key));
  if (old_bytes) {
    DYN_ASSIGN_OR_RETURN(Item old_item, item_codec::Decode(*old_bytes));
    result.old_image = std::move(old_item);
  }
  DYN_ASSIGN_OR_RETURN(result.new_image, mutate(result.old_image));

  if (hooks_.Has(HookPoint::kWritePre)) {
    WriteEvent event{operation, table.table_name, &key, &result.old_image, &result.new_image,
                     request_id};
    Verdict verdict = hooks_.WritePre(event);
    if (verdict.kind == Verdict::Kind::kFail) return std::move(verdict.error);
    if (verdict.kind == Verdict::Kind::kDelay) result.delay_ms += verdict.delay_ms;
    // A subscriber may have replaced the new image: it must still be an item of
    // this table under the same key.
    if (result.new_image) {
      Status valid = ValidateItem(table, *result.new_image);
      if (!valid.ok() || ExtractKey(table, *result.new_image) != key) {
        return InternalError("a write.pre hook replaced the new image with an invalid item");
      }
    }
  }

  if (result.new_image || result.old_image) {
    Store::Batch batch;
    TableStats delta;
    if (result.old_image) {
      delta.item_count -= 1;
      delta.size_bytes -= static_cast<int64_t>(ItemSize(*result.old_image));
    }
    if (result.new_image) {
      std::string value;
      item_codec::Encode(*result.new_image, &value);
      batch.Put(row_key, value);
      delta.item_count += 1;
      delta.size_bytes += static_cast<int64_t>(ItemSize(*result.new_image));
    } else {
      batch.Delete(row_key);
    }
    // The statistics record is written in the same batch, under the table's
    // stats lock, so the persisted figures always match the rows.
    auto slot = rep_->Slot(table.table_id);
    std::lock_guard<std::mutex> stats_lock(slot->mu);
    TableStats next = slot->stats;
    next.item_count += delta.item_count;
    next.size_bytes += delta.size_bytes;
    batch.Put(key_codec::TableStatsKey(table.table_id), EncodeStats(next));
    DYN_RETURN_IF_ERROR(store_.Commit(batch));
    slot->stats = next;
  }

  if (hooks_.Has(HookPoint::kWritePost)) {
    WriteEvent event{operation, table.table_name, &key, &result.old_image, &result.new_image,
                     request_id};
    Verdict verdict = hooks_.WritePost(event);
    if (verdict.kind == Verdict::Kind::kDelay) result.delay_ms += verdict.delay_ms;
    // The write is committed: a failure verdict after it can only change the answer.
    if (verdict.kind == Verdict::Kind::kFail) return std::move(verdict.error);
  }
  return result;
}

namespace {

// The hash range [lo, hi) of a scan segment, over the 32-bit partition hash space.
void SegmentBounds(uint32_t segment, uint32_t total, uint64_t* lo, uint64_t* hi) {
  constexpr uint64_t kSpace = uint64_t{1} << 32;
  *lo = uint64_t{segment} * kSpace / total;
  *hi = (uint64_t{segment} + 1) * kSpace / total;
}

// The encoding of a string or binary sort key without its terminator: every key
// beginning with those bytes starts with this (key_codec escapes 0x00 only as a
// pair, so the escaped prefix of a value is the prefix of its escaped form).
std::string OpenKeyValue(const AttributeValue& v) {
  std::string out;
  key_codec::AppendKeyValue(v, &out);
  DYN_CHECK(out.size() >= 2);
  out.resize(out.size() - 2);
  return out;
}

// Reads one page of [start, end) from one snapshot. `after`, when not null, is a
// row key the page starts after (forward) or before (backward).
Result<Engine::Page> ReadPage(const Store& store, std::string start, std::string end,
                              bool forward, const std::string* after,
                              const Engine::PageLimits& limits) {
  Engine::Page page;
  if (!end.empty() && start >= end) return page;
  auto snapshot = store.GetSnapshot();
  auto it = store.NewIterator(std::move(start), std::move(end), snapshot.get());
  if (forward) {
    if (after) {
      it->Seek(*after);
      if (it->Valid() && it->key() == *after) it->Next();
    } else {
      it->SeekToFirst();
    }
  } else {
    if (after) {
      // The last key before `after`: the one before the first key >= after, or
      // the range's last key when every key is before it.
      it->Seek(*after);
      if (it->Valid()) {
        it->Prev();
      } else {
        it->SeekToLast();
        if (it->Valid() && it->key() >= *after) it->Prev();
      }
    } else {
      it->SeekToLast();
    }
  }
  while (it->Valid()) {
    DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(it->value()));
    size_t size = ItemSize(item);
    page.bytes += size;
    page.rows.push_back(Engine::ReadRow{std::move(item), size});
    // As DynamoDB: the row that reaches a limit is part of the page, and reaching
    // one ends the page even when no row follows.
    if ((limits.max_items != 0 && page.rows.size() >= limits.max_items) ||
        page.bytes >= limits.max_bytes) {
      page.limited = true;
      break;
    }
    if (forward) {
      it->Next();
    } else {
      it->Prev();
    }
  }
  DYN_RETURN_IF_ERROR(it->status());
  return page;
}

}  // namespace

Result<Engine::Page> Engine::QueryPartition(const TableDescription& table, const AttributeValue& pk,
                                            const SortKeyRange& range, bool forward,
                                            const Item* exclusive_start,
                                            const PageLimits& limits) const {
  const std::string prefix = key_codec::PartitionPrefix(table.table_id, 0, pk);
  std::string start = prefix;
  std::string end = key_codec::PrefixSuccessor(prefix);
  // A key K's immediate successor is K + "\0": [K, K + "\0") holds K alone.
  auto at = [&](const AttributeValue& v) {
    std::string key = prefix;
    key_codec::AppendKeyValue(v, &key);
    return key;
  };
  auto just_after = [&](const AttributeValue& v) { return at(v) + std::string(1, '\0'); };
  switch (range.op) {
    case SortKeyRange::Op::kAll:
      break;
    case SortKeyRange::Op::kEq:
      start = at(range.value);
      end = just_after(range.value);
      break;
    case SortKeyRange::Op::kLt:
      end = at(range.value);
      break;
    case SortKeyRange::Op::kLe:
      end = just_after(range.value);
      break;
    case SortKeyRange::Op::kGt:
      start = just_after(range.value);
      break;
    case SortKeyRange::Op::kGe:
      start = at(range.value);
      break;
    case SortKeyRange::Op::kBetween:
      start = at(range.value);
      end = just_after(range.upper);
      break;
    case SortKeyRange::Op::kBeginsWith: {
      start = prefix + OpenKeyValue(range.value);
      end = key_codec::PrefixSuccessor(start);
      break;
    }
  }
  std::string after;
  if (exclusive_start) after = RowKeyOf(table, *exclusive_start);
  return ReadPage(store_, std::move(start), std::move(end), forward,
                  exclusive_start ? &after : nullptr, limits);
}

Result<Engine::Page> Engine::ScanSegment(const TableDescription& table, uint32_t segment,
                                         uint32_t total_segments, const Item* exclusive_start,
                                         const PageLimits& limits) const {
  DYN_CHECK(total_segments > 0 && segment < total_segments);
  uint64_t lo, hi;
  SegmentBounds(segment, total_segments, &lo, &hi);
  std::string after;
  if (exclusive_start) after = RowKeyOf(table, *exclusive_start);
  return ReadPage(store_, key_codec::HashBoundKey(table.table_id, 0, lo),
                  key_codec::HashBoundKey(table.table_id, 0, hi), /*forward=*/true,
                  exclusive_start ? &after : nullptr, limits);
}

bool Engine::KeyInSegment(const TableDescription& table, const Item& key, uint32_t segment,
                          uint32_t total_segments) const {
  DYN_CHECK(total_segments > 0 && segment < total_segments);
  uint64_t lo, hi;
  SegmentBounds(segment, total_segments, &lo, &hi);
  uint64_t hash = key_codec::PartitionHash(key.find(table.hash_key())->second);
  return hash >= lo && hash < hi;
}

}  // namespace dynemu
