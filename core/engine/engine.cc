#include "engine/engine.h"

#include "engine/engine_rep.h"

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

// DynamoDB's key size limits (bytes of the value; numbers are always small enough).
constexpr size_t kMaxHashKeyBytes = 2048;
constexpr size_t kMaxRangeKeyBytes = 1024;

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

std::string EncodeRowCounts(const RowCounts& counts) {
  std::string out(16, '\0');
  std::memcpy(out.data(), &counts.item_count, 8);
  std::memcpy(out.data() + 8, &counts.size_bytes, 8);
  return out;
}

RowCounts DecodeRowCounts(std::string_view bytes) {
  RowCounts counts;
  if (bytes.size() == 16) {
    std::memcpy(&counts.item_count, bytes.data(), 8);
    std::memcpy(&counts.size_bytes, bytes.data() + 8, 8);
  }
  return counts;
}

size_t StripeOf(const std::string& row_key) {
  return std::hash<std::string>{}(row_key) % kLockStripes;
}

std::string BaseRowKey(const TableDescription& table, const Item& key) {
  const AttributeValue& pk = key.find(table.hash_key())->second;
  const AttributeValue* sk = nullptr;
  if (const std::string* range = table.range_key()) sk = &key.find(*range)->second;
  return key_codec::RowKey(table.table_id, 0, pk, sk);
}

Engine::Engine(Env& env, Store& store, const HookRegistry& hooks)
    : Engine(env, store, hooks, Options{}) {}

Engine::Engine(Env& env, Store& store, const HookRegistry& hooks, const Options& options)
    : env_(env), store_(store), options_(options), hooks_(hooks), rep_(std::make_unique<Rep>()) {}

Engine::~Engine() {
  StopWorker();
  // Deferred index changes live in memory: a stop applies those still waiting,
  // so that an index never stays behind its table across a restart.
  if (size_t pending = PendingIndexChanges(); pending > 0) {
    log::Get("engine")->info("applying {} deferred index change(s) before stopping", pending);
    ApplyDeferredIndexChanges();
  }
}

Status Engine::Open() {
  DYN_ASSIGN_OR_RETURN(auto next_id, store_.Get(key_codec::NextTableIdKey()));
  if (next_id && next_id->size() == 4) std::memcpy(&rep_->next_table_id, next_id->data(), 4);

  std::string prefix = key_codec::CatalogPrefix();
  auto it = store_.NewIterator(prefix, key_codec::PrefixSuccessor(prefix));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    DYN_ASSIGN_OR_RETURN(TableDescription desc, FromCatalogRecord(it->value()));
    DYN_ASSIGN_OR_RETURN(auto stats_bytes, store_.Get(key_codec::TableStatsKey(desc.table_id)));
    TableStats& stats = rep_->Slot(desc.table_id)->stats;
    if (stats_bytes) {
      RowCounts counts = DecodeRowCounts(*stats_bytes);
      stats.item_count = counts.item_count;
      stats.size_bytes = counts.size_bytes;
    }
    for (const auto* indexes : {&desc.local_secondary_indexes, &desc.global_secondary_indexes}) {
      for (const SecondaryIndex& index : *indexes) {
        DYN_ASSIGN_OR_RETURN(auto index_bytes,
                             store_.Get(key_codec::IndexStatsKey(desc.table_id, index.index_id)));
        stats.indexes[index.index_id] = index_bytes ? DecodeRowCounts(*index_bytes) : RowCounts{};
      }
    }
    if (desc.table_id >= rep_->next_table_id) rep_->next_table_id = desc.table_id + 1;
    std::string name = desc.table_name;
    rep_->tables.emplace(std::move(name), std::make_shared<const TableDescription>(std::move(desc)));
  }
  DYN_RETURN_IF_ERROR(it->status());
  std::string dropped = key_codec::DroppedTablePrefix();
  auto dit = store_.NewIterator(dropped, key_codec::PrefixSuccessor(dropped));
  for (dit->SeekToFirst(); dit->Valid(); dit->Next()) {
    if (dit->key().size() != 6) return InternalError("corrupt dropped-table marker");
    rep_->dropped_tables.insert(key_codec::DroppedTableId(dit->key()));
  }
  DYN_RETURN_IF_ERROR(dit->status());
  log::Get("engine")->info("catalog loaded: {} table(s)", rep_->tables.size());
  // Backfills and index removals interrupted by a stop resume now; deferred
  // index changes lived in memory only and are gone (see README).
  if (options_.background_index_work) {
    rep_->worker = std::thread([this] { WorkerLoop(); });
    NotifyWorker();
  }
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
  batch.Put(key_codec::TableStatsKey(desc.table_id), EncodeRowCounts(RowCounts{}));
  TableStats initial;
  for (const auto* indexes : {&desc.local_secondary_indexes, &desc.global_secondary_indexes}) {
    for (const SecondaryIndex& index : *indexes) {
      batch.Put(key_codec::IndexStatsKey(desc.table_id, index.index_id),
                EncodeRowCounts(RowCounts{}));
      initial.indexes[index.index_id] = RowCounts{};
    }
  }
  DYN_RETURN_IF_ERROR(store_.Commit(batch));

  auto stored = std::make_shared<const TableDescription>(std::move(desc));
  std::unique_lock<std::shared_mutex> lock(rep_->catalog_mu);
  rep_->next_table_id = stored->table_id + 1;
  rep_->tables[stored->table_name] = stored;
  rep_->Slot(stored->table_id)->stats = std::move(initial);
  return std::shared_ptr<const TableDescription>(stored);
}

