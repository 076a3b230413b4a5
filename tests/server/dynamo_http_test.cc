#include "server/dynamo_http.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "server/asio_scheduler.h"
#include "server/crc32.h"
#include "server/http_session.h"
#include "server/io_threads.h"
#include "server/listener.h"

namespace dynemu::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kHealth = "healthy: dynamodb.us-east-1.amazonaws.com ";
constexpr std::string_view kUnknownOperation = "<UnknownOperationException/>\n";

// What the test client writes and reads on the wire: Beast's messages.
using WireRequest = http::request<http::string_body>;
using WireResponse = http::response<http::string_body>;

std::string Str(beast::string_view s) { return std::string(s.data(), s.size()); }

// ---- A fake core: answers by the X-Amz-Target header.
//   Test.Echo    200, the Operation's fields in the body
//   Test.Delay   200 after 300 ms (through the AsioScheduler, as a hook delay)
//   Test.Hang    200 after 5 s
//   Test.Error   400 with a DynamoDB-shaped error body
class FakeCore {
 public:
  explicit FakeCore(Scheduler* scheduler) : scheduler_(scheduler) {}

  RequestHandler Handler() {
    return [this](Operation op, std::function<void(Response)> done) { Run(std::move(op), done); };
  }

  int calls() const { return calls_.load(); }
  int delayed_started() const { return delayed_started_.load(); }
  Operation last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  void Run(Operation op, const std::function<void(Response)>& done) {
    const int n = ++calls_;
    Response r;
    r.request_id = "REQ" + std::to_string(n);
    r.operation = op.target;
    if (op.target == "Test.Error") {
      r.http_status = 400;
      r.body = R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})";
    } else {
      r.body = "target=" + op.target + ";auth=" + op.authorization +
               ";date=" + (op.has_date ? "1" : "0") + ";client=" + op.client + ";body=" + op.body;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_ = op;
    }
    if (op.target == "Test.Delay" || op.target == "Test.Hang") {
      ++delayed_started_;
      scheduler_->RunAfter(op.target == "Test.Delay" ? 300 : 5000,
                           [done, r]() mutable { done(std::move(r)); });
      return;
    }
    done(std::move(r));
  }

  Scheduler* scheduler_;
  std::atomic<int> calls_{0};
  std::atomic<int> delayed_started_{0};
  std::mutex mu_;
  Operation last_;
};

// ---- A server on 127.0.0.1, port 0, two I/O threads.
class TestServer {
 public:
  explicit TestServer(SessionOptions options = {}) : scheduler_(ioc_), core_(&scheduler_) {
    DynamoHttp::Options http_options;
    http_options.handler = core_.Handler();
    http_options.new_request_id = [this] { return "LOCAL" + std::to_string(++local_ids_); };
    auto listener =
        Listener::Open(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0),
                       std::make_shared<const DynamoHttp>(std::move(http_options)), options);
    DYN_CHECK(listener.ok());
    listener_ = *listener;
    listener_->Run();
    threads_.Start(2);
  }
  ~TestServer() {
    if (!stopped_) Stop(5s);
  }

  uint16_t port() const { return listener_->local_endpoint().port(); }
  FakeCore& core() { return core_; }
  size_t session_count() const { return listener_->session_count(); }

  // What main() does on SIGTERM. Returns whether everything finished within `grace`.
  bool Stop(std::chrono::milliseconds grace) {
    stopped_ = true;
    listener_->Stop();
    threads_.RequestStop();
    return threads_.Wait(grace);
  }

 private:
  net::io_context ioc_;
  AsioScheduler scheduler_;
  FakeCore core_;
  std::atomic<int> local_ids_{0};
  std::shared_ptr<Listener> listener_;
  IoThreads threads_{ioc_};
  bool stopped_ = false;
};

