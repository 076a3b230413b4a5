// trace: a dynemu plugin that writes one JSON line per operation, and on request
// one per hook point, to a file or to stderr.
//
//   dynemu --plugin build/plugins/trace.so                       # stderr, operations only
//   dynemu --plugin build/plugins/trace.so='file=/tmp/trace.jsonl;points=all'
//
// Config (keys separated by ';'):
//   file=PATH         append to PATH ("-" or "stderr": standard error; default stderr)
//   points=LIST       also one line per hook point: "all", "none" (default), or a
//                     comma-separated list of point names ("write.pre,write.post")
//   flush=MS|line     how often buffered lines reach the file: every MS
//                     milliseconds (default 100) and whenever 64 KiB are waiting,
//                     or "line": each line at once (one write(2) per line)
//
// An operation line, written at response.post:
//   {"time_ms":1718000000000,"request_id":"...","operation":"PutItem","table":"Orders",
//    "key":{"id":{"S":"o1"}},"outcome":"error","http_status":400,
//    "error_type":"ConditionalCheckFailedException","writes":1,
//    "timings":{"start_ms":...,"elapsed_us":850,"points_us":{"request.pre":0,
//               "write.pre":420,"response.post":840}}}
// "outcome" is "ok" or "error" ("error_type" only then); "table" and "key" come
// from the first item written, else from the request's TableName and Key (null
// when it has none); "timings" is the host's DYNEMU_FIELD_TIMINGS: microseconds
// since request.pre at which each hook point was reached, so the stages are its
// differences (decode + conditions, commit, encode).
//
// A hook-point line:
//   {"time_ms":...,"request_id":"...","point":"write.pre","operation":"PutItem",
//    "table":"Orders","key":{...},"elapsed_us":420}
//
// Cost: the host renders only what this plugin asks for (the key once per
// request, the timings once), lines are buffered and written by one background
// thread, and nothing here blocks a worker thread on I/O.
//
// Load trace first (leftmost --plugin) to see every request as the client sent
// it and every response as the client got it, including failures other plugins
// inject.

#include <dynemu/hooks.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>

namespace {

const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info),
    DYNEMU_PLUGIN_MAGIC,
    DYNEMU_ABI_VERSION,
    DYNEMU_ABI(1, 0),
    "trace",
    "1.0.0",
};

const dynemu_host_api* api = nullptr;

constexpr const char* kPointNames[DYNEMU_HOOK_COUNT_1_0] = {
    "request.pre", "response.post",    "write.pre",         "write.post",     "index.pre",
    "index.post",  "txn.validate.pre", "txn.validate.post", "txn.commit.pre", "txn.commit.post",
};
constexpr size_t kFlushBytes = 64 * 1024;

// Lines go to a buffer; one background thread writes it out, so that worker
// threads never wait on the disk. With flush=line each line is written at once.
class Sink {
 public:
  Sink(int fd, bool owned, int64_t interval_ms)
      : fd_(fd), owned_(owned), interval_ms_(interval_ms) {
    if (interval_ms_ > 0) flusher_ = std::thread([this] { Run(); });
  }

  ~Sink() {
    if (flusher_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
      }
      cv_.notify_one();
      flusher_.join();
    }
    WriteAll(buffer_);
    if (owned_) close(fd_);
  }

  void Append(const std::string& line) {
    if (interval_ms_ <= 0) {
      // One write per line, under the lock so that lines never interleave.
      std::lock_guard<std::mutex> lock(mu_);
      WriteAll(line);
      return;
    }
    bool full;
    {
      std::lock_guard<std::mutex> lock(mu_);
      buffer_ += line;
      full = buffer_.size() >= kFlushBytes;
    }
    if (full) cv_.notify_one();
  }

 private:
  void Run() {
    std::string out;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_),
                   [this] { return stop_ || buffer_.size() >= kFlushBytes; });
      out.clear();
      out.swap(buffer_);
      lock.unlock();
      WriteAll(out);  // outside the lock: appends go on meanwhile
      lock.lock();
    }
  }

  void WriteAll(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = write(fd_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // a full disk loses trace lines, never requests
      done += static_cast<size_t>(n);
    }
  }

  const int fd_;
  const bool owned_;
  const int64_t interval_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string buffer_;
  bool stop_ = false;
  std::thread flusher_;
};

struct State {
  uint32_t point_lines = 0;  // DYNEMU_HOOK_BIT()s of the points that get their own line
  Sink* sink = nullptr;
};

// What write.pre learned about a request, kept in the host's per-request slot
// until response.post writes the operation line.
struct Stash {
  std::string table;
  std::string key;
  unsigned writes = 0;
};

