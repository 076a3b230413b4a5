#include "pipeline/pipeline.h"

#include <thread>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "pipeline/scheduler.h"
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

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Store::Options options;
    options.in_memory = true;
    store_ = std::move(Store::Open(options)).value();
    engine_ = std::make_unique<Engine>(env_, *store_, hooks_);
    ASSERT_TRUE(engine_->Open().ok());
    pipeline_ = std::make_unique<Pipeline>(*engine_, env_, hooks_, nullptr);
    TableDescription d;
    d.table_name = "Tbl";
    d.attribute_definitions = {{"id", ScalarType::kS}};
    d.key_schema = {{"id", KeyType::kHash}};
    ASSERT_TRUE(engine_->CreateTable(d).ok());
  }

  Response Run(Operation op) { return pipeline_->RunSync(std::move(op)); }

  ManualClock clock_;
  Random random_{7};
  Env env_{clock_, random_};
  HookRegistry hooks_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Pipeline> pipeline_;
};

TEST_F(PipelineTest, PutThenGet) {
  Response put = Run(Op("PutItem", R"({"TableName":"Tbl","Item":{"id":{"S":"a"},"n":{"N":"007"}}})"));
  EXPECT_EQ(put.http_status, 200) << put.body;
  EXPECT_EQ(put.body, "{}");
  EXPECT_EQ(put.request_id.size(), 52u);
  EXPECT_EQ(put.operation, "PutItem");
  Response get = Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"S":"a"}}})"));
  EXPECT_EQ(get.http_status, 200);
  EXPECT_EQ(get.body, R"({"Item":{"id":{"S":"a"},"n":{"N":"7"}}})");
}

TEST_F(PipelineTest, ChecksComeInDynamoDBsOrder) {
  // Malformed JSON wins over an unknown target and a missing signature.
  Operation bad_json = Op("NoSuchOperation", "{\"TableName\":");
  bad_json.authorization.clear();
  Response r = Run(bad_json);
  EXPECT_EQ(r.http_status, 400);
  EXPECT_EQ(r.body, R"({"__type":"com.amazon.coral.service#SerializationException"})");

  // Then the target.
  Operation unknown = Op("NoSuchOperation", "{}");
  unknown.authorization.clear();
  EXPECT_EQ(Run(unknown).body, R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
  Operation no_target = Op("PutItem", "{}");
  no_target.target.clear();
  EXPECT_EQ(Run(no_target).body,
            R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");
  Operation old_version = Op("PutItem", "{}");
  old_version.target = "DynamoDB_20111205.PutItem";
  EXPECT_EQ(Run(old_version).body,
            R"({"__type":"com.amazon.coral.service#UnknownOperationException"})");

  // Then the signature.
  Operation unsigned_op = Op("ListTables", "{}");
  unsigned_op.authorization.clear();
  EXPECT_EQ(Run(unsigned_op).body,
            R"({"__type":"com.amazon.coral.service#MissingAuthenticationTokenException",)"
            R"("message":"Request is missing Authentication Token"})");
  Operation incomplete = Op("ListTables", "{}");
  incomplete.authorization = "AWS4-HMAC-SHA256 Signature=b";
  incomplete.has_date = false;
  EXPECT_EQ(
      Run(incomplete).body,
      R"({"__type":"com.amazon.coral.service#IncompleteSignatureException","message":)"
      R"("Authorization header requires 'Credential' parameter. Authorization header requires )"
      R"('SignedHeaders' parameter. Authorization header requires existence of either a )"
      R"('X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Signature=b"})");

  // Then an empty body.
  EXPECT_EQ(Run(Op("GetItem", "")).body,
            R"({"__type":"com.amazon.coral.service#SerializationException"})");
}

TEST_F(PipelineTest, ItemOperationErrors) {
  Response missing = Run(Op("GetItem", R"({"TableName":"Nope1","Key":{"id":{"S":"a"}}})"));
  EXPECT_EQ(missing.http_status, 400);
  EXPECT_EQ(missing.body,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
            R"("message":"Requested resource not found"})");
  Response wrong_key = Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"N":"1"}}})"));
  EXPECT_EQ(wrong_key.body,
            R"({"__type":"com.amazon.coral.validate#ValidationException",)"
            R"("message":"The provided key element does not match the schema"})");
  Response rv = Run(Op("PutItem", R"({"TableName":"Tbl","Item":{"id":{"S":"a"}},"ReturnValues":"ALL_NEW"})"));
  EXPECT_EQ(rv.body,
            R"({"__type":"com.amazon.coral.validate#ValidationException",)"
            R"("message":"ReturnValues can only be ALL_OLD or NONE"})");
  // A condition is evaluated: the first conditional put creates the item, the
  // second finds it and fails, returning it when asked.
  const std::string conditional =
      R"j({"TableName":"Tbl","Item":{"id":{"S":"a"}},"ConditionExpression":"attribute_not_exists(id)",)j"
      R"j("ReturnValuesOnConditionCheckFailure":"ALL_OLD"})j";
  Response cond = Run(Op("PutItem", conditional));
  EXPECT_EQ(cond.http_status, 200) << cond.body;
  Response failed = Run(Op("PutItem", conditional));
  EXPECT_EQ(failed.http_status, 400);
  EXPECT_EQ(failed.body,
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
            R"("message":"The conditional request failed","Item":{"id":{"S":"a"}}})");
}

