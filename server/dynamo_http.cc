#include "server/dynamo_http.h"

#include <charconv>
#include <chrono>
#include <ctime>
#include <memory>
#include <string_view>
#include <utility>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include "base/log.h"
#include "server/crc32.h"

namespace dynemu::server {
namespace {

namespace http = boost::beast::http;

// What DynamoDB answers to GET on any path; the trailing space is part of it.
constexpr std::string_view kHealthBody = "healthy: dynamodb.us-east-1.amazonaws.com ";
// What DynamoDB answers to a method other than POST, or to a body that is not JSON.
constexpr std::string_view kUnknownOperationBody = "<UnknownOperationException/>\n";

constexpr std::string_view kAmzJson = "application/x-amz-json-1.0";
constexpr std::string_view kJson = "application/json";

// Browsers may cache a preflight answer for two days, as DynamoDB allows.
constexpr std::string_view kPreflightMaxAge = "172800";

using Clock = std::chrono::steady_clock;

// Beast 1.74 has its own string_view (boost::string_view).
std::string_view Std(boost::beast::string_view s) { return {s.data(), s.size()}; }
boost::beast::string_view Beast(std::string_view s) { return {s.data(), s.size()}; }

// ASCII letters compare without case, as HTTP field names do.
bool EqualsNoCase(std::string_view a, std::string_view b) {
  return boost::beast::iequals(Beast(a), Beast(b));
}

const std::shared_ptr<spdlog::logger>& Logger() {
  static const std::shared_ptr<spdlog::logger> logger = log::Get("http");
  return logger;
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  const size_t end = s.find_last_not_of(kSpace);
  return s.substr(begin, end - begin + 1);
}

// The media type of a Content-Type header: its value up to the first ';', with
// the surrounding spaces removed. Compared case-sensitively, as DynamoDB does.
std::string_view MediaType(std::string_view content_type) {
  return Trim(content_type.substr(0, content_type.find(';')));
}

// An RFC 7231 date for the Date header, as every AWS response carries one
// (SDKs read it to correct clock skew).
// The text changes once a second, so each thread keeps the last one it made
// rather than formatting it for every answer.
boost::beast::string_view HttpDate() {
  thread_local std::time_t cached_second = -1;
  thread_local char text[64];
  thread_local size_t length = 0;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {text, length};
}

// What shapes the answer to a request, kept instead of the request itself while
// the core works on it.
struct ReplyShape {
  unsigned version = 11;
  bool keep_alive = true;
  bool origin = false;  // the request named an Origin (CORS)
  bool head = false;    // a HEAD request: headers without the body

