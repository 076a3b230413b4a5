#pragma once

// Opens plugin shared libraries. The only code that touches Boost.DLL (and so
// the dynamic loader); it knows nothing of what a plugin does beyond the name
// and type of its entry point.

#include <memory>
#include <string>

#include "base/status.h"
#include "dynemu/hooks.h"

namespace dynemu {

// One shared library loaded into the process, with its entry point resolved.
// Unloaded when destroyed: destroy it only after the plugin's shutdown returned
// and no code of the library can run any more. Not thread-safe (start-up only).
class PluginLibrary {
 public:
  // Loads the library at `path` (RTLD_NOW | RTLD_LOCAL, so that an unresolved
  // symbol is reported now, not at the first request) and resolves
  // dynemu_plugin_init. Errors (kInternalServerError; the message names `path`
  // and is one line): the file does not exist; the dynamic loader refused it
  // (its reason: not an ELF file, wrong architecture, a missing dependency or
  // symbol); it does not export dynemu_plugin_init.
  static Result<std::unique_ptr<PluginLibrary>> Open(const std::string& path);

  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::string& path() const { return path_; }
  dynemu_plugin_init_fn entry() const { return entry_; }

 private:
  struct Rep;
  PluginLibrary(std::string path, std::unique_ptr<Rep> rep, dynemu_plugin_init_fn entry);

  std::string path_;
  std::unique_ptr<Rep> rep_;
  dynemu_plugin_init_fn entry_;
};

}  // namespace dynemu
