#pragma once

// The fixture of the operation tests: a real Engine over an in-memory Store and
// a manual clock, and helpers that call a handler with a JSON request the way
// the pipeline does (after the shape check, which these tests do not need).

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "base/env.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "json/json.h"
#include "ops/operation_table.h"
#include "ops/table_ops.h"
#include "storage/store.h"

namespace dynemu {

struct Reply {
  Status status;
  std::string body;
};

class OpTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Opens the engine again over the same store (a restart).
  void Reopen() {
    engine_.reset();
    if (!store_) {
      Store::Options options;
      options.in_memory = true;
      store_ = std::move(Store::Open(options)).value();
    }
    // Index work (backfill, removal, deferred entries) runs when a test asks.
    engine_ = std::make_unique<Engine>(env_, *store_, hooks_,
                                       Engine::Options{/*background_index_work=*/false});
    ASSERT_TRUE(engine_->Open().ok());
  }

  Reply Call(OpHandler handler, const std::string& request) {
    json::Document doc;
    EXPECT_TRUE(json::Parse(request, &doc).ok()) << "bad test JSON: " << request;
    OpContext ctx{*engine_, "Test", "req-1"};
    json::StringBuffer buffer;
    json::Writer writer(buffer);
    Status status = handler(ctx, doc, writer);
    return Reply{std::move(status), std::string(buffer.GetString(), buffer.GetSize())};
  }

  // Calls `handler` and expects success; returns the parsed answer and keeps
  // its raw text in last_body_.
  json::Document Ok(OpHandler handler, const std::string& request) {
    Reply reply = Call(handler, request);
    last_body_ = reply.body;
    EXPECT_TRUE(reply.status.ok()) << request << " -> " << reply.status.ToString();
    json::Document doc;
    if (reply.status.ok() && !reply.body.empty()) {
      EXPECT_TRUE(json::Parse(reply.body, &doc).ok()) << reply.body;
    }
    return doc;
  }

  // Calls `handler` and expects an error, with nothing written; returns its message.
  std::string Error(OpHandler handler, const std::string& request) {
    Reply reply = Call(handler, request);
    EXPECT_FALSE(reply.status.ok()) << request;
    EXPECT_TRUE(reply.body.empty()) << reply.body;
    return reply.status.message();
  }

  // Creates an on-demand table keyed by one string attribute, "pk".
  void CreateTableKeyedByPk(const std::string& name) {
    Ok(HandleCreateTable,
       R"({"TableName":")" + name +
           R"(","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
           R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
  }

  std::string last_body_;
  ManualClock clock_{1'700'000'000'000'000};
  Random random_{42};
  Env env_{clock_, random_};
  HookRegistry hooks_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace dynemu