  explicit ReplyShape(const HttpRequest& request)
      : version(request.version),
        keep_alive(request.keep_alive),
        origin(request.origin),
        head(request.method == http::verb::head) {}
};

// A response with the headers every answer after the request was accepted gets:
// its request id, the date, and the CORS origin when the request named one.
HttpResponse NewResponse(http::status status, const ReplyShape& shape,
                         std::string_view request_id) {
  HttpResponse res{status, shape.version};
  res.set("x-amzn-RequestId", request_id);
  if (shape.origin) res.set(http::field::access_control_allow_origin, "*");
  res.set(http::field::date, Std(HttpDate()));
  res.keep_alive(shape.keep_alive);
  return res;
}

// Sets the body with its x-amz-crc32 and Content-Length. A HEAD request gets the
// headers of the body without the body itself.
void SetBody(HttpResponse& res, const ReplyShape& shape, std::string body) {
  char crc[16];
  const auto [end, ec] = std::to_chars(crc, crc + sizeof(crc), Crc32(body));
  res.set("x-amz-crc32", std::string_view(crc, static_cast<size_t>(end - crc)));
  res.content_length(body.size());
  if (!shape.head) res.body() = std::move(body);
}

HttpResponse Preflight(const HttpRequest& request, const std::string& request_id) {
  HttpResponse res = NewResponse(http::status::ok, ReplyShape(request), request_id);
  // The browser asks which headers and method it may use; DynamoDB echoes them.
  if (request.access_control_request_headers) {
    res.set(http::field::access_control_allow_headers, *request.access_control_request_headers);
  }
  if (request.access_control_request_method) {
    res.set(http::field::access_control_allow_methods, *request.access_control_request_method);
  }
  res.set(http::field::access_control_max_age, kPreflightMaxAge);
  res.content_length(0);
  return res;
}

void LogRequest(std::string_view method, std::string_view name, unsigned status,
                size_t bytes_in, size_t bytes_out, Clock::time_point start,
                const std::string& client) {
  const auto& logger = Logger();
  if (!logger->should_log(spdlog::level::debug)) return;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
  logger->debug("{} {} {} in={} out={} {}us {}", method, name, status, bytes_in, bytes_out,
                micros, client);
}

void LogRequest(const HttpRequest& request, std::string_view name, unsigned status,
                size_t bytes_in, size_t bytes_out, Clock::time_point start,
                const std::string& client) {
  LogRequest(request.method_name, name, status, bytes_in, bytes_out, start, client);
}

}  // namespace

// ---- RequestParser

HttpRequest RequestParser::release() {
  request_.keep_alive = keep_alive();
  return std::move(request_);
}

void RequestParser::on_request_impl(http::verb method, string_view method_str,
                                    string_view target, int version, error_code&) {
  request_.method = method;
  request_.method_name.assign(method_str.data(), method_str.size());
  request_.target.assign(target.data(), target.size());
  request_.version = static_cast<unsigned>(version);
}

void RequestParser::on_response_impl(int, string_view, int, error_code& ec) {
  ec = http::error::bad_method;  // a request parser never reads a status line
}

void RequestParser::on_field_impl(http::field name, string_view name_string, string_view value,
                                  error_code&) {
  // Keeps the first occurrence of `field` in *out, noting it in *seen.
  auto keep = [&value](bool* seen, std::string* out) {
    if (*seen) return;
    *seen = true;
    out->assign(value.data(), value.size());
  };
  switch (name) {
    case http::field::origin:
      request_.origin = true;
      break;
    case http::field::content_type:
      keep(&seen_content_type_, &request_.content_type);
      break;
    case http::field::authorization:
      keep(&seen_authorization_, &request_.authorization);
      break;
    case http::field::date:
      if (!seen_date_) request_.has_date |= !value.empty();
      seen_date_ = true;
      break;
    case http::field::expect:
      if (!seen_expect_) request_.expect_continue = boost::beast::iequals(value, "100-continue");
      seen_expect_ = true;
      break;
    case http::field::access_control_request_headers:
      if (!request_.access_control_request_headers) {
        request_.access_control_request_headers.emplace(value.data(), value.size());
      }
      break;
    case http::field::access_control_request_method:
      if (!request_.access_control_request_method) {
        request_.access_control_request_method.emplace(value.data(), value.size());
      }
      break;
    case http::field::unknown:
      if (EqualsNoCase(Std(name_string), "X-Amz-Target")) {
        keep(&seen_amz_target_, &request_.amz_target);
      } else if (EqualsNoCase(Std(name_string), "X-Amz-Date")) {
        if (!seen_amz_date_) request_.has_date |= !value.empty();
        seen_amz_date_ = true;
      }
      break;
    default:
      break;  // the parser itself reads Content-Length, Transfer-Encoding, Connection
  }
}

void RequestParser::on_header_impl(error_code&) {}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code&) {
  // The parser has refused a length over its body limit already.
  if (content_length) request_.body.reserve(static_cast<size_t>(*content_length));
}

size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

// ---- HttpResponse

void HttpResponse::set(std::string_view name, std::string_view value) {
  fields_.append(name);
  fields_.append(": ");
  fields_.append(value);
  fields_.append("\r\n");
}

void HttpResponse::set(http::field name, std::string_view value) {
  set(Std(http::to_string(name)), value);
}

void HttpResponse::content_length(uint64_t length) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), length);
  set(http::field::content_length, std::string_view(digits, static_cast<size_t>(end - digits)));
}

