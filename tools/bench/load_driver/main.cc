// dynemu-bench: a load driver for any DynamoDB endpoint. Sets up the benchmark
// tables, preloads them, runs the workloads against each endpoint in
// alternating rounds (A B, B A, ...) and prints rate, latency, errors and wrong
// answers per endpoint, and the ratio of the first endpoint to each other one.
// With --startup it instead starts a server command and measures the time to
// its first answered request. See README, Performance.

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>

#include "tools/bench/load_driver/runner.h"
#include "tools/bench/load_driver/workload.h"

namespace {

namespace po = boost::program_options;
using namespace dynemu::bench;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::vector<std::string> endpoints;
  std::string workloads = "put,get,query,update,mix";
  uint32_t connections = 32;
  uint32_t threads = 1;
  int64_t duration_ms = 3000;
  int64_t warmup_ms = 300;
  int rounds = 4;
  uint64_t seed = 1;
  bool setup = true;
  bool progress = false;
  uint64_t preload_only = 0;  // >0: preload g<start>..g<N-1> and exit
  uint64_t preload_start = 0;
  bool startup = false;
  int64_t startup_timeout_ms = 60000;
  std::vector<std::string> command;
  std::vector<int> settle_pids;  // processes that must be idle before each round
  int64_t settle_max_ms = 30000;
  DataShape shape;
};

bool ShowProgress(const Flags& flags) { return flags.progress || isatty(STDERR_FILENO); }

// A progress bar on stderr for a preload of `total` items.
std::function<void(uint64_t)> ProgressBar(const Flags& flags, std::string label, uint64_t total) {
  if (!ShowProgress(flags) || total == 0) return {};
  return [label = std::move(label), total](uint64_t done) {
    constexpr int kWidth = 30;
    const uint64_t shown = std::min(done, total);
    const int filled = static_cast<int>(kWidth * shown / total);
    std::fprintf(stderr, "\r%-24s [%s%s] %3d%% %llu/%llu", label.c_str(),
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(kWidth - filled), ' ').c_str(),
                 static_cast<int>(100 * shown / total), static_cast<unsigned long long>(shown),
                 static_cast<unsigned long long>(total));
    if (shown == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  };
}

// The CPU time (user + system) `pid` has used, in clock ticks, or -1 when it
// cannot be read.
int64_t CpuTicks(int pid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%d/stat", pid);
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return -1;
  char buf[1024];
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // Fields after the command name (which may hold spaces, so find its ')'):
  // state is field 3, utime 14, stime 15.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return -1;
  long long utime = 0, stime = 0;
  if (std::sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime,
                  &stime) != 2) {
    return -1;
  }
  return utime + stime;
}

// Waits until the processes have gone a quarter of a second using at most one
// clock tick of CPU between them, or `max` has passed. A server's background
// work (LevelDB compaction after a write round, a runtime's collector) would
// otherwise run during the next endpoint's round and take its share of the
// cores. Returns how long it waited; *timed_out tells whether it gave up.
std::chrono::milliseconds Settle(const std::vector<int>& pids, std::chrono::milliseconds max,
                                 bool* timed_out) {
  *timed_out = false;
  const Clock::time_point start = Clock::now();
  auto total = [&pids] {
    int64_t sum = 0;
    for (int pid : pids) sum += std::max<int64_t>(CpuTicks(pid), 0);
    return sum;
  };
  int64_t last = total();
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const int64_t now = total();
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    if (now - last <= 1) return waited;
    if (waited >= max) {
      *timed_out = true;
      return waited;
    }
    last = now;
  }
}

bool Has(const std::string& body, const char* needle) {
  return body.find(needle) != std::string::npos;
}

// Creates a table unless it exists, and waits until it is ACTIVE.
bool CreateTable(const Endpoint& endpoint, const std::string& name, const std::string& schema) {
  std::string body;
  const int status = Call(endpoint, "CreateTable",
                          R"({"TableName":")" + name + "\"," + schema +
                              R"(,"ProvisionedThroughput":{"ReadCapacityUnits":1000,"WriteCapacityUnits":1000}})",
                          &body);
  if (status != 200 && !Has(body, "ResourceInUseException")) {
    std::fprintf(stderr, "%s: CreateTable %s failed (%d): %s\n", endpoint.name.c_str(),
                 name.c_str(), status, body.c_str());
    return false;
  }
  const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
  while (Clock::now() < give_up) {
    if (Call(endpoint, "DescribeTable", R"({"TableName":")" + name + "\"}", &body) == 200 &&
        Has(body, R"("TableStatus":"ACTIVE")")) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::fprintf(stderr, "%s: table %s never became ACTIVE\n", endpoint.name.c_str(), name.c_str());
  return false;
}

