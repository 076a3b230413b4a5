#pragma once

// The requests of the load driver's workloads and the checks of their answers.
// Every answer is classified: ok (status 200 and the expected content), error
// (a non-200 answer) or wrong (an answer that claims success but carries the
// wrong content, or a condition failure the driver's own bookkeeping rules out).
// Only ok answers count as throughput.

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace dynemu::bench {

enum class Op { kPut, kGet, kQuery, kUpdate };

enum class WorkloadKind { kPut, kGet, kQuery, kUpdate, kMix };

const char* WorkloadName(WorkloadKind kind);
// Parses "put", "get", "query", "update" or "mix"; false if unknown.
bool ParseWorkload(std::string_view name, WorkloadKind* kind);
// The DynamoDB operation name of `op` ("PutItem", ...).
const char* OperationName(Op op);

enum class Outcome { kOk, kError, kWrong };

// The shape of the benchmark data, the same for every endpoint.
struct DataShape {
  std::string table = "bench";         // hash key id (S): g<i> items, c<j> counters, p<r> puts
  std::string query_table = "benchq";  // hash key pk (S), range key sk (N)
  uint64_t get_items = 10000;          // g0 .. g<get_items-1>, ~1 KB each
  uint64_t partitions = 100;           // q0 .. q<partitions-1>, 20 items each
  uint32_t partition_items = 20;
  uint32_t counters_per_slot = 8;      // counter items per connection slot
  size_t payload_bytes = 1000;
  size_t query_payload_bytes = 100;
};

// One request in flight and what its answer must contain.
struct Request {
  Op op = Op::kGet;
  std::string body;
  uint64_t index = 0;     // the item, partition or counter it addresses
  int64_t expected = 0;   // UpdateItem: the counter value the answer must carry
};

// Per-endpoint state the workloads keep between requests: the value each
// counter item holds, as far as the driver knows. A connection slot owns its
// counters, so no two requests in flight touch the same one.
struct EndpointState {
  std::vector<int64_t> counters;
};

// `bytes` characters drawn from `seed` (the same seed, the same text).
std::string Payload(uint64_t seed, size_t bytes);

// The key of preloaded item i ("g<i>"), the items GetItem reads.
std::string ItemKey(uint64_t i);

// The request bodies; `rng` draws random keys.
// PutBody's item: id = key, n = n, payload = Payload(n, payload).
std::string PutBody(const DataShape& shape, std::string_view key, uint64_t n, size_t payload);
std::string QueryItemBody(const DataShape& shape, uint64_t partition, uint32_t sort_key);
std::string CounterBody(const DataShape& shape, uint64_t counter);

// Builds the next request of `op` for connection `slot`.
void MakeRequest(Op op, const DataShape& shape, uint32_t slot, std::mt19937_64& rng,
                 const EndpointState& state, Request* request);

// Classifies the answer to `request`. On an ok UpdateItem, advances the
// counter in `state`.
Outcome Check(const Request& request, int status, std::string_view body, EndpointState* state);

// A mix: the operations drawn with these weights (percent); operations that an
// endpoint lacks are given weight 0 by the caller.
struct MixWeights {
  int get = 60, put = 20, query = 10, update = 10;
};
Op DrawMixOp(const MixWeights& weights, std::mt19937_64& rng);

}  // namespace dynemu::bench
