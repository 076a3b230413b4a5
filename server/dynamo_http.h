#pragma once

// The DynamoDB HTTP protocol, as a function from an HTTP request to an HTTP
// response. The requests the service answers without looking at the body (the
// health check, CORS preflight, a wrong method or content type) are answered
// here; every other one becomes an Operation for the core, and its Response
// becomes the reply (x-amzn-RequestId, x-amz-crc32, Content-Type). No sockets
// here: HttpSession does the I/O.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/optional/optional.hpp>

#include "pipeline/operation.h"

namespace dynemu::server {

// A request as the service reads it: the request line, the few header fields
// it looks at, and the body. (A Beast request keeps every field in an
// allocation of its own, linked in a list and a tree, to be looked up by name
// later; RequestParser keeps these as it meets them.) As with Beast's lookups,
// the first of repeated fields counts.
struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::unknown;
  std::string method_name;  // as received, for the log
  std::string target;       // the request-target, e.g. "/"
  unsigned version = 11;    // 10 or 11
  bool keep_alive = true;   // as Connection and the version say

  bool origin = false;           // an Origin field was sent (CORS)
  bool has_date = false;         // the first X-Amz-Date, or the first Date, is not empty
  bool expect_continue = false;  // the first Expect is "100-continue" (any case)
  std::string content_type;      // "" when absent
  std::string amz_target;        // X-Amz-Target; "" when absent
  std::string authorization;     // "" when absent
  std::optional<std::string> access_control_request_headers;  // CORS preflight
  std::optional<std::string> access_control_request_method;
  std::string body;
};

// Beast's HTTP/1.x parser (its limits, chunked bodies, errors) filling an
// HttpRequest. Set body_limit and header_limit before the first put.
class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  // What has been read so far: complete once is_done().
  const HttpRequest& request() const { return request_; }
  // Moves the complete request out. REQUIRES: is_done().
  HttpRequest release();

 private:
  using string_view = boost::beast::string_view;
  using error_code = boost::beast::error_code;

  void on_request_impl(boost::beast::http::verb method, string_view method_str,
                       string_view target, int version, error_code& ec) override;
  void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  HttpRequest request_;
  // Which of the fields kept have been met (the first one counts).
  bool seen_content_type_ = false, seen_amz_target_ = false, seen_authorization_ = false;
  bool seen_amz_date_ = false, seen_date_ = false, seen_expect_ = false;
};

// An answer of the server: status, version, keep-alive, the header fields as
// the lines they will be sent as, and the body. A Beast response keeps each
// field in an allocation of its own, linked in a list and a tree; the answers
// here have five or six fields, each set once by the code that makes it, so
// they are rendered as they are set and sent as they are.
class HttpResponse {
 public:
  HttpResponse() = default;
  HttpResponse(boost::beast::http::status status, unsigned version)
      : status_(static_cast<unsigned>(status)), version_(version), keep_alive_(version >= 11) {
    fields_.reserve(kFieldsReserve);
  }

  unsigned result_int() const { return status_; }
  unsigned version() const { return version_; }

  // As Beast's: HTTP/1.1 keeps the connection unless told "Connection: close",
  // HTTP/1.0 closes it unless told "Connection: keep-alive". Render writes the
  // field when keep-alive differs from the version's default.
  bool keep_alive() const { return keep_alive_; }
  void keep_alive(bool keep) { keep_alive_ = keep; }
  // Every answer carries a Content-Length, so only "close" ends the connection.
  bool need_eof() const { return !keep_alive_; }

  // Adds a field. Each name is set once per response (the callers see to it).
  void set(std::string_view name, std::string_view value);
  void set(boost::beast::http::field name, std::string_view value);
  void content_length(uint64_t length);

  const std::string& body() const { return body_; }
  std::string& body() { return body_; }

  // Replaces *out with the message as HTTP/1.x bytes: the status line, the
  // fields in the order they were set, Connection when needed, the blank line
  // and the body.
  void Render(std::string* out) const;

 private:
  // Room for the fields of a usual answer (request id, date, type, CRC,
  // length: ~180 bytes), so that setting them does not grow the string.
  static constexpr size_t kFieldsReserve = 256;

  unsigned status_ = 200;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  std::string fields_;  // "Name: value\r\n" per field
  std::string body_;
};

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
