/*
 * Compiled by ctest (tests/abi/CMakeLists.txt) as C99 and as C++, with
 * -pedantic -Werror, against the current header and against the frozen 1.0
 * copy: the header must stay valid in both languages. It also pins the frozen
 * parts of the ABI, so that changing them fails to compile.
 */
#ifdef DYNEMU_CHECK_FROZEN_V1
#include "hooks_v1.h"
#else
#include <dynemu/hooks.h>
#endif

/* C99 has no static_assert: a negative array size fails to compile. */
#define CHECK(name, cond) typedef char check_##name[(cond) ? 1 : -1]

CHECK(magic, DYNEMU_PLUGIN_MAGIC == 0x504e5944u);
CHECK(encoding, DYNEMU_ABI(1, 2) == 0x00010002u && DYNEMU_ABI_MAJOR_OF(0x00030004u) == 3u &&
                    DYNEMU_ABI_MINOR_OF(0x00030004u) == 4u);
CHECK(major, DYNEMU_ABI_MAJOR == 1);
/* The frozen prefixes: where a host of any major version looks. */
CHECK(api_prefix, offsetof(dynemu_host_api, struct_size) == 0 &&
                      offsetof(dynemu_host_api, abi_version) == 4);
CHECK(plugin_prefix, offsetof(dynemu_plugin, struct_size) == 0 &&
                         offsetof(dynemu_plugin, flags) == 4 && offsetof(dynemu_plugin, info) == 8);
CHECK(info_layout, offsetof(dynemu_plugin_info, struct_size) == 0 &&
                       offsetof(dynemu_plugin_info, magic) == 4 &&
                       offsetof(dynemu_plugin_info, abi_version) == 8 &&
                       offsetof(dynemu_plugin_info, min_abi_version) == 12 &&
                       offsetof(dynemu_plugin_info, name) == 16);
/* Hook point numbers never change. */
CHECK(points, DYNEMU_HOOK_REQUEST_PRE == 0u && DYNEMU_HOOK_RESPONSE_POST == 1u &&
                  DYNEMU_HOOK_WRITE_PRE == 2u && DYNEMU_HOOK_WRITE_POST == 3u &&
                  DYNEMU_HOOK_INDEX_PRE == 4u && DYNEMU_HOOK_INDEX_POST == 5u &&
                  DYNEMU_HOOK_TXN_VALIDATE_PRE == 6u && DYNEMU_HOOK_TXN_VALIDATE_POST == 7u &&
                  DYNEMU_HOOK_TXN_COMMIT_PRE == 8u && DYNEMU_HOOK_TXN_COMMIT_POST == 9u);
CHECK(verdicts, DYNEMU_CONTINUE == 0 && DYNEMU_FAIL == 1 && DYNEMU_DELAY == 2 && DYNEMU_DEFER == 3);

static dynemu_verdict on_event(dynemu_host* host, dynemu_event* event) {
  (void)host;
  (void)event;
  return DYNEMU_CONTINUE;
}

static const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info), DYNEMU_PLUGIN_MAGIC, DYNEMU_ABI_VERSION, DYNEMU_ABI(1, 0),
    "header_check", "0",
};

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  (void)host;
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(api->abi_version, kInfo.min_abi_version)) return DYNEMU_ERR_VERSION;
  if (DYNEMU_HAS_MEMBER(dynemu_plugin, plugin, shutdown)) plugin->shutdown = 0;
  if (!DYNEMU_HAS_MEMBER(dynemu_host_api, api, set_request_data)) return DYNEMU_ERR_VERSION;
  plugin->hooks = DYNEMU_HOOKS_ALL_1_0;
  plugin->on_event = on_event;
  return DYNEMU_OK;
}