std::shared_ptr<const TableDescription> Engine::FindTable(std::string_view name) const {
  std::shared_lock<std::shared_mutex> lock(rep_->catalog_mu);
  auto it = rep_->tables.find(name);
  return it == rep_->tables.end() ? nullptr : it->second;
}

std::shared_ptr<const TableDescription> Engine::Current(const TableDescription& table) const {
  std::shared_ptr<const TableDescription> current = FindTable(table.table_name);
  if (!current || current->table_id != table.table_id) return nullptr;
  return current;
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
  batch.Put(key_codec::DroppedTableKey(table->table_id), "");
  for (const auto* indexes : {&table->local_secondary_indexes, &table->global_secondary_indexes}) {
    for (const SecondaryIndex& index : *indexes) {
      batch.Delete(key_codec::IndexStatsKey(table->table_id, index.index_id));
    }
  }
  DYN_RETURN_IF_ERROR(store_.Commit(batch));
  // Deferred changes of a dropped table are dropped with it.
  rep_->DropDeferred(table->table_id, std::nullopt);
  {
    std::unique_lock<std::shared_mutex> lock(rep_->catalog_mu);
    rep_->tables.erase(rep_->tables.find(name));
  }
  {
    std::unique_lock<std::shared_mutex> lock(rep_->stats_map_mu);
    rep_->stats.erase(table->table_id);
  }

  // The table is gone from the catalog; its rows are unreachable (ids are never
  // reused) and the background worker removes them, resuming after a restart
  // (the marker written with the catalog change says which table).
  {
    std::lock_guard<std::mutex> lock(rep_->queue_mu);
    rep_->dropped_tables.insert(table->table_id);
  }
  NotifyWorker();
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
  {
    std::unique_lock<std::shared_mutex> lock(rep_->catalog_mu);
    rep_->tables[stored->table_name] = stored;
  }
  {
    // A new index starts with zero counts (its backfill adds to them).
    auto slot = rep_->Slot(stored->table_id);
    std::lock_guard<std::mutex> lock(slot->mu);
    for (const SecondaryIndex& index : stored->global_secondary_indexes) {
      slot->stats.indexes.try_emplace(index.index_id);
    }
  }
  for (const SecondaryIndex& index : stored->global_secondary_indexes) {
    if (index.status != TableStatus::kActive) NotifyWorker();
  }
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
  return ValidateIndexKeys(table, item, IndexKeyOrigin::kPut);
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

Result<std::optional<std::string>> Engine::GetItemBytes(const TableDescription& table,
                                                        const Item& key) const {
  return store_.GetCached(BaseRowKey(table, key));
}

Result<std::optional<Item>> Engine::GetItem(const TableDescription& table, const Item& key) const {
  DYN_ASSIGN_OR_RETURN(auto bytes, GetItemBytes(table, key));
  if (!bytes) return std::optional<Item>();
  DYN_ASSIGN_OR_RETURN(Item item, item_codec::Decode(*bytes));
  return std::optional<Item>(std::move(item));
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
    Engine::ReadRow row;
    if (limits.stored) {
      DYN_ASSIGN_OR_RETURN(row.size, item_codec::ItemSizeOf(it->value()));
      row.stored = std::string(it->value());
    } else {
      DYN_ASSIGN_OR_RETURN(row.item, item_codec::Decode(it->value()));
      row.size = ItemSize(row.item);
    }
    page.bytes += row.size;
    page.rows.push_back(std::move(row));
    // As DynamoDB: the row that reaches a limit is part of the page, and reaching
    // one ends the page even when no row follows.
    if ((limits.max_items != 0 && page.rows.size() >= limits.max_items) ||
        page.bytes >= limits.max_bytes) {
      page.limited = true;
      if (limits.stored) {
        DYN_ASSIGN_OR_RETURN(page.rows.back().item, item_codec::Decode(page.rows.back().stored));
      }
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

Result<Engine::Page> Engine::QueryPartition(const TableDescription& table,
                                            const SecondaryIndex* index, const AttributeValue& pk,
                                            const SortKeyRange& range, bool forward,
                                            const Item* exclusive_start,
                                            const PageLimits& limits) const {
  const uint8_t index_id = index ? index->index_id : 0;
  const std::string prefix = key_codec::PartitionPrefix(table.table_id, index_id, pk);
  std::string start = prefix;
  std::string end = key_codec::PrefixSuccessor(prefix);
  // Encodings are self-delimiting and never a prefix of one another, so the rows
  // whose sort key is v are exactly the keys starting with at(v): [at(v),
  // PrefixSuccessor(at(v))) holds them, index entries (which go on with the
  // table key) included.
  auto at = [&](const AttributeValue& v) {
    std::string key = prefix;
    key_codec::AppendKeyValue(v, &key);
    return key;
  };
  auto just_after = [&](const AttributeValue& v) { return key_codec::PrefixSuccessor(at(v)); };
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
  if (exclusive_start) {
    after = index ? IndexRowKeyOf(table, *index, *exclusive_start)
                  : BaseRowKey(table, *exclusive_start);
  }
  return ReadPage(store_, std::move(start), std::move(end), forward,
                  exclusive_start ? &after : nullptr, limits);
}

Result<Engine::Page> Engine::ScanSegment(const TableDescription& table,
                                         const SecondaryIndex* index, uint32_t segment,
                                         uint32_t total_segments, const Item* exclusive_start,
                                         const PageLimits& limits) const {
  DYN_CHECK(total_segments > 0 && segment < total_segments);
  const uint8_t index_id = index ? index->index_id : 0;
  uint64_t lo, hi;
  SegmentBounds(segment, total_segments, &lo, &hi);
  std::string after;
  if (exclusive_start) {
    after = index ? IndexRowKeyOf(table, *index, *exclusive_start)
                  : BaseRowKey(table, *exclusive_start);
  }
  return ReadPage(store_, key_codec::HashBoundKey(table.table_id, index_id, lo),
                  key_codec::HashBoundKey(table.table_id, index_id, hi), /*forward=*/true,
                  exclusive_start ? &after : nullptr, limits);
}

bool Engine::KeyInSegment(const TableDescription& table, const SecondaryIndex* index,
                          const Item& key, uint32_t segment, uint32_t total_segments) const {
  DYN_CHECK(total_segments > 0 && segment < total_segments);
  uint64_t lo, hi;
  SegmentBounds(segment, total_segments, &lo, &hi);
  const std::string& hash_key = index ? index->key_schema[0].attribute_name : table.hash_key();
  uint64_t hash = key_codec::PartitionHash(key.find(hash_key)->second);
  return hash >= lo && hash < hi;
}

}  // namespace dynemu