void HttpResponse::Render(std::string* out) const {
  out->clear();
  const std::string_view reason = Std(http::obsolete_reason(static_cast<http::status>(status_)));
  out->reserve(32 + reason.size() + fields_.size() + 32 + body_.size());
  out->append(version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  const char digits[3] = {static_cast<char>('0' + status_ / 100 % 10),
                          static_cast<char>('0' + status_ / 10 % 10),
                          static_cast<char>('0' + status_ % 10)};
  out->append(digits, 3);
  out->push_back(' ');
  out->append(reason);
  out->append("\r\n");
  out->append(fields_);
  if (version_ >= 11 && !keep_alive_) out->append("Connection: close\r\n");
  if (version_ < 11 && keep_alive_) out->append("Connection: keep-alive\r\n");
  out->append("\r\n");
  out->append(body_);
}

// ---- DynamoHttp

DynamoHttp::DynamoHttp(Options options) : options_(std::move(options)) {}

void DynamoHttp::Handle(HttpRequest request, std::string client, Send send) const {
  const Clock::time_point start = Clock::now();
  const size_t bytes_in = request.body.size();
  const std::string_view target_path = request.target;

  // The checks and their order are DynamoDB's (as dynalite mirrors them): CORS
  // preflight, then the health check, then method and content type. Only then is
  // the body looked at, by the core.
  if (request.origin && request.method == http::verb::options) {
    HttpResponse res = Preflight(request, options_.new_request_id());
    LogRequest(request, target_path, res.result_int(), bytes_in, 0, start, client);
    send(std::move(res));
    return;
  }

  if (request.method == http::verb::get) {
    const ReplyShape shape(request);
    HttpResponse res = NewResponse(http::status::ok, shape, options_.new_request_id());
    SetBody(res, shape, std::string(kHealthBody));
    LogRequest(request, target_path, res.result_int(), bytes_in, kHealthBody.size(), start,
               client);
    send(std::move(res));
    return;
  }

  const std::string_view media_type = MediaType(request.content_type);
  const bool json_media = media_type == kJson || media_type == kAmzJson;
  // An empty body with any content type goes on to the core, which answers it
  // with a SerializationException (after the target and auth checks).
  if (request.method != http::verb::post || (!request.body.empty() && !json_media)) {
    const ReplyShape shape(request);
    HttpResponse res = NewResponse(http::status::not_found, shape, options_.new_request_id());
    SetBody(res, shape, std::string(kUnknownOperationBody));
    LogRequest(request, target_path, res.result_int(), bytes_in, kUnknownOperationBody.size(),
               start, client);
    send(std::move(res));
    return;
  }

  // Answers come back as application/x-amz-json-1.0 only when asked that way;
  // anything else (application/json, or no type at all) gets application/json.
  const std::string_view response_type = media_type == kAmzJson ? kAmzJson : kJson;

  Operation op;
  op.target = std::move(request.amz_target);
  op.authorization = std::move(request.authorization);
  // An empty header counts as absent, as in DynamoDB.
  op.has_date = request.has_date;
  op.client = client;
  op.body = std::move(request.body);

  // Only what the answer needs travels with the callback, not the request: its
  // fields are freed now rather than when the core answers. The target is kept
  // for the log line, and only when that line will be written.
  const ReplyShape shape(request);
  std::string log_target;
  if (Logger()->should_log(spdlog::level::debug)) log_target = op.target;
  // `this` outlives the callback: the session that will call `send` owns the
  // DynamoHttp (tests call Handle on one that outlives the call).
  options_.handler(std::move(op), [this, shape, response_type, client = std::move(client), start,
                                   bytes_in, log_target = std::move(log_target),
                                   send = std::move(send)](Response response) {
    std::string generated_id;
    if (response.request_id.empty()) generated_id = options_.new_request_id();
    HttpResponse res =
        NewResponse(static_cast<http::status>(response.http_status), shape,
                    response.request_id.empty() ? generated_id : response.request_id);
    res.set(http::field::content_type, response_type);
    const size_t bytes_out = response.body.size();
    SetBody(res, shape, std::move(response.body));
    const std::string_view name = !response.operation.empty() ? std::string_view(response.operation)
                                  : !log_target.empty()       ? std::string_view(log_target)
                                                              : std::string_view("-");
    LogRequest("POST", name, res.result_int(), bytes_in, bytes_out, start, client);
    send(std::move(res));
  });
}

HttpResponse DynamoHttp::PayloadTooLarge(unsigned version) {
  HttpResponse res{http::status::payload_too_large, version};
  res.content_length(0);
  res.keep_alive(false);
  return res;
}

HttpResponse DynamoHttp::BadRequest(unsigned version) {
  HttpResponse res{http::status::bad_request, version};
  res.content_length(0);
  res.keep_alive(false);
  return res;
}

}  // namespace dynemu::server
