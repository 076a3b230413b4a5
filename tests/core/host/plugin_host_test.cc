#include "host/plugin_host.h"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/env.h"
#include "host/hook_dispatch.h"

// The bridge between C plugins and the HookRegistry, driven with plugins built
// into the test binary (PluginHost::AddBuiltIn): their init and callbacks are
// C-compatible functions here, configured per test through `g_scripts`.

namespace dynemu {
namespace {

const dynemu_host_api* g_api = nullptr;

// What one built-in plugin does. The plugin's config string is its index in
// g_scripts.
struct Script {
  dynemu_plugin_info info{sizeof(dynemu_plugin_info), DYNEMU_PLUGIN_MAGIC, DYNEMU_ABI_VERSION,
                          DYNEMU_ABI(1, 0),           "scripted",          "0.1"};
  bool set_info = true;
  uint32_t hooks = DYNEMU_HOOKS_ALL_1_0;
  uint32_t flags = DYNEMU_PLUGIN_MUTATES;
  bool set_on_event = true;
  int32_t init_result = DYNEMU_OK;
  std::string init_error;
  bool init_throws = false;
  std::function<dynemu_verdict(dynemu_host*, dynemu_event*)> on_event;
  std::function<void()> on_shutdown;
};
std::vector<Script> g_scripts;

Script& ScriptOf(dynemu_host* host) { return g_scripts[std::stoul(g_api->config(host))]; }

dynemu_verdict OnEvent(dynemu_host* host, dynemu_event* event) {
  Script& s = ScriptOf(host);
  return s.on_event ? s.on_event(host, event) : DYNEMU_CONTINUE;
}

void OnShutdown(dynemu_host* host) {
  Script& s = ScriptOf(host);
  if (s.on_shutdown) s.on_shutdown();
}

int32_t Init(const dynemu_host_api* api, dynemu_host* host, dynemu_plugin* plugin) {
  g_api = api;
  Script& s = g_scripts[std::stoul(api->config(host))];
  if (s.set_info) plugin->info = &s.info;
  if (s.init_throws) throw std::runtime_error("init blew up");
  if (!s.init_error.empty()) api->set_init_error(host, s.init_error.c_str());
  if (s.init_result != DYNEMU_OK) return s.init_result;
  plugin->hooks = s.hooks;
  plugin->flags = s.flags;
  if (s.set_on_event) plugin->on_event = OnEvent;
  plugin->shutdown = OnShutdown;
  return DYNEMU_OK;
}

// The field as a string, or "<code>" when get_field did not return DYNEMU_OK.
std::string Get(dynemu_event* event, dynemu_field field) {
  const char* data = nullptr;
  size_t size = 0;
  int32_t rc = g_api->get_field(event, field, &data, &size);
  if (rc != DYNEMU_OK) return "<" + std::to_string(rc) + ">";
  return std::string(data, size);
}

class PluginHostTest : public ::testing::Test {
 protected:
  void SetUp() override { g_scripts.clear(); }

  // Adds a built-in plugin running `script`; returns the load status.
  Status Add(Script script) {
    g_scripts.push_back(std::move(script));
    return host_.AddBuiltIn("builtin-" + std::to_string(g_scripts.size() - 1), &Init,
                            std::to_string(g_scripts.size() - 1));
  }

  // Adds a plugin that answers every event with `fn`, and registers it.
  void AddAndRegister(std::function<dynemu_verdict(dynemu_host*, dynemu_event*)> fn,
                      uint32_t flags = DYNEMU_PLUGIN_MUTATES) {
    Script s;
    s.on_event = std::move(fn);
    s.flags = flags;
    ASSERT_TRUE(Add(std::move(s)).ok());
    registry_ = HookRegistry();
    host_.Register(registry_);
  }

  Verdict WritePre(WriteEvent& event) { return registry_.WritePre(event); }

