#include "host/plugin_host.h"

#include <exception>
#include <utility>

#include "base/env.h"
#include "base/error_codes.h"
#include "base/log.h"
#include "host/hook_dispatch.h"
#include "host/host_api.h"
#include "host/plugin_loader.h"
#include "host/request_scope.h"

namespace dynemu {

// The C header numbers the hook points as HookPoint does; the bridge converts by
// cast, so the two must never drift apart.
static_assert(DYNEMU_HOOK_REQUEST_PRE == static_cast<uint32_t>(HookPoint::kRequestPre));
static_assert(DYNEMU_HOOK_RESPONSE_POST == static_cast<uint32_t>(HookPoint::kResponsePost));
static_assert(DYNEMU_HOOK_WRITE_PRE == static_cast<uint32_t>(HookPoint::kWritePre));
static_assert(DYNEMU_HOOK_WRITE_POST == static_cast<uint32_t>(HookPoint::kWritePost));
static_assert(DYNEMU_HOOK_INDEX_PRE == static_cast<uint32_t>(HookPoint::kIndexPre));
static_assert(DYNEMU_HOOK_INDEX_POST == static_cast<uint32_t>(HookPoint::kIndexPost));
static_assert(DYNEMU_HOOK_TXN_VALIDATE_PRE == static_cast<uint32_t>(HookPoint::kTxnValidatePre));
static_assert(DYNEMU_HOOK_TXN_VALIDATE_POST == static_cast<uint32_t>(HookPoint::kTxnValidatePost));
static_assert(DYNEMU_HOOK_TXN_COMMIT_PRE == static_cast<uint32_t>(HookPoint::kTxnCommitPre));
static_assert(DYNEMU_HOOK_TXN_COMMIT_POST == static_cast<uint32_t>(HookPoint::kTxnCommitPost));
static_assert(DYNEMU_HOOK_COUNT_1_0 == static_cast<uint32_t>(HookPoint::kCount));

PluginSpec ParsePluginSpec(std::string_view flag) {
  PluginSpec spec;
  size_t eq = flag.find('=');
  spec.path = std::string(flag.substr(0, eq));
  if (eq != std::string_view::npos) spec.config = std::string(flag.substr(eq + 1));
  return spec;
}

std::string AbiVersionString(uint32_t version) {
  return std::to_string(DYNEMU_ABI_MAJOR_OF(version)) + "." +
         std::to_string(DYNEMU_ABI_MINOR_OF(version));
}

// One loaded plugin, and the bridge between its C callback and the HookRegistry.
class PluginHost::Plugin final : public HookSubscriber {
 public:
  Plugin(Env& env, std::string path, std::string config, size_t slot,
         std::unique_ptr<PluginLibrary> library)
      : library_(std::move(library)) {
    host_.env = &env;
    host_.path = std::move(path);
    host_.name = host_.path;
    host_.config = std::move(config);
    host_.slot = slot;
  }

  // Shutdown happens here, before the library (whose code it is) is unloaded by
  // the member's destructor.
  ~Plugin() override { Shutdown(); }

  dynemu_host& host() { return host_; }
  dynemu_plugin& plugin() { return plugin_; }
  const std::string& name() const { return host_.name; }
  void set_index_control(DeferredIndexControl* control) { host_.index_control = control; }
  const std::string& path() const { return host_.path; }
  uint32_t points() const { return plugin_.hooks & DYNEMU_HOOKS_ALL_1_0; }
  void set_initialized() { initialized_ = true; }

  void Shutdown() {
    if (!initialized_ || plugin_.shutdown == nullptr) return;
    initialized_ = false;
    try {
      plugin_.shutdown(&host_);
    } catch (...) {
      Logger()->error("plugin {} threw from shutdown", host_.name);
    }
  }

  Verdict OnRequestPre(RequestEvent& event) override {
    dynemu_event e(HookPoint::kRequestPre, &host_,
                   &Scope(HookPoint::kRequestPre, event.request_id));
    e.request = &event;
    return Call(e, event.request_id);
  }

  Verdict OnResponsePost(ResponseEvent& event) override {
    RequestScope& scope = Scope(HookPoint::kResponsePost, event.request_id);
    dynemu_event e(HookPoint::kResponsePost, &host_, &scope);
    e.response = &event;
    Verdict v = Call(e, event.request_id);
    // The request ends here for this plugin: its slot is forgotten (it frees
    // what the slot pointed to in this very callback).
    scope.set_data(host_.slot, nullptr);
    return v;
  }

