/*
 * reject_writes: a dynemu plugin in plain C, and a template for writing your own.
 *
 * What it does:
 *   - counts the operations the server runs (by operation name) and the writes
 *     it rejected, and logs the totals into the server's log when the server
 *     stops;
 *   - rejects every write (PutItem, UpdateItem, DeleteItem, ...) whose new item
 *     has a given attribute with a given value, failing the request with the
 *     DynamoDB error of your choice.
 *
 * Load it with a rule (all keys optional except attribute and value):
 *
 *   dynemu --plugin build/plugins/reject_writes.so='table=Orders;attribute=status;value=BLOCKED'
 *
 *   table=NAME        only writes to this table (default: every table)
 *   attribute=NAME    the top-level attribute to look at
 *   value=TEXT        the value that gets a write rejected
 *   type=S|N|BOOL     DynamoDB type of that value (default S; a number as the
 *                     server normalizes it: 5, not 5.0)
 *   error=TYPE        the DynamoDB error to answer, short or full name (default
 *                     ConditionalCheckFailedException); any type of DynamoDB's
 *                     catalog works: ValidationException,
 *                     ProvisionedThroughputExceededException (SDKs retry it), ...
 *   message=TEXT      its message (default: DynamoDB's for that error, or a
 *                     sentence naming the rule)
 *
 * The config string must not contain ';' inside values (it separates keys).
 *
 * Build it in the tree with the CMake function (plugins/examples/CMakeLists.txt),
 * or outside with one line:
 *
 *   cc -std=c99 -shared -fPIC -I hooks-api/include -o reject_writes.so reject_writes.c -lpthread
 *
 * Read hooks-api/README.md and the comments of dynemu/hooks.h for the rules this
 * file follows; the comments below say where each one matters.
 */

/* A plugin includes the hooks header and standard headers, nothing of the
 * server: everything it needs from the server comes through the host table. */
#include <dynemu/hooks.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* The magic block.                                                          */
/* ------------------------------------------------------------------------ */

/* Static and constant: the host reads it right after init returns, even when
 * init refuses, to tell the user who this plugin is and which ABI it needs. We
 * need nothing newer than 1.0, so we ask for 1.0: any 1.x server loads us. */
static const dynemu_plugin_info kInfo = {
    sizeof(dynemu_plugin_info),
    DYNEMU_PLUGIN_MAGIC,
    DYNEMU_ABI_VERSION,   /* built against */
    DYNEMU_ABI(1, 0),     /* needs at least */
    "reject_writes",
    "1.0.0",
};

/* ------------------------------------------------------------------------ */
/* Per-instance state.                                                       */
/* ------------------------------------------------------------------------ */

/* Everything an instance needs lives here, allocated in init and freed in
 * shutdown, never in globals: the same .so may be loaded twice with two
 * configurations (two --plugin flags), and both instances share its globals.
 * The only global is the host table, which is the same for every instance. */

/* The operations we count by name; anything else counts as "other". */
static const char* const kCounted[] = {
    "PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "Scan",
    "BatchWriteItem", "BatchGetItem", "TransactWriteItems", "TransactGetItems",
};
#define COUNTED (sizeof(kCounted) / sizeof(kCounted[0]))

typedef struct state {
  /* The rule, parsed from the config string in init. Read-only afterwards, so
   * callbacks on many threads can read it without a lock. */
  char* table;      /* NULL: any table */
  char* attribute;  /* the attribute to test */
  char* expected;   /* the DynamoDB JSON the attribute must equal, {"S":"BLOCKED"} */
  char* error;      /* the error type */
  char* message;    /* its message */

  /* Counters, written from every worker thread: they need a lock (C99 has no
   * atomics; a C11 plugin could use <stdatomic.h> instead). */
  pthread_mutex_t lock;
  unsigned long long by_operation[COUNTED + 1]; /* last slot: other */
  unsigned long long rejected;
} state;

/* The host table, kept for the functions below. Set in init, before anything
 * can call them. */
static const dynemu_host_api* api;

/* ------------------------------------------------------------------------ */
/* Small helpers.                                                            */
/* ------------------------------------------------------------------------ */

static char* copy_n(const char* s, size_t n) {
  char* out = (char*)malloc(n + 1);
  if (out != NULL) {
    memcpy(out, s, n);
    out[n] = '\0';
  }
  return out;
}

