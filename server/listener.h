#pragma once

// Accepts TCP connections and starts an HttpSession on each, with a strand of
// its own. Stop() is the first step of a graceful shutdown.

#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/status.h"
#include "server/dynamo_http.h"
#include "server/http_session.h"

namespace dynemu::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens on `endpoint` (port 0: a free port, see
  // local_endpoint()). Fails, with a message naming the endpoint and the reason
  // ("Address already in use"), when the port cannot be had. Nothing is accepted
  // until Run. `ioc` must outlive the Listener and its sessions.
  static Result<std::shared_ptr<Listener>> Open(boost::asio::io_context& ioc,
                                                const boost::asio::ip::tcp::endpoint& endpoint,
                                                std::shared_ptr<const DynamoHttp> http,
                                                const SessionOptions& options);

  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The bound address, with the real port.
  const boost::asio::ip::tcp::endpoint& local_endpoint() const { return local_endpoint_; }

  // Starts accepting. Call once.
  void Run();

  // Thread-safe, idempotent. Stops accepting (the port is released) and asks
  // every session to answer what it has received and close. The io_context runs
  // out of work once the last in-flight request is answered.
  void Stop();

  // Connections open now. Thread-safe.
  size_t session_count() const { return sessions_->size(); }

 private:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<const DynamoHttp> http,
           const SessionOptions& options);

  void DoAccept();
  void OnAccept(boost::system::error_code ec, SessionSocket socket);
  void DoStop();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;  // its executor is the listener's strand
  boost::asio::steady_timer retry_timer_;
  boost::asio::ip::tcp::endpoint local_endpoint_;
  const std::shared_ptr<const DynamoHttp> http_;
  const SessionOptions options_;
  const std::shared_ptr<SessionSet> sessions_;
  bool stopped_ = false;  // on the strand
};

}  // namespace dynemu::server
