#include "host/host_api.h"

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

#include "base/env.h"
#include "base/error_codes.h"
#include "base/log.h"
#include "host/request_scope.h"
#include "json/error_body.h"
#include "json/json.h"
#include "value/value_codec.h"

namespace dynemu {

constexpr size_t kFieldCount = DYNEMU_FIELD_HTTP_STATUS + 1;

// The part of an event that only exists once the plugin asks for something.
struct EventExtras {
  // Fields rendered during this callback, by field id.
  std::array<std::unique_ptr<std::string>, kFieldCount> rendered;
  // The request body parsed once, for TABLE, KEY and TRANSACTION of request-level
  // points; null when it is not a JSON object.
  std::unique_ptr<json::Document> request_doc;
  bool request_parsed = false;
  // The error of a DYNEMU_FAIL verdict.
  bool has_error = false;
  std::string error_type;
  std::string error_message;
  std::string cancellation_reasons;  // a JSON array, or empty

  // After a setter: every rendering may be stale (a new request body changes its
  // table and key, a new image its rendering, a new response its error type).
  void Invalidate() {
    for (auto& r : rendered) r.reset();
    request_doc.reset();
    request_parsed = false;
  }
};

}  // namespace dynemu

dynemu_event::dynemu_event(dynemu::HookPoint p, dynemu_host* h, dynemu::RequestScope* s)
    : point(p), host(h), scope(s) {}

dynemu_event::~dynemu_event() = default;

dynemu::EventExtras& dynemu_event::Extras() {
  if (!extras) extras = std::make_unique<dynemu::EventExtras>();
  return *extras;
}

bool dynemu_event::GetError(std::string* type, std::string* message,
                            std::string* extra_members) const {
  if (!extras || !extras->has_error) return false;
  *type = extras->error_type;
  *message = extras->error_message;
  extra_members->clear();
  if (!extras->cancellation_reasons.empty()) {
    *extra_members = "\"CancellationReasons\":" + extras->cancellation_reasons;
  }
  return true;
}