  ManualClock clock_{1'700'000'000'000'000};
  Random random_{7};
  Env env_{clock_, random_};
  PluginHost host_{env_};
  HookRegistry registry_;

  // A write event: key {"id":{"S":"k"}}, no old image, a new one.
  Item key_{{"id", AttributeValue::S("k")}};
  std::optional<Item> old_image_;
  std::optional<Item> new_image_{
      Item{{"id", AttributeValue::S("k")}, {"n", AttributeValue::N(Number::Parse("5").value())}}};
  WriteEvent write_{"PutItem", "Orders", &key_, &old_image_, &new_image_, "REQ1"};
};

TEST(PluginSpecTest, ParsesPathAndConfig) {
  PluginSpec a = ParsePluginSpec("/x/trace.so");
  EXPECT_EQ(a.path, "/x/trace.so");
  EXPECT_EQ(a.config, "");
  PluginSpec b = ParsePluginSpec("/x/trace.so=file=/tmp/t;points=all");
  EXPECT_EQ(b.path, "/x/trace.so");
  EXPECT_EQ(b.config, "file=/tmp/t;points=all");
  EXPECT_EQ(AbiVersionString(DYNEMU_ABI(1, 12)), "1.12");
}

TEST_F(PluginHostTest, LoadsAndRegistersForItsPoints) {
  Script s;
  s.hooks = DYNEMU_HOOK_BIT(DYNEMU_HOOK_WRITE_PRE) | (1u << 30);  // an unknown point is ignored
  ASSERT_TRUE(Add(s).ok());
  EXPECT_EQ(host_.size(), 1u);
  EXPECT_EQ(host_.name(0), "scripted");
  EXPECT_EQ(host_.path(0), "builtin-0");
  host_.Register(registry_);
  EXPECT_TRUE(registry_.Has(HookPoint::kWritePre));
  EXPECT_FALSE(registry_.Has(HookPoint::kWritePost));
  EXPECT_FALSE(registry_.Has(HookPoint::kRequestPre));
}

TEST_F(PluginHostTest, RefusesAPluginWithoutInfo) {
  Script s;
  s.set_info = false;
  Status st = Add(s);
  EXPECT_EQ(st.message(),
            "cannot load plugin builtin-0: its dynemu_plugin_init did not set "
            "plugin->info (not a dynemu plugin?)");
  EXPECT_EQ(host_.size(), 0u);
}

TEST_F(PluginHostTest, RefusesABadMagic) {
  Script s;
  s.info.magic = 0x12345678;
  EXPECT_EQ(Add(s).message(),
            "cannot load plugin builtin-0: its plugin info has a bad magic "
            "number or size (not a dynemu plugin?)");
}

TEST_F(PluginHostTest, RefusesANewerMinorAndAnotherMajor) {
  Script newer;
  newer.info.min_abi_version = DYNEMU_ABI(1, 7);
  newer.info.abi_version = DYNEMU_ABI(1, 9);
  EXPECT_EQ(Add(newer).message(),
            "cannot load plugin builtin-0: plugin 'scripted' needs hooks ABI 1.7 (built against "
            "1.9), but this server speaks hooks ABI 1.1");
  Script older_major;
  older_major.info.min_abi_version = DYNEMU_ABI(0, 3);
  older_major.info.abi_version = DYNEMU_ABI(0, 3);
  EXPECT_EQ(Add(older_major).message(),
            "cannot load plugin builtin-1: plugin 'scripted' needs hooks ABI 0.3 (built against "
            "0.3), but this server speaks hooks ABI 1.1");
  EXPECT_EQ(host_.size(), 0u);
}

TEST_F(PluginHostTest, AVersionRefusalShutsDownAPluginWhoseInitSucceeded) {
  int shutdowns = 0;
  Script s;
  s.info.min_abi_version = DYNEMU_ABI(1, 3);
  s.on_shutdown = [&] { shutdowns++; };
  EXPECT_FALSE(Add(s).ok());
  EXPECT_EQ(shutdowns, 1);
}

TEST_F(PluginHostTest, ReportsAFailingInitWithItsReason) {
  Script s;
  s.init_result = DYNEMU_ERR_INIT;
  s.init_error = "cannot open /nowhere";
  EXPECT_EQ(Add(s).message(),
            "cannot load plugin builtin-0: plugin 'scripted' failed to "
            "initialize (code -5): cannot open /nowhere");
  Script quiet;
  quiet.init_result = 7;
  EXPECT_EQ(Add(quiet).message(),
            "cannot load plugin builtin-1: plugin 'scripted' failed to "
            "initialize (code 7): no reason given");
  Script throws;
  throws.init_throws = true;
  EXPECT_EQ(Add(throws).message(),
            "cannot load plugin builtin-2: dynemu_plugin_init threw: init blew up");
  Script no_callback;
  no_callback.set_on_event = false;
  EXPECT_EQ(Add(no_callback).message(),
            "cannot load plugin builtin-3: plugin 'scripted' "
            "subscribes to hook points but set no on_event");
  EXPECT_EQ(host_.size(), 0u);
}

TEST_F(PluginHostTest, ShutsDownInReverseLoadOrder) {
  std::vector<int> order;
  {
    PluginHost host(env_);
    for (int i = 0; i < 3; i++) {
      Script s;
      s.on_shutdown = [&order, i] { order.push_back(i); };
      g_scripts.push_back(s);
      ASSERT_TRUE(host.AddBuiltIn("p", &Init, std::to_string(g_scripts.size() - 1)).ok());
    }
  }
  EXPECT_EQ(order, (std::vector<int>{2, 1, 0}));
}

TEST_F(PluginHostTest, PreHooksInLoadOrderPostHooksInReverse) {
  std::vector<std::string> calls;
  for (int i = 0; i < 2; i++) {
    Script s;
    s.on_event = [&calls, i](dynemu_host*, dynemu_event* e) {
      calls.push_back(std::to_string(i) + "@" + std::to_string(g_api->event_point(e)));
      return DYNEMU_CONTINUE;
    };
    ASSERT_TRUE(Add(s).ok());
  }
  host_.Register(registry_);
  std::string body = "{}";
  RequestEvent request{"PutItem", &body, "REQ1"};
  registry_.RequestPre(request);
  uint16_t status = 200;
  ResponseEvent response{"PutItem", body, &status, &body, "REQ1", false};
  registry_.ResponsePost(response);
  EXPECT_EQ(calls, (std::vector<std::string>{"0@0", "1@0", "1@1", "0@1"}));
}

TEST_F(PluginHostTest, FailRendersTheNamedDynamoDbError) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    EXPECT_EQ(g_api->set_error(e, "ProvisionedThroughputExceededException", "slow down"),
              DYNEMU_OK);
    return DYNEMU_FAIL;
  });
  Verdict v = WritePre(write_);
  ASSERT_EQ(v.kind, Verdict::Kind::kFail);
  EXPECT_EQ(v.error.code(), ErrorCode::kProvisionedThroughputExceeded);
  EXPECT_EQ(v.error.message(), "slow down");
}