// PutItem of `count` items, the body of item i from make(i), on all connections.
bool Preload(const Flags& flags, const Endpoint& endpoint, EndpointState* state,
             const std::string& label, uint64_t count,
             const std::function<std::string(uint64_t)>& make) {
  std::atomic<uint64_t> next_index{0};
  RunOptions options;
  options.connections = flags.connections;
  options.threads = flags.threads;
  options.progress = ProgressBar(flags, endpoint.name + " " + label, count);
  const NextRequest next = [&](uint32_t, std::mt19937_64&, Request* request) {
    const uint64_t i = next_index.fetch_add(1);
    if (i >= count) return false;
    request->op = Op::kPut;
    request->index = i;
    request->body = make(i);
    return true;
  };
  RunStats stats = Run(endpoint, options, next, state);
  if (stats.ok != count) {
    std::fprintf(stderr, "%s: preload of %s: %llu of %llu items stored (%llu errors, %llu wrong)\n",
                 endpoint.name.c_str(), label.c_str(), static_cast<unsigned long long>(stats.ok),
                 static_cast<unsigned long long>(count),
                 static_cast<unsigned long long>(stats.errors),
                 static_cast<unsigned long long>(stats.wrong));
    return false;
  }
  return true;
}

bool SetUp(const Flags& flags, const Endpoint& endpoint, EndpointState* state, bool preload_all) {
  const DataShape& shape = flags.shape;
  if (!CreateTable(endpoint, shape.table,
                   R"("AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],)"
                   R"("KeySchema":[{"AttributeName":"id","KeyType":"HASH"}])")) {
    return false;
  }
  if (!preload_all) return true;
  if (!CreateTable(endpoint, shape.query_table,
                   R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},)"
                   R"({"AttributeName":"sk","AttributeType":"N"}],)"
                   R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},)"
                   R"({"AttributeName":"sk","KeyType":"RANGE"}])")) {
    return false;
  }
  const uint64_t counters = uint64_t{flags.connections} * shape.counters_per_slot;
  state->counters.assign(counters, 0);
  return Preload(flags, endpoint, state, "items", shape.get_items,
                 [&](uint64_t i) {
                   return PutBody(shape, ItemKey(i), i, shape.payload_bytes);
                 }) &&
         Preload(flags, endpoint, state, "query partitions",
                 shape.partitions * shape.partition_items,
                 [&](uint64_t i) {
                   return QueryItemBody(shape, i / shape.partition_items,
                                        static_cast<uint32_t>(i % shape.partition_items));
                 }) &&
         Preload(flags, endpoint, state, "counters", counters,
                 [&](uint64_t i) { return CounterBody(shape, i); });
}

// Whether the endpoint implements `op`: one request, checked like the load's.
// Only an answer saying the operation does not exist makes it "not available";
// any other failure is measured (and counted as errors).
bool Available(const Flags& flags, const Endpoint& endpoint, Op op, EndpointState* state,
               std::string* why) {
  if (endpoint.raw) return true;
  std::mt19937_64 rng(flags.seed);
  Request request;
  MakeRequest(op, flags.shape, 0, rng, *state, &request);
  std::string body;
  const int status = Call(endpoint, OperationName(op), request.body, &body);
  if (status == 200) {
    Check(request, status, body, state);
    return true;
  }
  if (Has(body, "UnknownOperationException") || Has(body, "not supported") ||
      Has(body, "not implemented") || Has(body, "Not implemented")) {
    *why = body.substr(0, 160);
    return false;
  }
  return true;
}

struct Cell {
  bool available = true;
  std::string why;
  RunStats stats;
};

