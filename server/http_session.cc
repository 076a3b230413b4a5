#include "server/http_session.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include "base/log.h"

namespace dynemu::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// Headers are small in DynamoDB requests (a SigV4 Authorization is ~300 bytes);
// this only bounds what a broken client can make us buffer.
constexpr uint32_t kHeaderLimit = 64 * 1024;
// The first read of a request only waits for its first bytes.
constexpr size_t kFirstReadBytes = 4096;
constexpr size_t kDrainChunkBytes = 64 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

const std::shared_ptr<spdlog::logger>& Logger() {
  static const std::shared_ptr<spdlog::logger> logger = log::Get("http");
  return logger;
}

std::string PeerName(const SessionSocket& socket) {
  beast::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  const net::ip::address address = peer.address();
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(peer.port());
}

bool IsHttpParseError(const beast::error_code& ec) {
  return &ec.category() == &http::make_error_code(http::error::bad_method).category();
}

}  // namespace

// ---- SessionSet

bool SessionSet::Add(const std::shared_ptr<HttpSession>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutting_down_) return false;
  sessions_[session.get()] = session;
  return true;
}

void SessionSet::Remove(const HttpSession* session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session);
}

void SessionSet::ShutdownAll() {
  std::vector<std::shared_ptr<HttpSession>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shutting_down_ = true;
    for (auto& [ptr, weak] : sessions_) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  // Outside the lock: a session released here may be destroyed, and its
  // destructor takes the lock to leave the set.
  for (auto& session : live) session->Shutdown();
}

size_t SessionSet::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

// ---- HttpSession

HttpSession::HttpSession(SessionSocket&& socket, std::shared_ptr<const DynamoHttp> http,
                         const SessionOptions& options, std::shared_ptr<SessionSet> sessions)
    : stream_(std::move(socket)),
      http_(std::move(http)),
      options_(options),
      sessions_(std::move(sessions)),
      wait_timer_(stream_.get_executor()) {
  client_ = PeerName(stream_.socket());
  // Responses are written whole, but a pipelined client should not wait for
  // Nagle to release the small ones.
  beast::error_code ec;
  stream_.socket().set_option(tcp::no_delay(true), ec);
  // DoWrite first tries a write that must not block.
  stream_.socket().non_blocking(true, ec);
}

HttpSession::~HttpSession() {
  if (sessions_) sessions_->Remove(this);
}

void HttpSession::Run() {
  if (sessions_ && !sessions_->Add(shared_from_this())) {
    // The server began shutting down while this connection was being accepted.
    beast::error_code ec;
    stream_.socket().close(ec);
    return;
  }
  // Onto the strand: the listener's thread must not touch the session's state.
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
}

void HttpSession::Shutdown() {
  net::post(stream_.get_executor(),
            beast::bind_front_handler(&HttpSession::DoShutdown, shared_from_this()));
}

void HttpSession::DoRead() {
  if (closed_ || read_done_ || shutting_down_ || read_state_ != ReadState::kNone) return;
  // A full queue pauses reading; OnWrite resumes it.
  if (queue_.size() >= kQueueLimit) return;

  parser_.emplace();
  parser_->body_limit(options_.max_body_bytes);
  parser_->header_limit(kHeaderLimit);

  if (buffer_.size() > 0) {  // a pipelined request has already begun arriving
    DoReadHeader();
    return;
  }
  read_state_ = ReadState::kWaiting;
  // While requests are in flight the connection is busy, not idle, so the wait
  // gets no deadline; OnWrite gives it one once the last answer is written.
  if (queue_.empty()) {
    StartWaitDeadline();
  } else {
    wait_deadline_ = TimePoint::max();
  }
  stream_.expires_never();
  // Waiting for the first byte separately lets the keep-alive wait and the read
  // of a request have different deadlines.
  stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                          beast::bind_front_handler(&HttpSession::OnFirstBytes,
                                                    shared_from_this()));
}

void HttpSession::StartWaitDeadline() {
  const TimePoint now = std::chrono::steady_clock::now();
  wait_deadline_ = now + (first_request_ ? options_.read_timeout : options_.idle_timeout);
  if (!wait_timer_armed_) ArmWaitTimer();  // else it wakes earlier and moves on to this one
}

void HttpSession::ArmWaitTimer() {
  wait_timer_armed_ = true;
  wait_timer_.expires_at(wait_deadline_);
  // A weak reference: the timer must not keep a closed session alive until it
  // fires. Destroying the session cancels the wait.
  wait_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock()) self->OnWaitTimer(ec);
  });
}

void HttpSession::OnWaitTimer(beast::error_code ec) {
  wait_timer_armed_ = false;
  if (ec || closed_) return;
  const bool idle_wait = read_state_ == ReadState::kWaiting && queue_.empty() && !writing_;
  if (!idle_wait || wait_deadline_ == TimePoint::max()) return;  // the next wait re-arms it
  if (std::chrono::steady_clock::now() < wait_deadline_) {
    ArmWaitTimer();
    return;
  }
  // The pending read ends with operation_aborted, which OnReadError ignores once
  // the session is closed.
  Logger()->debug("{}: timed out, connection closed", client_);
  read_done_ = true;
  DoClose();
}

