#include "schema/table_description.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace dynemu {
namespace {

// A description using every field, with values that differ from the defaults.
TableDescription FullDescription() {
  TableDescription d;
  d.table_name = "Music.v2-x_y";
  d.table_id = 77;
  d.table_uuid = "9b9d3a53-2d2b-4a7b-8f6e-0c1d2e3f4a5b";
  d.table_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Music.v2-x_y";
  d.attribute_definitions = {{"artist", ScalarType::kS},
                             {"year", ScalarType::kN},
                             {"blob", ScalarType::kB},
                             {"genre", ScalarType::kS}};
  d.key_schema = {{"artist", KeyType::kHash}, {"year", KeyType::kRange}};
  d.billing_mode = BillingMode::kPayPerRequest;
  d.billing_mode_last_update_micros = 1'700'000'100'000'000;
  d.throughput = {0, 0, 3, 1'700'000'050'000'000, 1'700'000'060'000'000};
  d.status = TableStatus::kUpdating;
  d.creation_micros = 1'700'000'000'123'456;
  SecondaryIndex lsi;
  lsi.index_name = "byBlob";
  lsi.index_id = 1;
  lsi.global = false;
  lsi.key_schema = {{"artist", KeyType::kHash}, {"blob", KeyType::kRange}};
  lsi.projection = {ProjectionType::kKeysOnly, {}};
  d.local_secondary_indexes.push_back(lsi);
  SecondaryIndex gsi;
  gsi.index_name = "byGenre";
  gsi.index_id = 2;
  gsi.global = true;
  gsi.key_schema = {{"genre", KeyType::kHash}};
  gsi.projection = {ProjectionType::kInclude, {"title", "len"}};
  gsi.throughput = {7, 8, 1, 1'700'000'300'000'000, 1'700'000'400'000'000};
  gsi.on_demand = {100, 200};
  gsi.status = TableStatus::kCreating;
  gsi.backfilling = true;
  d.global_secondary_indexes.push_back(gsi);
  d.tags = {{"env", "prod"}, {"owner", ""}};
  d.deletion_protection_enabled = true;
  d.table_class = "STANDARD_INFREQUENT_ACCESS";
  d.table_class_set = true;
  d.table_class_last_update_micros = 1'700'000'200'000'000;
  d.next_index_id = 3;
  d.on_demand = {10, -1};
  d.warm = {13000, 5000};
  d.stream = {true, "NEW_AND_OLD_IMAGES"};
  d.latest_stream_label = "2023-11-14T22:13:20.123";
  d.sse = {true, "arn:aws:kms:us-east-1:000000000000:key/abc"};
  d.ttl = {true, "expires"};
  return d;
}

void ExpectThroughputEq(const ProvisionedThroughput& a, const ProvisionedThroughput& b) {
  EXPECT_EQ(a.read_capacity_units, b.read_capacity_units);
  EXPECT_EQ(a.write_capacity_units, b.write_capacity_units);
  EXPECT_EQ(a.number_of_decreases_today, b.number_of_decreases_today);
  EXPECT_EQ(a.last_increase_micros, b.last_increase_micros);
  EXPECT_EQ(a.last_decrease_micros, b.last_decrease_micros);
}

void ExpectIndexEq(const SecondaryIndex& a, const SecondaryIndex& b) {
  EXPECT_EQ(a.index_name, b.index_name);
  EXPECT_EQ(a.index_id, b.index_id);
  EXPECT_EQ(a.global, b.global);
  ASSERT_EQ(a.key_schema.size(), b.key_schema.size());
  for (size_t i = 0; i < a.key_schema.size(); i++) {
    EXPECT_EQ(a.key_schema[i].attribute_name, b.key_schema[i].attribute_name);
    EXPECT_EQ(a.key_schema[i].key_type, b.key_schema[i].key_type);
  }
  EXPECT_EQ(a.projection.type, b.projection.type);
  EXPECT_EQ(a.projection.non_key_attributes, b.projection.non_key_attributes);
  ExpectThroughputEq(a.throughput, b.throughput);
  EXPECT_EQ(a.on_demand.max_read_request_units, b.on_demand.max_read_request_units);
  EXPECT_EQ(a.on_demand.max_write_request_units, b.on_demand.max_write_request_units);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.backfilling, b.backfilling);
}

