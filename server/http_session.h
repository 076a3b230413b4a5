#pragma once

// One HTTP/1.1 connection: reads requests, hands them to DynamoHttp, writes the
// responses back in request order. Beast's advanced-server shape: a strand per
// connection (the socket's executor), do_x/on_x steps, tcp_stream deadlines for
// a request's reads and an answer's writes (a lazy one for the wait between
// requests), a parser body limit and a bounded queue of responses for pipelined
// requests.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/basic_stream.hpp>

#include "server/dynamo_http.h"

namespace dynemu::server {

struct SessionOptions {
  size_t max_body_bytes = kDefaultMaxBodyBytes;  // a larger body is answered 413
  // From the first byte of a request to its last; also the wait for the first
  // request of a new connection. A client slower than this is disconnected.
  std::chrono::milliseconds read_timeout{30'000};
  // Keep-alive: how long a connection may wait, with nothing in flight, for its
  // next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // How long writing one response may take.
  std::chrono::milliseconds write_timeout{30'000};
};

class HttpSession;

// The executor of one connection: a strand on the server's io_context. Named
// as a concrete type, not Asio's type-erased any_io_executor, because every
// read, write, timer and dispatch goes through it (perf: the type erasure's
// shared-pointer copies and lookups took ~8% of a GetItem load's CPU).
using SessionExecutor = boost::asio::strand<boost::asio::io_context::executor_type>;
using SessionSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, SessionExecutor>;

// The live sessions of one listener, so that shutdown can reach each of them.
// Thread-safe. Sessions add themselves on Run and leave on destruction.
class SessionSet {
 public:
  // Returns false (and does not add) once ShutdownAll has been called.
  bool Add(const std::shared_ptr<HttpSession>& session);
  void Remove(const HttpSession* session);
  // Asks every session, present and future, to finish what it has and close.
  void ShutdownAll();
  size_t size() const;

 private:
  mutable std::mutex mu_;
  bool shutting_down_ = false;                                                    // guarded by mu_
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;  // guarded by mu_
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  // `socket` is connected and its executor is a strand of its own. `sessions`
  // may be null (no shutdown tracking).
  HttpSession(SessionSocket&& socket, std::shared_ptr<const DynamoHttp> http,
              const SessionOptions& options, std::shared_ptr<SessionSet> sessions);
  ~HttpSession();

  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // Starts reading requests. Call once, on a session owned by a shared_ptr.
  void Run();

  // Thread-safe. Stops reading new requests; the requests already received are
  // answered (with "Connection: close"), then the connection is closed.
  void Shutdown();

 private:
  // How many responses may wait for their turn on one connection: past this the
  // session stops reading pipelined requests until a response is written.
  static constexpr size_t kQueueLimit = 8;
  // How deep the handlers may call one another when a request is parsed or an
  // answer written without waiting (see DoReadHeader, DoWrite).
  static constexpr int kMaxSyncDepth = 4;

  using TimePoint = std::chrono::steady_clock::time_point;

  enum class ReadState : uint8_t {
    kNone,     // no read pending (paused, stopped, or a request is complete)
    kWaiting,  // waiting for the first byte of the next request
    kReading,  // a request has started arriving
  };

  struct Slot {
    std::optional<HttpResponse> response;  // empty until the handler answers
    bool drain = false;  // after writing: half-close and discard input (413, 400)
  };

  void DoRead();
  // The wait for the first byte of a request has a deadline only while nothing
  // is in flight: the read timeout before a connection's first request, then
  // the idle timeout. It starts now; wait_timer_ enforces it lazily.
  void StartWaitDeadline();
  void ArmWaitTimer();  // for wait_deadline_
  void OnWaitTimer(boost::beast::error_code ec);
  void OnFirstBytes(boost::beast::error_code ec, size_t bytes);
  void DoReadHeader();
  // Feeds the bytes already in buffer_ to the parser; stops when they run out or
  // the request is complete. *ec is a parse error, or clear.
  void ParseBuffered(boost::beast::error_code& ec);
  void StartReadHeader();
  void OnReadHeader(boost::beast::error_code ec, size_t bytes);
  void OnWriteContinue(boost::beast::error_code ec, size_t bytes);
  void DoReadBody();
  void OnRead(boost::beast::error_code ec, size_t bytes);
  void OnReadError(boost::beast::error_code ec);

  void Dispatch(HttpRequest request);
  void OnResponse(uint64_t id, HttpResponse response);
  void QueueError(HttpResponse response);

  void DoWrite();
  void OnWrite(boost::beast::error_code ec, size_t bytes);

  void DoShutdown();
  void DoDrain();
  void OnDrain(boost::beast::error_code ec, size_t bytes);
  void DoClose();

  boost::beast::basic_stream<boost::asio::ip::tcp, SessionExecutor> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  const std::shared_ptr<const DynamoHttp> http_;
  const SessionOptions options_;
  const std::shared_ptr<SessionSet> sessions_;
  std::string client_;  // "address:port" of the peer

  // Everything below is touched only on the strand.
  std::deque<Slot> queue_;  // one per request read and not yet answered, in order
  uint64_t front_id_ = 0;   // the id of queue_.front()
  ReadState read_state_ = ReadState::kNone;
  bool first_request_ = true;
  bool read_done_ = false;  // no more requests will be read on this connection
  bool writing_ = false;
  bool shutting_down_ = false;
  bool closed_ = false;
  int sync_depth_ = 0;          // handlers running inside DoReadHeader or DoWrite
  TimePoint read_deadline_{};
  // The wait for a request's first byte is not given to tcp_stream, whose
  // deadline is a timer armed and cancelled for every read (each a trip through
  // the reactor's timer queue and a posted completion). The wait's deadline is a
  // time point instead; wait_timer_ fires at the earliest moment it could pass,
  // and when it has moved on, sleeps again until the new one. Armed at most once.
  TimePoint wait_deadline_ = TimePoint::max();  // max: the wait has no deadline
  boost::asio::steady_timer wait_timer_;
  bool wait_timer_armed_ = false;
  std::vector<char> drain_buffer_;
  // The bytes of the response being written. Reused, so that a connection stops
  // allocating for its writes once it has seen its largest answer.
  std::string write_buffer_;
};

}  // namespace dynemu::server