void HttpSession::OnFirstBytes(beast::error_code ec, size_t bytes) {
  if (ec) return OnReadError(ec);
  buffer_.commit(bytes);
  DoReadHeader();
}

void HttpSession::DoReadHeader() {
  read_state_ = ReadState::kReading;
  // One deadline for the whole request, header and body.
  read_deadline_ = std::chrono::steady_clock::now() + options_.read_timeout;
  // A request usually arrives whole with its first bytes. Parsing what is
  // buffered here spares two asynchronous steps (Beast's async reads post their
  // completion even when they need no I/O, each with a timer armed and
  // cancelled). The depth bound keeps a client that pipelines many requests from
  // deepening the stack: past it, the asynchronous path takes over.
  if (sync_depth_ < kMaxSyncDepth) {
    ++sync_depth_;
    beast::error_code ec;
    ParseBuffered(ec);
    if (ec) {
      OnReadError(ec);
    } else if (parser_->is_done()) {
      OnRead({}, 0);
    } else if (parser_->is_header_done()) {
      OnReadHeader({}, 0);
    } else {
      StartReadHeader();
    }
    --sync_depth_;
    return;
  }
  StartReadHeader();
}

void HttpSession::ParseBuffered(beast::error_code& ec) {
  // Eager: the body is parsed in the same call as the header when it is there.
  parser_->eager(true);
  while (buffer_.size() > 0 && !parser_->is_done()) {
    const size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) {
      ec = {};
      return;
    }
    if (ec || used == 0) return;
  }
}

void HttpSession::StartReadHeader() {
  stream_.expires_at(read_deadline_);
  http::async_read_header(
      stream_, buffer_, *parser_,
      beast::bind_front_handler(&HttpSession::OnReadHeader, shared_from_this()));
}

void HttpSession::OnReadHeader(beast::error_code ec, size_t bytes) {
  if (ec) return OnReadError(ec);
  // curl (and some SDKs) send "Expect: 100-continue" with large bodies and wait a
  // second for the go-ahead. An interim response must not overtake the answers to
  // earlier requests, so it is sent only when none is pending; otherwise the
  // client sends the body after its own wait.
  if (!parser_->is_done() && queue_.empty() && !writing_ && parser_->request().expect_continue) {
    stream_.expires_after(options_.write_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     beast::bind_front_handler(&HttpSession::OnWriteContinue,
                                               shared_from_this()));
    return;
  }
  DoReadBody();
}

void HttpSession::OnWriteContinue(beast::error_code ec, size_t bytes) {
  if (ec) return OnReadError(ec);
  DoReadBody();
}

void HttpSession::DoReadBody() {
  if (parser_->is_done()) return OnRead({}, 0);
  stream_.expires_at(read_deadline_);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
}

void HttpSession::OnRead(beast::error_code ec, size_t bytes) {
  if (ec) return OnReadError(ec);
  read_state_ = ReadState::kNone;
  first_request_ = false;
  if (shutting_down_) {
    // It arrived after shutdown began: not in flight, so not answered.
    read_done_ = true;
    if (queue_.empty() && !writing_) DoClose();
    return;
  }
  HttpRequest request = parser_->release();
  parser_.reset();
  if (!request.keep_alive) read_done_ = true;
  Dispatch(std::move(request));
  DoRead();  // pipelining: read the next request while this one runs
}

void HttpSession::OnReadError(beast::error_code ec) {
  read_state_ = ReadState::kNone;
  if (closed_ || ec == net::error::operation_aborted) return;

  if (ec == beast::error::timeout) {
    // tcp_stream has closed the socket already; pending writes fail with it.
    Logger()->debug("{}: timed out, connection closed", client_);
    closed_ = true;
    return;
  }
  if (ec == http::error::body_limit) {
    // As DynamoDB: 413 with an empty body, and the connection is not reused.
    QueueError(DynamoHttp::PayloadTooLarge(parser_->request().version));
    return;
  }
  if (IsHttpParseError(ec) && ec != http::error::end_of_stream &&
      ec != http::error::partial_message) {
    Logger()->debug("{}: unparsable request ({}), connection closed", client_, ec.message());
    QueueError(DynamoHttp::BadRequest(11));
    return;
  }
  // The peer closed (cleanly between requests, or in the middle of one) or the
  // connection broke: answer what was received, then close.
  read_done_ = true;
  if (queue_.empty() && !writing_) DoClose();
}

