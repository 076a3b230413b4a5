/*
 * A shared library that is not a dynemu plugin: it exports a function, but not
 * dynemu_plugin_init. Loading it must fail with a message naming the symbol.
 */
#include <dynemu/hooks.h>

DYNEMU_EXPORT int32_t dynemu_plugin_start(void);

DYNEMU_EXPORT int32_t dynemu_plugin_start(void) { return DYNEMU_OK; }
