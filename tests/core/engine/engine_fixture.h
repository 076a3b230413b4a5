#pragma once

// The set-up the engine tests share: an Engine on an in-memory Store, with a
// manual clock, a seeded random source and a hook registry a test may fill
// before opening. Index work runs only when a test asks (RunIndexWorkForTesting)
// unless it opens the engine with the background thread.

#include <memory>
#include <optional>
#include <string_view>

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "host/hook_dispatch.h"
#include "storage/store.h"

namespace dynemu {

class EngineFixture : public ::testing::Test {
 protected:
  // Opens the engine, or stops it and opens a new one on the same store (a
  // restart).
  void Reopen(bool background_index_work = false) {
    engine_.reset();
    if (!store_) {
      Store::Options options;
      options.in_memory = true;
      store_ = std::move(Store::Open(options)).value();
    }
    engine_ = std::make_unique<Engine>(env_, *store_, hooks_,
                                       Engine::Options{background_index_work});
    ASSERT_TRUE(engine_->Open().ok());
  }

  // Stores `item` in `table` (a PutItem).
  Result<Engine::WriteResult> PutInto(const TableDescription& table, const Item& item) {
    return engine_->WriteItem(table, engine_->ExtractKey(table, item), "PutItem", "req",
                              [&](const std::optional<Item>&) -> Result<std::optional<Item>> {
                                return std::optional<Item>(item);
                              });
  }

  // Removes the item `key` names from `table` (a DeleteItem).
  Result<Engine::WriteResult> DeleteFrom(const TableDescription& table, const Item& key) {
    return engine_->WriteItem(table, key, "DeleteItem", "req",
                              [](const std::optional<Item>&) -> Result<std::optional<Item>> {
                                return std::optional<Item>();
                              });
  }

  ManualClock clock_;
  Random random_{42};
  Env env_{clock_, random_};
  HookRegistry hooks_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace dynemu
