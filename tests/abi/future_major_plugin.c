/*
 * A plugin from the future: built against a hypothetical hooks ABI 2.0, so it
 * needs a 2.x host. Only the frozen parts of the ABI (the entry's signature,
 * api->abi_version, plugin->info and the info block) are the same in every
 * major version, and they are all it touches. A 1.x host must refuse it with a
 * message naming both versions.
 */
#include <dynemu/hooks.h>

static const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info), DYNEMU_PLUGIN_MAGIC, DYNEMU_ABI(2, 0), DYNEMU_ABI(2, 0),
    "future", "2.0.0",
};

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  (void)host;
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(api->abi_version, kInfo.min_abi_version)) return DYNEMU_ERR_VERSION;
  return DYNEMU_OK;
}
