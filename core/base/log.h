#pragma once

// The one door to spdlog. Each area of the server has its own logger
// ("dynemu.storage", "dynemu.http", ...); item contents are never logged above debug.

#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

namespace dynemu::log {

// Returns the logger of `area`, creating it on first use. Thread-safe.
std::shared_ptr<spdlog::logger> Get(std::string_view area);

// Sets the level of every logger, present and future: trace, debug, info, warn,
// error, critical or off. Returns false for an unknown level name.
bool SetLevel(std::string_view level);

}  // namespace dynemu::log
