/*
 * A plugin built against the FROZEN hooks ABI 1.0 header (hooks_v1.h), in C99.
 * abi_compat_test loads it into the current host and checks that everything a
 * 1.0 plugin can do still works: negotiation, config, state, the clock, the
 * random source, logging, every field getter, the setters, each verdict and the
 * per-request slot. Never change what it does to make a test pass: if the test
 * fails, the host broke the 1.0 contract.
 *
 * Behaviour, keyed on the table of the event:
 *   write.pre on "v1_fail"     fails with ConditionalCheckFailedException "v1 plugin says no"
 *   write.pre on "v1_delay"    delays the response by 25 ms
 *   write.pre on "v1_replace"  replaces the new image by its key plus {"v1":{"S":<config>}}
 *   write.pre on "v1_garbage"  returns verdict 4242 (the host must contain it)
 *   response.post of a request on "v1_stats" replaces the response body by
 *     {"events":[<count per hook point>],"config":"<config>","clock_ok":1,...}
 * Config "fail_init" makes init fail with the reason "v1 asked to fail".
 */
#include "hooks_v1.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info), DYNEMU_PLUGIN_MAGIC, DYNEMU_ABI_VERSION, DYNEMU_ABI(1, 0),
    "v1_plugin", "1.0.0",
};

static const dynemu_host_api* api;

typedef struct v1_state {
  char config[256];
  unsigned long events[DYNEMU_HOOK_COUNT_1_0];
  unsigned long slot_errors;
  unsigned long field_errors;
} v1_state;

typedef struct v1_slot {
  char request_id[128];
} v1_slot;

static void bump(unsigned long* counter) {
#if defined(__GNUC__)
  __atomic_fetch_add(counter, 1ul, __ATOMIC_RELAXED);
#else
  (*counter)++;
#endif
}

static int field_is(dynemu_event* event, dynemu_field field, const char* expected) {
  const char* data;
  size_t size;
  if (api->get_field(event, field, &data, &size) != DYNEMU_OK) return 0;
  return size == strlen(expected) && memcmp(data, expected, size) == 0;
}

/* Checks what every event must offer; counts violations. */
static void check_common(v1_state* s, dynemu_event* event) {
  const char* data;
  size_t size;
  if (api->get_field(event, DYNEMU_FIELD_OPERATION, &data, &size) != DYNEMU_OK) bump(&s->field_errors);
  if (api->get_field(event, DYNEMU_FIELD_REQUEST_ID, &data, &size) != DYNEMU_OK) bump(&s->field_errors);
  if (api->get_field(event, DYNEMU_FIELD_TIMINGS, &data, &size) != DYNEMU_OK || size == 0 ||
      data[0] != '{') {
    bump(&s->field_errors);
  }
  /* An id this ABI does not define is refused, not a crash. */
  if (api->get_field(event, 999u, &data, &size) != DYNEMU_ERR_UNAVAILABLE) bump(&s->field_errors);
}

static dynemu_verdict on_write_pre(v1_state* s, dynemu_event* event) {
  const char* key;
  size_t key_size;
  const char* old_image;
  size_t old_size;
  char* image;
  int32_t rc;

  if (field_is(event, DYNEMU_FIELD_TABLE, "v1_fail")) {
    api->set_error(event, "ConditionalCheckFailedException", "v1 plugin says no");
    return DYNEMU_FAIL;
  }
  if (field_is(event, DYNEMU_FIELD_TABLE, "v1_delay")) {
    api->set_delay(event, 25);
    return DYNEMU_DELAY;
  }
  if (field_is(event, DYNEMU_FIELD_TABLE, "v1_garbage")) return 4242;
  if (!field_is(event, DYNEMU_FIELD_TABLE, "v1_replace")) return DYNEMU_CONTINUE;

  /* The old image is either ABSENT or an object. */
  rc = api->get_field(event, DYNEMU_FIELD_OLD_IMAGE, &old_image, &old_size);
  if (!(rc == DYNEMU_ABSENT || (rc == DYNEMU_OK && old_size > 1 && old_image[0] == '{'))) {
    bump(&s->field_errors);
  }
  if (api->get_field(event, DYNEMU_FIELD_KEY, &key, &key_size) != DYNEMU_OK || key_size < 2) {
    bump(&s->field_errors);
    return DYNEMU_CONTINUE;
  }
  /* {"id":{"S":"a"}} -> {"id":{"S":"a"},"v1":{"S":"<config>"}} */
  image = (char*)malloc(key_size + strlen(s->config) + 32);
  if (image == NULL) return DYNEMU_CONTINUE;
  memcpy(image, key, key_size - 1);
  sprintf(image + key_size - 1, ",\"v1\":{\"S\":\"%s\"}}", s->config);
  rc = api->set_field(event, DYNEMU_FIELD_NEW_IMAGE, image, strlen(image));
  free(image); /* the host copied it */
  if (rc != DYNEMU_OK) bump(&s->field_errors);
  /* A malformed image is refused and changes nothing. */
  if (api->set_field(event, DYNEMU_FIELD_NEW_IMAGE, "{\"x\":", 5) != DYNEMU_ERR_INVALID) {
    bump(&s->field_errors);
  }
  return DYNEMU_CONTINUE;
}