TEST(CatalogRecordTest, RoundTripsEveryField) {
  TableDescription d = FullDescription();
  std::string record = ToCatalogRecord(d);
  auto back = FromCatalogRecord(record);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const TableDescription& r = *back;
  EXPECT_EQ(r.table_name, d.table_name);
  EXPECT_EQ(r.table_id, d.table_id);
  EXPECT_EQ(r.table_uuid, d.table_uuid);
  EXPECT_EQ(r.table_arn, d.table_arn);
  ASSERT_EQ(r.attribute_definitions.size(), d.attribute_definitions.size());
  for (size_t i = 0; i < d.attribute_definitions.size(); i++) {
    EXPECT_EQ(r.attribute_definitions[i].attribute_name, d.attribute_definitions[i].attribute_name);
    EXPECT_EQ(r.attribute_definitions[i].attribute_type, d.attribute_definitions[i].attribute_type);
  }
  ASSERT_EQ(r.key_schema.size(), 2u);
  EXPECT_EQ(r.hash_key(), "artist");
  EXPECT_EQ(*r.range_key(), "year");
  EXPECT_EQ(r.billing_mode, d.billing_mode);
  EXPECT_EQ(r.billing_mode_last_update_micros, d.billing_mode_last_update_micros);
  ExpectThroughputEq(r.throughput, d.throughput);
  EXPECT_EQ(r.status, d.status);
  EXPECT_EQ(r.creation_micros, d.creation_micros);
  ASSERT_EQ(r.local_secondary_indexes.size(), 1u);
  ExpectIndexEq(r.local_secondary_indexes[0], d.local_secondary_indexes[0]);
  ASSERT_EQ(r.global_secondary_indexes.size(), 1u);
  ExpectIndexEq(r.global_secondary_indexes[0], d.global_secondary_indexes[0]);
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[1].key, "owner");
  EXPECT_EQ(r.tags[1].value, "");
  EXPECT_EQ(r.deletion_protection_enabled, true);
  EXPECT_EQ(r.table_class, d.table_class);
  EXPECT_EQ(r.table_class_set, true);
  EXPECT_EQ(r.table_class_last_update_micros, d.table_class_last_update_micros);
  EXPECT_EQ(r.next_index_id, 3);
  EXPECT_EQ(r.on_demand.max_read_request_units, 10);
  EXPECT_EQ(r.on_demand.max_write_request_units, -1);
  EXPECT_EQ(r.warm.read_units_per_second, 13000);
  EXPECT_EQ(r.warm.write_units_per_second, 5000);
  EXPECT_TRUE(r.stream.enabled);
  EXPECT_EQ(r.stream.view_type, "NEW_AND_OLD_IMAGES");
  EXPECT_EQ(r.latest_stream_label, d.latest_stream_label);
  EXPECT_TRUE(r.sse.enabled);
  EXPECT_EQ(r.sse.kms_master_key_arn, d.sse.kms_master_key_arn);
  EXPECT_TRUE(r.ttl.enabled);
  EXPECT_EQ(r.ttl.attribute_name, "expires");
  // And the record is stable.
  EXPECT_EQ(ToCatalogRecord(r), record);
}

TEST(CatalogRecordTest, RoundTripsAMinimalTableAndBinaryNames) {
  TableDescription d;
  d.table_name = "t01";
  d.table_id = 1;
  d.attribute_definitions = {{std::string("k\0\xc3\xa9", 4), ScalarType::kN}};
  d.key_schema = {{std::string("k\0\xc3\xa9", 4), KeyType::kHash}};
  auto back = FromCatalogRecord(ToCatalogRecord(d));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->hash_key(), std::string("k\0\xc3\xa9", 4));
  EXPECT_EQ(back->range_key(), nullptr);
  EXPECT_EQ(*back->AttributeType(back->hash_key()), ScalarType::kN);
  EXPECT_FALSE(back->AttributeType("other").has_value());
}

