#pragma once

// The DynamoDB HTTP protocol, as a function from an HTTP request to an HTTP
// response. The requests the service answers without looking at the body (the
// health check, CORS preflight, a wrong method or content type) are answered
// here; every other one becomes an Operation for the core, and its Response
// becomes the reply (x-amzn-RequestId, x-amz-crc32, Content-Type). No sockets
// here: HttpSession does the I/O.

#include <cstddef>
#include <functional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "pipeline/operation.h"

namespace dynemu::server {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Runs one Operation and calls its callback exactly once with the Response, on
// any thread, before or after returning. main() wires Pipeline::Run here; tests
// pass fakes. Must be callable from several threads at once.
using RequestHandler = std::function<void(Operation, std::function<void(Response)>)>;

// DynamoDB refuses request bodies above 16 MiB (as dynalite's MAX_REQUEST_BYTES).
constexpr size_t kDefaultMaxBodyBytes = 16 * 1024 * 1024;

class DynamoHttp {
 public:
  struct Options {
    RequestHandler handler;  // required
    // Makes the x-amzn-RequestId of the answers given here rather than by the
    // handler (health check, 404, preflight). Required; called from any thread.
    std::function<std::string()> new_request_id;
  };

  explicit DynamoHttp(Options options);

  using Send = std::function<void(HttpResponse)>;

  // Answers `request`, which came from `client` ("address:port"): calls `send`
  // exactly once with the response, either before returning or later on any
  // thread (when the handler answers late). The response's version and
  // keep-alive follow the request's. Logs one debug line per request (area
  // "http"). Thread-safe.
  void Handle(HttpRequest request, std::string client, Send send) const;

  // The answer to a request whose body is over the limit: 413, empty body,
  // "Connection: close" (the caller closes the connection after sending it).
  static HttpResponse PayloadTooLarge(unsigned version);

  // The answer to bytes that do not parse as HTTP/1.x: 400, empty body,
  // "Connection: close".
  static HttpResponse BadRequest(unsigned version);

 private:
  Options options_;
};

}  // namespace dynemu::server
