/*
 * dynemu/hooks.h: the hooks ABI, version 1.0.
 *
 * A dynemu plugin is a shared library that includes only this header (and the
 * C standard library), exports one function, dynemu_plugin_init, and is loaded
 * by the server with `--plugin PATH[=CONFIG]`. Every DynamoDB operation the
 * server runs passes through hook points; a plugin subscribed to a point is
 * called with an event there and answers with a verdict: go on, fail with a
 * DynamoDB error, delay the response, or (for index updates) defer. It reads the
 * event's fields as DynamoDB JSON, rendered only when it asks, and may replace
 * some of them through setters.
 *
 * The contract, once and for all:
 *
 *   Language.  Pure C99 that also compiles as C++. Fixed-width integers only;
 *              enumerations are #defines of int32_t/uint32_t values. No struct is
 *              passed by value. Nothing may unwind across this boundary: no C++
 *              exception and no longjmp may leave a plugin's function (the host
 *              catches what it can, fails the request and logs the plugin's name,
 *              but do not rely on it).
 *
 *   Versions.  DYNEMU_ABI(major, minor). A minor version only appends: functions
 *              at the end of dynemu_host_api, hook points, fields, verdicts,
 *              members at the end of a struct. A major version may break
 *              anything EXCEPT the frozen parts listed below, which let any host
 *              read and refuse any plugin with a clear message. A plugin built
 *              against 1.0 loads, unchanged and not rebuilt, in every 1.x host.
 *
 *   Frozen for every major version: the signature of dynemu_plugin_init; the
 *              first two members of dynemu_host_api (struct_size, abi_version);
 *              the first three members of dynemu_plugin (struct_size, flags,
 *              info); the whole of dynemu_plugin_info; DYNEMU_PLUGIN_MAGIC and
 *              the DYNEMU_ABI() encoding.
 *
 *   Sizes.     Every struct that crosses the boundary starts with uint32_t
 *              struct_size, the size as compiled into whoever filled it. A reader
 *              uses only the members both sides know (DYNEMU_HAS_MEMBER below).
 *              Events are opaque handles read through functions, so they have
 *              no layout to version.
 *
 *   Strings.   Data crosses as (const char* data, size_t size): DynamoDB JSON
 *              for values, plain UTF-8 text for names. Such data is NOT
 *              necessarily NUL-terminated; use the size. Short texts the plugin
 *              hands over (log lines, error types and messages) are
 *              NUL-terminated C strings. Whatever a plugin hands to the host is
 *              copied before the call returns: the plugin keeps ownership and
 *              may free or reuse it at once. Whatever the host hands out lives
 *              for as long as stated next to the function (usually: until the
 *              callback returns); the plugin never frees it.
 *
 *   Threads.   dynemu_plugin_init and dynemu_plugin.shutdown run once each, on
 *              the main thread, while no request is in flight. on_event runs on
 *              the server's worker threads, for many requests at once: it must
 *              be thread-safe and must not block (ask for a delay instead of
 *              sleeping; a blocked callback holds a worker thread and every
 *              request queued behind it). One event is only ever seen by one
 *              thread, and all events of one request (request.pre to
 *              response.post) run on the same thread, one after the other.
 *
 *   Nondeterminism. Take time, randomness and logging from the host table, not
 *              from the C library: the server's clock and seeded random source
 *              are what a replay drives (`--seed`), and host log lines land in
 *              the server's log.
 *
 * See hooks-api/README.md ("Writing a plugin") for a walk-through and a
 * complete minimal plugin.
 */
#ifndef DYNEMU_HOOKS_H_
#define DYNEMU_HOOKS_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                 */
/* ------------------------------------------------------------------------ */

/* The ABI this header describes. */
#define DYNEMU_ABI_MAJOR 1
#define DYNEMU_ABI_MINOR 1

/* A version as one uint32_t: major in the high 16 bits, minor in the low 16. */
#define DYNEMU_ABI(major, minor) \
  ((uint32_t)((((uint32_t)(major)) << 16) | (((uint32_t)(minor)) & 0xffffu)))
#define DYNEMU_ABI_VERSION DYNEMU_ABI(DYNEMU_ABI_MAJOR, DYNEMU_ABI_MINOR)
#define DYNEMU_ABI_MAJOR_OF(version) (((uint32_t)(version)) >> 16)
#define DYNEMU_ABI_MINOR_OF(version) (((uint32_t)(version)) & 0xffffu)