int RunBench(const Flags& flags) {
  std::vector<Endpoint> endpoints;
  for (const std::string& spec : flags.endpoints) {
    Endpoint endpoint;
    if (!ParseEndpoint(spec, &endpoint)) {
      std::fprintf(stderr, "bad --endpoint '%s' (name=http://host:port[,raw])\n", spec.c_str());
      return 2;
    }
    endpoints.push_back(endpoint);
  }
  std::vector<WorkloadKind> workloads;
  for (size_t pos = 0; pos <= flags.workloads.size();) {
    size_t comma = flags.workloads.find(',', pos);
    if (comma == std::string::npos) comma = flags.workloads.size();
    WorkloadKind kind;
    if (!ParseWorkload(flags.workloads.substr(pos, comma - pos), &kind)) {
      std::fprintf(stderr, "unknown workload in '%s'\n", flags.workloads.c_str());
      return 2;
    }
    workloads.push_back(kind);
    pos = comma + 1;
  }

  std::vector<EndpointState> states(endpoints.size());
  for (size_t e = 0; e < endpoints.size(); ++e) {
    const Endpoint& endpoint = endpoints[e];
    states[e].counters.assign(uint64_t{flags.connections} * flags.shape.counters_per_slot, 0);
    if (endpoint.raw || !flags.setup) continue;
    if (!SetUp(flags, endpoint, &states[e], flags.preload_only == 0)) return 1;
  }

  if (flags.preload_only > 0) {
    for (size_t e = 0; e < endpoints.size(); ++e) {
      const Clock::time_point start = Clock::now();
      const uint64_t count = flags.preload_only - std::min(flags.preload_only, flags.preload_start);
      const DataShape& shape = flags.shape;
      if (!Preload(flags, endpoints[e], &states[e], "items", count, [&](uint64_t i) {
            const uint64_t n = flags.preload_start + i;
            return PutBody(shape, ItemKey(n), n, shape.payload_bytes);
          })) {
        return 1;
      }
      std::printf("PRELOAD endpoint=%s items=%llu seconds=%.2f\n", endpoints[e].name.c_str(),
                  static_cast<unsigned long long>(count),
                  std::chrono::duration<double>(Clock::now() - start).count());
    }
    return 0;
  }

  // Which operations each endpoint implements.
  std::vector<std::map<Op, std::string>> missing(endpoints.size());
  for (size_t e = 0; e < endpoints.size(); ++e) {
    for (Op op : {Op::kPut, Op::kGet, Op::kQuery, Op::kUpdate}) {
      std::string why;
      if (!Available(flags, endpoints[e], op, &states[e], &why)) missing[e][op] = why;
    }
  }

  // results[w][e]
  std::vector<std::vector<Cell>> results(workloads.size(), std::vector<Cell>(endpoints.size()));
  std::chrono::milliseconds settled{0};
  int settle_timeouts = 0;
  for (size_t w = 0; w < workloads.size(); ++w) {
    const WorkloadKind kind = workloads[w];
    MixWeights weights;
    for (size_t e = 0; e < endpoints.size(); ++e) {
      auto lacks = [&](Op op) { return missing[e].count(op) > 0; };
      Cell& cell = results[w][e];
      switch (kind) {
        case WorkloadKind::kPut: cell.available = !lacks(Op::kPut); break;
        case WorkloadKind::kGet: cell.available = !lacks(Op::kGet); break;
        case WorkloadKind::kQuery: cell.available = !lacks(Op::kQuery); break;
        case WorkloadKind::kUpdate: cell.available = !lacks(Op::kUpdate); break;
        case WorkloadKind::kMix:
          // The same mix for every endpoint: an operation any endpoint lacks is
          // left out of it for all, and the report says so.
          if (lacks(Op::kQuery)) weights.query = 0;
          if (lacks(Op::kUpdate)) weights.update = 0;
          if (lacks(Op::kGet)) weights.get = 0;
          if (lacks(Op::kPut)) weights.put = 0;
          break;
      }
      if (!cell.available) {
        const Op op = kind == WorkloadKind::kPut   ? Op::kPut
                      : kind == WorkloadKind::kGet ? Op::kGet
                      : kind == WorkloadKind::kQuery ? Op::kQuery
                                                     : Op::kUpdate;
        cell.why = missing[e][op];
      }
    }
    if (kind == WorkloadKind::kMix) {
      std::printf("mix: get %d%%, put %d%%, query %d%%, update %d%% (weights)\n", weights.get,
                  weights.put, weights.query, weights.update);
    }
    for (int round = 0; round < flags.rounds; ++round) {
      for (size_t i = 0; i < endpoints.size(); ++i) {
        const size_t e = round % 2 == 0 ? i : endpoints.size() - 1 - i;
        Cell& cell = results[w][e];
        if (!cell.available) continue;
        if (!flags.settle_pids.empty()) {
          bool timed_out = false;
          settled += Settle(flags.settle_pids, std::chrono::milliseconds(flags.settle_max_ms),
                            &timed_out);
          settle_timeouts += timed_out ? 1 : 0;
        }
        RunOptions options;
        options.connections = flags.connections;
        options.threads = flags.threads;
        options.duration = std::chrono::milliseconds(flags.duration_ms);
        options.warmup = std::chrono::milliseconds(flags.warmup_ms);
        options.seed = flags.seed + static_cast<uint64_t>(round) * 7919 + w * 104729;
        const DataShape& shape = flags.shape;
        const EndpointState& state = states[e];
        const NextRequest next = [&](uint32_t slot, std::mt19937_64& rng, Request* request) {
          Op op = Op::kPut;
          switch (kind) {
            case WorkloadKind::kPut: op = Op::kPut; break;
            case WorkloadKind::kGet: op = Op::kGet; break;
            case WorkloadKind::kQuery: op = Op::kQuery; break;
            case WorkloadKind::kUpdate: op = Op::kUpdate; break;
            case WorkloadKind::kMix: op = DrawMixOp(weights, rng); break;
          }
          MakeRequest(op, shape, slot, rng, state, request);
          return true;
        };
        RunStats stats = Run(endpoints[e], options, next, &states[e]);
        if (ShowProgress(flags)) {
          std::fprintf(stderr, "%-6s round %d %-10s %10.0f req/s\n", WorkloadName(kind),
                       round + 1, endpoints[e].name.c_str(), stats.Rate());
        }
        cell.stats.Merge(stats);
      }
    }
  }

  // The report.
  std::printf("\n%d connections, %u driver thread(s), %d rounds of %.1f s per endpoint and workload\n",
              flags.connections, flags.threads, flags.rounds, flags.duration_ms / 1000.0);
  if (!flags.settle_pids.empty()) {
    std::printf("before each round, waited for the servers to go idle: %.1f s in all, %d round(s) "
                "started at the %.1f s limit\n",
                settled.count() / 1000.0, settle_timeouts, flags.settle_max_ms / 1000.0);
  }
  std::printf("%-7s %-10s %10s %9s %9s %9s %7s %7s %7s\n", "work", "endpoint", "req/s", "p50 ms",
              "p99 ms", "ok", "errors", "wrong", "io-err");
  for (size_t w = 0; w < workloads.size(); ++w) {
    for (size_t e = 0; e < endpoints.size(); ++e) {
      Cell& cell = results[w][e];
      const char* name = WorkloadName(workloads[w]);
      if (!cell.available) {
        std::printf("%-7s %-10s not available: %s\n", name, endpoints[e].name.c_str(),
                    cell.why.c_str());
        std::printf("RESULT workload=%s endpoint=%s available=0\n", name,
                    endpoints[e].name.c_str());
        continue;
      }
      RunStats& s = cell.stats;
      const double p50 = s.PercentileMs(50), p99 = s.PercentileMs(99);
      std::printf("%-7s %-10s %10.0f %9.2f %9.2f %9llu %7llu %7llu %7llu\n", name,
                  endpoints[e].name.c_str(), s.Rate(), p50, p99,
                  static_cast<unsigned long long>(s.ok), static_cast<unsigned long long>(s.errors),
                  static_cast<unsigned long long>(s.wrong),
                  static_cast<unsigned long long>(s.io_errors));
      std::printf(
          "RESULT workload=%s endpoint=%s available=1 rps=%.0f p50_ms=%.3f p99_ms=%.3f ok=%llu "
          "errors=%llu wrong=%llu io_errors=%llu\n",
          name, endpoints[e].name.c_str(), s.Rate(), p50, p99,
          static_cast<unsigned long long>(s.ok), static_cast<unsigned long long>(s.errors),
          static_cast<unsigned long long>(s.wrong), static_cast<unsigned long long>(s.io_errors));
    }
    const Cell& first = results[w][0];
    for (size_t e = 1; e < endpoints.size() && first.available; ++e) {
      const Cell& other = results[w][e];
      if (!other.available || other.stats.Rate() <= 0) continue;
      std::printf("%-7s ratio %s/%s = %.2f\n", WorkloadName(workloads[w]),
                  endpoints[0].name.c_str(), endpoints[e].name.c_str(),
                  first.stats.Rate() / other.stats.Rate());
    }
  }
  return 0;
}

