#include "pipeline/pipeline.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/env.h"
#include "base/log.h"
#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "json/json.h"
#include "ops/operation_table.h"
#include "ops/shape_check.h"
#include "pipeline/scheduler.h"

namespace dynemu {
namespace {

// Returns the error response of `expr` when it is not OK.
#define DYN_RETURN_IF_ERROR_RESPONSE(expr)               \
  do {                                                   \
    ::dynemu::Status dyn_status_ = (expr);               \
    if (!dyn_status_.ok()) return ErrorResponse(dyn_status_); \
  } while (0)

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
// DynamoDB's request ids are 52 characters of [0-9A-Z].
constexpr size_t kRequestIdLength = 52;

// A DynamoDB-shaped request id: kRequestIdLength characters of [0-9A-Z]. Each
// draw gives 12 base-36 digits (36^12 < 2^64), so an id costs 5 draws of the
// shared, locked random source instead of one per character (perf: 52 lock
// round trips per request were ~3% of a GetItem load's CPU).
std::string NewRequestId(Random& random) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  constexpr int kDigitsPerDraw = 12;
  constexpr uint64_t kDrawRange = 4738381338321616896ULL;  // 36^12
  std::string id(kRequestIdLength, '0');
  for (size_t i = 0; i < id.size(); i += kDigitsPerDraw) {
    uint64_t draw = random.Uniform(kDrawRange);
    for (size_t j = i; j < std::min(id.size(), i + kDigitsPerDraw); ++j) {
      id[j] = kAlphabet[draw % 36];
      draw /= 36;
    }
  }
  return id;
}

// The operation named by an X-Amz-Target header, or "" when the header does not
// name one of this API version.
std::string_view OperationName(std::string_view target) {
  if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) return {};
  std::string_view name = target.substr(kTargetPrefix.size());
  if (name.find('.') != std::string_view::npos) return {};
  return name;
}

// The signature checks DynamoDB makes before it looks at the request, in its
// order and with its texts. The signature itself is not verified: any
// credentials are accepted, as by every local DynamoDB.
Status CheckAuthorization(const Operation& op) {
  std::string_view auth = op.authorization;
  size_t first = auth.find_first_not_of(" \t");
  if (auth.empty() || first == std::string_view::npos || auth.substr(first, 5) != "AWS4-") {
    return Status(ErrorCode::kMissingAuthenticationToken, "Request is missing Authentication Token");
  }
  // The parameters are "name=value" pieces after the algorithm, separated by
  // commas or spaces. One pass over the header finds the three (a per-parameter
  // find_first_of scan cost ~7% of a GetItem's instructions).
  constexpr std::string_view kParams[] = {"Credential", "Signature", "SignedHeaders"};
  bool found[3] = {false, false, false};
  const auto is_separator = [](char c) { return c == ',' || c == ' '; };
  size_t pos = auth.find(' ', first);
  if (pos == std::string_view::npos) pos = auth.size();
  while (pos < auth.size()) {
    while (pos < auth.size() && is_separator(auth[pos])) ++pos;
    const size_t start = pos;
    while (pos < auth.size() && !is_separator(auth[pos])) ++pos;
    const std::string_view piece = auth.substr(start, pos - start);
    const size_t eq = piece.find('=');
    if (eq == std::string_view::npos || eq + 1 >= piece.size()) continue;
    for (int i = 0; i < 3; ++i) {
      if (piece.substr(0, eq) == kParams[i]) found[i] = true;
    }
  }
  std::string message;
  for (int i = 0; i < 3; ++i) {
    if (!found[i]) {
      message += "Authorization header requires '" + std::string(kParams[i]) + "' parameter. ";
    }
  }
  if (!op.has_date) {
    message +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!message.empty()) {
    message += "Authorization=" + std::string(auth);
    return Status(ErrorCode::kIncompleteSignature, std::move(message));
  }
  return Status::OK();
}

// The parsed request lives in a per-thread buffer instead of RapidJSON's
// default first chunk, a 64 KB malloc and free per request (perf: with the
// allocator's consolidation, ~3% of a GetItem load). A request too large for it
// spills into heap chunks as before. A nested Execute on the same thread (none
// exists today) would find the buffer taken and use the heap.
class RequestArena {
 public:
  RequestArena() : owner_(!busy_) {
    if (owner_) busy_ = true;
  }
  ~RequestArena() {
    if (!owner_) return;
    Pool().Clear();  // frees the spilled chunks; the buffer is reused as is
    busy_ = false;
  }
  RequestArena(const RequestArena&) = delete;
  RequestArena& operator=(const RequestArena&) = delete;

  // The allocator for a Document, or null (RapidJSON's own) when taken.
  json::Document::AllocatorType* allocator() { return owner_ ? &Pool() : nullptr; }

 private:
  static constexpr size_t kBytes = 32 << 10;
  static json::Document::AllocatorType& Pool() {
    alignas(16) thread_local char buffer[kBytes];
    thread_local json::Document::AllocatorType pool(buffer, sizeof(buffer));
    return pool;
  }
  inline static thread_local bool busy_ = false;
  const bool owner_;
};