/* Returns 1 when a host speaking `host_abi` can run a plugin that needs at
 * least `min_abi`: same major, and the host's minor is not older. */
static inline int dynemu_abi_compatible(uint32_t host_abi, uint32_t min_abi) {
  return DYNEMU_ABI_MAJOR_OF(host_abi) == DYNEMU_ABI_MAJOR_OF(min_abi) &&
         DYNEMU_ABI_MINOR_OF(host_abi) >= DYNEMU_ABI_MINOR_OF(min_abi);
}

/* 1 when `member` of the struct `*ptr` lies within ptr->struct_size, i.e. the
 * side that filled the struct knows that member. Use it before reading a member
 * added by a later minor version (or writing one, for dynemu_plugin). */
#define DYNEMU_HAS_MEMBER(type, ptr, member) \
  (offsetof(type, member) + sizeof(((type*)0)->member) <= (size_t)(ptr)->struct_size)

/* ------------------------------------------------------------------------ */
/* Export                                                                   */
/* ------------------------------------------------------------------------ */

#if defined(_WIN32)
#define DYNEMU_VISIBLE __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define DYNEMU_VISIBLE __attribute__((visibility("default")))
#else
#define DYNEMU_VISIBLE
#endif

/* Put DYNEMU_EXPORT in front of the definition of dynemu_plugin_init, in C or C++. */
#ifdef __cplusplus
#define DYNEMU_EXPORT extern "C" DYNEMU_VISIBLE
#else
#define DYNEMU_EXPORT DYNEMU_VISIBLE
#endif

/* ------------------------------------------------------------------------ */
/* Return codes of host functions and of dynemu_plugin_init                 */
/* ------------------------------------------------------------------------ */

#define DYNEMU_OK 0
/* get_field: this event has no such value (no old image: the item did not
 * exist; no error type: the operation succeeded). Not an error. */
#define DYNEMU_ABSENT 1
/* The field or setter does not exist at this hook point, or the field id is
 * unknown to this host (a plugin must treat it like DYNEMU_ABSENT). */
#define DYNEMU_ERR_UNAVAILABLE (-1)
/* A bad argument: malformed JSON, an item that is not an item, a negative
 * delay, a NULL pointer. The event is unchanged. */
#define DYNEMU_ERR_INVALID (-2)
/* A setter called by a plugin that did not declare DYNEMU_PLUGIN_MUTATES. */
#define DYNEMU_ERR_DENIED (-3)
/* dynemu_plugin_init: the host's ABI is not one this plugin can use. */
#define DYNEMU_ERR_VERSION (-4)
/* dynemu_plugin_init: any other failure (bad configuration, a file that cannot
 * be opened, ...). Say why with api->set_init_error. Any other non-zero value
 * returned by init means the same. */
#define DYNEMU_ERR_INIT (-5)

/* ------------------------------------------------------------------------ */
/* Hook points                                                              */
/* ------------------------------------------------------------------------ */

/* A hook point is a small integer; a plugin subscribes with a bit mask of
 * DYNEMU_HOOK_BIT(point). "Pre" points run in load order (the order of the
 * --plugin flags), "post" points in reverse (an onion: the first plugin loaded
 * sees the request first and the response last). */
typedef uint32_t dynemu_hook_point;

/* The request as received, before it is decoded or validated. Operation and
 * request id are known; the request body may be replaced (DYNEMU_FIELD_REQUEST).
 * Fires for every request, including ones that will fail validation and
 * unknown operations (operation ""). */
#define DYNEMU_HOOK_REQUEST_PRE 0u
/* The response about to be sent: a success or a DynamoDB error, of every
 * request that reached request.pre (also one that a plugin failed). The body may
 * be replaced (DYNEMU_FIELD_RESPONSE), or failed into a different error. */
#define DYNEMU_HOOK_RESPONSE_POST 1u
/* One item about to be written (PutItem, UpdateItem, DeleteItem, and each item
 * of a batch or transaction), after the operation's conditions passed, with
 * the item locked. The new image may be replaced (DYNEMU_FIELD_NEW_IMAGE); it
 * must keep the same key. A failure writes nothing. */
#define DYNEMU_HOOK_WRITE_PRE 2u
/* The same item, committed. Read-only. A failure changes only the answer: the
 * write has happened. */
