#include "host/hook_dispatch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dynemu {
namespace {

// Records each call as "<id>:<point>" and answers a fixed verdict.
class Recorder : public HookSubscriber {
 public:
  Recorder(std::string id, std::vector<std::string>* log, Verdict verdict = Verdict::Continue())
      : id_(std::move(id)), log_(log), verdict_(std::move(verdict)) {}

  Verdict OnRequestPre(RequestEvent&) override { return Record("request.pre"); }
  Verdict OnResponsePost(ResponseEvent&) override { return Record("response.post"); }
  Verdict OnWritePre(WriteEvent&) override { return Record("write.pre"); }
  Verdict OnWritePost(const WriteEvent&) override { return Record("write.post"); }
  Verdict OnIndexPre(const IndexEvent&) override { return Record("index.pre"); }
  Verdict OnIndexPost(const IndexEvent&) override { return Record("index.post"); }
  Verdict OnTxn(HookPoint point, const TxnEvent&) override {
    return Record(std::string(HookPointName(point)));
  }

 private:
  Verdict Record(const std::string& point) {
    log_->push_back(id_ + ":" + point);
    return verdict_;
  }
  std::string id_;
  std::vector<std::string>* log_;
  Verdict verdict_;
};

constexpr uint32_t kAll = (1u << static_cast<uint32_t>(HookPoint::kCount)) - 1;

TEST(HookDispatchTest, PointNamesAndKinds) {
  EXPECT_EQ(HookPointName(HookPoint::kRequestPre), "request.pre");
  EXPECT_EQ(HookPointName(HookPoint::kTxnCommitPost), "txn.commit.post");
  EXPECT_FALSE(IsPostPoint(HookPoint::kWritePre));
  EXPECT_TRUE(IsPostPoint(HookPoint::kWritePost));
  EXPECT_TRUE(IsPostPoint(HookPoint::kTxnValidatePost));
  EXPECT_EQ(HookBit(HookPoint::kWritePre), 4u);
}

TEST(HookDispatchTest, EmptyRegistryHasNothing) {
  HookRegistry registry;
  for (uint32_t p = 0; p < static_cast<uint32_t>(HookPoint::kCount); p++) {
    EXPECT_FALSE(registry.Has(static_cast<HookPoint>(p)));
  }
}

TEST(HookDispatchTest, PreInLoadOrderPostInReverse) {
  std::vector<std::string> log;
  Recorder a("a", &log), b("b", &log);
  HookRegistry registry;
  registry.Add(&a, kAll);
  registry.Add(&b, kAll);

  std::string body;
  RequestEvent request{"PutItem", &body, "id"};
  registry.RequestPre(request);
  Item key;
  std::optional<Item> old_image, new_image;
  WriteEvent write{"PutItem", "T", &key, &old_image, &new_image, "id"};
  registry.WritePre(write);
  IndexEvent index{"PutItem", "T", "gsi", &key, &old_image, &new_image, "id"};
  registry.IndexPre(index);
  registry.IndexPost(index);
  registry.WritePost(write);
  TxnEvent txn{"TransactWriteItems", "{}", nullptr, "id"};
  registry.Txn(HookPoint::kTxnValidatePre, txn);
  registry.Txn(HookPoint::kTxnCommitPost, txn);
  uint16_t status = 200;
  ResponseEvent response{"PutItem", body, &status, &body, "id", false};
  registry.ResponsePost(response);

  EXPECT_EQ(log, (std::vector<std::string>{
                     "a:request.pre", "b:request.pre", "a:write.pre", "b:write.pre", "a:index.pre",
                     "b:index.pre", "b:index.post", "a:index.post", "b:write.post", "a:write.post",
                     "a:txn.validate.pre", "b:txn.validate.pre", "b:txn.commit.post",
                     "a:txn.commit.post", "b:response.post", "a:response.post"}));
}

TEST(HookDispatchTest, OnlySubscribedPoints) {
  std::vector<std::string> log;
  Recorder a("a", &log);
  HookRegistry registry;
  registry.Add(&a, HookBit(HookPoint::kWritePost));
  EXPECT_TRUE(registry.Has(HookPoint::kWritePost));
  EXPECT_FALSE(registry.Has(HookPoint::kWritePre));
}

TEST(HookDispatchTest, FailStopsAndDelaysAddUp) {
  std::vector<std::string> log;
  Recorder slow1("slow1", &log, Verdict::Delay(10));
  Recorder slow2("slow2", &log, Verdict::Delay(15));
  Recorder no("no", &log, Verdict::Fail(ValidationError("nope")));
  Recorder after("after", &log);

  HookRegistry delays;
  delays.Add(&slow1, kAll);
  delays.Add(&slow2, kAll);
  std::string body;
  RequestEvent request{"PutItem", &body, "id"};
  Verdict v = delays.RequestPre(request);
  EXPECT_EQ(v.kind, Verdict::Kind::kDelay);
  EXPECT_EQ(v.delay_ms, 25);

  HookRegistry fails;
  fails.Add(&slow1, kAll);
  fails.Add(&no, kAll);
  fails.Add(&after, kAll);
  log.clear();
  v = fails.RequestPre(request);
  EXPECT_EQ(v.kind, Verdict::Kind::kFail);
  EXPECT_EQ(v.error.code(), ErrorCode::kValidation);
  EXPECT_EQ(v.error.message(), "nope");
  EXPECT_EQ(log, (std::vector<std::string>{"slow1:request.pre", "no:request.pre"}));
}

TEST(HookDispatchTest, TheLongestDeferWins) {
  std::vector<std::string> log;
  Recorder d1("d1", &log, Verdict::Defer(100));
  Recorder d2("d2", &log, Verdict::Defer(40));
  Recorder slow("slow", &log, Verdict::Delay(5));
  HookRegistry registry;
  registry.Add(&d1, kAll);
  registry.Add(&slow, kAll);
  registry.Add(&d2, kAll);
  Item key;
  std::optional<Item> none;
  IndexEvent index{"PutItem", "T", "gsi", &key, &none, &none, "id"};
  Verdict v = registry.IndexPre(index);
  EXPECT_EQ(v.kind, Verdict::Kind::kDefer);
  EXPECT_EQ(v.defer_ms, 100);
  EXPECT_EQ(v.delay_ms, 5);
}

}  // namespace
}  // namespace dynemu