std::string ConfigValue(std::string_view config, std::string_view key, const char* fallback) {
  while (!config.empty()) {
    size_t end = config.find(';');
    std::string_view item = config.substr(0, end);
    if (item.size() > key.size() && item.substr(0, key.size()) == key && item[key.size()] == '=') {
      return std::string(item.substr(key.size() + 1));
    }
    if (end == std::string_view::npos) break;
    config.remove_prefix(end + 1);
  }
  return fallback;
}

// Parses "all", "none" or "write.pre,write.post" into a mask; false on an unknown name.
bool ParsePoints(std::string_view list, uint32_t* mask) {
  *mask = 0;
  if (list == "none" || list.empty()) return true;
  if (list == "all") {
    *mask = DYNEMU_HOOKS_ALL_1_0;
    return true;
  }
  while (!list.empty()) {
    size_t end = list.find(',');
    std::string_view name = list.substr(0, end);
    bool found = false;
    for (uint32_t p = 0; p < DYNEMU_HOOK_COUNT_1_0; p++) {
      if (name == kPointNames[p]) {
        *mask |= DYNEMU_HOOK_BIT(p);
        found = true;
      }
    }
    if (!found) return false;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return true;
}

// Appends `s` as a JSON string.
void AppendString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      static const char kHex[] = "0123456789abcdef";
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

// The field as a string_view; empty when absent or unavailable.
std::string_view Field(dynemu_event* event, dynemu_field field, bool* present = nullptr) {
  const char* data = nullptr;
  size_t size = 0;
  int32_t rc = api->get_field(event, field, &data, &size);
  if (present) *present = rc == DYNEMU_OK;
  return rc == DYNEMU_OK ? std::string_view(data, size) : std::string_view();
}

void AppendHeader(std::string* line, dynemu_host* host, dynemu_event* event) {
  line->append("{\"time_ms\":");
  line->append(std::to_string(api->now_millis(host)));
  line->append(",\"request_id\":");
  AppendString(line, Field(event, DYNEMU_FIELD_REQUEST_ID));
}

// Appends ,"table":...,"key":... from the event itself (null when absent).
void AppendTableAndKey(std::string* line, dynemu_event* event) {
  bool has_table, has_key;
  std::string_view table = Field(event, DYNEMU_FIELD_TABLE, &has_table);
  line->append(",\"table\":");
  if (has_table) {
    AppendString(line, table);
  } else {
    line->append("null");
  }
  std::string_view key = Field(event, DYNEMU_FIELD_KEY, &has_key);
  line->append(",\"key\":");
  line->append(has_key ? key : std::string_view("null"));
}

void WritePointLine(State* state, dynemu_host* host, dynemu_event* event, uint32_t point) {
  std::string line;
  line.reserve(256);
  AppendHeader(&line, host, event);
  line.append(",\"point\":");
  AppendString(&line, kPointNames[point]);
  line.append(",\"operation\":");
  AppendString(&line, Field(event, DYNEMU_FIELD_OPERATION));
  // The request-level points would have to parse the request for these; the
  // operation line has them anyway.
  if (point != DYNEMU_HOOK_REQUEST_PRE && point != DYNEMU_HOOK_RESPONSE_POST) {
    AppendTableAndKey(&line, event);
  }
  std::string_view timings = Field(event, DYNEMU_FIELD_TIMINGS);
  const char kElapsed[] = "\"elapsed_us\":";
  size_t at = timings.find(kElapsed);
  if (at != std::string_view::npos) {
    line.append(",\"elapsed_us\":");
    size_t start = at + sizeof(kElapsed) - 1;
    size_t end = timings.find_first_of(",}", start);
    line.append(timings.substr(start, end - start));
  }
  line.append("}\n");
  state->sink->Append(line);
}

void WriteOperationLine(State* state, dynemu_host* host, dynemu_event* event, Stash* stash) {
  std::string line;
  line.reserve(384);
  AppendHeader(&line, host, event);
  line.append(",\"operation\":");
  AppendString(&line, Field(event, DYNEMU_FIELD_OPERATION));
  if (stash != nullptr) {
    line.append(",\"table\":");
    AppendString(&line, stash->table);
    line.append(",\"key\":");
    line.append(stash->key.empty() ? std::string_view("null") : std::string_view(stash->key));
  } else {
    AppendTableAndKey(&line, event);
  }
  bool failed;
  std::string_view error_type = Field(event, DYNEMU_FIELD_ERROR_TYPE, &failed);
  line.append(failed ? ",\"outcome\":\"error\"" : ",\"outcome\":\"ok\"");
  line.append(",\"http_status\":");
  line.append(Field(event, DYNEMU_FIELD_HTTP_STATUS));
  if (failed) {
    line.append(",\"error_type\":");
    AppendString(&line, error_type);
  }
  line.append(",\"writes\":");
  line.append(std::to_string(stash ? stash->writes : 0));
  line.append(",\"timings\":");
  std::string_view timings = Field(event, DYNEMU_FIELD_TIMINGS);
  line.append(timings.empty() ? std::string_view("null") : timings);
  line.append("}\n");
  state->sink->Append(line);
}

dynemu_verdict OnEventImpl(dynemu_host* host, dynemu_event* event) {
  State* state = static_cast<State*>(api->get_state(host));
  uint32_t point = api->event_point(event);
  if (point >= DYNEMU_HOOK_COUNT_1_0) return DYNEMU_CONTINUE;  // from a later ABI minor

  if (point == DYNEMU_HOOK_WRITE_PRE) {
    Stash* stash = static_cast<Stash*>(api->get_request_data(event));
    if (stash == nullptr) {
      stash = new Stash;
      stash->table = std::string(Field(event, DYNEMU_FIELD_TABLE));
      stash->key = std::string(Field(event, DYNEMU_FIELD_KEY));
      api->set_request_data(event, stash);
    }
    stash->writes++;
  }
  if (state->point_lines & DYNEMU_HOOK_BIT(point)) WritePointLine(state, host, event, point);
  if (point == DYNEMU_HOOK_RESPONSE_POST) {
    Stash* stash = static_cast<Stash*>(api->get_request_data(event));
    WriteOperationLine(state, host, event, stash);
    // The request ends here: the slot is ours to free.
    api->set_request_data(event, nullptr);
    delete stash;
  }
  return DYNEMU_CONTINUE;
}

dynemu_verdict OnEvent(dynemu_host* host, dynemu_event* event) {
  // A tracer must never fail a request, and nothing may unwind into the host.
  try {
    return OnEventImpl(host, event);
  } catch (...) {
    return DYNEMU_CONTINUE;
  }
}

void OnShutdown(dynemu_host* host) {
  State* state = static_cast<State*>(api->get_state(host));
  if (state == nullptr) return;
  delete state->sink;  // writes what is buffered
  delete state;
  api->set_state(host, nullptr);
}

int32_t Init(const dynemu_host_api* host_api, dynemu_host* host, dynemu_plugin* plugin) {
  api = host_api;
  std::string_view config = api->config(host);

  uint32_t point_lines = 0;
  std::string points = ConfigValue(config, "points", "none");
  if (!ParsePoints(points, &point_lines)) {
    api->set_init_error(host, ("trace: unknown hook point in points=" + points).c_str());
    return DYNEMU_ERR_INIT;
  }

  int64_t interval_ms = 100;
  std::string flush = ConfigValue(config, "flush", "100");
  if (flush == "line") {
    interval_ms = 0;
  } else {
    char* end = nullptr;
    long long v = std::strtoll(flush.c_str(), &end, 10);
    if (flush.empty() || *end != '\0' || v < 0) {
      api->set_init_error(
          host,
          ("trace: flush must be a number of milliseconds or \"line\", not " + flush).c_str());
      return DYNEMU_ERR_INIT;
    }
    interval_ms = v;
  }

  std::string file = ConfigValue(config, "file", "-");
  int fd = STDERR_FILENO;
  bool owned = false;
  if (file != "-" && file != "stderr") {
    fd = open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
      api->set_init_error(host,
                          ("trace: cannot open " + file + ": " + std::strerror(errno)).c_str());
      return DYNEMU_ERR_INIT;
    }
    owned = true;
  }

  auto* state = new State;
  state->point_lines = point_lines;
  state->sink = new Sink(fd, owned, interval_ms);
  api->set_state(host, state);

  plugin->flags = 0;  // observes only
  plugin->hooks = DYNEMU_HOOK_BIT(DYNEMU_HOOK_REQUEST_PRE) |
                  DYNEMU_HOOK_BIT(DYNEMU_HOOK_WRITE_PRE) |
                  DYNEMU_HOOK_BIT(DYNEMU_HOOK_RESPONSE_POST) | point_lines;
  plugin->on_event = OnEvent;
  plugin->shutdown = OnShutdown;
  return DYNEMU_OK;
}

}  // namespace

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* host_api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(host_api->abi_version, kInfo.min_abi_version)) {
    return DYNEMU_ERR_VERSION;
  }
  try {
    return Init(host_api, host, plugin);
  } catch (const std::exception& e) {
    host_api->set_init_error(host, e.what());
    return DYNEMU_ERR_INIT;
  }
}