  Verdict OnWritePre(WriteEvent& event) override {
    dynemu_event e(HookPoint::kWritePre, &host_, &Scope(HookPoint::kWritePre, event.request_id));
    e.write = &event;
    e.mutable_write = &event;
    return Call(e, event.request_id);
  }

  Verdict OnWritePost(const WriteEvent& event) override {
    dynemu_event e(HookPoint::kWritePost, &host_, &Scope(HookPoint::kWritePost, event.request_id));
    e.write = &event;
    return Call(e, event.request_id);
  }

  Verdict OnIndexPre(const IndexEvent& event) override {
    dynemu_event e(HookPoint::kIndexPre, &host_, &Scope(HookPoint::kIndexPre, event.request_id));
    e.index = &event;
    return Call(e, event.request_id);
  }

  Verdict OnIndexPost(const IndexEvent& event) override {
    dynemu_event e(HookPoint::kIndexPost, &host_, &Scope(HookPoint::kIndexPost, event.request_id));
    e.index = &event;
    return Call(e, event.request_id);
  }

  Verdict OnTxn(HookPoint point, const TxnEvent& event) override {
    dynemu_event e(point, &host_, &Scope(point, event.request_id));
    e.txn = &event;
    return Call(e, event.request_id);
  }

 private:
  const std::shared_ptr<spdlog::logger>& Logger() {
    if (!host_.logger) host_.logger = log::Get("plugin");
    return host_.logger;
  }

  RequestScope& Scope(HookPoint point, std::string_view request_id) {
    const Clock& clock = host_.env->clock();
    RequestScope& scope = RequestScope::Enter(request_id, clock);
    scope.Mark(point, clock);
    return scope;
  }

  // The answer to a misbehaving plugin: the client gets DynamoDB's
  // InternalServerError, the log gets the details.
  Verdict Contained(const dynemu_event& e, std::string_view request_id, const std::string& why) {
    Logger()->error("plugin {} at {} (request {}): {}; answering InternalServerError", host_.name,
                    HookPointName(e.point), request_id, why);
    return Verdict::Fail(InternalError("Internal server error"));
  }

  Verdict Call(dynemu_event& e, std::string_view request_id) {
    dynemu_verdict v;
    // Nothing may unwind through the C boundary, but a C++ plugin can still let
    // an exception escape its callback; catching it here keeps the request and
    // names the culprit.
    try {
      v = plugin_.on_event(&host_, &e);
    } catch (const std::exception& ex) {
      return Contained(e, request_id, std::string("threw an exception: ") + ex.what());
    } catch (...) {
      return Contained(e, request_id, "threw an exception");
    }
    switch (v) {
      case DYNEMU_CONTINUE:
        return Verdict::Continue();
      case DYNEMU_FAIL:
        return FailVerdict(e, request_id);
      case DYNEMU_DELAY:
        if (e.delay_ms < 0)
          return Contained(e, request_id, "returned DYNEMU_DELAY without set_delay");
        return Verdict::Delay(e.delay_ms);
      case DYNEMU_DEFER: {
        if (e.point != HookPoint::kIndexPre) {
          return Contained(e, request_id, "returned DYNEMU_DEFER outside index.pre");
        }
        return Verdict::Defer(e.defer_ms < 0 ? 0 : e.defer_ms);
      }
      default:
        return Contained(e, request_id, "returned an unknown verdict " + std::to_string(v));
    }
  }

  Verdict FailVerdict(const dynemu_event& e, std::string_view request_id) {
    std::string type, message, extra;
    if (!e.GetError(&type, &message, &extra)) {
      return Contained(e, request_id, "returned DYNEMU_FAIL without set_error");
    }
    std::optional<ErrorCode> code = ErrorCodeFromName(type);
    // An error type the catalog does not know cannot be rendered as the DynamoDB
    // error the plugin meant. It is a bug of the plugin, like an unknown verdict,
    // so it gets the same answer; ValidationException would tell the client its
    // request was wrong, which it was not.
    if (!code) {
      return Contained(e, request_id,
                       "failed the request with an unknown error type '" + type + "'");
    }
    return Verdict::Fail(Status(*code, std::move(message), std::move(extra)));
  }