#define DYNEMU_HOOK_WRITE_POST 3u
/* One secondary-index entry about to change because of a base-table write
 * (a put, a removal, or a move when the item's index key changed; a write that
 * leaves the entry as it was fires nothing). May answer DYNEMU_DEFER to let a
 * global index lag: the entry is applied later, in order with the index's other
 * changes, by a queue the server owns (deferred entries live in memory: a
 * graceful stop applies those still waiting, a crash loses them). Local
 * secondary indexes never lag: a DEFER for one is applied at once. A FAIL
 * stops the whole write. */
#define DYNEMU_HOOK_INDEX_PRE 4u
/* That index entry, applied (now, or later when it was deferred; a deferred
 * one fires on a server thread with an empty request id and its verdict is
 * ignored). Read-only. */
#define DYNEMU_HOOK_INDEX_POST 5u
/* A transaction before its conditions are checked. Fires once transactions
 * exist, as do the three points below. */
#define DYNEMU_HOOK_TXN_VALIDATE_PRE 6u
/* A transaction after its conditions were checked (the response field then
 * holds the cancellation, if any). A failure cancels it. */
#define DYNEMU_HOOK_TXN_VALIDATE_POST 7u
/* A validated transaction about to commit. A failure cancels it. */
#define DYNEMU_HOOK_TXN_COMMIT_PRE 8u
/* A committed transaction. Read-only. */
#define DYNEMU_HOOK_TXN_COMMIT_POST 9u
/* The number of hook points in ABI 1.0. Later minors append points. */
#define DYNEMU_HOOK_COUNT_1_0 10u

#define DYNEMU_HOOK_BIT(point) (((uint32_t)1u) << (point))
/* Every hook point of ABI 1.0. */
#define DYNEMU_HOOKS_ALL_1_0 ((uint32_t)0x3ffu)

/* ------------------------------------------------------------------------ */
/* Verdicts                                                                 */
/* ------------------------------------------------------------------------ */

/* What on_event returns. Any value not listed here is a plugin bug: the host
 * answers the request with InternalServerError and logs the plugin's name. */
typedef int32_t dynemu_verdict;

/* Go on: the next plugin, then the operation. Setters called during the
 * callback (replacements) take effect. */
#define DYNEMU_CONTINUE 0
/* Stop: the request is answered with the DynamoDB error set by api->set_error
 * (rendered by the server's own error catalog, so the client sees an ordinary
 * DynamoDB error). Without a set_error call, or with an error type the server
 * does not know, the answer is InternalServerError and the server logs why. */
#define DYNEMU_FAIL 1
/* Go on, but hold the response back by the milliseconds given to
 * api->set_delay (required). No thread is blocked while the response waits.
 * Delays of several plugins and points add up. */
#define DYNEMU_DELAY 2
/* index.pre only: apply this index entry later, after api->set_defer's
 * milliseconds (0: as soon as the host gets to it). Elsewhere it is invalid. */
#define DYNEMU_DEFER 3

/* ------------------------------------------------------------------------ */
/* Event fields                                                             */
/* ------------------------------------------------------------------------ */

/* Field ids for get_field and set_field. "JSON" fields are DynamoDB JSON (the
 * wire format: {"id":{"S":"k1"}}); "text" fields are plain UTF-8. A field is
 * rendered the first time a plugin asks for it during a callback; a plugin that
 * asks for nothing causes no copying or rendering at all. */
typedef uint32_t dynemu_field;

/* text: the operation, "PutItem". Every point. "" when the X-Amz-Target header
 * named no known operation. */
#define DYNEMU_FIELD_OPERATION 0u
/* text: the table. write.*, index.*: the table written. request.pre,
 * response.post: the TableName of the request (ABSENT when it has none, e.g.
 * ListTables, or the body is not JSON). */
#define DYNEMU_FIELD_TABLE 1u
/* JSON: the request body. request.pre (settable: replaces the body before it is
 * decoded; the replacement is parsed and validated like any request),
 * response.post, txn.* (the body as executed). */
#define DYNEMU_FIELD_REQUEST 2u
/* JSON: the response body. response.post: the success body, or the error body
 * ({"__type":...,"message":...}) (settable: replaces the body sent, the HTTP
 * status is kept). txn.validate.post: the cancellation as an error body, ABSENT
 * when the conditions passed. */