static dynemu_verdict on_response_post(dynemu_host* host, v1_state* s, dynemu_event* event) {
  v1_slot* slot = (v1_slot*)api->get_request_data(event);
  const char* id;
  size_t id_size;
  char body[1024];
  size_t used;
  unsigned i;
  int n;

  api->get_field(event, DYNEMU_FIELD_REQUEST_ID, &id, &id_size);
  if (slot == NULL || strlen(slot->request_id) != id_size ||
      memcmp(slot->request_id, id, id_size) != 0) {
    bump(&s->slot_errors);
  }
  free(slot);
  api->set_request_data(event, NULL);

  if (!field_is(event, DYNEMU_FIELD_TABLE, "v1_stats")) return DYNEMU_CONTINUE;
  n = snprintf(body, sizeof body, "{\"events\":[");
  used = n > 0 ? (size_t)n : 0;
  for (i = 0; i < DYNEMU_HOOK_COUNT_1_0; i++) {
    n = snprintf(body + used, sizeof body - used, "%s%lu", i ? "," : "", s->events[i]);
    if (n > 0) used += (size_t)n;
  }
  n = snprintf(body + used, sizeof body - used,
               "],\"config\":\"%s\",\"clock_ok\":%d,\"random_ok\":%d,\"slot_errors\":%lu,"
               "\"field_errors\":%lu}",
               s->config, api->now_millis(host) > 1000000000000LL && api->monotonic_nanos(host) > 0,
               api->random_uniform(host, 10) < 10 && api->random_uniform(host, 0) == 0,
               s->slot_errors, s->field_errors);
  if (n > 0) used += (size_t)n;
  if (api->set_field(event, DYNEMU_FIELD_RESPONSE, body, used) != DYNEMU_OK) {
    return DYNEMU_CONTINUE;
  }
  return DYNEMU_CONTINUE;
}

static dynemu_verdict on_event(dynemu_host* host, dynemu_event* event) {
  v1_state* s = (v1_state*)api->get_state(host);
  dynemu_hook_point point = api->event_point(event);
  if (point >= DYNEMU_HOOK_COUNT_1_0) return DYNEMU_CONTINUE;
  bump(&s->events[point]);
  check_common(s, event);
  switch (point) {
    case DYNEMU_HOOK_REQUEST_PRE: {
      const char* id;
      size_t id_size;
      v1_slot* slot = (v1_slot*)calloc(1, sizeof(v1_slot));
      api->get_field(event, DYNEMU_FIELD_REQUEST_ID, &id, &id_size);
      if (slot != NULL && id_size < sizeof slot->request_id) {
        memcpy(slot->request_id, id, id_size);
        api->set_request_data(event, slot);
      } else {
        free(slot);
      }
      return DYNEMU_CONTINUE;
    }
    case DYNEMU_HOOK_WRITE_PRE:
      return on_write_pre(s, event);
    case DYNEMU_HOOK_RESPONSE_POST:
      return on_response_post(host, s, event);
    default:
      return DYNEMU_CONTINUE;
  }
}

static void on_shutdown(dynemu_host* host) {
  api->log(host, DYNEMU_LOG_INFO, "v1 plugin shutting down");
  free(api->get_state(host));
  api->set_state(host, NULL);
}

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* host_api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  v1_state* s;
  const char* config;
  plugin->info = &kInfo;
  if (!dynemu_abi_compatible(host_api->abi_version, kInfo.min_abi_version)) {
    return DYNEMU_ERR_VERSION;
  }
  api = host_api;
  config = api->config(host);
  if (strcmp(config, "fail_init") == 0) {
    api->set_init_error(host, "v1 asked to fail");
    return DYNEMU_ERR_INIT;
  }
  s = (v1_state*)calloc(1, sizeof(v1_state));
  if (s == NULL) return DYNEMU_ERR_INIT;
  strncpy(s->config, config, sizeof s->config - 1);
  api->set_state(host, s);
  api->log(host, DYNEMU_LOG_INFO, "v1 plugin initialized");

  plugin->flags = DYNEMU_PLUGIN_MUTATES;
  plugin->hooks = DYNEMU_HOOKS_ALL_1_0;
  plugin->on_event = on_event;
  plugin->shutdown = on_shutdown;
  return DYNEMU_OK;
}
