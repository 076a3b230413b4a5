#include "tools/bench/load_driver/runner.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace dynemu::bench {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kBodyLimit = 64 << 20;
constexpr auto kReconnectDelay = std::chrono::milliseconds(10);

// What the connections of one thread share.
struct ThreadContext {
  const Endpoint* endpoint = nullptr;
  const NextRequest* next = nullptr;
  EndpointState* state = nullptr;
  tcp::endpoint address;
  bool timed = false;
  Clock::time_point window_start;
  Clock::time_point deadline;
  std::atomic<bool>* dry = nullptr;        // `next` ran out: stop everywhere
  std::atomic<uint64_t>* answered = nullptr;
  RunStats stats;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& ioc, ThreadContext& ctx, uint32_t slot, uint64_t seed)
      : socket_(ioc), timer_(ioc), ctx_(ctx), slot_(slot), rng_(seed) {}

  void Start() { Connect(); }

 private:
  bool Over() const {
    return ctx_.dry->load(std::memory_order_relaxed) ||
           (ctx_.timed && Clock::now() >= ctx_.deadline);
  }

  void Connect() {
    if (Over()) return;
    beast::error_code ignored;
    socket_.close(ignored);
    buffer_.clear();
    socket_.async_connect(ctx_.address, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->OnIoError();
      beast::error_code ignored;
      self->socket_.set_option(tcp::no_delay(true), ignored);
      self->SendNext();
    });
  }

  void OnIoError() {
    ++ctx_.stats.io_errors;
    if (Over()) return;
    timer_.expires_after(kReconnectDelay);
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->Connect(); });
  }

  void SendNext() {
    if (Over()) return;
    if (!(*ctx_.next)(slot_, rng_, &request_)) {
      ctx_.dry->store(true, std::memory_order_relaxed);
      return;
    }
    text_ = HttpRequestText(*ctx_.endpoint, OperationName(request_.op), request_.body);
    start_ = Clock::now();
    net::async_write(socket_, net::buffer(text_),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnIoError();
                       self->Read();
                     });
  }

  void Read() {
    parser_.emplace();
    parser_->body_limit(kBodyLimit);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnIoError();
                       self->OnAnswer();
                     });
  }

  void OnAnswer() {
    const Clock::time_point end = Clock::now();
    const auto& response = parser_->get();
    const int status = static_cast<int>(response.result_int());
    Outcome outcome;
    if (ctx_.endpoint->raw) {
      outcome = status == 200 ? Outcome::kOk : Outcome::kError;
    } else {
      outcome = Check(request_, status, response.body(), ctx_.state);
    }
    ctx_.answered->fetch_add(1, std::memory_order_relaxed);
    const bool counted = !ctx_.timed || (end >= ctx_.window_start && end < ctx_.deadline);
    if (counted) {
      RunStats& s = ctx_.stats;
      if (outcome == Outcome::kOk) ++s.ok;
      if (outcome == Outcome::kError) ++s.errors;
      if (outcome == Outcome::kWrong) ++s.wrong;
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(end - start_).count();
      s.latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX)));
    }
    if (!response.keep_alive()) return Connect();
    SendNext();
  }

  tcp::socket socket_;
  net::steady_timer timer_;
  ThreadContext& ctx_;
  const uint32_t slot_;
  std::mt19937_64 rng_;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  Request request_;
  std::string text_;
  Clock::time_point start_;
};

}  // namespace

bool ParseEndpoint(const std::string& spec, Endpoint* endpoint) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  endpoint->name = spec.substr(0, eq);
  std::string url = spec.substr(eq + 1);
  const size_t comma = url.find(',');
  if (comma != std::string::npos) {
    if (url.substr(comma + 1) != "raw") return false;
    endpoint->raw = true;
    url.resize(comma);
  }
  constexpr std::string_view kScheme = "http://";
  if (url.compare(0, kScheme.size(), kScheme) != 0) return false;
  url.erase(0, kScheme.size());
  while (!url.empty() && url.back() == '/') url.pop_back();
  const size_t colon = url.rfind(':');
  if (colon == std::string::npos) return false;
  endpoint->host = url.substr(0, colon);
  const int port = std::atoi(url.c_str() + colon + 1);
  if (port <= 0 || port > 65535) return false;
  endpoint->port = static_cast<uint16_t>(port);
  return true;
}

void RunStats::Merge(const RunStats& other) {
  ok += other.ok;
  errors += other.errors;
  wrong += other.wrong;
  io_errors += other.io_errors;
  seconds += other.seconds;
  latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
}