#define DYNEMU_FIELD_RESPONSE 3u
/* text: the short DynamoDB error type of a failed response,
 * "ConditionalCheckFailedException". response.post (ABSENT on success). */
#define DYNEMU_FIELD_ERROR_TYPE 4u
/* JSON: the primary key. write.*, index.*: of the item written. request.pre,
 * response.post: the request's "Key" member (ABSENT when it has none). */
#define DYNEMU_FIELD_KEY 5u
/* JSON: the item before the write (write.*), or the index entry before the
 * change (index.*). ABSENT when there was none. */
#define DYNEMU_FIELD_OLD_IMAGE 6u
/* JSON: the item after the write (write.*; settable at write.pre: the host
 * decodes it as an Item and, when it is not a valid item of the table under the
 * same key, fails the request with InternalServerError), or the index entry
 * after the change (index.*). ABSENT for a delete. */
#define DYNEMU_FIELD_NEW_IMAGE 7u
/* text: the index name. index.* only. */
#define DYNEMU_FIELD_INDEX_NAME 8u
/* JSON: the transaction's actions, the TransactItems array of the request.
 * txn.* only. */
#define DYNEMU_FIELD_TRANSACTION 9u
/* JSON: when this request passed the hook points so far, by the server's
 * clocks: {"start_ms":<wall-clock ms of the first point>,"elapsed_us":<us since
 * then>,"points_us":{"request.pre":0,"write.pre":412,...}}. Each point is the
 * first time it fired for this request, in microseconds since the first point
 * any plugin subscribed to (request.pre when one did). Every point. */
#define DYNEMU_FIELD_TIMINGS 10u
/* text: the request id sent back as x-amzn-RequestId. Every point ("" for
 * writes made outside a request). */
#define DYNEMU_FIELD_REQUEST_ID 11u
/* text: the HTTP status of the response, in decimal ("200", "400"). response.post. */
#define DYNEMU_FIELD_HTTP_STATUS 12u

/* ------------------------------------------------------------------------ */
/* Log levels                                                               */
/* ------------------------------------------------------------------------ */

#define DYNEMU_LOG_TRACE 0
#define DYNEMU_LOG_DEBUG 1
#define DYNEMU_LOG_INFO 2
#define DYNEMU_LOG_WARN 3
#define DYNEMU_LOG_ERROR 4

/* ------------------------------------------------------------------------ */
/* Handles                                                                  */
/* ------------------------------------------------------------------------ */

/* One loaded plugin instance, as the host sees it. Created by the host before
 * dynemu_plugin_init and valid until shutdown returns. A library loaded twice
 * (two --plugin flags) gets two hosts: keep per-instance data in the state
 * (api->set_state), not in globals. */
typedef struct dynemu_host dynemu_host;

/* One event at one hook point. Valid only during the on_event call it is passed
 * to; never keep it. Only the thread running the callback may use it. */
typedef struct dynemu_event dynemu_event;

/* ------------------------------------------------------------------------ */
/* The magic block                                                          */
/* ------------------------------------------------------------------------ */

/* "DYNP" */
#define DYNEMU_PLUGIN_MAGIC ((uint32_t)0x504e5944u)

/* Who the plugin is and what it needs. Static, constant data of the plugin
 * (it must live until the library is unloaded). Frozen: this layout never
 * changes, in any major version. */
typedef struct dynemu_plugin_info {
  uint32_t struct_size;     /* sizeof(dynemu_plugin_info) */
  uint32_t magic;           /* DYNEMU_PLUGIN_MAGIC */
  uint32_t abi_version;     /* the header it was built against: DYNEMU_ABI_VERSION */
  uint32_t min_abi_version; /* the oldest host ABI it runs on. The host refuses
                             * the plugin, naming both versions, when its major
                             * differs or the host's minor is older. */
  const char* name;         /* short identifier, "trace"; used in log lines */
  const char* version;      /* the plugin's own version, "1.2.0" */
} dynemu_plugin_info;

/* ------------------------------------------------------------------------ */
/* The plugin's answer to init                                              */
/* ------------------------------------------------------------------------ */

/* Flags of dynemu_plugin.flags. */
/* The plugin may call setters (set_field). Without it, setters return
 * DYNEMU_ERR_DENIED and the host may skip preparing mutable copies for it. */
