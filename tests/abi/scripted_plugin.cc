// scripted: a C++ test plugin that does one configured thing, for the end-to-end
// plugin tests (tests/e2e/test_plugins.py), including the things a plugin must
// not do.
//
// Config keys (';'-separated):
//   mode=delay          DYNEMU_DELAY by ms
//        replace        write.pre: new image := key + {"replaced":{"S":"by-plugin"}}
//        fail           DYNEMU_FAIL with error/message
//        garbage        returns verdict 12345
//        throw          throws std::runtime_error out of the callback
//        block          sleeps ms milliseconds in the callback, then continues
//        fail_no_error  DYNEMU_FAIL without set_error
//        unknown_error  DYNEMU_FAIL with error type "NoSuchException"
//   point=write.pre (default) | request.pre | response.post
//   table=NAME          act only on events of that table (default: all)
//   ms=N                for delay and block (default 100)
//   error=TYPE, message=TEXT   for fail
//   init=fail           init fails with "scripted init failure"

#include <dynemu/hooks.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace {

const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info), DYNEMU_PLUGIN_MAGIC, DYNEMU_ABI_VERSION,
    DYNEMU_ABI(1, 0),           "scripted",          "1.0.0",
};

const dynemu_host_api* api = nullptr;

struct Script {
  std::string mode;
  uint32_t point = DYNEMU_HOOK_WRITE_PRE;
  std::string table;
  int64_t ms = 100;
  std::string error;
  std::string message;
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

std::string_view Field(dynemu_event* event, dynemu_field field) {
  const char* data = nullptr;
  size_t size = 0;
  if (api->get_field(event, field, &data, &size) != DYNEMU_OK) return {};
  return std::string_view(data, size);
}

dynemu_verdict OnEvent(dynemu_host* host, dynemu_event* event) {
  const Script& s = *static_cast<const Script*>(api->get_state(host));
  if (api->event_point(event) != s.point) return DYNEMU_CONTINUE;
  if (!s.table.empty() && Field(event, DYNEMU_FIELD_TABLE) != s.table) return DYNEMU_CONTINUE;

  if (s.mode == "delay") {
    api->set_delay(event, s.ms);
    return DYNEMU_DELAY;
  }
  if (s.mode == "replace") {
    std::string key(Field(event, DYNEMU_FIELD_KEY));
    if (key.size() < 2) return DYNEMU_CONTINUE;
    key.pop_back();  // the closing brace
    key += ",\"replaced\":{\"S\":\"by-plugin\"}}";
    if (api->set_field(event, DYNEMU_FIELD_NEW_IMAGE, key.data(), key.size()) != DYNEMU_OK) {
      api->log(host, DYNEMU_LOG_ERROR, "scripted: set_field(NEW_IMAGE) was refused");
    }
    return DYNEMU_CONTINUE;
  }
  if (s.mode == "fail") {
    api->set_error(event, s.error.c_str(), s.message.c_str());
    return DYNEMU_FAIL;
  }
  if (s.mode == "garbage") return 12345;
  if (s.mode == "throw") throw std::runtime_error("scripted failure from C++");
  if (s.mode == "block") {
    std::this_thread::sleep_for(std::chrono::milliseconds(s.ms));
    return DYNEMU_CONTINUE;
  }
  if (s.mode == "fail_no_error") return DYNEMU_FAIL;
  if (s.mode == "unknown_error") {
    api->set_error(event, "NoSuchException", "there is no such error");
    return DYNEMU_FAIL;
  }
  return DYNEMU_CONTINUE;
}

void OnShutdown(dynemu_host* host) {
  delete static_cast<Script*>(api->get_state(host));
  api->set_state(host, nullptr);
}

}  // namespace

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* host_api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(host_api->abi_version, kInfo.min_abi_version)) {
    return DYNEMU_ERR_VERSION;
  }
  api = host_api;
  std::string_view config = api->config(host);
  if (ConfigValue(config, "init", "") == "fail") {
    api->set_init_error(host, "scripted init failure");
    return DYNEMU_ERR_INIT;
  }
  auto* s = new Script;
  s->mode = ConfigValue(config, "mode", "");
  std::string point = ConfigValue(config, "point", "write.pre");
  if (point == "request.pre") {
    s->point = DYNEMU_HOOK_REQUEST_PRE;
  } else if (point == "response.post") {
    s->point = DYNEMU_HOOK_RESPONSE_POST;
  } else {
    s->point = DYNEMU_HOOK_WRITE_PRE;
  }
  s->table = ConfigValue(config, "table", "");
  s->ms = std::atoll(ConfigValue(config, "ms", "100").c_str());
  s->error = ConfigValue(config, "error", "ValidationException");
  s->message = ConfigValue(config, "message", "scripted failure");
  api->set_state(host, s);
  plugin->flags = DYNEMU_PLUGIN_MUTATES;
  plugin->hooks = DYNEMU_HOOK_BIT(s->point);
  plugin->on_event = OnEvent;
  plugin->shutdown = OnShutdown;
  return DYNEMU_OK;
}