TEST_F(PluginHostTest, FailAcceptsTheFullWireTypeAndCancellationReasons) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    g_api->set_error(e, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                     "Transaction cancelled");
    const char kReasons[] = R"([{"Code":"None"},{"Code":"ConditionalCheckFailed"}])";
    EXPECT_EQ(g_api->set_cancellation_reasons(e, kReasons, sizeof(kReasons) - 1), DYNEMU_OK);
    EXPECT_EQ(g_api->set_cancellation_reasons(e, "{}", 2), DYNEMU_ERR_INVALID);
    return DYNEMU_FAIL;
  });
  Verdict v = WritePre(write_);
  ASSERT_EQ(v.kind, Verdict::Kind::kFail);
  EXPECT_EQ(v.error.code(), ErrorCode::kTransactionCanceled);
  EXPECT_EQ(v.error.extra_members(),
            R"("CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed"}])");
}

// Each way a plugin can answer wrongly ends as InternalServerError.
TEST_F(PluginHostTest, MisbehaviourIsContained) {
  const std::vector<std::function<dynemu_verdict(dynemu_host*, dynemu_event*)>> misdeeds = {
      [](dynemu_host*, dynemu_event*) { return 12345; },
      [](dynemu_host*, dynemu_event*) { return -1; },
      [](dynemu_host*, dynemu_event*) { return DYNEMU_FAIL; },  // no set_error
      [](dynemu_host*, dynemu_event* e) {
        g_api->set_error(e, "NoSuchException", "x");
        return DYNEMU_FAIL;
      },
      [](dynemu_host*, dynemu_event*) { return DYNEMU_DELAY; },  // no set_delay
      [](dynemu_host*, dynemu_event* e) {
        g_api->set_defer(e, 5);  // refused outside index.pre
        return DYNEMU_DEFER;
      },
      [](dynemu_host*, dynemu_event*) -> dynemu_verdict { throw std::runtime_error("boom"); },
      [](dynemu_host*, dynemu_event*) -> dynemu_verdict { throw 42; },
  };
  for (size_t i = 0; i < misdeeds.size(); i++) {
    SCOPED_TRACE(i);
    g_scripts.clear();
    PluginHost host(env_);
    Script s;
    s.on_event = misdeeds[i];
    g_scripts.push_back(s);
    ASSERT_TRUE(host.AddBuiltIn("bad", &Init, "0").ok());
    HookRegistry registry;
    host.Register(registry);
    Verdict v = registry.WritePre(write_);
    ASSERT_EQ(v.kind, Verdict::Kind::kFail);
    EXPECT_EQ(v.error.code(), ErrorCode::kInternalServerError);
    EXPECT_EQ(v.error.message(), "Internal server error");
  }
}

