// The range reads of Engine: QueryPartition and ScanSegment.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "engine_fixture.h"
#include "host/hook_dispatch.h"
#include "storage/item_codec.h"
#include "storage/store.h"
#include "value/item_size.h"

namespace dynemu {
namespace {

class EngineReadTest : public EngineFixture {
 protected:
  void SetUp() override {
    Reopen();
    TableDescription desc;
    desc.table_name = "Tbl";
    desc.attribute_definitions = {{"pk", ScalarType::kS}, {"sk", ScalarType::kN}};
    desc.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
    table_ = std::move(engine_->CreateTable(std::move(desc))).value();
  }

  void Put(const std::string& pk, int sk) {
    Item item;
    item.emplace("pk", AttributeValue::S(pk));
    item.emplace("sk", N(sk));
    ASSERT_TRUE(PutInto(*table_, item).ok());
  }

  static AttributeValue N(int v) {
    return AttributeValue::N(std::move(Number::Parse(std::to_string(v))).value());
  }

  static std::vector<int> Sks(const Engine::Page& page) {
    std::vector<int> out;
    for (const auto& row : page.rows) out.push_back(std::stoi(row.item.at("sk").n().ToString()));
    return out;
  }

  std::shared_ptr<const TableDescription> table_;
};

TEST_F(EngineReadTest, QueryRangesBothWaysFromAStartKey) {
  for (int i = 0; i < 10; i++) Put("a", i);
  Put("b", 5);
  Engine::SortKeyRange range;
  range.op = Engine::SortKeyRange::Op::kBetween;
  range.value = N(2);
  range.upper = N(7);
  Engine::PageLimits limits;
  auto page = engine_->QueryPartition(*table_, nullptr, AttributeValue::S("a"), range, true, nullptr, limits);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Sks(*page), (std::vector<int>{2, 3, 4, 5, 6, 7}));
  EXPECT_FALSE(page->limited);

  Item start{{"pk", AttributeValue::S("a")}, {"sk", N(5)}};
  page = engine_->QueryPartition(*table_, nullptr, AttributeValue::S("a"), range, false, &start, limits);
  EXPECT_EQ(Sks(*page), (std::vector<int>{4, 3, 2}));
  // A start key past the range's end, backwards: the whole range.
  Item past{{"pk", AttributeValue::S("a")}, {"sk", N(9)}};
  page = engine_->QueryPartition(*table_, nullptr, AttributeValue::S("a"), range, false, &past, limits);
  EXPECT_EQ(Sks(*page), (std::vector<int>{7, 6, 5, 4, 3, 2}));

  limits.max_items = 2;
  page = engine_->QueryPartition(*table_, nullptr, AttributeValue::S("a"), range, true, &start, limits);
  EXPECT_EQ(Sks(*page), (std::vector<int>{6, 7}));
  EXPECT_TRUE(page->limited);
  EXPECT_EQ(page->bytes, page->rows[0].size + page->rows[1].size);
}

TEST_F(EngineReadTest, StoredRowsAreTheDecodedOnesAsBytes) {
  for (int i = 0; i < 10; i++) Put("a", i);
  Engine::PageLimits decoded_limits;
  decoded_limits.max_items = 4;
  Engine::PageLimits stored_limits = decoded_limits;
  stored_limits.stored = true;
  auto decoded = engine_->QueryPartition(*table_, nullptr, AttributeValue::S("a"),
                                         Engine::SortKeyRange{}, true, nullptr, decoded_limits);
  auto stored = engine_->QueryPartition(*table_, nullptr, AttributeValue::S("a"),
                                        Engine::SortKeyRange{}, true, nullptr, stored_limits);
  ASSERT_TRUE(decoded.ok());
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->rows.size(), 4u);
  EXPECT_TRUE(stored->limited);
  EXPECT_EQ(stored->bytes, decoded->bytes);
  for (size_t i = 0; i < stored->rows.size(); i++) {
    const Engine::ReadRow& row = stored->rows[i];
    EXPECT_EQ(row.size, decoded->rows[i].size);
    EXPECT_TRUE(decoded->rows[i].stored.empty());
    auto item = item_codec::Decode(row.stored);
    ASSERT_TRUE(item.ok());
    EXPECT_EQ(*item, decoded->rows[i].item);
    // Only the last row, whose key continues the read, is decoded too.
    EXPECT_EQ(row.item.empty(), i + 1 < stored->rows.size());
  }
  EXPECT_EQ(stored->rows.back().item, decoded->rows.back().item);
  // A page that ends with its range decodes nothing.
  stored_limits.max_items = 0;
  auto whole = engine_->ScanSegment(*table_, nullptr, 0, 1, nullptr, stored_limits);
  ASSERT_TRUE(whole.ok());
  EXPECT_FALSE(whole->limited);
  ASSERT_EQ(whole->rows.size(), 10u);
  for (const Engine::ReadRow& row : whole->rows) EXPECT_TRUE(row.item.empty());
}

TEST_F(EngineReadTest, SegmentsSplitTheHashSpace) {
  for (int p = 0; p < 200; p++) Put(std::string("p").append(std::to_string(p)), 1);
  std::set<std::string> seen;
  size_t total = 0;
  for (uint32_t s = 0; s < 5; s++) {
    auto page = engine_->ScanSegment(*table_, nullptr, s, 5, nullptr, Engine::PageLimits{});
    ASSERT_TRUE(page.ok());
    for (const auto& row : page->rows) {
      EXPECT_TRUE(engine_->KeyInSegment(*table_, nullptr, row.item, s, 5));
      EXPECT_FALSE(engine_->KeyInSegment(*table_, nullptr, row.item, (s + 1) % 5, 5));
      seen.insert(row.item.at("pk").s());
      total++;
    }
    // A fifth of 200 partitions, give or take what a hash gives.
    EXPECT_GT(page->rows.size(), 15u);
    EXPECT_LT(page->rows.size(), 70u);
  }
  EXPECT_EQ(total, 200u);
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace dynemu