// ---- A client with deadlines, so that a broken server fails a test instead of
// hanging it. Every operation runs the client's own io_context to completion.
class Client {
 public:
  explicit Client(uint16_t port) : stream_(ioc_) {
    stream_.expires_after(5s);
    beast::error_code ec;
    stream_.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                          [&](beast::error_code e) { ec = e; });
    Run();
    connect_error_ = ec;
  }

  beast::error_code connect_error() const { return connect_error_; }
  tcp::endpoint local_endpoint() { return stream_.socket().local_endpoint(); }

  beast::error_code Send(WireRequest req) {
    req.prepare_payload();
    beast::error_code ec;
    stream_.expires_after(10s);
    http::async_write(stream_, req, [&](beast::error_code e, size_t) { ec = e; });
    Run();
    return ec;
  }

  beast::error_code SendRaw(std::string_view bytes) {
    beast::error_code ec;
    stream_.expires_after(10s);
    net::async_write(stream_, net::buffer(bytes.data(), bytes.size()),
                     [&](beast::error_code e, size_t) { ec = e; });
    Run();
    return ec;
  }

  // Reads one response; *ec (when given) receives the error instead of failing.
  WireResponse Read(beast::error_code* ec_out = nullptr, bool head = false,
                    std::chrono::milliseconds timeout = 5s) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(head);
    beast::error_code ec;
    stream_.expires_after(timeout);
    http::async_read(stream_, buffer_, parser, [&](beast::error_code e, size_t) { ec = e; });
    Run();
    if (ec_out) {
      *ec_out = ec;
    } else {
      EXPECT_FALSE(ec) << ec.message();
    }
    return parser.release();
  }

  WireResponse RoundTrip(WireRequest req) {
    EXPECT_FALSE(Send(std::move(req)));
    return Read();
  }

  // Waits for the server to close the connection: true on EOF or reset within
  // `timeout`, false when data or nothing arrives.
  bool WaitClosed(std::chrono::milliseconds timeout) {
    char byte;
    beast::error_code ec;
    size_t n = 0;
    stream_.expires_after(timeout);
    stream_.async_read_some(net::buffer(&byte, 1), [&](beast::error_code e, size_t bytes) {
      ec = e;
      n = bytes;
    });
    Run();
    return n == 0 && ec && ec != beast::error::timeout;
  }

 private:
  void Run() {
    ioc_.restart();
    ioc_.run();
  }

  net::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  beast::error_code connect_error_;
};

WireRequest Post(std::string target_header, std::string body,
                 std::string content_type = "application/x-amz-json-1.0") {
  WireRequest req{http::verb::post, "/", 11};
  req.set(http::field::host, "localhost");
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  if (!target_header.empty()) req.set("X-Amz-Target", target_header);
  req.set(http::field::authorization,
          "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, "
          "SignedHeaders=host, Signature=abc");
  req.set("X-Amz-Date", "20240101T000000Z");
  req.body() = std::move(body);
  return req;
}

WireRequest Request(http::verb verb, std::string target = "/") {
  WireRequest req{verb, target, 11};
  req.set(http::field::host, "localhost");
  return req;
}

// Parses `bytes` as the server does; *ec receives the parser's error.
HttpRequest ParseRequest(std::string_view bytes, beast::error_code* ec,
                         uint64_t body_limit = kDefaultMaxBodyBytes) {
  RequestParser parser;
  parser.body_limit(body_limit);
  parser.eager(true);
  *ec = {};
  while (!bytes.empty() && !parser.is_done()) {
    const size_t used = parser.put(net::buffer(bytes.data(), bytes.size()), *ec);
    bytes.remove_prefix(used);
    if (*ec == http::error::need_more) *ec = {};
    if (*ec || used == 0) break;
  }
  if (!*ec && !parser.is_done()) *ec = http::error::need_more;
  return parser.is_done() ? parser.release() : parser.request();
}

// The request as the server sees it once `req` has crossed the wire.
HttpRequest Parsed(WireRequest req) {
  req.prepare_payload();
  std::ostringstream wire;
  wire << req;
  beast::error_code ec;
  HttpRequest out = ParseRequest(wire.str(), &ec);
  EXPECT_FALSE(ec) << ec.message();
  return out;
}