TEST_F(PluginHostTest, DelayAndDefer) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    EXPECT_EQ(g_api->set_delay(e, -1), DYNEMU_ERR_INVALID);
    EXPECT_EQ(g_api->set_delay(e, 600'001), DYNEMU_ERR_INVALID);
    if (g_api->event_point(e) == DYNEMU_HOOK_INDEX_PRE) {
      EXPECT_EQ(g_api->set_defer(e, 250), DYNEMU_OK);
      return DYNEMU_DEFER;
    }
    EXPECT_EQ(g_api->set_defer(e, 250), DYNEMU_ERR_UNAVAILABLE);
    EXPECT_EQ(g_api->set_delay(e, 30), DYNEMU_OK);
    return DYNEMU_DELAY;
  });
  Verdict v = WritePre(write_);
  EXPECT_EQ(v.kind, Verdict::Kind::kDelay);
  EXPECT_EQ(v.delay_ms, 30);
  IndexEvent index{"PutItem", "Orders", "by_n", &key_, &old_image_, &new_image_, "REQ1"};
  v = registry_.IndexPre(index);
  EXPECT_EQ(v.kind, Verdict::Kind::kDefer);
  EXPECT_EQ(v.defer_ms, 250);
}

TEST_F(PluginHostTest, WriteFieldsAreRenderedAsDynamoDbJson) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    EXPECT_EQ(Get(e, DYNEMU_FIELD_OPERATION), "PutItem");
    EXPECT_EQ(Get(e, DYNEMU_FIELD_TABLE), "Orders");
    EXPECT_EQ(Get(e, DYNEMU_FIELD_REQUEST_ID), "REQ1");
    EXPECT_EQ(Get(e, DYNEMU_FIELD_KEY), R"({"id":{"S":"k"}})");
    EXPECT_EQ(Get(e, DYNEMU_FIELD_OLD_IMAGE), "<1>");  // ABSENT: no item before
    EXPECT_EQ(Get(e, DYNEMU_FIELD_NEW_IMAGE), R"({"id":{"S":"k"},"n":{"N":"5"}})");
    EXPECT_EQ(Get(e, DYNEMU_FIELD_INDEX_NAME), "<-1>");  // UNAVAILABLE here
    EXPECT_EQ(Get(e, DYNEMU_FIELD_REQUEST), "<-1>");
    EXPECT_EQ(Get(e, 77), "<-1>");
    EXPECT_EQ(Get(e, DYNEMU_FIELD_TIMINGS).rfind(R"({"start_ms":1700000000000,)", 0), 0u);
    const char* data = nullptr;
    EXPECT_EQ(g_api->get_field(e, DYNEMU_FIELD_KEY, &data, nullptr), DYNEMU_ERR_INVALID);
    return DYNEMU_CONTINUE;
  });
  EXPECT_EQ(WritePre(write_).kind, Verdict::Kind::kContinue);
}