double RunStats::PercentileMs(double p) {
  if (latencies_us.empty()) return 0;
  const size_t rank = std::min(latencies_us.size() - 1,
                               static_cast<size_t>(p / 100.0 * static_cast<double>(latencies_us.size())));
  std::nth_element(latencies_us.begin(), latencies_us.begin() + static_cast<ptrdiff_t>(rank),
                   latencies_us.end());
  return latencies_us[rank] / 1000.0;
}

std::string HttpRequestText(const Endpoint& endpoint, std::string_view operation,
                            std::string_view body) {
  std::string text;
  text.reserve(body.size() + 512);
  text += "POST / HTTP/1.1\r\nHost: ";
  text += endpoint.host;
  text += ':';
  text += std::to_string(endpoint.port);
  text += "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810.";
  text += operation;
  text +=
      "\r\nX-Amz-Date: 20250101T000000Z\r\n"
      "Authorization: AWS4-HMAC-SHA256 Credential=bench/20250101/us-east-1/dynamodb/aws4_request, "
      "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
      "Signature=0000000000000000000000000000000000000000000000000000000000000000\r\n"
      "Content-Length: ";
  text += std::to_string(body.size());
  text += "\r\n\r\n";
  text += body;
  return text;
}

RunStats Run(const Endpoint& endpoint, const RunOptions& options, const NextRequest& next,
             EndpointState* state) {
  const uint32_t threads = std::max<uint32_t>(1, std::min(options.threads, options.connections));
  std::atomic<bool> dry{false};
  std::atomic<uint64_t> answered{0};
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<std::unique_ptr<ThreadContext>> ctxs;
  const tcp::endpoint address(net::ip::make_address(endpoint.host), endpoint.port);

  const Clock::time_point begin = Clock::now();
  for (uint32_t t = 0; t < threads; ++t) {
    contexts.push_back(std::make_unique<net::io_context>(1));
    auto ctx = std::make_unique<ThreadContext>();
    ctx->endpoint = &endpoint;
    ctx->next = &next;
    ctx->state = state;
    ctx->address = address;
    ctx->timed = options.duration.count() > 0;
    ctx->window_start = begin + options.warmup;
    ctx->deadline = begin + options.warmup + options.duration;
    ctx->dry = &dry;
    ctx->answered = &answered;
    ctxs.push_back(std::move(ctx));
  }
  for (uint32_t slot = 0; slot < options.connections; ++slot) {
    const uint32_t t = slot % threads;
    std::make_shared<Connection>(*contexts[t], *ctxs[t], slot,
                                 options.seed * 1000003 + slot)
        ->Start();
  }
  // Progress ticks on the first thread's context, and end with the run.
  std::optional<net::steady_timer> tick;
  std::function<void()> arm;
  if (options.progress) {
    tick.emplace(*contexts[0]);
    arm = [&] {
      tick->expires_after(std::chrono::milliseconds(100));
      tick->async_wait([&](beast::error_code ec) {
        if (ec) return;
        options.progress(answered.load());
        const bool over = dry.load() || (ctxs[0]->timed && Clock::now() >= ctxs[0]->deadline);
        if (!over) arm();
      });
    };
    arm();
  }
  std::vector<std::thread> workers;
  for (uint32_t t = 1; t < threads; ++t) workers.emplace_back([&, t] { contexts[t]->run(); });
  contexts[0]->run();
  for (auto& w : workers) w.join();
  const Clock::time_point finish = Clock::now();
  if (options.progress) options.progress(answered.load());

  RunStats total;
  for (auto& ctx : ctxs) {
    ctx->stats.seconds = 0;
    total.Merge(ctx->stats);
  }
  total.seconds = options.duration.count() > 0
                      ? std::chrono::duration<double>(options.duration).count()
                      : std::chrono::duration<double>(finish - begin).count();
  return total;
}

int Call(const Endpoint& endpoint, const std::string& operation, const std::string& request_body,
         std::string* body) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address(endpoint.host, ec), endpoint.port), ec);
  if (ec) return 0;
  const std::string text = HttpRequestText(endpoint, operation, request_body);
  net::write(socket, net::buffer(text), ec);
  if (ec) return 0;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kBodyLimit);
  http::read(socket, buffer, parser, ec);
  if (ec) return 0;
  *body = parser.get().body();
  return static_cast<int>(parser.get().result_int());
}

}  // namespace dynemu::bench
