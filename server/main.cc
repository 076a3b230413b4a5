// dynemu: the DynamoDB emulator server. Parses the flags, opens the store and
// the engine, and serves the DynamoDB HTTP protocol until SIGINT or SIGTERM.

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/program_options.hpp>

#include "base/env.h"
#include "base/log.h"
#include "base/status.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "host/plugin_host.h"
#include "pipeline/pipeline.h"
#include "server/asio_scheduler.h"
#include "server/dynamo_http.h"
#include "server/http_session.h"
#include "server/io_threads.h"
#include "server/listener.h"
#include "storage/store.h"

namespace {

namespace net = boost::asio;
namespace po = boost::program_options;
using tcp = net::ip::tcp;

constexpr int kExitStartupFailure = 1;
constexpr int kExitUsage = 2;

struct Flags {
  int port = 8000;
  std::string host = "127.0.0.1";
  std::string data_dir = "./dynemu-data";
  bool in_memory = false;
  int threads = 0;  // 0: one per hardware thread
  std::string log_level = "info";
  std::optional<uint64_t> seed;
  int64_t read_timeout_ms = 30'000;
  int64_t idle_timeout_ms = 60'000;
  int64_t shutdown_timeout_ms = 10'000;
  uint64_t max_body_bytes = dynemu::server::kDefaultMaxBodyBytes;
  std::vector<std::string> plugins;  // --plugin PATH[=CONFIG], in flag order
  // LevelDB's memory: the block cache and the memtable (twice this while one is
  // being flushed).
  uint64_t cache_mb = 16;
  uint64_t row_cache_mb = 16;
  uint64_t write_buffer_mb = 16;
  uint64_t table_file_mb = 2;
  bool compress = true;
  std::string clock_offset_file;  // test only: see OffsetFileClock
};

// --clock-offset-file PATH, for tests only: the system clock moved forward by
// the number of milliseconds written in PATH (a decimal integer; a missing or
// unreadable file reads as 0), read again at every reading, so that an
// end-to-end test can move the server's time (the 10-minute idempotency window
// of transactions, TTL) by writing a file instead of waiting. The monotonic
// reading is left alone: durations stay real.
class OffsetFileClock final : public dynemu::Clock {
 public:
  explicit OffsetFileClock(std::string path) : path_(std::move(path)) {}
  int64_t NowMicros() const override { return base_.NowMicros() + OffsetMillis() * 1000; }
  int64_t MonotonicNanos() const override { return base_.MonotonicNanos(); }

 private:
  int64_t OffsetMillis() const {
    std::FILE* f = std::fopen(path_.c_str(), "r");
    if (f == nullptr) return 0;
    long long millis = 0;
    if (std::fscanf(f, "%lld", &millis) != 1) millis = 0;
    std::fclose(f);
    return millis;
  }

  dynemu::SystemClock base_;
  std::string path_;
};

// One line on stderr, for failures before or instead of logging.
int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "dynemu: %s\n", message.c_str());
  return code;
}