// Replaces the first occurrence of `from` in the record of FullDescription().
std::string Corrupt(std::string_view from, std::string_view to) {
  std::string record = ToCatalogRecord(FullDescription());
  size_t at = record.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) record.replace(at, from.size(), to);
  return record;
}

TEST(CatalogRecordTest, RejectsCorruptRecords) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"empty", ""},
      {"not json", "garbage"},
      {"array", "[]"},
      {"empty object", "{}"},
      {"newer version", Corrupt("\"v\":1", "\"v\":2")},
      {"version as string", Corrupt("\"v\":1", "\"v\":\"1\"")},
      {"name as number", Corrupt("\"name\":\"Music.v2-x_y\"", "\"name\":5")},
      {"empty name", Corrupt("\"name\":\"Music.v2-x_y\"", "\"name\":\"\"")},
      {"table id zero", Corrupt("\"id\":77", "\"id\":0")},
      {"table id too big", Corrupt("\"id\":77", "\"id\":4294967296")},
      {"unknown attribute type", Corrupt("[\"year\",\"N\"]", "[\"year\",\"X\"]")},
      {"attribute not a pair", Corrupt("[\"year\",\"N\"]", "[\"year\"]")},
      {"duplicate definition", Corrupt("[\"blob\",\"B\"]", "[\"year\",\"B\"]")},
      {"key without definition", Corrupt("[\"year\",\"RANGE\"]", "[\"nope\",\"RANGE\"]")},
      {"range first", Corrupt("[\"artist\",\"HASH\"]", "[\"artist\",\"RANGE\"]")},
      {"unknown key type", Corrupt("[\"year\",\"RANGE\"]", "[\"year\",\"SORT\"]")},
      {"keys not an array",
       Corrupt("\"keys\":[[\"artist\",\"HASH\"],[\"year\",\"RANGE\"]]", "\"keys\":\"x\"")},
      {"unknown billing", Corrupt("\"PAY_PER_REQUEST\"", "\"FREE\"")},
      {"negative capacity", Corrupt("\"rcu\":0", "\"rcu\":-1")},
      {"unknown status", Corrupt("\"status\":\"UPDATING\"", "\"status\":\"GONE\"")},
      {"index id zero", Corrupt("\"id\":1,", "\"id\":0,")},
      {"duplicate index id", Corrupt("\"id\":2,", "\"id\":1,")},
      {"index id past next", Corrupt("\"next_index_id\":3", "\"next_index_id\":2")},
      {"unknown projection", Corrupt("\"KEYS_ONLY\"", "\"SOME\"")},
      {"index key undefined", Corrupt("[\"genre\",\"HASH\"]", "[\"mood\",\"HASH\"]")},
      {"index not an object", Corrupt("\"indexes\":[", "\"indexes\":[1,")},
      {"tag not a pair", Corrupt("[\"env\",\"prod\"]", "[\"env\"]")},
      {"tag value number", Corrupt("[\"env\",\"prod\"]", "[\"env\",1]")},
      {"stream enabled string", Corrupt("\"enabled\":true,\"view_type\"",
                                        "\"enabled\":\"yes\",\"view_type\"")},
      {"ttl not an object",
       Corrupt("\"ttl\":{\"enabled\":true,\"attribute\":\"expires\"}", "\"ttl\":5")},
  };
  for (const auto& [what, record] : cases) {
    auto result = FromCatalogRecord(record);
    ASSERT_FALSE(result.ok()) << what;
    EXPECT_EQ(result.status().code(), ErrorCode::kInternalServerError) << what;
  }
}