#define DYNEMU_PLUGIN_MUTATES ((uint32_t)1u)

/* Filled by the plugin in dynemu_plugin_init. The host allocates it, zeroes it
 * and sets struct_size to the size it knows; the plugin writes only the members
 * inside that size (DYNEMU_HAS_MEMBER) and keeps no pointer to it. */
typedef struct dynemu_plugin {
  uint32_t struct_size;           /* host: sizeof(dynemu_plugin) as the host knows it */
  uint32_t flags;                 /* plugin: DYNEMU_PLUGIN_* flags */
  const dynemu_plugin_info* info; /* plugin: its magic block. Required, and set
                                   * first: the host reads it even when init
                                   * fails, to explain a version refusal. */
  /* ---- ABI 1.0 ---- */
  uint32_t hooks;                 /* plugin: DYNEMU_HOOK_BIT()s of the points to call */
  uint32_t reserved;              /* zero */
  /* Called at each subscribed point. Thread-safe, non-blocking (see Threads
   * above). Returns a verdict. `event` is valid only during the call. */
  dynemu_verdict (*on_event)(dynemu_host* host, dynemu_event* event);
  /* Called once when the server stops (after the last event), or when start-up
   * fails after this plugin's init succeeded. Frees the state. May be NULL. */
  void (*shutdown)(dynemu_host* host);
} dynemu_plugin;

/* ------------------------------------------------------------------------ */
/* The host's function table                                                */
/* ------------------------------------------------------------------------ */

/* Everything a plugin may ask of the host. One table for the whole process,
 * valid from dynemu_plugin_init until shutdown returns; the plugin may keep the
 * pointer. It only grows: members are appended, in sections marked with the
 * minor version that added them; a plugin that needs a later member either
 * states that minor as its min_abi_version or checks
 * DYNEMU_HAS_MEMBER(dynemu_host_api, api, member) first. Every function is
 * thread-safe unless stated otherwise, and never NULL within struct_size. */
