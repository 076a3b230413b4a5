// ABI stability: a plugin built in C against the frozen hooks ABI 1.0 header
// (hooks_v1.h, v1_plugin.c) is loaded from its .so into the current host and
// driven through the real pipeline and engine. Plugins the host must refuse are
// refused, each with one line naming the plugin and the reason.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "base/env.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "host/plugin_host.h"
#include "pipeline/pipeline.h"
#include "storage/store.h"

namespace dynemu {
namespace {

constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=a/20150101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host, Signature=b";

Operation Op(std::string name, std::string body) {
  Operation op;
  op.target = "DynamoDB_20120810." + name;
  op.body = std::move(body);
  op.authorization = kAuth;
  op.has_date = true;
  return op;
}

class AbiCompatTest : public ::testing::Test {
 protected:
  // Loads the v1 plugin with `config` and builds a server core around it.
  void Start(const std::string& config) {
    ASSERT_TRUE(plugins_.Load({DYNEMU_V1_PLUGIN, config}).ok());
    plugins_.Register(hooks_);
    Store::Options options;
    options.in_memory = true;
    store_ = std::move(Store::Open(options)).value();
    engine_ = std::make_unique<Engine>(env_, *store_, hooks_);
    ASSERT_TRUE(engine_->Open().ok());
    pipeline_ = std::make_unique<Pipeline>(*engine_, env_, hooks_, nullptr);
    for (const char* name : {"plain", "v1_fail", "v1_delay", "v1_replace", "v1_garbage"}) {
      TableDescription d;
      d.table_name = name;
      d.attribute_definitions = {{"id", ScalarType::kS}};
      d.key_schema = {{"id", KeyType::kHash}};
      ASSERT_TRUE(engine_->CreateTable(d).ok());
    }
  }

  void TearDown() override {
    pipeline_.reset();
    engine_.reset();
  }

  Response Run(const std::string& name, const std::string& body) {
    return pipeline_->RunSync(Op(name, body));
  }