// Starts `command` and asks the endpoint ListTables until it answers 200.
// Prints the time from the fork to that answer and leaves the server running.
int RunStartup(const Flags& flags) {
  Endpoint endpoint;
  if (flags.endpoints.size() != 1 || !ParseEndpoint(flags.endpoints[0], &endpoint) ||
      flags.command.empty()) {
    std::fprintf(stderr, "--startup needs one --endpoint and the command after --\n");
    return 2;
  }
  std::vector<char*> argv;
  for (const std::string& arg : flags.command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const Clock::time_point start = Clock::now();
  const pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    // The server must not hold our stdout or stderr: a shell reading them
    // (`$(...)`, a pipe) would wait for the server to exit. A server that fails
    // to start shows as an exit before the first answer.
    const int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) {
      dup2(null_fd, STDOUT_FILENO);
      dup2(null_fd, STDERR_FILENO);
    }
    execvp(argv[0], argv.data());
    _exit(127);
  }
  const Clock::time_point give_up = start + std::chrono::milliseconds(flags.startup_timeout_ms);
  std::string body;
  while (Clock::now() < give_up) {
    if (Call(endpoint, "ListTables", "{}", &body) == 200) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      std::printf("STARTUP ms=%.1f pid=%d\n", ms, static_cast<int>(pid));
      return 0;
    }
    int wstatus = 0;
    if (waitpid(pid, &wstatus, WNOHANG) == pid) {
      std::fprintf(stderr, "the server exited before answering\n");
      return 1;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  std::fprintf(stderr, "no answer within %lld ms\n", static_cast<long long>(flags.startup_timeout_ms));
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  po::options_description desc("dynemu-bench: load driver for DynamoDB endpoints\n\nOptions");
  // clang-format off
  desc.add_options()
    ("help,h", "print this help")
    ("endpoint", po::value(&flags.endpoints)->composing(),
     "name=http://host:port[,raw], repeatable; the first is compared to the others; "
     "raw: a ceiling server (any 200 counts, no set-up)")
    ("workloads", po::value(&flags.workloads)->default_value(flags.workloads),
     "comma list of put, get, query, update, mix")
    ("connections", po::value(&flags.connections)->default_value(flags.connections), "keep-alive connections")
    ("threads", po::value(&flags.threads)->default_value(flags.threads), "driver threads")
    ("duration-ms", po::value(&flags.duration_ms)->default_value(flags.duration_ms), "measured time per round")
    ("warmup-ms", po::value(&flags.warmup_ms)->default_value(flags.warmup_ms), "unmeasured start of each round")
    ("rounds", po::value(&flags.rounds)->default_value(flags.rounds), "rounds per workload (A B, B A, ...)")
    ("seed", po::value(&flags.seed)->default_value(flags.seed), "random seed")
    ("settle-pid", po::value(&flags.settle_pids)->composing(),
     "repeatable: before each round, wait until these processes (the servers) are idle, so that "
     "one server's background work does not run in another's round")
    ("settle-max-ms", po::value(&flags.settle_max_ms)->default_value(flags.settle_max_ms),
     "the longest wait for --settle-pid")
    ("table", po::value(&flags.shape.table)->default_value(flags.shape.table), "item table")
    ("query-table", po::value(&flags.shape.query_table)->default_value(flags.shape.query_table), "query table")
    ("items", po::value(&flags.shape.get_items)->default_value(flags.shape.get_items), "items preloaded for get")
    ("partitions", po::value(&flags.shape.partitions)->default_value(flags.shape.partitions), "20-item partitions preloaded for query")
    ("no-setup", "do not create or preload tables (the workloads then meet what is there)")
    ("progress", po::bool_switch(&flags.progress), "progress on stderr even when it is not a terminal")
    ("preload-only", po::value(&flags.preload_only), "create the item table, store items g<start>..g<N-1> and exit")
    ("preload-start", po::value(&flags.preload_start)->default_value(0), "first item of --preload-only")
    ("startup", po::bool_switch(&flags.startup), "start the command after -- and time its first answer")
    ("startup-timeout-ms", po::value(&flags.startup_timeout_ms)->default_value(flags.startup_timeout_ms), "")
    ("command", po::value(&flags.command)->multitoken(), "");
  // clang-format on
  po::positional_options_description positional;
  positional.add("command", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::fprintf(stderr, "dynemu-bench: %s (see --help)\n", e.what());
    return 2;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (vm.count("no-setup")) flags.setup = false;
  if (flags.endpoints.empty()) {
    std::fprintf(stderr, "dynemu-bench: at least one --endpoint (see --help)\n");
    return 2;
  }
  if (flags.connections == 0 || flags.rounds <= 0 || flags.duration_ms <= 0) {
    std::fprintf(stderr, "dynemu-bench: --connections, --rounds, --duration-ms must be positive\n");
    return 2;
  }
  return flags.startup ? RunStartup(flags) : RunBench(flags);
}