// `res` as a client reads it: its rendered bytes through Beast's parser (the
// answer to a HEAD request carries no body).
WireResponse OnTheWire(const HttpResponse& res, bool head = false) {
  std::string wire;
  res.Render(&wire);
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.skip(head);
  beast::error_code ec;
  const size_t used = parser.put(net::buffer(wire), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(parser.is_done()) << wire;
  EXPECT_EQ(used, wire.size()) << "bytes after the message: " << wire;
  return parser.release();
}

template <typename Response>
void ExpectCrc(const Response& res) {
  EXPECT_EQ(Str(res["x-amz-crc32"]), std::to_string(Crc32(res.body())));
  EXPECT_EQ(Str(res[http::field::content_length]), std::to_string(res.body().size()));
}

// ---- RequestParser: Beast's parser, keeping what the service reads.

TEST(RequestParserTest, KeepsTheFirstOfEachFieldReadAndTheChunkedBody) {
  beast::error_code ec;
  HttpRequest req = ParseRequest(
      "POST /x?y HTTP/1.1\r\n"
      "Host: h\r\n"
      "X-AMZ-TARGET: first\r\n"
      "x-amz-target: second\r\n"
      "Content-Type: application/json\r\n"
      "content-type: text/plain\r\n"
      "Authorization: a1\r\n"
      "authorization: a2\r\n"
      "X-Amz-Date: \r\n"
      "x-amz-date: 20240101T000000Z\r\n"
      "Expect: 100-Continue\r\n"
      "Origin: http://o\r\n"
      "Access-Control-Request-Method: POST\r\n"
      "Transfer-Encoding: chunked\r\n"
      "\r\n"
      "2\r\n{}\r\n3\r\n[1]\r\n0\r\n\r\n",
      &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(req.method, http::verb::post);
  EXPECT_EQ(req.method_name, "POST");
  EXPECT_EQ(req.target, "/x?y");
  EXPECT_EQ(req.version, 11u);
  EXPECT_TRUE(req.keep_alive);
  EXPECT_EQ(req.amz_target, "first");
  EXPECT_EQ(req.content_type, "application/json");
  EXPECT_EQ(req.authorization, "a1");
  EXPECT_FALSE(req.has_date);  // the first X-Amz-Date is empty; a later one does not count
  EXPECT_TRUE(req.expect_continue);
  EXPECT_TRUE(req.origin);
  EXPECT_EQ(req.access_control_request_method, std::optional<std::string>("POST"));
  EXPECT_EQ(req.access_control_request_headers, std::nullopt);
  EXPECT_EQ(req.body, "{}[1]");

  req = ParseRequest("GET / HTTP/1.1\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n\r\n", &ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(req.has_date);
  EXPECT_FALSE(req.origin);
  EXPECT_FALSE(req.expect_continue);
  EXPECT_EQ(req.amz_target, "");
  EXPECT_EQ(req.body, "");
}

TEST(RequestParserTest, KeepAliveFollowsVersionAndConnection) {
  beast::error_code ec;
  EXPECT_FALSE(ParseRequest("GET / HTTP/1.0\r\n\r\n", &ec).keep_alive);
  EXPECT_TRUE(ParseRequest("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &ec).keep_alive);
  EXPECT_TRUE(ParseRequest("GET / HTTP/1.1\r\n\r\n", &ec).keep_alive);
  HttpRequest closing = ParseRequest("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", &ec);
  EXPECT_FALSE(closing.keep_alive);
  EXPECT_EQ(ParseRequest("GET / HTTP/1.0\r\n\r\n", &ec).version, 10u);
}

TEST(RequestParserTest, RefusesABodyOverTheLimitAndBadBytes) {
  beast::error_code ec;
  ParseRequest("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n0123456789a", &ec, 10);
  EXPECT_EQ(ec, http::error::body_limit);
  ParseRequest("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", &ec, 10);
  EXPECT_FALSE(ec) << ec.message();
  ParseRequest("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n"
               "8\r\n01234567\r\n0\r\n\r\n",
               &ec, 10);
  EXPECT_EQ(ec, http::error::body_limit);
  ParseRequest("POST / HTTP/1.1\r\nBad Name: x\r\n\r\n", &ec);
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, http::error::need_more);
  ParseRequest("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", &ec);
  EXPECT_EQ(ec, http::error::need_more);  // the rest of the body has not come yet
}

// ---- DynamoHttp on its own: the mapping between HTTP and Operation/Response.

class DynamoHttpTest : public ::testing::Test {
 protected:
  DynamoHttpTest() {
    DynamoHttp::Options options;
    options.handler = [this](Operation op, std::function<void(Response)> done) {
      seen_ = op;
      Response r;
      r.http_status = status_;
      r.body = R"({"TableNames":[]})";
      r.request_id = request_id_;
      r.operation = "ListTables";
      done(std::move(r));
    };
    options.new_request_id = [] { return std::string("GENERATED"); };
    http_.emplace(std::move(options));
  }

  // The answer as the client reads it: Render()'s bytes, parsed by Beast.
  WireResponse Handle(WireRequest req, std::string client = "10.0.0.1:5555") {
    const bool head = req.method() == http::verb::head;
    std::optional<HttpResponse> out;
    http_->Handle(Parsed(std::move(req)), std::move(client),
                  [&](HttpResponse r) { out = std::move(r); });
    EXPECT_TRUE(out.has_value());
    return out ? OnTheWire(*out, head) : WireResponse{};
  }

  std::optional<DynamoHttp> http_;
  std::optional<Operation> seen_;
  uint16_t status_ = 200;
  std::string request_id_ = "PIPELINEID";
};

TEST_F(DynamoHttpTest, BuildsTheOperationFromTheRequest) {
  WireRequest req = Post("DynamoDB_20120810.ListTables", "{}");
  WireResponse res = Handle(std::move(req), "127.0.0.1:4242");
  ASSERT_TRUE(seen_.has_value());
  EXPECT_EQ(seen_->target, "DynamoDB_20120810.ListTables");
  EXPECT_EQ(seen_->body, "{}");
  EXPECT_EQ(seen_->authorization.substr(0, 16), "AWS4-HMAC-SHA256");
  EXPECT_TRUE(seen_->has_date);
  EXPECT_EQ(seen_->client, "127.0.0.1:4242");

  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res.body(), R"({"TableNames":[]})");
  EXPECT_EQ(Str(res["x-amzn-RequestId"]), "PIPELINEID");
  EXPECT_EQ(Str(res[http::field::content_type]), "application/x-amz-json-1.0");
  ExpectCrc(res);
  EXPECT_TRUE(res.keep_alive());
}

TEST_F(DynamoHttpTest, DateHeaderEitherFormCountsAndEmptyDoesNot) {
  WireRequest req = Post("T", "{}");
  req.erase("X-Amz-Date");
  Handle(req);
  EXPECT_FALSE(seen_->has_date);
  req.set(http::field::date, "Mon, 01 Jan 2024 00:00:00 GMT");
  Handle(req);
  EXPECT_TRUE(seen_->has_date);
  req.erase(http::field::date);
  req.set("X-Amz-Date", "");
  Handle(req);
  EXPECT_FALSE(seen_->has_date);
}

TEST_F(DynamoHttpTest, HeaderNamesIgnoreCaseAndTheFirstOfRepeatedOnesCounts) {
  WireRequest req{http::verb::post, "/", 11};
  req.insert("x-amz-target", "DynamoDB_20120810.ListTables");
  req.insert("X-AMZ-TARGET", "DynamoDB_20120810.DeleteTable");
  req.insert("content-type", "application/x-amz-json-1.0");
  req.insert("CONTENT-TYPE", "text/plain");
  req.insert("authorization", "AWS4-HMAC-SHA256 first");
  req.insert("Authorization", "AWS4-HMAC-SHA256 second");
  req.insert("x-amz-date", "");
  req.insert("X-Amz-Date", "20240101T000000Z");
  req.body() = "{}";
  WireResponse res = Handle(req);
  ASSERT_TRUE(seen_.has_value());
  EXPECT_EQ(seen_->target, "DynamoDB_20120810.ListTables");
  EXPECT_EQ(seen_->authorization, "AWS4-HMAC-SHA256 first");
  // The first X-Amz-Date is empty, so there is no date (DynamoDB reads the first).
  EXPECT_FALSE(seen_->has_date);
  EXPECT_EQ(Str(res[http::field::content_type]), "application/x-amz-json-1.0");

  WireRequest origin = Post("T", "{}");
  origin.insert("ORIGIN", "http://example.com");
  EXPECT_EQ(Str(Handle(origin)[http::field::access_control_allow_origin]), "*");
}

TEST_F(DynamoHttpTest, MissingHeadersBecomeEmptyFields) {
  WireRequest req = Request(http::verb::post);
  req.set(http::field::content_type, "application/x-amz-json-1.0");
  req.body() = "{}";
  Handle(req);
  ASSERT_TRUE(seen_.has_value());
  EXPECT_EQ(seen_->target, "");
  EXPECT_EQ(seen_->authorization, "");
  EXPECT_FALSE(seen_->has_date);
}

TEST_F(DynamoHttpTest, ContentTypeOfTheAnswerFollowsTheRequest) {
  EXPECT_EQ(Str(Handle(Post("T", "{}", "application/json"))[http::field::content_type]),
            "application/json");
  EXPECT_EQ(Str(Handle(Post("T", "{}", "application/json; charset=utf-8"))
                    [http::field::content_type]),
            "application/json");
  EXPECT_EQ(Str(Handle(Post("T", "{}", " application/x-amz-json-1.0 ; x=y"))
                    [http::field::content_type]),
            "application/x-amz-json-1.0");
  // No content type and no body: on to the core, answered as application/json.
  EXPECT_EQ(Str(Handle(Post("T", "", ""))[http::field::content_type]), "application/json");
}

TEST_F(DynamoHttpTest, ErrorStatusAndGeneratedIdWhenTheCoreGivesNone) {
  status_ = 400;
  request_id_ = "";
  WireResponse res = Handle(Post("T", "{}"));
  EXPECT_EQ(res.result_int(), 400);
  EXPECT_EQ(Str(res["x-amzn-RequestId"]), "GENERATED");
}

TEST_F(DynamoHttpTest, HealthCheckOnAnyPath) {
  for (std::string path : {"/", "/anything?x=1"}) {
    WireResponse res = Handle(Request(http::verb::get, path));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), kHealth);
    EXPECT_EQ(Str(res["x-amz-crc32"]), "3128867991");
    EXPECT_EQ(Str(res[http::field::content_length]), "42");
    EXPECT_EQ(Str(res["x-amzn-RequestId"]), "GENERATED");
  }
  EXPECT_FALSE(seen_.has_value());
}

TEST_F(DynamoHttpTest, UnknownOperationFor404Cases) {
  auto expect_404 = [&](WireRequest req) {
    WireResponse res = Handle(std::move(req));
    EXPECT_EQ(res.result_int(), 404);
    EXPECT_EQ(res.body(), kUnknownOperation);
    EXPECT_EQ(Str(res["x-amz-crc32"]), "3552371480");
    EXPECT_EQ(Str(res[http::field::content_length]), "29");
    EXPECT_EQ(Str(res["x-amzn-RequestId"]), "GENERATED");
  };
  expect_404(Request(http::verb::put));
  expect_404(Request(http::verb::delete_));
  expect_404(Request(http::verb::options));  // no Origin: not a preflight
  expect_404(Post("DynamoDB_20120810.ListTables", "{}", "text/plain"));
  expect_404(Post("DynamoDB_20120810.ListTables", "{}", ""));
  expect_404(Post("DynamoDB_20120810.ListTables", "{}", "APPLICATION/JSON"));
  EXPECT_FALSE(seen_.has_value());
  // An empty body passes whatever its type: the core answers it.
  Handle(Post("DynamoDB_20120810.ListTables", "", "text/plain"));
  EXPECT_TRUE(seen_.has_value());
}

TEST_F(DynamoHttpTest, HeadGetsHeadersWithoutBody) {
  WireResponse res = Handle(Request(http::verb::head));
  EXPECT_EQ(res.result_int(), 404);
  EXPECT_EQ(res.body(), "");
  EXPECT_EQ(Str(res[http::field::content_length]), "29");
}

TEST_F(DynamoHttpTest, CorsPreflightAndOrigin) {
  WireRequest pre = Request(http::verb::options);
  pre.set(http::field::origin, "http://example.com");
  pre.set(http::field::access_control_request_headers, "content-type,x-amz-target");
  pre.set(http::field::access_control_request_method, "POST");
  WireResponse res = Handle(pre);
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(Str(res[http::field::access_control_allow_origin]), "*");
  EXPECT_EQ(Str(res[http::field::access_control_allow_headers]), "content-type,x-amz-target");
  EXPECT_EQ(Str(res[http::field::access_control_allow_methods]), "POST");
  EXPECT_EQ(Str(res[http::field::access_control_max_age]), "172800");
  EXPECT_EQ(Str(res[http::field::content_length]), "0");
  EXPECT_EQ(res.body(), "");
  EXPECT_FALSE(seen_.has_value());

  WireRequest post = Post("T", "{}");
  post.set(http::field::origin, "http://example.com");
  EXPECT_EQ(Str(Handle(post)[http::field::access_control_allow_origin]), "*");
  EXPECT_EQ(Handle(Post("T", "{}")).count(http::field::access_control_allow_origin), 0u);
}

TEST(HttpResponseTest, RendersStatusLineFieldsInOrderConnectionAndBody) {
  HttpResponse res(http::status::bad_request, 11);
  res.set("x-amzn-RequestId", "ID1");
  res.set(http::field::content_type, "application/x-amz-json-1.0");
  res.body() = "{}";
  res.content_length(res.body().size());
  std::string wire;
  res.Render(&wire);
  EXPECT_EQ(wire,
            "HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: ID1\r\n"
            "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}");
  WireResponse read = OnTheWire(res);
  EXPECT_EQ(Str(read["X-AMZN-REQUESTID"]), "ID1");
  EXPECT_EQ(Str(read[http::field::content_length]), "2");
  EXPECT_EQ(Str(read["x-amz-crc32"]), "");
  EXPECT_EQ(read.count(http::field::date), 0u);
  EXPECT_EQ(Str(read[http::field::connection]), "");
  EXPECT_FALSE(res.need_eof());

  // HTTP/1.1 closes only when told; HTTP/1.0 keeps only when told.
  res.keep_alive(false);
  EXPECT_TRUE(res.need_eof());
  EXPECT_EQ(Str(OnTheWire(res)[http::field::connection]), "close");
  res.Render(&wire);
  EXPECT_NE(wire.find("\r\nConnection: close\r\n\r\n{}"), std::string::npos) << wire;

  HttpResponse old(http::status::ok, 10);
  EXPECT_FALSE(old.keep_alive());
  old.content_length(0);
  old.Render(&wire);
  EXPECT_EQ(wire, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
  old.keep_alive(true);
  old.Render(&wire);
  EXPECT_EQ(wire, "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");

  // What the wire carries parses back to the same response.
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  beast::error_code ec;
  res.Render(&wire);
  parser.put(net::buffer(wire), ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(parser.is_done());
  EXPECT_EQ(parser.get().result_int(), 400);
  EXPECT_EQ(parser.get().body(), "{}");
  EXPECT_FALSE(parser.get().keep_alive());
  EXPECT_EQ(Str(parser.get()["x-amzn-RequestId"]), "ID1");
}

TEST_F(DynamoHttpTest, KeepAliveFollowsTheRequest) {
  WireRequest req = Post("T", "{}");
  req.keep_alive(false);
  EXPECT_FALSE(Handle(req).keep_alive());
  WireRequest old = Post("T", "{}");
  old.version(10);
  EXPECT_FALSE(Handle(old).keep_alive());
}

// ---- The whole front end over TCP.

TEST(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  TestServer server;
  Client client(server.port());
  ASSERT_FALSE(client.connect_error());
  const std::string me = "127.0.0.1:" + std::to_string(client.local_endpoint().port());
  for (int i = 0; i < 5; ++i) {
    WireResponse res = client.RoundTrip(Post("Test.Echo", "{\"n\":" + std::to_string(i) + "}"));
    EXPECT_EQ(res.result_int(), 200);
    EXPECT_EQ(res.body(), "target=Test.Echo;auth=" + server.core().last().authorization +
                              ";date=1;client=" + me + ";body={\"n\":" + std::to_string(i) + "}");
    EXPECT_EQ(Str(res["x-amzn-RequestId"]), "REQ" + std::to_string(i + 1));
    EXPECT_EQ(Str(res[http::field::content_type]), "application/x-amz-json-1.0");
    EXPECT_FALSE(Str(res[http::field::date]).empty());
    EXPECT_TRUE(res.keep_alive());
    ExpectCrc(res);
  }
  EXPECT_EQ(server.session_count(), 1u);
  WireResponse health = client.RoundTrip(Request(http::verb::get));
  EXPECT_EQ(health.body(), kHealth);
  WireResponse missing = client.RoundTrip(Request(http::verb::put));
  EXPECT_EQ(missing.result_int(), 404);
  EXPECT_EQ(missing.body(), kUnknownOperation);
  WireResponse error = client.RoundTrip(Post("Test.Error", "{}"));
  EXPECT_EQ(error.result_int(), 400);
  ExpectCrc(error);
}

TEST(HttpServerTest, ConnectionCloseIsHonoured) {
  TestServer server;
  Client client(server.port());
  WireRequest req = Post("Test.Echo", "{}");
  req.keep_alive(false);
  WireResponse res = client.RoundTrip(std::move(req));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(client.WaitClosed(2s));
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestServer server;
  Client client(server.port());
  // The first answer is delayed, the next two are immediate: order must hold.
  std::string wire;
  for (const char* target : {"Test.Delay", "Test.Echo", "Test.Error"}) {
    WireRequest req = Post(target, "{}");
    req.prepare_payload();
    std::ostringstream out;
    out << req;
    wire += out.str();
  }
  ASSERT_FALSE(client.SendRaw(wire));
  EXPECT_NE(client.Read().body().find("target=Test.Delay"), std::string::npos);
  EXPECT_NE(client.Read().body().find("target=Test.Echo"), std::string::npos);
  EXPECT_EQ(client.Read().result_int(), 400);
}

TEST(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  TestServer server;
  Client client(server.port());
  std::string header =
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "X-Amz-Target: Test.Echo\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n";
  ASSERT_FALSE(client.SendRaw(header));
  WireResponse interim = client.Read();
  EXPECT_EQ(interim.result_int(), 100);
  ASSERT_FALSE(client.SendRaw("{}"));
  WireResponse res = client.Read();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find(";body={}"), std::string::npos);
}

TEST(HttpServerTest, OversizedBodyGets413AndTheConnectionCloses) {
  SessionOptions options;
  options.max_body_bytes = 1000;
  TestServer server(options);
  {
    // At the limit: served.
    Client client(server.port());
    EXPECT_EQ(client.RoundTrip(Post("Test.Echo", std::string(1000, 'x'))).result_int(), 200);
  }
  {
    // Over it, with a Content-Length: refused before the body is read.
    Client client(server.port());
    ASSERT_FALSE(client.Send(Post("Test.Echo", std::string(1001, 'x'))));
    WireResponse res = client.Read();
    EXPECT_EQ(res.result_int(), 413);
    EXPECT_EQ(res.body(), "");
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(client.WaitClosed(2s));
  }
  {
    // Over it, chunked: refused when the running total passes the limit.
    Client client(server.port());
    std::string chunked =
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "X-Amz-Target: Test.Echo\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) chunked += "200\r\n" + std::string(512, 'y') + "\r\n";
    chunked += "0\r\n\r\n";
    ASSERT_FALSE(client.SendRaw(chunked));
    EXPECT_EQ(client.Read().result_int(), 413);
    EXPECT_TRUE(client.WaitClosed(2s));
  }
  EXPECT_EQ(server.core().calls(), 1);
}

TEST(HttpServerTest, DefaultLimitIs16MiBAndTheClientCanSendItAllBeforeReading) {
  TestServer server;
  Client client(server.port());
  // Like Python's http.client: the whole body goes out before the answer is
  // read, so the server must drain rather than reset the connection.
  WireRequest req = Post("Test.Echo", std::string(16 * 1024 * 1024 + 1, 'z'));
  ASSERT_FALSE(client.Send(std::move(req)));
  WireResponse res = client.Read();
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_EQ(server.core().calls(), 0);
  // And the server still serves.
  Client other(server.port());
  EXPECT_EQ(other.RoundTrip(Post("Test.Echo", std::string(1 << 20, 'a'))).result_int(), 200);
}

TEST(HttpServerTest, SlowClientIsDroppedWhileOthersAreServed) {
  SessionOptions options;
  options.read_timeout = 300ms;
  TestServer server(options);
  Client slow(server.port());
  ASSERT_FALSE(slow.SendRaw("POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar"));
  const auto start = SteadyClock::now();
  std::promise<bool> closed;
  std::thread waiter([&] { closed.set_value(slow.WaitClosed(3s)); });
  for (int i = 0; i < 3; ++i) {
    Client other(server.port());
    EXPECT_EQ(other.RoundTrip(Post("Test.Echo", "{}")).result_int(), 200);
  }
  EXPECT_TRUE(closed.get_future().get());
  waiter.join();
  const auto elapsed = SteadyClock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(server.core().calls(), 3);
}

// Session options whose read and idle timeouts are both `timeout`.
SessionOptions WithTimeouts(std::chrono::milliseconds timeout) {
  SessionOptions options;
  options.read_timeout = timeout;
  options.idle_timeout = timeout;
  return options;
}

TEST(HttpServerTest, SilentNewConnectionIsDroppedAfterTheReadTimeout) {
  SessionOptions options;
  options.read_timeout = 200ms;
  TestServer server(options);
  Client silent(server.port());
  EXPECT_TRUE(silent.WaitClosed(2s));
}

TEST(HttpServerTest, IdleKeepAliveConnectionIsClosedButNotWhileARequestRuns) {
  TestServer server(WithTimeouts(200ms));
  Client client(server.port());
  // The delayed answer (300 ms) outlasts both timeouts: in flight is not idle.
  WireResponse res = client.RoundTrip(Post("Test.Delay", "{}"));
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_TRUE(res.keep_alive());
  const auto start = SteadyClock::now();
  EXPECT_TRUE(client.WaitClosed(2s));
  EXPECT_GE(SteadyClock::now() - start, 150ms);
}

TEST(HttpServerTest, IdleDeadlineMovesWithEachRequest) {
  TestServer server(WithTimeouts(300ms));
  Client client(server.port());
  // Requests 100 ms apart for over a second: the connection is never idle for
  // 300 ms, though the first deadline (and those after) pass while it is used.
  for (int i = 0; i < 12; ++i) {
    WireResponse res = client.RoundTrip(Post("Test.Echo", "{}"));
    ASSERT_EQ(res.result_int(), 200) << "request " << i;
    std::this_thread::sleep_for(100ms);
  }
  // Then idle: closed, and not before the idle timeout from the last answer.
  const auto start = SteadyClock::now();
  EXPECT_TRUE(client.WaitClosed(2s));
  EXPECT_GE(SteadyClock::now() - start, 150ms);
}

TEST(HttpServerTest, GarbageGetsTheConnectionClosedAndTheServerLives) {
  TestServer server;
  std::mt19937 rng(42);
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>(rng() & 0xff);
  garbage[0] = '\x01';  // never a method's first letter
  {
    Client client(server.port());
    ASSERT_FALSE(client.SendRaw(garbage));
    beast::error_code ec;
    WireResponse res = client.Read(&ec);
    if (!ec) {
      EXPECT_EQ(res.result_int(), 400);
    }
    EXPECT_TRUE(client.WaitClosed(2s));
  }
  {
    // Garbage after a good request on the same connection.
    Client client(server.port());
    EXPECT_EQ(client.RoundTrip(Post("Test.Echo", "{}")).result_int(), 200);
    ASSERT_FALSE(client.SendRaw("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"));
    beast::error_code ec;
    WireResponse res = client.Read(&ec);
    if (!ec) {
      EXPECT_EQ(res.result_int(), 400);
    }
    EXPECT_TRUE(client.WaitClosed(2s));
  }
  Client client(server.port());
  EXPECT_EQ(client.RoundTrip(Request(http::verb::get)).body(), kHealth);
}

TEST(HttpServerTest, ConcurrentConnections) {
  TestServer server;
  constexpr int kClients = 8;
  constexpr int kRequests = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      Client client(server.port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string body = std::to_string(c) + "/" + std::to_string(i);
        WireResponse res = client.RoundTrip(Post(i % 5 == 0 ? "Test.Delay" : "Test.Echo", body));
        const std::string suffix = ";body=" + body;
        if (res.result_int() == 200 && res.body().size() >= suffix.size() &&
            res.body().compare(res.body().size() - suffix.size(), suffix.size(), suffix) == 0 &&
            Str(res["x-amz-crc32"]) == std::to_string(Crc32(res.body()))) {
          ++ok;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kRequests);
  EXPECT_EQ(server.core().calls(), kClients * kRequests);
}

TEST(HttpServerTest, GracefulShutdownFinishesInFlightRequests) {
  auto server = std::make_unique<TestServer>();
  const uint16_t port = server->port();
  Client idle(port);
  EXPECT_EQ(idle.RoundTrip(Request(http::verb::get)).result_int(), 200);
  Client busy(port);
  ASSERT_FALSE(busy.Send(Post("Test.Delay", "{}")));
  while (server->core().delayed_started() == 0) std::this_thread::sleep_for(1ms);

  auto stopped = std::async(std::launch::async, [&] { return server->Stop(5s); });
  // The idle connection is closed at once; the busy one gets its answer, marked
  // as the last on the connection, then is closed.
  EXPECT_TRUE(idle.WaitClosed(2s));
  WireResponse res = busy.Read();
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_NE(res.body().find("target=Test.Delay"), std::string::npos);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(busy.WaitClosed(2s));
  EXPECT_TRUE(stopped.get());
  // The port is released.
  Client late(port);
  EXPECT_TRUE(late.connect_error());
}

TEST(HttpServerTest, ShutdownGivesUpAfterTheGracePeriod) {
  TestServer server;
  Client busy(server.port());
  ASSERT_FALSE(busy.Send(Post("Test.Hang", "{}")));
  while (server.core().delayed_started() == 0) std::this_thread::sleep_for(1ms);
  const auto start = SteadyClock::now();
  EXPECT_FALSE(server.Stop(200ms));
  EXPECT_LT(SteadyClock::now() - start, 2s);
}

TEST(HttpServerTest, ShutdownWithNothingInFlightIsImmediate) {
  TestServer server;
  Client idle(server.port());
  EXPECT_EQ(idle.RoundTrip(Post("Test.Echo", "{}")).result_int(), 200);
  const auto start = SteadyClock::now();
  EXPECT_TRUE(server.Stop(5s));
  EXPECT_LT(SteadyClock::now() - start, 1s);
}

TEST(HttpServerTest, PortInUseIsAClearError) {
  TestServer server;
  net::io_context ioc;
  DynamoHttp::Options options;
  options.handler = [](Operation, std::function<void(Response)> done) { done(Response{}); };
  options.new_request_id = [] { return std::string("X"); };
  auto second = Listener::Open(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()),
                               std::make_shared<const DynamoHttp>(std::move(options)), {});
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("127.0.0.1:" + std::to_string(server.port())),
            std::string::npos);
  EXPECT_NE(second.status().message().find("in use"), std::string::npos)
      << second.status().message();
}

}  // namespace
}  // namespace dynemu::server
