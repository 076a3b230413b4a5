#include "server/listener.h"

#include <chrono>
#include <string>
#include <utility>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "base/log.h"

namespace dynemu::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// After a failed accept (out of file descriptors, typically) the next attempt
// waits a little instead of spinning on the same error.
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

std::string EndpointName(const tcp::endpoint& endpoint) {
  const std::string host = endpoint.address().to_string();
  return (endpoint.address().is_v6() ? "[" + host + "]" : host) + ":" +
         std::to_string(endpoint.port());
}

}  // namespace

Listener::Listener(net::io_context& ioc, std::shared_ptr<const DynamoHttp> http,
                   const SessionOptions& options)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()),
      http_(std::move(http)),
      options_(options),
      sessions_(std::make_shared<SessionSet>()) {}

Result<std::shared_ptr<Listener>> Listener::Open(net::io_context& ioc,
                                                 const tcp::endpoint& endpoint,
                                                 std::shared_ptr<const DynamoHttp> http,
                                                 const SessionOptions& options) {
  std::shared_ptr<Listener> listener(new Listener(ioc, std::move(http), options));
  tcp::acceptor& acceptor = listener->acceptor_;
  boost::system::error_code ec;
  auto fail = [&](const char* step) {
    return InternalError("cannot listen on " + EndpointName(endpoint) + ": " + step + ": " +
                         ec.message());
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open");
  // A restarted server must get its port back while old connections sit in
  // TIME_WAIT. (On Linux this does not allow two live listeners on one port.)
  acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail("set_option");
  acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen");
  listener->local_endpoint_ = acceptor.local_endpoint(ec);
  if (ec) return fail("local_endpoint");
  return listener;
}

void Listener::Run() {
  net::post(acceptor_.get_executor(),
            boost::beast::bind_front_handler(&Listener::DoAccept, shared_from_this()));
}

void Listener::Stop() {
  net::post(acceptor_.get_executor(),
            boost::beast::bind_front_handler(&Listener::DoStop, shared_from_this()));
  sessions_->ShutdownAll();
}

void Listener::DoStop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_timer_.cancel();
}

void Listener::DoAccept() {
  if (stopped_) return;
  // Each connection gets its own strand, so its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_), boost::beast::bind_front_handler(
                                                     &Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(boost::system::error_code ec, SessionSocket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    log::Get("http")->warn("accept failed: {}", ec.message());
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->DoAccept();
    });
    return;
  }
  std::make_shared<HttpSession>(std::move(socket), http_, options_, sessions_)->Run();
  DoAccept();
}

}  // namespace dynemu::server