  dynemu_host host_;
  dynemu_plugin plugin_{};
  bool initialized_ = false;
  std::unique_ptr<PluginLibrary> library_;  // null for a built-in plugin
};

PluginHost::PluginHost(Env& env) : env_(env) {}

PluginHost::~PluginHost() {
  // Post order: the last plugin loaded is shut down (and unloaded) first.
  while (!plugins_.empty()) plugins_.pop_back();
}

const std::string& PluginHost::name(size_t i) const { return plugins_[i]->name(); }
const std::string& PluginHost::path(size_t i) const { return plugins_[i]->path(); }

Status PluginHost::Load(const PluginSpec& spec) {
  Result<std::unique_ptr<PluginLibrary>> library = PluginLibrary::Open(spec.path);
  if (!library.ok()) return library.status();
  dynemu_plugin_init_fn init = (*library)->entry();
  return Init(std::make_unique<Plugin>(env_, spec.path, spec.config, plugins_.size(),
                                       std::move(library).value()),
              init);
}

Status PluginHost::AddBuiltIn(std::string label, dynemu_plugin_init_fn init, std::string config) {
  return Init(
      std::make_unique<Plugin>(env_, std::move(label), std::move(config), plugins_.size(), nullptr),
      init);
}

Status PluginHost::Init(std::unique_ptr<Plugin> plugin, dynemu_plugin_init_fn init) {
  dynemu_host& host = plugin->host();
  dynemu_plugin& p = plugin->plugin();
  const std::string& path = host.path;
  p.struct_size = sizeof(dynemu_plugin);

  host.in_init = true;
  int32_t rc = DYNEMU_ERR_INIT;
  std::string thrown;
  try {
    rc = init(HostApiTable(), &host, &p);
  } catch (const std::exception& e) {
    thrown = e.what();
  } catch (...) {
    thrown = "unknown exception";
  }
  host.in_init = false;

  auto refuse = [&](const std::string& reason) {
    // Init succeeded but the host says no: let the plugin free what it set up.
    if (rc == DYNEMU_OK && thrown.empty()) {
      plugin->set_initialized();
      plugin->Shutdown();
    }
    return InternalError("cannot load plugin " + path + ": " + reason);
  };

  if (!thrown.empty()) return refuse(DYNEMU_PLUGIN_INIT_SYMBOL " threw: " + thrown);
  // The magic block first: it is what tells a dynemu plugin from any library
  // that happens to export the symbol, and which ABI the plugin expects.
  const dynemu_plugin_info* info = p.info;
  if (info == nullptr) {
    return refuse("its " DYNEMU_PLUGIN_INIT_SYMBOL
                  " did not set plugin->info (not a dynemu plugin?)");
  }
  if (info->magic != DYNEMU_PLUGIN_MAGIC || info->struct_size < sizeof(dynemu_plugin_info)) {
    return refuse("its plugin info has a bad magic number or size (not a dynemu plugin?)");
  }
  std::string label = info->name != nullptr && *info->name != '\0' ? info->name : path;
  if (!dynemu_abi_compatible(DYNEMU_ABI_VERSION, info->min_abi_version)) {
    return refuse("plugin '" + label + "' needs hooks ABI " +
                  AbiVersionString(info->min_abi_version) + " (built against " +
                  AbiVersionString(info->abi_version) + "), but this server speaks hooks ABI " +
                  AbiVersionString(DYNEMU_ABI_VERSION));
  }
  if (rc != DYNEMU_OK) {
    std::string reason = host.init_error.empty() ? "no reason given" : host.init_error;
    return refuse("plugin '" + label + "' failed to initialize (code " + std::to_string(rc) +
                  "): " + reason);
  }
  if (p.hooks != 0 && p.on_event == nullptr) {
    return refuse("plugin '" + label + "' subscribes to hook points but set no on_event");
  }

  plugin->set_initialized();
  host.name = label;
  host.mutates = (p.flags & DYNEMU_PLUGIN_MUTATES) != 0;
  host.logger = log::Get("plugin." + label);
  log::Get("plugin")->info("loaded plugin {} {} from {} (hooks ABI {}, points 0x{:x}{})", label,
                           info->version ? info->version : "", path,
                           AbiVersionString(info->abi_version), plugin->points(),
                           host.mutates ? ", mutates" : "");
  plugins_.push_back(std::move(plugin));
  return Status::OK();
}

void PluginHost::SetDeferredIndexControl(DeferredIndexControl* control) {
  for (const auto& plugin : plugins_) plugin->set_index_control(control);
}

void PluginHost::Register(HookRegistry& registry) const {
  for (const auto& plugin : plugins_) {
    if (plugin->points() != 0) registry.Add(plugin.get(), plugin->points());
  }
}

}  // namespace dynemu