// Fills *flags from argv. Returns nullopt to go on, or the exit code (--help,
// a bad flag).
std::optional<int> ParseFlags(int argc, char** argv, Flags* flags) {
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  po::options_description desc("dynemu: a DynamoDB emulator\n\nOptions");
  // clang-format off
  desc.add_options()
    ("help,h", "print this help and exit")
    ("port", po::value<int>(&flags->port)->default_value(flags->port),
     "TCP port to listen on (0: any free port; the real one is logged)")
    ("host", po::value<std::string>(&flags->host)->default_value(flags->host),
     "address or host name to listen on")
    ("data-dir", po::value<std::string>(&flags->data_dir)->default_value(flags->data_dir),
     "directory of the LevelDB database (created if missing)")
    ("in-memory", po::bool_switch(&flags->in_memory),
     "keep everything in memory (LevelDB's in-memory Env); --data-dir is ignored")
    ("threads", po::value<int>(&flags->threads)->default_value(static_cast<int>(cores)),
     "I/O threads")
    ("log-level", po::value<std::string>(&flags->log_level)->default_value(flags->log_level),
     "trace, debug, info, warn, error or off (debug logs one line per request)")
    ("seed", po::value<uint64_t>(),
     "seed of the random source (request ids, faults); default: from the clock")
    ("read-timeout-ms", po::value<int64_t>(&flags->read_timeout_ms)
                            ->default_value(flags->read_timeout_ms),
     "a request must arrive whole within this time of its first byte")
    ("idle-timeout-ms", po::value<int64_t>(&flags->idle_timeout_ms)
                            ->default_value(flags->idle_timeout_ms),
     "a keep-alive connection idle this long is closed")
    ("shutdown-timeout-ms", po::value<int64_t>(&flags->shutdown_timeout_ms)
                                ->default_value(flags->shutdown_timeout_ms),
     "on SIGINT/SIGTERM, how long in-flight requests may take before exit")
    ("max-body-bytes", po::value<uint64_t>(&flags->max_body_bytes)
                           ->default_value(flags->max_body_bytes),
     "larger request bodies are answered 413")
    ("cache-mb", po::value<uint64_t>(&flags->cache_mb)->default_value(flags->cache_mb),
     "LevelDB block cache, in MiB")
    ("row-cache-mb", po::value<uint64_t>(&flags->row_cache_mb)->default_value(flags->row_cache_mb),
     "cache of items read by GetItem and BatchGetItem, in MiB (0: none)")
    ("write-buffer-mb", po::value<uint64_t>(&flags->write_buffer_mb)
                            ->default_value(flags->write_buffer_mb),
     "LevelDB memtable size, in MiB (up to twice this is resident while one is flushed)")
    ("table-file-mb", po::value<uint64_t>(&flags->table_file_mb)
                          ->default_value(flags->table_file_mb),
     "LevelDB table file size, in MiB")
    ("compress", po::value<bool>(&flags->compress)->default_value(flags->compress),
     "Snappy-compress LevelDB table blocks (true or false)")
    ("clock-offset-file", po::value<std::string>(&flags->clock_offset_file),
     "tests only: move the server's clock forward by the milliseconds written in this file "
     "(read at every clock reading)")
    ("plugin", po::value<std::vector<std::string>>(&flags->plugins)->composing(),
     "PATH[=CONFIG]: load a hooks plugin (repeatable; pre hooks run in flag order, "
     "post hooks in reverse). See hooks-api/README.md");
  // clang-format on

  po::variables_map vm;
  // Program_options reports bad flags by exception; this is the one place it is
  // called, so they are converted to an exit code here.
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    Fail(kExitUsage, std::string(e.what()) + " (see --help)");
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    return 0;
  }
  if (vm.count("seed")) flags->seed = vm["seed"].as<uint64_t>();

  auto usage = [](const std::string& message) {
    Fail(kExitUsage, message + " (see --help)");
    return std::optional<int>(kExitUsage);
  };
  if (flags->port < 0 || flags->port > 65535) return usage("--port must be in [0, 65535]");
  if (flags->threads <= 0) return usage("--threads must be at least 1");
  if (flags->read_timeout_ms <= 0 || flags->idle_timeout_ms <= 0) {
    return usage("--read-timeout-ms and --idle-timeout-ms must be positive");
  }
  if (flags->shutdown_timeout_ms < 0) return usage("--shutdown-timeout-ms must be >= 0");
  if (flags->max_body_bytes == 0) return usage("--max-body-bytes must be positive");
  if (flags->write_buffer_mb == 0 || flags->table_file_mb == 0) {
    return usage("--write-buffer-mb and --table-file-mb must be positive");
  }
  if (!dynemu::log::SetLevel(flags->log_level)) {
    return usage("unknown --log-level '" + flags->log_level + "'");
  }
  return std::nullopt;
}

// The address to bind: a literal address, or the first one `host` resolves to.
dynemu::Result<tcp::endpoint> ResolveEndpoint(net::io_context& ioc, const std::string& host,
                                              uint16_t port) {
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, port);
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) {
    return dynemu::InternalError("cannot resolve --host '" + host + "': " +
                                 (ec ? ec.message() : std::string("no address")));
  }
  return results.begin()->endpoint();
}

std::string EndpointName(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + host + "]" : host) + ":" +
         std::to_string(endpoint.port());
}

