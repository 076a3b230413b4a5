#pragma once

#include <functional>
#include <memory>

#include "pipeline/operation.h"

namespace dynemu {

class Engine;
class Env;
class HookRegistry;
class Scheduler;

// Runs every request through the same stages:
//   [request.pre] -> decode + validate -> execute (write hooks inside) -> encode
//   -> [response.post]
// Thread-safe: many requests run at once on different threads.
class Pipeline {
 public:
  // None of the arguments is owned; all must outlive the Pipeline. `scheduler`
  // may be null, in which case delay verdicts block the calling thread (tests only).
  Pipeline(Engine& engine, Env& env, const HookRegistry& hooks, Scheduler* scheduler);
  ~Pipeline();

  using Done = std::function<void(Response)>;

  // Runs `op` and calls `done` exactly once with the response: before Run returns,
  // or later on a scheduler thread when a hook delays the request. Never throws;
  // an internal fault becomes InternalServerError.
  void Run(Operation op, Done done);

  // Runs `op` to completion on the calling thread.
  Response RunSync(Operation op);

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace dynemu