/* Finds `key` in "k1=v1;k2=v2" and returns a malloc'd copy of its value, or NULL. */
static char* config_value(const char* config, const char* key) {
  size_t key_len = strlen(key);
  const char* p = config;
  while (*p != '\0') {
    const char* end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > key_len && strncmp(p, key, key_len) == 0 && p[key_len] == '=') {
      return copy_n(p + key_len + 1, len - key_len - 1);
    }
    p += len;
    if (*p == ';') p++;
  }
  return NULL;
}

/* Skips one JSON string starting at p[0] == '"'; returns the index after it. */
static size_t skip_string(const char* p, size_t i, size_t n) {
  for (i++; i < n; i++) {
    if (p[i] == '\\') {
      i++;
    } else if (p[i] == '"') {
      return i + 1;
    }
  }
  return n;
}

/* Skips the JSON value starting at p[i]; returns the index just after it. */
static size_t skip_value(const char* p, size_t i, size_t n) {
  int depth = 0;
  if (i < n && p[i] == '"') return skip_string(p, i, n);
  if (i < n && (p[i] == '{' || p[i] == '[')) {
    while (i < n) {
      char c = p[i];
      if (c == '"') {
        i = skip_string(p, i, n);
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      i++;
    }
    return n;
  }
  /* A number, true, false or null: up to the next delimiter. */
  while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']') i++;
  return i;
}

/* The value of the top-level member `name` of the JSON object (json, n), as a
 * (pointer, length) slice of it, or NULL. The host renders compact JSON (no
 * spaces), which keeps this scanner short; names with escapes never match. */
static const char* find_member(const char* json, size_t n, const char* name, size_t* len) {
  size_t name_len = strlen(name);
  size_t i = 0;
  if (n == 0 || json[0] != '{') return NULL;
  i = 1;
  while (i < n && json[i] == '"') {
    size_t key_start = i + 1;
    size_t key_end = skip_string(json, i, n); /* after the closing quote */
    size_t value_start = key_end + 1;         /* after the ':' */
    size_t value_end;
    if (value_start >= n) return NULL;
    value_end = skip_value(json, value_start, n);
    if (key_end - 1 - key_start == name_len && memcmp(json + key_start, name, name_len) == 0) {
      *len = value_end - value_start;
      return json + value_start;
    }
    i = value_end;
    if (i < n && json[i] == ',') i++;
  }
  return NULL;
}