namespace dynemu {
namespace {

// Every host function is called from plugin code, possibly C: nothing may
// unwind out of them. The ones that allocate or parse catch everything and
// answer DYNEMU_ERR_INVALID (RAPIDJSON_ASSERT throws json::Misuse, and an
// allocation can fail).

constexpr int64_t kMaxDelayMs = 600'000;

int32_t Give(std::string_view value, const char** data, size_t* size) {
  *data = value.data();
  *size = value.size();
  return DYNEMU_OK;
}

int32_t Nothing(int32_t code, const char** data, size_t* size) {
  *data = "";
  *size = 0;
  return code;
}

// The body of the request the event belongs to into *body; false when the point
// has none.
bool RequestBody(const dynemu_event& e, std::string_view* body) {
  if (e.request) {
    *body = *e.request->body;
  } else if (e.response) {
    *body = e.response->request;
  } else if (e.txn) {
    *body = e.txn->request;
  } else {
    return false;
  }
  return true;
}

// The request parsed once per callback; nullptr when it is not a JSON object.
const json::Document* ParsedRequest(dynemu_event* e) {
  EventExtras& x = e->Extras();
  if (!x.request_parsed) {
    x.request_parsed = true;
    std::string_view body;
    if (RequestBody(*e, &body)) {
      auto doc = std::make_unique<json::Document>();
      if (json::Parse(body, doc.get()).ok() && doc->IsObject()) x.request_doc = std::move(doc);
    }
  }
  return x.request_doc.get();
}

// Renders `field` with `render` into the event's cache the first time, and hands
// out the cached text.
template <typename Render>
int32_t GiveRendered(dynemu_event* e, dynemu_field field, const char** data, size_t* size,
                     Render render) {
  std::unique_ptr<std::string>& slot = e->Extras().rendered[field];
  if (!slot) {
    auto text = std::make_unique<std::string>();
    render(text.get());
    slot = std::move(text);
  }
  return Give(*slot, data, size);
}

int32_t GiveItem(dynemu_event* e, dynemu_field field, const Item* item, const char** data,
                 size_t* size) {
  if (item == nullptr) return Nothing(DYNEMU_ABSENT, data, size);
  return GiveRendered(e, field, data, size, [item](std::string* out) { *out = ToJson(*item); });
}

int32_t GiveImage(dynemu_event* e, dynemu_field field, const std::optional<Item>* image,
                  const char** data, size_t* size) {
  if (image == nullptr || !image->has_value()) return Nothing(DYNEMU_ABSENT, data, size);
  return GiveItem(e, field, &**image, data, size);
}

// A member of the request object, as JSON text (strings as their text when
// `as_text`), or ABSENT.
int32_t GiveRequestMember(dynemu_event* e, dynemu_field field, std::string_view member,
                          bool as_text, const char** data, size_t* size) {
  const json::Document* doc = ParsedRequest(e);
  const json::Value* v = doc ? json::FindMember(*doc, member) : nullptr;
  if (v == nullptr) return Nothing(DYNEMU_ABSENT, data, size);
  if (as_text) {
    if (!v->IsString()) return Nothing(DYNEMU_ABSENT, data, size);
    return Give(json::AsStringView(*v), data, size);  // lives in the cached document
  }
  return GiveRendered(e, field, data, size, [v](std::string* out) { *out = json::ToString(*v); });
}


// The short error type of an error body: what follows '#' in its "__type".
void ErrorTypeOf(std::string_view body, std::string* out) {
  json::Document doc;
  if (!json::Parse(body, &doc).ok() || !doc.IsObject()) return;
  const json::Value* type = json::FindMember(doc, "__type");
  if (type == nullptr || !type->IsString()) return;
  std::string_view t = json::AsStringView(*type);
  size_t hash = t.rfind('#');
  if (hash != std::string_view::npos) t = t.substr(hash + 1);
  out->assign(t.data(), t.size());
}

std::string_view OperationOf(const dynemu_event& e) {
  if (e.request) return e.request->operation;
  if (e.response) return e.response->operation;
  if (e.write) return e.write->operation;
  if (e.index) return e.index->operation;
  if (e.txn) return e.txn->operation;
  return {};
}

std::string_view RequestIdOf(const dynemu_event& e) {
  if (e.request) return e.request->request_id;
  if (e.response) return e.response->request_id;
  if (e.write) return e.write->request_id;
  if (e.index) return e.index->request_id;
  if (e.txn) return e.txn->request_id;
  return {};
}

int32_t GetFieldImpl(dynemu_event* e, dynemu_field field, const char** data, size_t* size) {
  switch (field) {
    case DYNEMU_FIELD_OPERATION:
      return Give(OperationOf(*e), data, size);

    case DYNEMU_FIELD_REQUEST_ID:
      return Give(RequestIdOf(*e), data, size);

    case DYNEMU_FIELD_TABLE:
      if (e->write) return Give(e->write->table, data, size);
      if (e->index) return Give(e->index->table, data, size);
      if (e->request || e->response) {
        return GiveRequestMember(e, field, "TableName", true, data, size);
      }
      break;

    case DYNEMU_FIELD_REQUEST: {
      std::string_view body;
      if (RequestBody(*e, &body)) return Give(body, data, size);
      break;
    }

    case DYNEMU_FIELD_RESPONSE:
      if (e->response) return Give(*e->response->body, data, size);
      if (e->txn && e->point == HookPoint::kTxnValidatePost) {
        if (e->txn->outcome == nullptr || e->txn->outcome->ok()) {
          return Nothing(DYNEMU_ABSENT, data, size);
        }
        return GiveRendered(e, field, data, size,
                            [e](std::string* out) { *out = RenderErrorBody(*e->txn->outcome); });
      }
      break;

    case DYNEMU_FIELD_ERROR_TYPE:
      if (e->response) {
        if (*e->response->http_status < 300) return Nothing(DYNEMU_ABSENT, data, size);
        GiveRendered(e, field, data, size,
                     [e](std::string* out) { ErrorTypeOf(*e->response->body, out); });
        if (*size == 0) return Nothing(DYNEMU_ABSENT, data, size);
        return DYNEMU_OK;
      }
      if (e->txn && e->point == HookPoint::kTxnValidatePost) {
        if (e->txn->outcome == nullptr || e->txn->outcome->ok()) {
          return Nothing(DYNEMU_ABSENT, data, size);
        }
        return Give(GetErrorInfo(e->txn->outcome->code()).short_name, data, size);
      }
      break;

    case DYNEMU_FIELD_KEY:
      if (e->write) return GiveItem(e, field, e->write->key, data, size);
      if (e->index) return GiveItem(e, field, e->index->key, data, size);
      if (e->request || e->response) return GiveRequestMember(e, field, "Key", false, data, size);
      break;

    case DYNEMU_FIELD_OLD_IMAGE:
      if (e->write) return GiveImage(e, field, e->write->old_image, data, size);
      if (e->index) return GiveImage(e, field, e->index->old_entry, data, size);
      break;

    case DYNEMU_FIELD_NEW_IMAGE:
      if (e->write) return GiveImage(e, field, e->write->new_image, data, size);
      if (e->index) return GiveImage(e, field, e->index->new_entry, data, size);
      break;

    case DYNEMU_FIELD_INDEX_NAME:
      if (e->index) return Give(e->index->index_name, data, size);
      break;

    case DYNEMU_FIELD_TRANSACTION:
      if (e->txn) return GiveRequestMember(e, field, "TransactItems", false, data, size);
      break;

    case DYNEMU_FIELD_TIMINGS:
      return GiveRendered(e, field, data, size, [e](std::string* out) {
        e->scope->RenderTimings(e->host->env->clock(), out);
      });

    case DYNEMU_FIELD_HTTP_STATUS:
      if (e->response) {
        return GiveRendered(e, field, data, size, [e](std::string* out) {
          *out = std::to_string(*e->response->http_status);
        });
      }
      break;

    default:
      break;
  }
  return Nothing(DYNEMU_ERR_UNAVAILABLE, data, size);
}

// ---- The table's functions.

const char* Config(const dynemu_host* host) { return host ? host->config.c_str() : ""; }

void* GetState(const dynemu_host* host) { return host ? host->state : nullptr; }

void SetState(dynemu_host* host, void* state) {
  if (host) host->state = state;
}

void SetInitError(dynemu_host* host, const char* message) {
  if (host == nullptr || message == nullptr) return;
  try {
    if (host->in_init) host->init_error = message;
  } catch (...) {
  }
}

int64_t NowMillis(const dynemu_host* host) { return host->env->clock().NowMicros() / 1000; }

int64_t MonotonicNanos(const dynemu_host* host) { return host->env->clock().MonotonicNanos(); }

uint64_t RandomU64(dynemu_host* host) { return host->env->random().Next(); }

uint64_t RandomUniform(dynemu_host* host, uint64_t n) {
  return n == 0 ? 0 : host->env->random().Uniform(n);
}

void Log(dynemu_host* host, int32_t level, const char* message) {
  if (host == nullptr || message == nullptr || !host->logger) return;
  spdlog::level::level_enum l = spdlog::level::info;
  switch (level) {
    case DYNEMU_LOG_TRACE:
      l = spdlog::level::trace;
      break;
    case DYNEMU_LOG_DEBUG:
      l = spdlog::level::debug;
      break;
    case DYNEMU_LOG_INFO:
      l = spdlog::level::info;
      break;
    case DYNEMU_LOG_WARN:
      l = spdlog::level::warn;
      break;
    default:
      l = spdlog::level::err;
      break;
  }
  try {
    host->logger->log(l, "{}", message);
  } catch (...) {
  }
}

dynemu_hook_point EventPoint(const dynemu_event* e) {
  return e ? static_cast<dynemu_hook_point>(e->point) : DYNEMU_HOOK_COUNT_1_0;
}

int32_t GetField(dynemu_event* e, dynemu_field field, const char** data, size_t* size) {
  if (data == nullptr || size == nullptr) return DYNEMU_ERR_INVALID;
  if (e == nullptr) return Nothing(DYNEMU_ERR_INVALID, data, size);
  try {
    return GetFieldImpl(e, field, data, size);
  } catch (...) {
    return Nothing(DYNEMU_ERR_INVALID, data, size);
  }
}

int32_t SetField(dynemu_event* e, dynemu_field field, const char* data, size_t size) {
  if (e == nullptr || (data == nullptr && size > 0)) return DYNEMU_ERR_INVALID;
  if (!e->host->mutates) return DYNEMU_ERR_DENIED;
  if (data == nullptr) data = "";
  try {
    std::string_view text(data, size);
    switch (field) {
      case DYNEMU_FIELD_REQUEST:
        if (!e->request) return DYNEMU_ERR_UNAVAILABLE;
        e->request->body->assign(text.data(), text.size());
        break;
      case DYNEMU_FIELD_RESPONSE:
        if (!e->response) return DYNEMU_ERR_UNAVAILABLE;
        e->response->body->assign(text.data(), text.size());
        break;
      case DYNEMU_FIELD_NEW_IMAGE: {
        if (!e->mutable_write) return DYNEMU_ERR_UNAVAILABLE;
        // Decoded here, with the codec's validation, so that the plugin learns at
        // once that its item is malformed; the engine then checks that it is an
        // item of the table under the same key.
        json::Document doc;
        if (!json::Parse(text, &doc).ok() || !doc.IsObject()) return DYNEMU_ERR_INVALID;
        Result<Item> item = DecodeItem(doc);
        if (!item.ok()) return DYNEMU_ERR_INVALID;
        *e->mutable_write->new_image = std::move(item).value();
        break;
      }
      default:
        return DYNEMU_ERR_UNAVAILABLE;
    }
    if (e->extras) e->extras->Invalidate();
    return DYNEMU_OK;
  } catch (...) {
    return DYNEMU_ERR_INVALID;
  }
}

int32_t SetError(dynemu_event* e, const char* type, const char* message) {
  if (e == nullptr || type == nullptr) return DYNEMU_ERR_INVALID;
  try {
    EventExtras& x = e->Extras();
    x.has_error = true;
    x.error_type = type;
    x.error_message = message ? message : "";
    return DYNEMU_OK;
  } catch (...) {
    return DYNEMU_ERR_INVALID;
  }
}

int32_t SetCancellationReasons(dynemu_event* e, const char* data, size_t size) {
  if (e == nullptr || data == nullptr) return DYNEMU_ERR_INVALID;
  try {
    json::Document doc;
    if (!json::Parse(std::string_view(data, size), &doc).ok() || !doc.IsArray()) {
      return DYNEMU_ERR_INVALID;
    }
    e->Extras().cancellation_reasons = json::ToString(doc);
    return DYNEMU_OK;
  } catch (...) {
    return DYNEMU_ERR_INVALID;
  }
}

int32_t SetDelay(dynemu_event* e, int64_t millis) {
  if (e == nullptr || millis < 0 || millis > kMaxDelayMs) return DYNEMU_ERR_INVALID;
  e->delay_ms = millis;
  return DYNEMU_OK;
}

int32_t SetDefer(dynemu_event* e, int64_t millis) {
  if (e == nullptr || millis < 0 || millis > kMaxDelayMs) return DYNEMU_ERR_INVALID;
  if (e->point != HookPoint::kIndexPre) return DYNEMU_ERR_UNAVAILABLE;
  e->defer_ms = millis;
  return DYNEMU_OK;
}

void* GetRequestData(const dynemu_event* e) { return e ? e->scope->data(e->host->slot) : nullptr; }

void SetRequestData(dynemu_event* e, void* value) {
  if (e == nullptr) return;
  try {
    e->scope->set_data(e->host->slot, value);
  } catch (...) {
  }
}

int64_t ApplyDeferredIndexChanges(dynemu_host* h) {
  if (h == nullptr || h->index_control == nullptr) return 0;
  try {
    return static_cast<int64_t>(h->index_control->ApplyAllDeferred());
  } catch (...) {
    return 0;
  }
}

int64_t PendingIndexChanges(const dynemu_host* h) {
  if (h == nullptr || h->index_control == nullptr) return 0;
  return static_cast<int64_t>(h->index_control->PendingDeferred());
}

// In declaration order. A member appended to the header without a function here
// would be left null; the static_assert below makes that a compile error.
constexpr dynemu_host_api kHostApi = {
    sizeof(dynemu_host_api),
    DYNEMU_ABI_VERSION,
    // ABI 1.0: the plugin instance
    &Config,
    &GetState,
    &SetState,
    &SetInitError,
    // ABI 1.0: services
    &NowMillis,
    &MonotonicNanos,
    &RandomU64,
    &RandomUniform,
    &Log,
    // ABI 1.0: events
    &EventPoint,
    &GetField,
    &SetField,
    &SetError,
    &SetCancellationReasons,
    &SetDelay,
    &SetDefer,
    &GetRequestData,
    &SetRequestData,
    // ABI 1.1: lagging indexes on demand
    &ApplyDeferredIndexChanges,
    &PendingIndexChanges,
};

// The last member is what the table above ends with; a new member in the header
// moves the end and trips this.
static_assert(offsetof(dynemu_host_api, pending_index_changes) + sizeof(void*) ==
                  sizeof(dynemu_host_api),
              "dynemu_host_api grew: add the new functions to kHostApi");

}  // namespace

const dynemu_host_api* HostApiTable() { return &kHostApi; }

}  // namespace dynemu
