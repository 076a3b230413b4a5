/*
 * noop: subscribed to every hook point of ABI 1.0, does nothing and continues.
 * What the plugin host itself costs per request; used by
 * tools/bench/plugin_overhead.sh.
 */
#include <dynemu/hooks.h>

static const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info), DYNEMU_PLUGIN_MAGIC, DYNEMU_ABI_VERSION, DYNEMU_ABI(1, 0),
    "noop", "1.0.0",
};

static dynemu_verdict on_event(dynemu_host* host, dynemu_event* event) {
  (void)host;
  (void)event;
  return DYNEMU_CONTINUE;
}

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  (void)host;
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(api->abi_version, kInfo.min_abi_version)) return DYNEMU_ERR_VERSION;
  plugin->hooks = DYNEMU_HOOKS_ALL_1_0;
  plugin->on_event = on_event;
  return DYNEMU_OK;
}