TEST_F(PluginHostTest, NewImageCanBeReplacedAtWritePreOnly) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    const std::string good = R"({"id":{"S":"k"},"x":{"BOOL":true}})";
    if (g_api->event_point(e) == DYNEMU_HOOK_WRITE_POST) {
      EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_NEW_IMAGE, good.data(), good.size()),
                DYNEMU_ERR_UNAVAILABLE);
      return DYNEMU_CONTINUE;
    }
    for (std::string bad : {"{\"id\":", "[1]", R"({"id":{"Q":"k"}})"}) {
      EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_NEW_IMAGE, bad.data(), bad.size()),
                DYNEMU_ERR_INVALID)
          << bad;
    }
    EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_NEW_IMAGE, good.data(), good.size()), DYNEMU_OK);
    EXPECT_EQ(Get(e, DYNEMU_FIELD_NEW_IMAGE), good);  // re-rendered after the change
    EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_REQUEST, "{}", 2), DYNEMU_ERR_UNAVAILABLE);
    return DYNEMU_CONTINUE;
  });
  WritePre(write_);
  ASSERT_TRUE(new_image_.has_value());
  EXPECT_EQ(new_image_->at("x"), AttributeValue::Bool(true));
  EXPECT_EQ(new_image_->count("n"), 0u);
  registry_.WritePost(write_);
}

TEST_F(PluginHostTest, AnObserverCannotMutate) {
  AddAndRegister(
      [](dynemu_host*, dynemu_event* e) {
        EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_NEW_IMAGE, "{}", 2), DYNEMU_ERR_DENIED);
        return DYNEMU_CONTINUE;
      },
      /*flags=*/0);
  WritePre(write_);
  EXPECT_EQ(new_image_->count("n"), 1u);
}

TEST_F(PluginHostTest, RequestAndResponseFields) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    if (g_api->event_point(e) == DYNEMU_HOOK_REQUEST_PRE) {
      EXPECT_EQ(Get(e, DYNEMU_FIELD_TABLE), "Orders");
      EXPECT_EQ(Get(e, DYNEMU_FIELD_KEY), R"({"id":{"S":"k"}})");
      EXPECT_EQ(Get(e, DYNEMU_FIELD_ERROR_TYPE), "<-1>");
      const std::string other = R"({"TableName":"Other"})";
      EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_REQUEST, other.data(), other.size()), DYNEMU_OK);
      EXPECT_EQ(Get(e, DYNEMU_FIELD_TABLE), "Other");
      EXPECT_EQ(Get(e, DYNEMU_FIELD_KEY), "<1>");
    } else {
      EXPECT_EQ(Get(e, DYNEMU_FIELD_REQUEST), R"({"TableName":"Other"})");
      EXPECT_EQ(Get(e, DYNEMU_FIELD_HTTP_STATUS), "400");
      EXPECT_EQ(Get(e, DYNEMU_FIELD_ERROR_TYPE), "ResourceNotFoundException");
      EXPECT_EQ(g_api->set_field(e, DYNEMU_FIELD_RESPONSE, "{\"x\":1}", 7), DYNEMU_OK);
      EXPECT_EQ(Get(e, DYNEMU_FIELD_ERROR_TYPE), "<1>");  // the new body names no error
    }
    return DYNEMU_CONTINUE;
  });
  std::string body = R"({"TableName":"Orders","Key":{"id":{"S":"k"}}})";
  RequestEvent request{"GetItem", &body, "REQ2"};
  EXPECT_EQ(registry_.RequestPre(request).kind, Verdict::Kind::kContinue);
  EXPECT_EQ(body, R"({"TableName":"Other"})");

  uint16_t status = 400;
  std::string response =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"x"})";
  ResponseEvent event{"GetItem", body, &status, &response, "REQ2", true};
  EXPECT_EQ(registry_.ResponsePost(event).kind, Verdict::Kind::kContinue);
  EXPECT_EQ(response, "{\"x\":1}");
  EXPECT_EQ(status, 400);
}