TEST(CatalogRecordTest, NeverCrashesOnTruncatedOrMutatedRecords) {
  std::string record = ToCatalogRecord(FullDescription());
  for (size_t n = 0; n < record.size(); n++) {
    auto result = FromCatalogRecord(record.substr(0, n));
    EXPECT_FALSE(result.ok()) << "prefix of " << n << " bytes";
  }
  std::mt19937 rng(7);
  const std::string alphabet = "{}[]\":,0123456789-truefalsn \\x";
  for (int round = 0; round < 3000; round++) {
    std::string mutated = record;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; e++) {
      size_t at = rng() % mutated.size();
      mutated[at] = alphabet[rng() % alphabet.size()];
    }
    auto result = FromCatalogRecord(mutated);
    if (result.ok()) {
      // Whatever was accepted must satisfy what the engine relies on.
      ASSERT_FALSE(result->key_schema.empty());
      for (const KeySchemaElement& k : result->key_schema) {
        ASSERT_TRUE(result->AttributeType(k.attribute_name).has_value());
      }
    } else {
      EXPECT_EQ(result.status().code(), ErrorCode::kInternalServerError);
    }
  }
}

std::string Render(const TableDescription& d, TableStats stats = {}) {
  json::StringBuffer buffer;
  json::Writer w(buffer);
  EncodeTableDescription(d, stats, w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string Epoch(int64_t micros) {
  json::StringBuffer buffer;
  json::Writer w(buffer);
  WriteEpochSeconds(micros, w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

TEST(EncodeTest, EpochSecondsAreWrittenAsJavaDoubles) {
  EXPECT_EQ(Epoch(1'700'000'000'123'456), "1.700000000123E9");
  EXPECT_EQ(Epoch(1'500'000'000'000'000), "1.5E9");
  EXPECT_EQ(Epoch(1'000'000'000'000'000), "1.0E9");
  EXPECT_EQ(Epoch(1'700'000'000'100'000), "1.7000000001E9");
  EXPECT_EQ(Epoch(10'000'000'000'000), "1.0E7");
  EXPECT_EQ(Epoch(9'999'999'999'000), "9999999.999");
  EXPECT_EQ(Epoch(12'500'000), "12.5");
  EXPECT_EQ(Epoch(0), "0.0");
}

TEST(EncodeTest, ProvisionedTableWithoutOptions) {
  TableDescription d;
  d.table_name = "Plain";
  d.table_uuid = "u-1";
  d.table_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/Plain";
  d.attribute_definitions = {{"id", ScalarType::kS}};
  d.key_schema = {{"id", KeyType::kHash}};
  d.throughput.read_capacity_units = 5;
  d.throughput.write_capacity_units = 6;
  d.creation_micros = 1'700'000'000'000'000;
  EXPECT_EQ(Render(d, TableStats{3, 120, {}}),
            R"({"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],)"
            R"("CreationDateTime":1.7E9,"DeletionProtectionEnabled":false,"ItemCount":3,)"
            R"("KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],)"
            R"("ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,)"
            R"("WriteCapacityUnits":6},)"
            R"("TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Plain","TableId":"u-1",)"
            R"("TableName":"Plain","TableSizeBytes":120,"TableStatus":"ACTIVE"})");
}

TEST(EncodeTest, EveryFeature) {
  TableDescription d = FullDescription();
  EXPECT_EQ(
      Render(d, TableStats{2, 99, {}}),
      R"({"AttributeDefinitions":[{"AttributeName":"artist","AttributeType":"S"},)"
      R"({"AttributeName":"year","AttributeType":"N"},{"AttributeName":"blob","AttributeType":"B"},)"
      R"({"AttributeName":"genre","AttributeType":"S"}],)"
      R"("BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST",)"
      R"("LastUpdateToPayPerRequestDateTime":1.7000001E9},)"
      R"("CreationDateTime":1.700000000123E9,"DeletionProtectionEnabled":true,)"
      R"("GlobalSecondaryIndexes":[{"Backfilling":true,)"
      R"("IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Music.v2-x_y/index/byGenre",)"
      R"("IndexName":"byGenre","IndexSizeBytes":0,"IndexStatus":"CREATING","ItemCount":0,)"
      R"("KeySchema":[{"AttributeName":"genre","KeyType":"HASH"}],)"
      R"("OnDemandThroughput":{"MaxReadRequestUnits":100,"MaxWriteRequestUnits":200},)"
      R"("Projection":{"NonKeyAttributes":["title","len"],"ProjectionType":"INCLUDE"},)"
      R"("ProvisionedThroughput":{"LastDecreaseDateTime":1.7000004E9,"LastIncreaseDateTime":1.7000003E9,)"
      R"("NumberOfDecreasesToday":1,"ReadCapacityUnits":7,"WriteCapacityUnits":8}}],)"
      R"("ItemCount":2,"KeySchema":[{"AttributeName":"artist","KeyType":"HASH"},)"
      R"({"AttributeName":"year","KeyType":"RANGE"}],)"
      R"("LatestStreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Music.v2-x_y/stream/)"
      R"(2023-11-14T22:13:20.123","LatestStreamLabel":"2023-11-14T22:13:20.123",)"
      R"("LocalSecondaryIndexes":[{)"
      R"("IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Music.v2-x_y/index/byBlob",)"
      R"("IndexName":"byBlob","IndexSizeBytes":0,"ItemCount":0,)"
      R"("KeySchema":[{"AttributeName":"artist","KeyType":"HASH"},)"
      R"({"AttributeName":"blob","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],)"
      R"("OnDemandThroughput":{"MaxReadRequestUnits":10,"MaxWriteRequestUnits":-1},)"
      R"("ProvisionedThroughput":{"LastDecreaseDateTime":1.70000006E9,)"
      R"("LastIncreaseDateTime":1.70000005E9,"NumberOfDecreasesToday":3,"ReadCapacityUnits":0,)"
      R"("WriteCapacityUnits":0},)"
      R"("SSEDescription":{"KMSMasterKeyArn":"arn:aws:kms:us-east-1:000000000000:key/abc",)"
      R"("SSEType":"KMS","Status":"ENABLED"},)"
      R"("StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},)"
      R"("TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/Music.v2-x_y",)"
      R"("TableClassSummary":{"LastUpdateDateTime":1.7000002E9,)"
      R"("TableClass":"STANDARD_INFREQUENT_ACCESS"},)"
      R"("TableId":"9b9d3a53-2d2b-4a7b-8f6e-0c1d2e3f4a5b","TableName":"Music.v2-x_y",)"
      R"("TableSizeBytes":99,"TableStatus":"UPDATING",)"
      R"("WarmThroughput":{"ReadUnitsPerSecond":13000,"Status":"ACTIVE","WriteUnitsPerSecond":5000}})");
}

TEST(EncodeTest, OnDemandSummaryTimeAppearsOnceActive) {
  TableDescription d;
  d.table_name = "Od";
  d.attribute_definitions = {{"id", ScalarType::kS}};
  d.key_schema = {{"id", KeyType::kHash}};
  d.billing_mode = BillingMode::kPayPerRequest;
  d.creation_micros = 1'600'000'000'000'000;
  d.status = TableStatus::kCreating;
  EXPECT_NE(Render(d).find(R"("BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"})"),
            std::string::npos);
  d.status = TableStatus::kActive;
  EXPECT_NE(Render(d).find(R"("BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST",)"
                           R"("LastUpdateToPayPerRequestDateTime":1.6E9})"),
            std::string::npos);
  // Back to provisioned: the summary stays, with the time of the last switch.
  d.billing_mode = BillingMode::kProvisioned;
  d.billing_mode_last_update_micros = 1'650'000'000'000'000;
  std::string text = Render(d);
  EXPECT_NE(text.find(R"("BillingModeSummary":{"BillingMode":"PROVISIONED",)"
                      R"("LastUpdateToPayPerRequestDateTime":1.65E9})"),
            std::string::npos);
  EXPECT_EQ(text.find("OnDemandThroughput"), std::string::npos);
}

}  // namespace
}  // namespace dynemu