static void free_state(state* s) {
  if (s == NULL) return;
  free(s->table);
  free(s->attribute);
  free(s->expected);
  free(s->error);
  free(s->message);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

/* ------------------------------------------------------------------------ */
/* Callbacks.                                                                */
/* ------------------------------------------------------------------------ */

static void count(state* s, const char* op, size_t op_len) {
  size_t i;
  for (i = 0; i < COUNTED; i++) {
    if (strlen(kCounted[i]) == op_len && memcmp(kCounted[i], op, op_len) == 0) break;
  }
  pthread_mutex_lock(&s->lock);
  s->by_operation[i]++; /* i == COUNTED: other */
  pthread_mutex_unlock(&s->lock);
}

/* Called at every point we subscribed to (request.pre and write.pre), on many
 * threads at once. It must be quick and must not block; it returns a verdict. */
static dynemu_verdict on_event(dynemu_host* host, dynemu_event* event) {
  state* s = (state*)api->get_state(host);
  const char* data;
  size_t size;
  const char* value;
  size_t value_len;

  switch (api->event_point(event)) {
    case DYNEMU_HOOK_REQUEST_PRE:
      /* Text fields come as (pointer, size), not NUL-terminated, valid until
       * this callback returns. Operation is always available. */
      api->get_field(event, DYNEMU_FIELD_OPERATION, &data, &size);
      count(s, data, size);
      return DYNEMU_CONTINUE;

    case DYNEMU_HOOK_WRITE_PRE:
      /* Cheap checks first: the table is a plain string the host already has. */
      if (s->table != NULL) {
        api->get_field(event, DYNEMU_FIELD_TABLE, &data, &size);
        if (size != strlen(s->table) || memcmp(data, s->table, size) != 0) return DYNEMU_CONTINUE;
      }
      /* The new image is rendered as DynamoDB JSON only now, because we asked.
       * ABSENT means a delete: nothing to look at. */
      if (api->get_field(event, DYNEMU_FIELD_NEW_IMAGE, &data, &size) != DYNEMU_OK) {
        return DYNEMU_CONTINUE;
      }
      value = find_member(data, size, s->attribute, &value_len);
      if (value == NULL || value_len != strlen(s->expected) ||
          memcmp(value, s->expected, value_len) != 0) {
        return DYNEMU_CONTINUE;
      }
      pthread_mutex_lock(&s->lock);
      s->rejected++;
      pthread_mutex_unlock(&s->lock);
      /* A failure: the error is copied by the host and rendered through the
       * server's error catalog, so the client gets an ordinary DynamoDB error.
       * Nothing is written. */
      api->set_error(event, s->error, s->message);
      return DYNEMU_FAIL;

    default:
      /* A point we did not subscribe to, or one added by a later ABI minor:
       * unknown events mean "continue". */
      return DYNEMU_CONTINUE;
  }
}

/* Called once, on the main thread, after the last event. */
static void on_shutdown(dynemu_host* host) {
  state* s = (state*)api->get_state(host);
  char line[1024];
  size_t used = 0;
  size_t i;
  int n = snprintf(line, sizeof line, "%llu write(s) rejected; operations:", s->rejected);
  if (n > 0) used = (size_t)n;
  for (i = 0; i <= COUNTED && used < sizeof line; i++) {
    if (s->by_operation[i] == 0) continue;
    n = snprintf(line + used, sizeof line - used, " %s=%llu",
                 i < COUNTED ? kCounted[i] : "other", s->by_operation[i]);
    if (n > 0) used += (size_t)n;
  }
  /* Into the server's log, under dynemu.plugin.reject_writes. */
  api->log(host, DYNEMU_LOG_INFO, line);
  free_state(s);
  api->set_state(host, NULL);
}

/* ------------------------------------------------------------------------ */
/* The entry point: the one exported symbol.                                 */
/* ------------------------------------------------------------------------ */

DYNEMU_EXPORT int32_t dynemu_plugin_init(const dynemu_host_api* host_api, dynemu_host* host,
                                         dynemu_plugin* plugin) {
  state* s;
  char* type;
  char* value;
  const char* config;

  /* 1. Say who we are, before anything else. */
  plugin->info = &kInfo;

  /* 2. Negotiate: can this host run us? (The host checks too, and explains.) */
  if (!dynemu_abi_compatible(host_api->abi_version, kInfo.min_abi_version)) {
    return DYNEMU_ERR_VERSION;
  }
  api = host_api;

  /* 3. Read the configuration. A bad one fails start-up with our reason. */
  config = api->config(host);
  s = (state*)calloc(1, sizeof(state));
  if (s == NULL) return DYNEMU_ERR_INIT;
  pthread_mutex_init(&s->lock, NULL);
  s->table = config_value(config, "table");
  s->attribute = config_value(config, "attribute");
  value = config_value(config, "value");
  if (s->attribute == NULL || value == NULL) {
    api->set_init_error(host, "reject_writes needs attribute=NAME;value=TEXT in its config "
                              "(e.g. table=Orders;attribute=status;value=BLOCKED)");
    free(value);
    free_state(s);
    return DYNEMU_ERR_INIT;
  }
  type = config_value(config, "type");
  s->expected = (char*)malloc(strlen(value) + 32);
  if (s->expected != NULL) {
    /* The attribute's DynamoDB JSON as the host renders it. */
    if (type != NULL && strcmp(type, "BOOL") == 0) {
      sprintf(s->expected, "{\"BOOL\":%s}", value);
    } else {
      sprintf(s->expected, "{\"%s\":\"%s\"}", type != NULL ? type : "S", value);
    }
  }
  s->error = config_value(config, "error");
  if (s->error == NULL) s->error = copy_n("ConditionalCheckFailedException", 31);
  s->message = config_value(config, "message");
  if (s->message == NULL) {
    /* DynamoDB's own text for a failed condition; otherwise name the rule. */
    const char* text = strstr(s->error, "ConditionalCheckFailed") != NULL
                           ? "The conditional request failed"
                           : "Rejected by the reject_writes plugin";
    s->message = copy_n(text, strlen(text));
  }
  free(type);
  free(value);
  if (s->expected == NULL || s->error == NULL || s->message == NULL) {
    free_state(s);
    return DYNEMU_ERR_INIT;
  }

  /* 4. Keep the state with the host, and say what we want to be called for. We
   * only read events and fail them, so we do not ask to mutate. */
  api->set_state(host, s);
  plugin->flags = 0;
  plugin->hooks = DYNEMU_HOOK_BIT(DYNEMU_HOOK_REQUEST_PRE) | DYNEMU_HOOK_BIT(DYNEMU_HOOK_WRITE_PRE);
  plugin->on_event = on_event;
  plugin->shutdown = on_shutdown;
  return DYNEMU_OK;
}