typedef struct dynemu_host_api {
  uint32_t struct_size; /* sizeof(dynemu_host_api) as compiled into the host */
  uint32_t abi_version; /* the highest ABI the host speaks, DYNEMU_ABI(1, 1) */

  /* ---- ABI 1.0: the plugin instance ---- */

  /* The CONFIG part of --plugin PATH=CONFIG, NUL-terminated; "" when none.
   * Owned by the host, valid until shutdown returns. */
  const char* (*config)(const dynemu_host* host);
  /* The plugin's state: any pointer the plugin likes, NULL until set. The host
   * never dereferences or frees it. Set it in init (the host does not
   * synchronize later changes with running callbacks). */
  void* (*get_state)(const dynemu_host* host);
  void (*set_state)(dynemu_host* host, void* state);
  /* During init only: the reason init is about to fail, printed by the server
   * in the one line that stops start-up. Copied. */
  void (*set_init_error)(dynemu_host* host, const char* message);

  /* ---- ABI 1.0: services ---- */

  /* The server's wall clock, milliseconds since the Unix epoch. */
  int64_t (*now_millis)(const dynemu_host* host);
  /* A monotonic clock in nanoseconds, for durations only. */
  int64_t (*monotonic_nanos)(const dynemu_host* host);
  /* The server's seeded random source (--seed): 64 uniform bits. */
  uint64_t (*random_u64)(dynemu_host* host);
  /* Uniform in [0, n); 0 when n is 0. */
  uint64_t (*random_uniform)(dynemu_host* host, uint64_t n);
  /* One line in the server's log (logger "dynemu.plugin.<name>"), at a
   * DYNEMU_LOG_* level. `message` is NUL-terminated and copied. */
  void (*log)(dynemu_host* host, int32_t level, const char* message);

  /* ---- ABI 1.0: events (each valid only during the callback) ---- */

  /* The DYNEMU_HOOK_* point of `event`. */
  dynemu_hook_point (*event_point)(const dynemu_event* event);
  /* Sets *data and *size to the field's value (see DYNEMU_FIELD_*), rendered on
   * the first request and kept until the callback returns; the host owns it.
   * Returns DYNEMU_OK, DYNEMU_ABSENT (*data = "", *size = 0) or
   * DYNEMU_ERR_UNAVAILABLE (not at this point / unknown field). */
  int32_t (*get_field)(dynemu_event* event, dynemu_field field, const char** data,
                       size_t* size);
  /* Replaces a settable field (REQUEST at request.pre, NEW_IMAGE at write.pre,
   * RESPONSE at response.post) with a copy of (data, size). Later plugins and
   * the operation see the replacement. Returns DYNEMU_OK, DYNEMU_ERR_UNAVAILABLE
   * (not settable here), DYNEMU_ERR_INVALID (NEW_IMAGE that is not a DynamoDB
   * JSON item; nothing changed) or DYNEMU_ERR_DENIED (no DYNEMU_PLUGIN_MUTATES). */
  int32_t (*set_field)(dynemu_event* event, dynemu_field field, const char* data, size_t size);
  /* The error of a DYNEMU_FAIL verdict: a DynamoDB error type, short
   * ("ProvisionedThroughputExceededException") or full
   * ("com.amazonaws.dynamodb.v20120810#...") and its message (NULL: none). Both
   * copied. The last call wins. Returns DYNEMU_ERR_INVALID for a NULL type; an
   * unknown type is accepted here but answered as InternalServerError (and
   * logged) if the plugin then fails the request. */
  int32_t (*set_error)(dynemu_event* event, const char* error_type, const char* message);
  /* With a TransactionCanceledException error: the CancellationReasons array,
   * as JSON ([{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"..."}]),
   * copied into the error body. Returns DYNEMU_ERR_INVALID when it is not a JSON
   * array. */
  int32_t (*set_cancellation_reasons)(dynemu_event* event, const char* json, size_t size);
  /* The milliseconds of a DYNEMU_DELAY verdict, 0 to 600000. Returns
   * DYNEMU_ERR_INVALID outside that range. */
  int32_t (*set_delay)(dynemu_event* event, int64_t millis);
  /* The milliseconds of a DYNEMU_DEFER verdict (index.pre), 0 to 600000. */
  int32_t (*set_defer)(dynemu_event* event, int64_t millis);
  /* A per-plugin, per-request slot: what this plugin stored with
   * set_request_data at an earlier point of the same request (NULL at first).
   * The host forgets the pointer when the request ends and never frees it; free
   * what it points to at response.post. */
  void* (*get_request_data)(const dynemu_event* event);
  void (*set_request_data)(dynemu_event* event, void* data);

  /* ---- ABI 1.1: lagging indexes on demand ---- */

  /* Applies every deferred secondary-index change (DYNEMU_DEFER at index.pre)
   * now, due or not, in the order they were made, on the calling thread, and
   * returns how many were applied: an index that lagged catches up at once. Any
   * thread, any callback (it takes no item lock); 0 before the server serves.
   * index.post fires for each applied change. */
  int64_t (*apply_deferred_index_changes)(dynemu_host* host);
  /* How many deferred index changes wait to be applied. */
  int64_t (*pending_index_changes)(const dynemu_host* host);
} dynemu_host_api;

/* ------------------------------------------------------------------------ */
/* The entry point                                                          */
/* ------------------------------------------------------------------------ */

/* The one symbol a plugin exports. The host calls it once, on the main thread,
 * before serving.
 *
 *   api     the host's table (see above); valid until shutdown returns.
 *   host    this plugin instance's handle; valid until shutdown returns.
 *   plugin  to fill: first `info` (always, even when refusing), then flags,
 *           hooks, on_event, shutdown.
 *
 * Negotiation: the host offers api->abi_version, the highest ABI it speaks. A
 * plugin that cannot use it (dynemu_abi_compatible(api->abi_version,
 * info.min_abi_version) is 0) returns DYNEMU_ERR_VERSION; the host refuses any
 * plugin whose info says so anyway, with a message naming both versions.
 * Returns DYNEMU_OK, or a non-zero code after api->set_init_error: start-up
 * stops with one line naming the plugin and the reason, and shutdown is not
 * called (free what init allocated before failing). */
typedef int32_t (*dynemu_plugin_init_fn)(const dynemu_host_api* api, dynemu_host* host,
                                         dynemu_plugin* plugin);
#define DYNEMU_PLUGIN_INIT_SYMBOL "dynemu_plugin_init"

DYNEMU_VISIBLE int32_t dynemu_plugin_init(const dynemu_host_api* api, dynemu_host* host,
                                          dynemu_plugin* plugin);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DYNEMU_HOOKS_H_ */