TEST_F(PluginHostTest, TransactionFields) {
  AddAndRegister([](dynemu_host*, dynemu_event* e) {
    EXPECT_EQ(Get(e, DYNEMU_FIELD_TRANSACTION), R"([{"Put":{"TableName":"T"}}])");
    if (g_api->event_point(e) == DYNEMU_HOOK_TXN_VALIDATE_POST) {
      EXPECT_EQ(Get(e, DYNEMU_FIELD_ERROR_TYPE), "TransactionCanceledException");
      EXPECT_EQ(Get(e, DYNEMU_FIELD_RESPONSE),
                R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
                R"("Message":"Transaction cancelled","CancellationReasons":[]})");
    } else {
      EXPECT_EQ(Get(e, DYNEMU_FIELD_RESPONSE), "<-1>");
    }
    return DYNEMU_CONTINUE;
  });
  Status outcome(ErrorCode::kTransactionCanceled, "Transaction cancelled",
                 R"("CancellationReasons":[])");
  TxnEvent pre{"TransactWriteItems", R"({"TransactItems":[{"Put":{"TableName":"T"}}]})", nullptr,
               "REQ3"};
  registry_.Txn(HookPoint::kTxnValidatePre, pre);
  TxnEvent post = pre;
  post.outcome = &outcome;
  registry_.Txn(HookPoint::kTxnValidatePost, post);
}

TEST_F(PluginHostTest, PerRequestDataLivesFromRequestPreToResponsePost) {
  static int slot_value = 0;
  std::vector<void*> seen;
  AddAndRegister([&seen](dynemu_host*, dynemu_event* e) {
    seen.push_back(g_api->get_request_data(e));
    if (g_api->event_point(e) == DYNEMU_HOOK_REQUEST_PRE) g_api->set_request_data(e, &slot_value);
    return DYNEMU_CONTINUE;
  });
  std::string body = "{}";
  RequestEvent request{"PutItem", &body, "REQ1"};
  registry_.RequestPre(request);
  registry_.WritePre(write_);  // same request id
  uint16_t status = 200;
  ResponseEvent response{"PutItem", body, &status, &body, "REQ1", false};
  registry_.ResponsePost(response);
  registry_.WritePost(write_);  // after response.post: forgotten
  RequestEvent next{"PutItem", &body, "REQ9"};
  registry_.RequestPre(next);
  EXPECT_EQ(seen, (std::vector<void*>{nullptr, &slot_value, &slot_value, nullptr, nullptr}));
}

TEST_F(PluginHostTest, TimingsNameThePointsPassed) {
  std::string timings;
  AddAndRegister([&timings](dynemu_host*, dynemu_event* e) {
    if (g_api->event_point(e) == DYNEMU_HOOK_WRITE_POST) timings = Get(e, DYNEMU_FIELD_TIMINGS);
    return DYNEMU_CONTINUE;
  });
  std::string body = "{}";
  RequestEvent request{"PutItem", &body, "REQ1"};
  registry_.RequestPre(request);
  clock_.AdvanceMicros(1500);
  registry_.WritePre(write_);
  clock_.AdvanceMicros(500);
  registry_.WritePost(write_);
  EXPECT_EQ(timings, R"({"start_ms":1700000000000,"elapsed_us":2000,"points_us":)"
                     R"({"request.pre":0,"write.pre":1500,"write.post":2000}})");
}

TEST_F(PluginHostTest, HostServices) {
  AddAndRegister([this](dynemu_host* host, dynemu_event*) {
    EXPECT_STREQ(g_api->config(host), "0");
    EXPECT_EQ(g_api->now_millis(host), 1'700'000'000'000);
    EXPECT_EQ(g_api->monotonic_nanos(host), clock_.MonotonicNanos());
    Random same_seed(7);
    EXPECT_EQ(g_api->random_u64(host), same_seed.Next());
    EXPECT_LT(g_api->random_uniform(host, 3), 3u);
    EXPECT_EQ(g_api->random_uniform(host, 0), 0u);
    int x = 0;
    g_api->set_state(host, &x);
    EXPECT_EQ(g_api->get_state(host), &x);
    g_api->log(host, DYNEMU_LOG_INFO, "hello from a test plugin");
    g_api->log(host, 99, "an unknown level logs as an error");
    g_api->set_init_error(host, "ignored outside init");
    return DYNEMU_CONTINUE;
  });
  WritePre(write_);
}

}  // namespace
}  // namespace dynemu