int Serve(const Flags& flags) {
  using namespace dynemu;
  const auto logger = log::Get("server");

  // The only clock and seed reads of the process; everything else asks the Env.
  SystemClock system_clock;
  std::unique_ptr<OffsetFileClock> offset_clock;
  if (!flags.clock_offset_file.empty()) {
    offset_clock = std::make_unique<OffsetFileClock>(flags.clock_offset_file);
  }
  Clock& clock = offset_clock ? static_cast<Clock&>(*offset_clock) : system_clock;
  const uint64_t seed = flags.seed ? *flags.seed : static_cast<uint64_t>(clock.NowMicros());
  Random random(seed);
  Env env(clock, random);
  // Request ids of the answers the HTTP layer gives itself (health checks, 404s)
  // come from their own generator, so that they do not shift the core's draws:
  // a replay with the same seed sees the same numbers whatever probes came in.
  Random http_ids(seed ^ 0x9e3779b97f4a7c15ULL);
  logger->info("seed {}", seed);

  // Resolved first, so that a bad --host fails before the data is touched.
  Result<tcp::endpoint> endpoint = [&] {
    net::io_context resolver_context;
    return ResolveEndpoint(resolver_context, flags.host, static_cast<uint16_t>(flags.port));
  }();
  if (!endpoint.ok()) return Fail(kExitStartupFailure, endpoint.status().message());

  // Plugins next, before the data is touched: a plugin that cannot be loaded
  // stops start-up with one line naming it. The host outlives everything that
  // can call into a plugin (registry, engine, pipeline, I/O threads), so its
  // destructor runs the plugins' shutdown after the last request.
  PluginHost plugins(env);
  for (const std::string& flag : flags.plugins) {
    if (Status s = plugins.Load(ParsePluginSpec(flag)); !s.ok()) {
      return Fail(kExitStartupFailure, s.message());
    }
  }

  if (!flags.in_memory) {
    std::error_code ec;
    std::filesystem::create_directories(flags.data_dir, ec);
    if (ec) {
      return Fail(kExitStartupFailure,
                  "cannot create data directory '" + flags.data_dir + "': " + ec.message());
    }
  }
  Store::Options store_options;
  store_options.path = flags.data_dir;
  store_options.in_memory = flags.in_memory;
  store_options.block_cache_bytes = static_cast<size_t>(flags.cache_mb) << 20;
  store_options.row_cache_bytes = static_cast<size_t>(flags.row_cache_mb) << 20;
  store_options.write_buffer_bytes = static_cast<size_t>(flags.write_buffer_mb) << 20;
  store_options.max_file_bytes = static_cast<size_t>(flags.table_file_mb) << 20;
  store_options.compress = flags.compress;
  Result<std::unique_ptr<Store>> store = Store::Open(store_options);
  if (!store.ok()) return Fail(kExitStartupFailure, store.status().message());

  HookRegistry hooks;
  plugins.Register(hooks);
  Engine engine(env, **store, hooks);
  if (Status s = engine.Open(); !s.ok()) return Fail(kExitStartupFailure, s.message());
  // Plugins may make lagging indexes catch up on demand (hooks ABI 1.1).
  struct EngineIndexControl final : DeferredIndexControl {
    EngineIndexControl(Engine& e, PluginHost& p) : engine(e), plugins(p) {
      plugins.SetDeferredIndexControl(this);
    }
    ~EngineIndexControl() override { plugins.SetDeferredIndexControl(nullptr); }
    size_t ApplyAllDeferred() override { return engine.ApplyDeferredIndexChanges(); }
    size_t PendingDeferred() const override { return engine.PendingIndexChanges(); }
    Engine& engine;
    PluginHost& plugins;
  } index_control(engine, plugins);

  // In an optional so that it can be destroyed before the pipeline: a forced
  // shutdown leaves handlers queued, and they must be freed while what they
  // point into still exists.
  std::optional<net::io_context> ioc;
  ioc.emplace(flags.threads);
  server::AsioScheduler scheduler(*ioc);
  Pipeline pipeline(engine, env, hooks, &scheduler);

  bool clean = true;
  {
    server::DynamoHttp::Options http_options;
    http_options.handler = [&pipeline](Operation op, std::function<void(Response)> done) {
      pipeline.Run(std::move(op), std::move(done));
    };
    http_options.new_request_id = [&http_ids] { return http_ids.AlphanumericId(52); };
    auto http = std::make_shared<const server::DynamoHttp>(std::move(http_options));

    server::SessionOptions session_options;
    session_options.max_body_bytes = flags.max_body_bytes;
    session_options.read_timeout = std::chrono::milliseconds(flags.read_timeout_ms);
    session_options.idle_timeout = std::chrono::milliseconds(flags.idle_timeout_ms);

    Result<std::shared_ptr<server::Listener>> listener =
        server::Listener::Open(*ioc, *endpoint, http, session_options);
    if (!listener.ok()) return Fail(kExitStartupFailure, listener.status().message());

    server::IoThreads threads(*ioc);
    net::signal_set signals(*ioc);
    boost::system::error_code ec;
    signals.add(SIGINT, ec);
    if (!ec) signals.add(SIGTERM, ec);
    if (ec) return Fail(kExitStartupFailure, "cannot install signal handlers: " + ec.message());
    signals.async_wait([&](const boost::system::error_code& wait_ec, int signal_number) {
      if (wait_ec) return;
      logger->info("signal {}: shutting down", signal_number);
      // Stop accepting and let each connection finish what it has received. The
      // threads return when the last response is written (or the grace ends).
      (*listener)->Stop();
      threads.RequestStop();
    });

    (*listener)->Run();
    logger->info("dynemu listening on {}", EndpointName((*listener)->local_endpoint()));
    threads.Start(flags.threads);
    clean = threads.Wait(std::chrono::milliseconds(flags.shutdown_timeout_ms));
    if (!clean) {
      logger->warn("requests still in flight after {} ms; abandoning {} connection(s)",
                   flags.shutdown_timeout_ms, (*listener)->session_count());
    }
  }
  ioc.reset();
  logger->info("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (std::optional<int> exit_code = ParseFlags(argc, argv, &flags)) return *exit_code;
  return Serve(flags);
}