// Answers are written into a buffer that starts this large, so that a typical
// item is rendered without regrowing it.
constexpr size_t kAnswerBufferBytes = 4096;

}  // namespace

struct Pipeline::Rep {
  Engine& engine;
  Env& env;
  const HookRegistry& hooks;
  Scheduler* scheduler;

  // Runs the stages between request.pre and response.post; returns the response
  // and adds hook delays to *delay_ms.
  Response Execute(const Operation& op, std::string_view name, std::string_view request_id,
                   const std::string& body, int64_t* delay_ms);
};

Pipeline::Pipeline(Engine& engine, Env& env, const HookRegistry& hooks, Scheduler* scheduler)
    : rep_(std::make_unique<Rep>(Rep{engine, env, hooks, scheduler})) {}

Pipeline::~Pipeline() = default;

Response Pipeline::Rep::Execute(const Operation& op, std::string_view name,
                                std::string_view request_id, const std::string& body,
                                int64_t* delay_ms) {
  // The order of these checks is DynamoDB's: the body must parse before the
  // target is looked at, and the target must be known before the signature is.
  RequestArena arena;  // declared first: the document's values live in it
  json::Document doc(arena.allocator());
  if (!body.empty()) DYN_RETURN_IF_ERROR_RESPONSE(json::Parse(body, &doc));
  OpHandler handler = name.empty() ? nullptr : FindOperation(name);
  if (handler == nullptr) return ErrorResponse(Status(ErrorCode::kUnknownOperation, ""));
  DYN_RETURN_IF_ERROR_RESPONSE(CheckAuthorization(op));
  if (body.empty()) return ErrorResponse(SerializationError(""));
  DYN_RETURN_IF_ERROR_RESPONSE(CheckRequestShape(name, doc));

  OpContext ctx{engine, name, request_id};
  json::StringBuffer buffer(nullptr, kAnswerBufferBytes);
  // Given an allocator, the writer's stack does not allocate one of its own
  // (CrtAllocator holds no state, so one serves every thread).
  static rapidjson::CrtAllocator stack_allocator;
  json::Writer writer(buffer, &stack_allocator);
  Status status = handler(ctx, doc, writer);
  *delay_ms += ctx.delay_ms;
  if (!status.ok()) return ErrorResponse(status);
  Response response;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  return response;
}

void Pipeline::Run(Operation op, Done done) {
  Response response;
  int64_t delay_ms = 0;
  std::string name(OperationName(op.target));
  response.request_id = NewRequestId(rep_->env.random());
  try {
    bool failed = false;
    if (rep_->hooks.Has(HookPoint::kRequestPre)) {
      RequestEvent event{name, &op.body, response.request_id};
      Verdict verdict = rep_->hooks.RequestPre(event);
      if (verdict.kind == Verdict::Kind::kFail) {
        std::string id = std::move(response.request_id);
        response = ErrorResponse(verdict.error);
        response.request_id = std::move(id);
        failed = true;
      } else if (verdict.kind == Verdict::Kind::kDelay) {
        delay_ms += verdict.delay_ms;
      }
    }
    if (!failed) {
      std::string id = std::move(response.request_id);
      response = rep_->Execute(op, name, id, op.body, &delay_ms);
      response.request_id = std::move(id);
    }
    if (rep_->hooks.Has(HookPoint::kResponsePost)) {
      ResponseEvent event{name,           op.body,        &response.http_status, &response.body,
                          response.request_id, response.http_status != 200};
      Verdict verdict = rep_->hooks.ResponsePost(event);
      if (verdict.kind == Verdict::Kind::kFail) {
        std::string id = std::move(response.request_id);
        response = ErrorResponse(verdict.error);
        response.request_id = std::move(id);
      } else if (verdict.kind == Verdict::Kind::kDelay) {
        delay_ms += verdict.delay_ms;
      }
    }
  } catch (const std::exception& e) {
    // Nothing in our code throws; this is a third-party library's exception or a
    // misuse of RapidJSON caught by RAPIDJSON_ASSERT. Contain it.
    log::Get("pipeline")->error("request {} ({}) failed internally: {}", response.request_id, name,
                                e.what());
    std::string id = std::move(response.request_id);
    response = ErrorResponse(InternalError("Internal server error"));
    response.request_id = std::move(id);
  }
  response.operation = name;

  if (delay_ms <= 0) {
    done(std::move(response));
  } else if (rep_->scheduler) {
    rep_->scheduler->RunAfter(delay_ms, [done = std::move(done),
                                         response = std::move(response)]() mutable {
      done(std::move(response));
    });
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    done(std::move(response));
  }
}

Response Pipeline::RunSync(Operation op) {
  Response out;
  // Without a scheduler Run completes before returning; with one, wait for it.
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  Run(std::move(op), [&](Response r) {
    std::lock_guard<std::mutex> lock(mu);
    out = std::move(r);
    ready = true;
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return ready; });
  return out;
}

}  // namespace dynemu
