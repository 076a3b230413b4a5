#pragma once

// The host side of the hooks ABI (dynemu/hooks.h): what the opaque handles
// dynemu_host and dynemu_event are, and the function table handed to plugins.
// Only the plugin host (host/) uses this header.

#include <cstdint>
#include <memory>
#include <string>

#include "dynemu/hooks.h"
#include "host/hook_dispatch.h"

namespace spdlog {
class logger;
}

namespace dynemu {
class Env;
class RequestScope;
struct EventExtras;  // lazily allocated part of an event (host_api.cc)

// The function table of this host: DYNEMU_ABI_VERSION, struct_size =
// sizeof(dynemu_host_api). Static; valid for the life of the process.
const dynemu_host_api* HostApiTable();

}  // namespace dynemu

// One plugin instance. Owned by its dynemu::PluginHost entry; the plugin holds
// the pointer from init until shutdown returns. Read-only once init is over
// (except `state`, which the plugin owns).
struct dynemu_host {
  dynemu::Env* env = nullptr;
  std::string path;    // the library, or the label of a plugin built into the process
  std::string name;    // the plugin's info name once known, else `path`
  std::string config;  // the CONFIG of --plugin PATH=CONFIG
  void* state = nullptr;
  bool in_init = false;
  std::string init_error;  // set_init_error, during init
  bool mutates = false;    // DYNEMU_PLUGIN_MUTATES
  size_t slot = 0;         // its per-request data slot in RequestScope
  // The engine's deferred index queue (PluginHost::SetDeferredIndexControl);
  // null until the server is about to serve.
  dynemu::DeferredIndexControl* index_control = nullptr;
  std::shared_ptr<spdlog::logger> logger;
};

// One event handed to one plugin for one callback, built on the bridge's stack.
// Exactly one of the event pointers is set, according to `point`. Whatever the
// plugin asks to be rendered, and whatever it sets for its verdict, lives in
// `extras`, allocated on first use so that a plugin that only observes costs no
// allocation.
struct dynemu_event {
  dynemu_event(dynemu::HookPoint p, dynemu_host* h, dynemu::RequestScope* s);
  ~dynemu_event();
  dynemu_event(const dynemu_event&) = delete;
  dynemu_event& operator=(const dynemu_event&) = delete;

  dynemu::HookPoint point;
  dynemu_host* host;
  dynemu::RequestScope* scope;

  dynemu::RequestEvent* request = nullptr;      // request.pre
  dynemu::ResponseEvent* response = nullptr;    // response.post
  const dynemu::WriteEvent* write = nullptr;    // write.pre, write.post
  dynemu::WriteEvent* mutable_write = nullptr;  // write.pre only
  const dynemu::IndexEvent* index = nullptr;    // index.*
  const dynemu::TxnEvent* txn = nullptr;        // txn.*

  // What the plugin set with set_delay / set_defer; -1 when it did not.
  int64_t delay_ms = -1;
  int64_t defer_ms = -1;

  std::unique_ptr<dynemu::EventExtras> extras;

  dynemu::EventExtras& Extras();
  // The error the plugin set with set_error (and set_cancellation_reasons):
  // true and the parts when it did.
  bool GetError(std::string* type, std::string* message, std::string* extra_members) const;
};
