#include "base/log.h"

#include <mutex>
#include <string>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace dynemu::log {
namespace {

std::mutex& Mutex() {
  static std::mutex mu;
  return mu;
}

spdlog::level::level_enum& Level() {
  static spdlog::level::level_enum level = spdlog::level::info;
  return level;
}

}  // namespace

std::shared_ptr<spdlog::logger> Get(std::string_view area) {
  std::string name = "dynemu." + std::string(area);
  std::lock_guard<std::mutex> lock(Mutex());
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = spdlog::stderr_color_mt(name);
  logger->set_level(Level());
  return logger;
}

bool SetLevel(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") return false;
  std::lock_guard<std::mutex> lock(Mutex());
  Level() = parsed;
  spdlog::set_level(parsed);
  return true;
}

}  // namespace dynemu::log
