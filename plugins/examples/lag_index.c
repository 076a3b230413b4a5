/*
 * lag_index: a dynemu plugin that makes global secondary indexes lag behind
 * their tables, as DynamoDB's do (its GSIs are eventually consistent), so that
 * an application's handling of stale index reads can be tested.
 *
 * Every secondary-index entry change of a matching write is deferred: the
 * server's queue applies it `ms` milliseconds later, in order. Until then a
 * Query or Scan of the index sees the old entry; the base table is current.
 * Local secondary indexes never lag (they are strongly consistent in DynamoDB):
 * the server applies their entries at once whatever a plugin answers.
 *
 *   dynemu --plugin build/plugins/lag_index.so='ms=2000;table=Orders;index=byStatus'
 *
 *   ms=N          the lag in milliseconds, 0 to 600000 (default 1000)
 *   table=NAME    only this table's indexes (default: every table)
 *   index=NAME    only this index (default: every global index)
 *   catch_up=NAME a request naming table NAME (e.g. a PutItem of a marker item)
 *                 first makes every lagging index catch up at once: a test's way
 *                 to say "now". Needs a server speaking hooks ABI 1.1; an older
 *                 one refuses the config at start-up.
 *
 * Build outside the tree with:
 *   cc -std=c99 -shared -fPIC -I hooks-api/include -o lag_index.so lag_index.c
 */

#include <dynemu/hooks.h>

#include <stdlib.h>
#include <string.h>

static const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info),
    DYNEMU_PLUGIN_MAGIC,
    DYNEMU_ABI_VERSION,
    DYNEMU_ABI(1, 0),
    "lag_index",
    "1.0.0",
};

/* Read-only after init: callbacks on many threads read it without a lock. */
typedef struct state {
  long long ms;
  char* table; /* NULL: any */
  char* index; /* NULL: any */
  char* catch_up; /* NULL: none */
} state;

static const dynemu_host_api* api;

/* Finds `key` in "k1=v1;k2=v2" and returns a malloc'd copy of its value, or NULL. */
static char* config_value(const char* config, const char* key) {
  size_t key_len = strlen(key);
  const char* p = config;
  while (*p != '\0') {
    const char* end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > key_len && strncmp(p, key, key_len) == 0 && p[key_len] == '=') {
      char* out = (char*)malloc(len - key_len);
      if (out != NULL) {
        memcpy(out, p + key_len + 1, len - key_len - 1);
        out[len - key_len - 1] = '\0';
      }
      return out;
    }
    p += len;
    if (*p == ';') p++;
  }
  return NULL;
}

/* True when the text field equals `want` (or `want` is NULL: any). */
static int field_is(dynemu_event* event, dynemu_field field, const char* want) {
  const char* data;
  size_t size;
  if (want == NULL) return 1;
  if (api->get_field(event, field, &data, &size) != DYNEMU_OK) return 0;
  return size == strlen(want) && memcmp(data, want, size) == 0;
}

static dynemu_verdict on_event(dynemu_host* host, dynemu_event* event) {
  state* s = (state*)api->get_state(host);
  if (api->event_point(event) == DYNEMU_HOOK_REQUEST_PRE) {
    /* Subscribed only with catch_up set (and a 1.1 host, checked in init). */
    if (field_is(event, DYNEMU_FIELD_TABLE, s->catch_up)) api->apply_deferred_index_changes(host);
    return DYNEMU_CONTINUE;
  }
  if (api->event_point(event) != DYNEMU_HOOK_INDEX_PRE) return DYNEMU_CONTINUE;
  if (!field_is(event, DYNEMU_FIELD_TABLE, s->table)) return DYNEMU_CONTINUE;
  if (!field_is(event, DYNEMU_FIELD_INDEX_NAME, s->index)) return DYNEMU_CONTINUE;
  if (api->set_defer(event, s->ms) != DYNEMU_OK) return DYNEMU_CONTINUE;
  return DYNEMU_DEFER;
}

static void on_shutdown(dynemu_host* host) {
  state* s = (state*)api->get_state(host);
  free(s->table);
  free(s->index);
  free(s->catch_up);
  free(s);
  api->set_state(host, NULL);
}

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* host_api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  state* s;
  char* ms;
  char* end = NULL;
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(host_api->abi_version, kInfo.min_abi_version)) {
    return DYNEMU_ERR_VERSION;
  }
  api = host_api;
  s = (state*)calloc(1, sizeof(state));
  if (s == NULL) return DYNEMU_ERR_INIT;
  s->ms = 1000;
  ms = config_value(api->config(host), "ms");
  if (ms != NULL) {
    s->ms = strtoll(ms, &end, 10);
    if (end == ms || *end != '\0' || s->ms < 0 || s->ms > 600000) {
      api->set_init_error(host, "lag_index: ms must be a whole number from 0 to 600000");
      free(ms);
      free(s);
      return DYNEMU_ERR_INIT;
    }
    free(ms);
  }
  s->table = config_value(api->config(host), "table");
  s->index = config_value(api->config(host), "index");
  s->catch_up = config_value(api->config(host), "catch_up");
  /* A member added in ABI 1.1: check the host has it before relying on it. */
  if (s->catch_up != NULL &&
      !DYNEMU_HAS_MEMBER(dynemu_host_api, api, apply_deferred_index_changes)) {
    api->set_init_error(host, "lag_index: catch_up needs a server speaking hooks ABI 1.1");
    free(s->table);
    free(s->index);
    free(s->catch_up);
    free(s);
    return DYNEMU_ERR_INIT;
  }
  api->set_state(host, s);
  plugin->flags = 0;
  plugin->hooks = DYNEMU_HOOK_BIT(DYNEMU_HOOK_INDEX_PRE);
  if (s->catch_up != NULL) plugin->hooks |= DYNEMU_HOOK_BIT(DYNEMU_HOOK_REQUEST_PRE);
  plugin->on_event = on_event;
  plugin->shutdown = on_shutdown;
  return DYNEMU_OK;
}