TEST_F(PipelineTest, ReturnValuesAndCapacity) {
  ASSERT_EQ(Run(Op("PutItem", R"({"TableName":"Tbl","Item":{"id":{"S":"a"},"v":{"S":"1"}}})")).http_status, 200);
  Response put = Run(Op("PutItem",
      R"({"TableName":"Tbl","Item":{"id":{"S":"a"},"v":{"S":"2"}},"ReturnValues":"ALL_OLD","ReturnConsumedCapacity":"INDEXES"})"));
  EXPECT_EQ(put.body,
            R"({"Attributes":{"id":{"S":"a"},"v":{"S":"1"}},"ConsumedCapacity":{"TableName":"Tbl",)"
            R"("CapacityUnits":1.0,"Table":{"CapacityUnits":1.0}}})");
  Response get = Run(Op("GetItem",
      R"({"TableName":"Tbl","Key":{"id":{"S":"a"}},"AttributesToGet":["v"],"ReturnConsumedCapacity":"TOTAL"})"));
  EXPECT_EQ(get.body,
            R"({"Item":{"v":{"S":"2"}},"ConsumedCapacity":{"TableName":"Tbl","CapacityUnits":0.5}})");
  Response del = Run(Op("DeleteItem",
      R"({"TableName":"Tbl","Key":{"id":{"S":"a"}},"ReturnValues":"ALL_OLD"})"));
  EXPECT_EQ(del.body, R"({"Attributes":{"id":{"S":"a"},"v":{"S":"2"}}})");
  EXPECT_EQ(Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"S":"a"}}})")).body, "{}");
}

class ScriptedHook : public HookSubscriber {
 public:
  Verdict OnRequestPre(RequestEvent& event) override {
    if (throw_on_request) throw std::runtime_error("plugin bug");
    if (event.body->find("\"fail-me\"") != std::string::npos) {
      return Verdict::Fail(Status(ErrorCode::kThrottling, "Rate exceeded"));
    }
    if (event.operation == "PutItem" && event.body->find("\"rewrite-me\"") != std::string::npos) {
      *event.body = R"({"TableName":"Tbl","Item":{"id":{"S":"rewritten"}}})";
    }
    return delay_ms ? Verdict::Delay(delay_ms) : Verdict::Continue();
  }
  Verdict OnResponsePost(ResponseEvent& event) override {
    seen_status = *event.http_status;
    if (replace_response) *event.body = R"({"replaced":true})";
    return Verdict::Continue();
  }
  bool throw_on_request = false;
  bool replace_response = false;
  int64_t delay_ms = 0;
  int seen_status = 0;
};

class ManualScheduler : public Scheduler {
 public:
  void RunAfter(int64_t delay_ms, std::function<void()> fn) override {
    delays.push_back(delay_ms);
    pending.push_back(std::move(fn));
  }
  std::vector<int64_t> delays;
  std::vector<std::function<void()>> pending;
};

TEST_F(PipelineTest, RequestAndResponseHooks) {
  ScriptedHook hook;
  hooks_.Add(&hook, (1u << static_cast<int>(HookPoint::kRequestPre)) |
                        (1u << static_cast<int>(HookPoint::kResponsePost)));
  Response failed = Run(Op("PutItem", R"({"TableName":"Tbl","Item":{"id":{"S":"fail-me"}}})"));
  EXPECT_EQ(failed.http_status, 400);
  EXPECT_EQ(failed.body, R"({"__type":"com.amazon.coral.availability#ThrottlingException",)"
                         R"("message":"Rate exceeded"})");
  EXPECT_EQ(hook.seen_status, 400);

  ASSERT_EQ(Run(Op("PutItem", R"({"TableName":"Tbl","Item":{"id":{"S":"rewrite-me"}}})")).http_status, 200);
  EXPECT_EQ(Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"S":"rewritten"}}})")).body,
            R"({"Item":{"id":{"S":"rewritten"}}})");
  EXPECT_EQ(Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"S":"rewrite-me"}}})")).body, "{}");

  hook.replace_response = true;
  EXPECT_EQ(Run(Op("ListTables", "{}")).body, R"({"replaced":true})");
  hook.replace_response = false;

  // A subscriber that throws is contained: InternalServerError, and the next request is served.
  hook.throw_on_request = true;
  Response crashed = Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"S":"a"}}})"));
  EXPECT_EQ(crashed.http_status, 500);
  EXPECT_EQ(crashed.request_id.size(), 52u);
  hook.throw_on_request = false;
  EXPECT_EQ(Run(Op("GetItem", R"({"TableName":"Tbl","Key":{"id":{"S":"a"}}})")).http_status, 200);
}

TEST_F(PipelineTest, DelaysGoThroughTheScheduler) {
  ScriptedHook hook;
  hook.delay_ms = 40;
  hooks_.Add(&hook, 1u << static_cast<int>(HookPoint::kRequestPre));
  ManualScheduler scheduler;
  Pipeline pipeline(*engine_, env_, hooks_, &scheduler);
  bool done = false;
  Response got;
  pipeline.Run(Op("ListTables", "{}"), [&](Response r) {
    done = true;
    got = std::move(r);
  });
  // Nothing blocked and nothing answered yet: the answer waits for the timer.
  EXPECT_FALSE(done);
  ASSERT_EQ(scheduler.delays, (std::vector<int64_t>{40}));
  scheduler.pending[0]();
  EXPECT_TRUE(done);
  EXPECT_EQ(got.http_status, 200);
}

}  // namespace
}  // namespace dynemu
