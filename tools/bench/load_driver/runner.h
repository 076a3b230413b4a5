#pragma once

// Drives one endpoint with N keep-alive HTTP/1.1 connections on Asio, each
// sending its next request when the previous answer has arrived (closed loop),
// and collects what came back: counts per outcome and the latency of every
// answered request.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tools/bench/load_driver/workload.h"

namespace dynemu::bench {

struct Endpoint {
  std::string name;
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  bool raw = false;  // a ceiling server: any 200 is ok, nothing is set up
};

// Parses "name=http://host:port[,raw]".
bool ParseEndpoint(const std::string& spec, Endpoint* endpoint);

struct RunStats {
  uint64_t ok = 0;
  uint64_t errors = 0;          // non-200 answers
  uint64_t wrong = 0;           // 200 answers with the wrong content
  uint64_t io_errors = 0;       // connection failures (each reconnects)
  double seconds = 0;           // the measured window
  std::vector<uint32_t> latencies_us;  // of every answered request in the window

  void Merge(const RunStats& other);
  double Rate() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
  // Percentile in milliseconds (0 when nothing was answered). Sorts.
  double PercentileMs(double p);
};

// Chooses the request a connection sends next; false when there is none left
// (preloading ends that way).
using NextRequest = std::function<bool(uint32_t slot, std::mt19937_64& rng, Request* request)>;

struct RunOptions {
  uint32_t connections = 32;
  uint32_t threads = 1;
  // 0: run until `next` says there is nothing left (preload).
  std::chrono::milliseconds duration{0};
  std::chrono::milliseconds warmup{0};  // answers in this first part are not counted
  uint64_t seed = 1;
  // Called about every 100 ms with the number of answered requests.
  std::function<void(uint64_t done)> progress;
};

// Runs the connections until the duration ends (or `next` runs dry).
RunStats Run(const Endpoint& endpoint, const RunOptions& options, const NextRequest& next,
             EndpointState* state);

// One blocking request (set-up, probes). Returns the status (0 when the
// connection failed) and the body in *body.
int Call(const Endpoint& endpoint, const std::string& operation, const std::string& request_body,
         std::string* body);

// The HTTP request text the driver sends: a POST with the headers DynamoDB
// clients send, including a SigV4-shaped Authorization (never checked here).
std::string HttpRequestText(const Endpoint& endpoint, std::string_view operation,
                            std::string_view body);

}  // namespace dynemu::bench
