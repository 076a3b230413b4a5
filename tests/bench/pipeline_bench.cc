// Google Benchmark: a whole request through the pipeline, without the network
// (JSON parse, shape check, signature header, handler, engine, LevelDB,
// rendering): what the server spends per request besides its sockets. The
// bodies are the load driver's (tools/bench/load_driver): PutItem of a ~1 KB
// item with a random key, GetItem of one of 10,000 such items (whole, and
// projected on two of its attributes), UpdateItem
// incrementing one of 1,000 counters under a condition on its value. Run with:
//   cmake -S . -B build -DDYNEMU_BENCH=ON && ninja -C build pipeline_bench &&
//   build/tests/bench/pipeline_bench            (LevelDB's in-memory Env)
//   build/tests/bench/pipeline_bench --disk     (a temporary directory)

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "base/env.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "pipeline/pipeline.h"
#include "storage/store.h"

namespace dynemu {
namespace {

bool on_disk = false;

constexpr char kAuth[] =
    "AWS4-HMAC-SHA256 Credential=bench/20250101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000";
constexpr int kGetItems = 10000;

std::string PutBody(const std::string& id, uint64_t n) {
  std::string body = R"({"TableName":"bench","Item":{"id":{"S":")" + id + R"("},"n":{"N":")" +
                     std::to_string(n) + R"("},"payload":{"S":")";
  body.append(1000, 'x');
  body += R"("}}})";
  return body;
}

Operation Op(const char* name, std::string body) {
  Operation op;
  op.target = std::string("DynamoDB_20120810.") + name;
  op.body = std::move(body);
  op.authorization = kAuth;
  op.has_date = true;
  return op;
}

// One server's core: store, engine, pipeline, a table "bench" keyed by id (S).
class Server {
 public:
  Server() {
    Store::Options options;
    options.row_cache_bytes = 16 << 20;  // the server's default
    if (on_disk) {
      dir_ = std::filesystem::temp_directory_path() /
             ("dynemu-pipeline-bench-" + std::to_string(::getpid()));
      std::filesystem::remove_all(dir_);
      options.path = dir_.string();
      options.block_cache_bytes = 16 << 20;
      options.write_buffer_bytes = 16 << 20;
    } else {
      options.in_memory = true;
    }
    store_ = std::move(Store::Open(options)).value();
    engine_ = std::make_unique<Engine>(env_, *store_, hooks_);
    if (!engine_->Open().ok()) std::abort();
    pipeline_ = std::make_unique<Pipeline>(*engine_, env_, hooks_, nullptr);
    Response r = pipeline_->RunSync(
        Op("CreateTable",
           R"({"TableName":"bench","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],)"
           R"("KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})"));
    if (r.http_status != 200) std::abort();
  }
  ~Server() {
    pipeline_.reset();
    engine_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  Response Run(Operation op) { return pipeline_->RunSync(std::move(op)); }

 private:
  SystemClock clock_;
  Random random_{7};
  Env env_{clock_, random_};
  HookRegistry hooks_;
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Pipeline> pipeline_;
};

void BM_PutItem(benchmark::State& state) {
  Server server;
  // Bodies made beforehand; the loop pays a copy of one (~1 KB), as the server
  // pays for taking it off the socket.
  std::mt19937_64 rng(1);
  std::vector<std::string> bodies(4096);
  for (std::string& body : bodies) {
    const uint64_t r = rng();
    body = PutBody("p" + std::to_string(r), r % 1000000);
  }
  size_t next = 0;
  for (auto _ : state) {
    // Each pass over the bodies writes new keys: a different first letter.
    std::string body = bodies[next % bodies.size()];
    body[body.find("\"p") + 1] = static_cast<char>('a' + (next / bodies.size()) % 26);
    ++next;
    Response response = server.Run(Op("PutItem", std::move(body)));
    if (response.http_status != 200) state.SkipWithError(response.body.c_str());
  }
}
BENCHMARK(BM_PutItem)->Unit(benchmark::kMicrosecond);

// GetItem of one of kGetItems items; `more` ends the request's JSON (after
// the key's closing brace).
void RunGets(benchmark::State& state, const std::string& more) {
  Server server;
  for (int i = 0; i < kGetItems; ++i) server.Run(Op("PutItem", PutBody("g" + std::to_string(i), i)));
  std::mt19937_64 rng(1);
  std::vector<std::string> bodies(4096);
  for (std::string& body : bodies) {
    body = R"({"TableName":"bench","Key":{"id":{"S":"g)" + std::to_string(rng() % kGetItems) +
           R"("}})" + more;
  }
  size_t next = 0;
  for (auto _ : state) {
    Response response = server.Run(Op("GetItem", bodies[next++ % bodies.size()]));
    if (response.http_status != 200) state.SkipWithError(response.body.c_str());
  }
}

void BM_GetItem(benchmark::State& state) { RunGets(state, "}"); }
BENCHMARK(BM_GetItem)->Unit(benchmark::kMicrosecond);

// The same items, projected on two of their three attributes.
void BM_GetItemProjected(benchmark::State& state) {
  RunGets(state, R"(,"ProjectionExpression":"id, payload"})");
}
BENCHMARK(BM_GetItemProjected)->Unit(benchmark::kMicrosecond);

void BM_UpdateItem(benchmark::State& state) {
  constexpr int kCounters = 1000;
  Server server;
  for (int i = 0; i < kCounters; ++i) {
    server.Run(Op("PutItem", R"({"TableName":"bench","Item":{"id":{"S":"c)" + std::to_string(i) +
                                 R"("},"cnt":{"N":"0"}}})"));
  }
  std::vector<int64_t> counters(kCounters, 0);
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    const size_t c = rng() % kCounters;
    std::string body = R"({"TableName":"bench","Key":{"id":{"S":"c)" + std::to_string(c) +
                       R"("}},"UpdateExpression":"SET cnt = cnt + :one","ConditionExpression":"cnt = :cur",)"
                       R"("ExpressionAttributeValues":{":one":{"N":"1"},":cur":{"N":")" +
                       std::to_string(counters[c]) + R"("}},"ReturnValues":"UPDATED_NEW"})";
    Response response = server.Run(Op("UpdateItem", std::move(body)));
    if (response.http_status != 200) state.SkipWithError(response.body.c_str());
    ++counters[c];
  }
}
BENCHMARK(BM_UpdateItem)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace dynemu

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--disk") == 0) {
      dynemu::on_disk = true;
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      break;
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
