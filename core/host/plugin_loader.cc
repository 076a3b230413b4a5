#include "host/plugin_loader.h"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

// std::filesystem paths and std::error_code: the core does not have to link
// boost::filesystem for this.
#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

namespace dynemu {

struct PluginLibrary::Rep {
  boost::dll::shared_library library;
};

PluginLibrary::PluginLibrary(std::string path, std::unique_ptr<Rep> rep,
                             dynemu_plugin_init_fn entry)
    : path_(std::move(path)), rep_(std::move(rep)), entry_(entry) {}

PluginLibrary::~PluginLibrary() = default;

namespace {

Status LoadError(const std::string& path, const std::string& reason) {
  return InternalError("cannot load plugin " + path + ": " + reason);
}

// The dynamic loader's own explanation. Boost.DLL turns every dlopen failure into
// "bad file descriptor", but leaves dlerror() untouched after a failed open, and
// it is dlerror() that says what is wrong ("invalid ELF header", "undefined
// symbol: foo", "libbar.so: cannot open shared object file").
std::string LoaderReason(const std::error_code& ec) {
  const char* reason = dlerror();
  if (reason != nullptr && *reason != '\0') return reason;
  return ec.message();
}

}  // namespace

Result<std::unique_ptr<PluginLibrary>> PluginLibrary::Open(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path fs_path(path);
  if (!std::filesystem::exists(fs_path, ec)) {
    return LoadError(path, ec ? ec.message() : "no such file");
  }
  if (std::filesystem::is_directory(fs_path, ec)) return LoadError(path, "is a directory");

  auto rep = std::make_unique<Rep>();
  dlerror();  // clear a stale message
  rep->library.load(fs_path, ec,
                    boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec || !rep->library.is_loaded()) return LoadError(path, LoaderReason(ec));

  if (!rep->library.has(DYNEMU_PLUGIN_INIT_SYMBOL)) {
    return LoadError(path, "it does not export " DYNEMU_PLUGIN_INIT_SYMBOL
                           " (not a dynemu plugin, or the symbol is not extern \"C\" "
                           "and visible)");
  }
  // get<> throws only when the symbol is missing, which has() above ruled out;
  // caught anyway, as every third-party exception is at its call site.
  dynemu_plugin_init_fn entry = nullptr;
  try {
    using InitFunction = int32_t(const dynemu_host_api*, dynemu_host*, dynemu_plugin*);
    entry = &rep->library.get<InitFunction>(DYNEMU_PLUGIN_INIT_SYMBOL);
  } catch (const std::exception& e) {
    return LoadError(path,
                     std::string("cannot resolve " DYNEMU_PLUGIN_INIT_SYMBOL ": ") + e.what());
  }
  return std::unique_ptr<PluginLibrary>(new PluginLibrary(path, std::move(rep), entry));
}

}  // namespace dynemu
