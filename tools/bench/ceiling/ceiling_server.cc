// dynemu-ceiling: the smallest HTTP/1.1 server on Beast that answers every
// request with one fixed DynamoDB-shaped answer (200, "{}", the headers
// DynamoDB sends). It parses each request whole, as a real server must, and
// does nothing else: its rate is what any HTTP server can reach on this
// machine, the ceiling dynemu's rate is read against.
//
// Usage: dynemu-ceiling [port [threads]]   (port 0: any; the port is printed)

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// The answer DynamoDB gives a PutItem without ReturnValues. The CRC32 is that
// of "{}", as DynamoDB's x-amz-crc32 header carries.
constexpr char kResponse[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/x-amz-json-1.0\r\n"
    "x-amzn-RequestId: CEILING0000000000000000000000000000000000000000000000\r\n"
    "x-amz-crc32: 2745614147\r\n"
    "Content-Length: 2\r\n"
    "\r\n"
    "{}";

class Session : public std::enable_shared_from_this<Session> {
 public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {}

  void Read() {
    parser_.emplace();
    parser_->body_limit(16 << 20);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return;
                       self->Write(self->parser_->get().keep_alive());
                     });
  }

 private:
  void Write(bool keep_alive) {
    net::async_write(socket_, net::buffer(kResponse, sizeof(kResponse) - 1),
                     [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                       if (ec || !keep_alive) {
                         beast::error_code ignored;
                         self->socket_.shutdown(tcp::socket::shutdown_send, ignored);
                         return;
                       }
                       self->Read();
                     });
  }

  tcp::socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

void Accept(tcp::acceptor& acceptor, net::io_context& ioc) {
  acceptor.async_accept(net::make_strand(ioc), [&](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket))->Read();
    }
    Accept(acceptor, ioc);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 8001;
  const int threads =
      argc > 2 ? std::atoi(argv[2]) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (port < 0 || port > 65535 || threads < 1) {
    std::fprintf(stderr, "usage: dynemu-ceiling [port [threads]]\n");
    return 2;
  }
  net::io_context ioc(threads);
  beast::error_code ec;
  tcp::acceptor acceptor(ioc);
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port));
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "dynemu-ceiling: cannot listen on port %d: %s\n", port, ec.message().c_str());
    return 1;
  }
  std::printf("dynemu-ceiling listening on 127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  Accept(acceptor, ioc);
  std::vector<std::thread> workers;
  for (int i = 1; i < threads; ++i) workers.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& w : workers) w.join();
  return 0;
}