  SystemClock clock_;
  Random random_{42};
  Env env_{clock_, random_};
  // Declared before what calls into the plugins, so destroyed after them.
  PluginHost plugins_{env_};
  HookRegistry hooks_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(AbiCompatTest, V1PluginLoadsAndSubscribesToEveryPoint) {
  Start("hello");
  ASSERT_EQ(plugins_.size(), 1u);
  EXPECT_EQ(plugins_.name(0), "v1_plugin");
  EXPECT_EQ(plugins_.path(0), DYNEMU_V1_PLUGIN);
  for (int p = 0; p < static_cast<int>(HookPoint::kCount); p++) {
    EXPECT_TRUE(hooks_.Has(static_cast<HookPoint>(p))) << HookPointName(static_cast<HookPoint>(p));
  }
}

TEST_F(AbiCompatTest, V1PluginObservesAndContinues) {
  Start("hello");
  Response put = Run("PutItem", R"({"TableName":"plain","Item":{"id":{"S":"a"},"n":{"N":"1"}}})");
  EXPECT_EQ(put.http_status, 200) << put.body;
  Response get = Run("GetItem", R"({"TableName":"plain","Key":{"id":{"S":"a"}}})");
  EXPECT_EQ(get.body, R"({"Item":{"id":{"S":"a"},"n":{"N":"1"}}})");
}

TEST_F(AbiCompatTest, V1PluginReplacesTheNewImage) {
  Start("hello");
  Response put =
      Run("PutItem", R"({"TableName":"v1_replace","Item":{"id":{"S":"a"},"n":{"N":"1"}}})");
  EXPECT_EQ(put.http_status, 200) << put.body;
  Response get = Run("GetItem", R"({"TableName":"v1_replace","Key":{"id":{"S":"a"}}})");
  EXPECT_EQ(get.body, R"({"Item":{"id":{"S":"a"},"v1":{"S":"hello"}}})");
}

TEST_F(AbiCompatTest, V1PluginFailsWithADynamoDbError) {
  Start("hello");
  Response put = Run("PutItem", R"({"TableName":"v1_fail","Item":{"id":{"S":"a"}}})");
  EXPECT_EQ(put.http_status, 400);
  EXPECT_EQ(put.body,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
            R"("message":"v1 plugin says no"})");
  Response get = Run("GetItem", R"({"TableName":"v1_fail","Key":{"id":{"S":"a"}}})");
  EXPECT_EQ(get.body, "{}");  // nothing was written
}

TEST_F(AbiCompatTest, V1PluginDelays) {
  Start("hello");
  auto start = std::chrono::steady_clock::now();
  Response put = Run("PutItem", R"({"TableName":"v1_delay","Item":{"id":{"S":"a"}}})");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(put.http_status, 200) << put.body;
  EXPECT_GE(took, std::chrono::milliseconds(25));
}

TEST_F(AbiCompatTest, V1PluginGarbageVerdictIsContained) {
  Start("hello");
  Response put = Run("PutItem", R"({"TableName":"v1_garbage","Item":{"id":{"S":"a"}}})");
  EXPECT_EQ(put.http_status, 500);
  EXPECT_EQ(put.body, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError",)"
                      R"("message":"Internal server error"})");
  // And the next request is served.
  EXPECT_EQ(Run("PutItem", R"({"TableName":"plain","Item":{"id":{"S":"b"}}})").http_status, 200);
}

TEST_F(AbiCompatTest, V1PluginSeesEveryFieldAndKeepsItsRequestData) {
  Start("cfg");
  ASSERT_EQ(Run("PutItem", R"({"TableName":"plain","Item":{"id":{"S":"a"}}})").http_status, 200);
  ASSERT_EQ(Run("PutItem", R"({"TableName":"v1_replace","Item":{"id":{"S":"a"}}})").http_status,
            200);
  ASSERT_EQ(Run("GetItem", R"({"TableName":"plain","Key":{"id":{"S":"a"}}})").http_status, 200);
  // The plugin answers a request on table v1_stats (which does not exist) with
  // its own counters, replacing the ResourceNotFound body.
  Response stats = Run("GetItem", R"({"TableName":"v1_stats","Key":{"id":{"S":"a"}}})");
  EXPECT_EQ(stats.http_status, 400);
  // 4 requests reached request.pre and response.post (this one counts itself
  // before answering); 2 of them wrote.
  EXPECT_EQ(stats.body,
            R"({"events":[4,4,2,2,0,0,0,0,0,0],"config":"cfg","clock_ok":1,"random_ok":1,)"
            R"("slot_errors":0,"field_errors":0})");
}

TEST(AbiRefusalTest, NewerMajorIsRefusedNamingBothVersions) {
  SystemClock clock;
  Random random(1);
  Env env(clock, random);
  PluginHost host(env);
  Status s = host.Load({DYNEMU_FUTURE_PLUGIN, ""});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), std::string("cannot load plugin ") + DYNEMU_FUTURE_PLUGIN +
                             ": plugin 'future' needs hooks ABI 2.0 (built against 2.0), but "
                             "this server speaks hooks ABI 1.1");
  EXPECT_EQ(host.size(), 0u);
}

TEST(AbiRefusalTest, MissingEntrySymbolIsRefused) {
  SystemClock clock;
  Random random(1);
  Env env(clock, random);
  PluginHost host(env);
  Status s = host.Load({DYNEMU_NO_ENTRY_PLUGIN, ""});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(DYNEMU_NO_ENTRY_PLUGIN), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("does not export dynemu_plugin_init"), std::string::npos)
      << s.message();
}

TEST(AbiRefusalTest, MissingFileIsRefused) {
  SystemClock clock;
  Random random(1);
  Env env(clock, random);
  PluginHost host(env);
  Status s = host.Load({"/nonexistent/dir/plugin.so", ""});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "cannot load plugin /nonexistent/dir/plugin.so: no such file");
}

TEST(AbiRefusalTest, NotALibraryIsRefusedWithTheLoadersReason) {
  SystemClock clock;
  Random random(1);
  Env env(clock, random);
  PluginHost host(env);
  // A source file is no shared object.
  Status s = host.Load({__FILE__, ""});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(std::string("cannot load plugin ") + __FILE__ + ": "),
            std::string::npos)
      << s.message();
  EXPECT_EQ(s.message().find('\n'), std::string::npos) << s.message();
}

TEST(AbiRefusalTest, FailingInitIsRefusedWithItsReason) {
  SystemClock clock;
  Random random(1);
  Env env(clock, random);
  PluginHost host(env);
  Status s = host.Load({DYNEMU_V1_PLUGIN, "fail_init"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), std::string("cannot load plugin ") + DYNEMU_V1_PLUGIN +
                             ": plugin 'v1_plugin' failed to initialize (code -5): v1 asked to "
                             "fail");
}

TEST(AbiRefusalTest, TheSameLibraryLoadsTwiceAsTwoInstances) {
  SystemClock clock;
  Random random(1);
  Env env(clock, random);
  PluginHost host(env);
  ASSERT_TRUE(host.Load({DYNEMU_NOOP_PLUGIN, ""}).ok());
  ASSERT_TRUE(host.Load({DYNEMU_NOOP_PLUGIN, "second"}).ok());
  EXPECT_EQ(host.size(), 2u);
  EXPECT_EQ(host.name(1), "noop");
}

}  // namespace
}  // namespace dynemu