void HttpSession::Dispatch(HttpRequest request) {
  const uint64_t id = front_id_ + queue_.size();
  queue_.emplace_back();
  // The handler may answer from any thread (a hook delay ends on a timer); the
  // answer is dispatched back to this connection's strand. Most answers come
  // synchronously, on this strand: dispatch then runs OnResponse at once,
  // where a post would queue it and wake another I/O thread for every request
  // (perf: context switches and the scheduler's mutex, README Performance).
  // OnResponse only fills the slot queued above and starts a write, so running
  // it inside Handle is safe.
  auto executor = stream_.get_executor();
  http_->Handle(std::move(request), client_,
                [self = shared_from_this(), executor, id](HttpResponse response) {
                  net::dispatch(executor, [self, id, response = std::move(response)]() mutable {
                    self->OnResponse(id, std::move(response));
                  });
                });
}

void HttpSession::OnResponse(uint64_t id, HttpResponse response) {
  if (closed_) return;
  queue_[id - front_id_].response = std::move(response);
  DoWrite();
}

void HttpSession::QueueError(HttpResponse response) {
  read_done_ = true;
  Slot slot;
  slot.response = std::move(response);
  slot.drain = true;
  queue_.push_back(std::move(slot));
  DoWrite();
}

void HttpSession::DoWrite() {
  if (writing_ || closed_ || queue_.empty() || !queue_.front().response) return;
  HttpResponse& response = *queue_.front().response;
  if (shutting_down_) response.keep_alive(false);
  writing_ = true;
  // The response is rendered into one buffer and written with one call (Beast's
  // serializer walked a chain of buffer views per write: ~8% of the CPU of a
  // GetItem load).
  response.Render(&write_buffer_);
  // Most answers fit in the socket's send buffer: write now, without the
  // asynchronous round trip (a posted completion, a write timer armed and
  // cancelled), and wait, under the write deadline, only for what does not fit.
  size_t written = 0;
  if (sync_depth_ < kMaxSyncDepth) {
    beast::error_code ec;
    written = stream_.socket().write_some(net::buffer(write_buffer_), ec);
    if (ec == net::error::would_block || ec == net::error::try_again) {
      written = 0;
    } else if (ec) {
      written = 0;  // the asynchronous write below meets the same error and reports it
    } else if (written == write_buffer_.size()) {
      ++sync_depth_;
      OnWrite({}, written);
      --sync_depth_;
      return;
    }
  }
  // tcp_stream keeps a timer per direction: with a read pending, only the write
  // timer changes; otherwise both do, and the next read sets its own.
  stream_.expires_after(options_.write_timeout);
  net::async_write(stream_, net::buffer(write_buffer_.data() + written,
                                        write_buffer_.size() - written),
                   beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this()));
}

void HttpSession::OnWrite(beast::error_code ec, size_t bytes) {
  writing_ = false;
  if (ec) {
    if (ec == beast::error::timeout) closed_ = true;
    DoClose();
    return;
  }
  Slot done = std::move(queue_.front());
  queue_.pop_front();
  ++front_id_;
  if (done.drain) {
    DoDrain();
    return;
  }
  if (done.response->need_eof()) {
    read_done_ = true;
    DoClose();
    return;
  }
  if (queue_.empty()) {
    if (read_done_ || shutting_down_) {
      DoClose();
      return;
    }
    if (read_state_ == ReadState::kWaiting) {
      // The wait for the next request began while this answer was in flight,
      // without a deadline: from now on it has the idle one.
      StartWaitDeadline();
    }
  }
  DoWrite();
  DoRead();  // resumes reading if a full queue had paused it
}

void HttpSession::DoShutdown() {
  shutting_down_ = true;
  if (closed_) return;
  // Nothing in flight: close now. Otherwise OnWrite closes after the last answer.
  if (queue_.empty() && !writing_) DoClose();
}

void HttpSession::DoDrain() {
  // Closing a socket with unread input makes the kernel send a reset, which can
  // destroy the error response before the client reads it (a client still
  // sending a 20 MB body reads nothing until it is done). So: half-close, and
  // discard what the client still sends, for a bounded time.
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    DoClose();
    return;
  }
  drain_buffer_.resize(kDrainChunkBytes);
  stream_.expires_after(options_.read_timeout);
  stream_.async_read_some(net::buffer(drain_buffer_),
                          beast::bind_front_handler(&HttpSession::OnDrain, shared_from_this()));
}

void HttpSession::OnDrain(beast::error_code ec, size_t bytes) {
  if (ec) {
    if (ec == beast::error::timeout) closed_ = true;
    DoClose();
    return;
  }
  // The deadline set in DoDrain still holds: it bounds the whole drain.
  stream_.async_read_some(net::buffer(drain_buffer_),
                          beast::bind_front_handler(&HttpSession::OnDrain, shared_from_this()));
}

void HttpSession::DoClose() {
  if (closed_) return;
  closed_ = true;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream_.close();  // also cancels the stream's timers
  wait_timer_.cancel();
}

}  // namespace dynemu::server
