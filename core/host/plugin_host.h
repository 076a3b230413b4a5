#pragma once

// The plugin host: loads plugins built against dynemu/hooks.h, negotiates the ABI
// with each, and wraps each one as a HookSubscriber that turns hook events into
// calls of the plugin and the plugin's C verdicts into Verdicts.
//
// Containment: a plugin that returns an unknown verdict, fails without an error,
// names an error type the catalog does not know, or lets a C++ exception out of
// its callback gets its request answered InternalServerError, and the server log
// gets a line naming the plugin, the hook point and the request id. The server
// keeps serving. (A plugin that crashes the process is out of reach.)

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "dynemu/hooks.h"

namespace dynemu {

class DeferredIndexControl;
class Env;
class HookRegistry;

// One --plugin flag: "PATH" or "PATH=CONFIG" (split at the first '=').
struct PluginSpec {
  std::string path;
  std::string config;
};
PluginSpec ParsePluginSpec(std::string_view flag);

// The ABI version as people write it: "1.0".
std::string AbiVersionString(uint32_t version);

class PluginHost {
 public:
  // `env` (clock, seeded random source) is what plugins get through the host
  // table; it must outlive the PluginHost.
  explicit PluginHost(Env& env);

  // Calls each plugin's shutdown, the last loaded first, then unloads the
  // libraries. REQUIRES: no event is in flight and none will come (whatever
  // registry the plugins were added to is no longer used).
  ~PluginHost();

  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads the library at spec.path, negotiates the ABI and runs the plugin's
  // init with spec.config. On error nothing is added, and the Status's message
  // is one line naming the plugin (its path) and the reason: the file is
  // missing or not loadable, it does not export dynemu_plugin_init, it needs
  // another ABI version (both versions named), or its init failed (the reason it
  // gave). Start-up only: not thread-safe.
  Status Load(const PluginSpec& spec);

  // Like Load for a plugin whose entry point is already in the process (tests,
  // plugins linked into the binary). `label` stands for the path in messages.
  Status AddBuiltIn(std::string label, dynemu_plugin_init_fn init, std::string config);

  // Adds every plugin, in load order, to `registry` for the points it
  // subscribed to. Call once, after the last Load and before the first request.
  // The subscribers belong to this PluginHost, which must outlive `registry`'s use.
  void Register(HookRegistry& registry) const;

  // Gives plugins the engine's deferred index queue (ABI 1.1). Call once,
  // before the first request; `control` must outlive the PluginHost's use.
  void SetDeferredIndexControl(DeferredIndexControl* control);

  size_t size() const { return plugins_.size(); }
  // The name plugin `i` gave itself, and its library path (or label).
  const std::string& name(size_t i) const;
  const std::string& path(size_t i) const;

 private:
  class Plugin;
  Status Init(std::unique_ptr<Plugin> plugin, dynemu_plugin_init_fn init);

  Env& env_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
};

}  // namespace dynemu
