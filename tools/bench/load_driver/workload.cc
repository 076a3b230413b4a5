#include "tools/bench/load_driver/workload.h"

#include <string>

namespace dynemu::bench {
namespace {

// Counts the non-overlapping occurrences of `needle` in `text`.
size_t CountOf(std::string_view text, std::string_view needle) {
  size_t count = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++count;
  }
  return count;
}

bool Contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

std::string KeyOf(char prefix, uint64_t index) {
  std::string key(1, prefix);
  key += std::to_string(index);
  return key;
}

}  // namespace

std::string Payload(uint64_t seed, size_t bytes) {
  // splitmix64, six bits per character: incompressible (LevelDB's Snappy would
  // shrink a run of one letter to nothing and flatter the disk and cache
  // figures) and safe inside a JSON string without escaping.
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out(bytes, ' ');
  uint64_t x = seed;
  for (size_t i = 0; i < bytes; i += 10) {
    x += 0x9e3779b97f4a7c15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (size_t j = i; j < i + 10 && j < bytes; ++j, z >>= 6) out[j] = kAlphabet[z & 63];
  }
  return out;
}

std::string ItemKey(uint64_t i) { return KeyOf('g', i); }

const char* WorkloadName(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::kPut: return "put";
    case WorkloadKind::kGet: return "get";
    case WorkloadKind::kQuery: return "query";
    case WorkloadKind::kUpdate: return "update";
    case WorkloadKind::kMix: return "mix";
  }
  return "?";
}

bool ParseWorkload(std::string_view name, WorkloadKind* kind) {
  for (WorkloadKind k : {WorkloadKind::kPut, WorkloadKind::kGet, WorkloadKind::kQuery,
                         WorkloadKind::kUpdate, WorkloadKind::kMix}) {
    if (name == WorkloadName(k)) {
      *kind = k;
      return true;
    }
  }
  return false;
}

const char* OperationName(Op op) {
  switch (op) {
    case Op::kPut: return "PutItem";
    case Op::kGet: return "GetItem";
    case Op::kQuery: return "Query";
    case Op::kUpdate: return "UpdateItem";
  }
  return "?";
}

std::string PutBody(const DataShape& shape, std::string_view key, uint64_t n, size_t payload) {
  std::string body;
  body.reserve(payload + shape.table.size() + 96);
  body += R"({"TableName":")";
  body += shape.table;
  body += R"(","Item":{"id":{"S":")";
  body += key;
  body += R"("},"n":{"N":")";
  body += std::to_string(n);
  body += R"("},"payload":{"S":")";
  body += Payload(n, payload);
  body += R"("}}})";
  return body;
}

std::string QueryItemBody(const DataShape& shape, uint64_t partition, uint32_t sort_key) {
  std::string body = R"({"TableName":")" + shape.query_table + R"(","Item":{"pk":{"S":")" +
                     KeyOf('q', partition) + R"("},"sk":{"N":")" + std::to_string(sort_key) +
                     R"("},"payload":{"S":")";
  body.append(shape.query_payload_bytes, 'y');
  body += R"("}}})";
  return body;
}

std::string CounterBody(const DataShape& shape, uint64_t counter) {
  return R"({"TableName":")" + shape.table + R"(","Item":{"id":{"S":")" + KeyOf('c', counter) +
         R"("},"cnt":{"N":"0"}}})";
}

void MakeRequest(Op op, const DataShape& shape, uint32_t slot, std::mt19937_64& rng,
                 const EndpointState& state, Request* request) {
  request->op = op;
  switch (op) {
    case Op::kPut: {
      // Random keys over a space far larger than any run writes: nearly every
      // PutItem creates an item.
      const uint64_t r = rng();
      request->index = r;
      request->body = PutBody(shape, KeyOf('p', r), r % 1000000, shape.payload_bytes);
      return;
    }
    case Op::kGet: {
      const uint64_t i = rng() % shape.get_items;
      request->index = i;
      request->body = R"({"TableName":")" + shape.table + R"(","Key":{"id":{"S":")" +
                      KeyOf('g', i) + R"("}}})";
      return;
    }
    case Op::kQuery: {
      const uint64_t p = rng() % shape.partitions;
      request->index = p;
      request->body = R"({"TableName":")" + shape.query_table +
                      R"(","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":")" +
                      KeyOf('q', p) + R"("}}})";
      return;
    }
    case Op::kUpdate: {
      // A counter this slot owns; the condition names the value the driver
      // expects, so a lost or doubled increment shows up as a wrong answer.
      const uint64_t c = uint64_t{slot} * shape.counters_per_slot + rng() % shape.counters_per_slot;
      const int64_t current = c < state.counters.size() ? state.counters[c] : 0;
      request->index = c;
      request->expected = current + 1;
      request->body = R"({"TableName":")" + shape.table + R"(","Key":{"id":{"S":")" +
                      KeyOf('c', c) +
                      R"("}},"UpdateExpression":"SET cnt = cnt + :one","ConditionExpression":"cnt = :cur",)"
                      R"("ExpressionAttributeValues":{":one":{"N":"1"},":cur":{"N":")" +
                      std::to_string(current) + R"("}},"ReturnValues":"UPDATED_NEW"})";
      return;
    }
  }
}

Outcome Check(const Request& request, int status, std::string_view body, EndpointState* state) {
  if (status != 200) {
    // The driver only asks for increments whose condition holds (it tracks the
    // counters): a failed condition means the server lost or invented a write.
    if (request.op == Op::kUpdate && Contains(body, "ConditionalCheckFailedException")) {
      return Outcome::kWrong;
    }
    return Outcome::kError;
  }
  switch (request.op) {
    case Op::kPut:
      return body == "{}" ? Outcome::kOk : Outcome::kWrong;
    case Op::kGet: {
      const std::string id = R"("id":{"S":"g)" + std::to_string(request.index) + R"("})";
      const std::string n = R"("n":{"N":")" + std::to_string(request.index) + R"("})";
      // The payload written at preload; its closing quote checks it was not cut.
      const bool ok = Contains(body, R"("Item":)") && Contains(body, id) && Contains(body, n) &&
                      Contains(body, Payload(request.index, 1000) + "\"");
      return ok ? Outcome::kOk : Outcome::kWrong;
    }
    case Op::kQuery: {
      const std::string pk = R"("pk":{"S":"q)" + std::to_string(request.index) + R"("})";
      const bool ok = Contains(body, R"("Count":20)") && CountOf(body, pk) == 20;
      return ok ? Outcome::kOk : Outcome::kWrong;
    }
    case Op::kUpdate: {
      const std::string cnt = R"("cnt":{"N":")" + std::to_string(request.expected) + R"("})";
      if (!Contains(body, cnt)) return Outcome::kWrong;
      if (request.index < state->counters.size()) state->counters[request.index] = request.expected;
      return Outcome::kOk;
    }
  }
  return Outcome::kWrong;
}

Op DrawMixOp(const MixWeights& weights, std::mt19937_64& rng) {
  const int total = weights.get + weights.put + weights.query + weights.update;
  int r = static_cast<int>(rng() % static_cast<uint64_t>(total > 0 ? total : 1));
  if ((r -= weights.get) < 0) return Op::kGet;
  if ((r -= weights.put) < 0) return Op::kPut;
  if ((r -= weights.query) < 0) return Op::kQuery;
  return Op::kUpdate;
}

}  // namespace dynemu::bench
