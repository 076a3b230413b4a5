#include "expr/reserved_words.h"

#include <gtest/gtest.h>

namespace dynemu::expr {
namespace {

TEST(ReservedWords, TheWholeDocumentedList) { EXPECT_EQ(ReservedWordCountForTest(), 573u); }

TEST(ReservedWords, AnyCase) {
  for (const char* w :
       {"ABORT",  "abort", "AbOrT",   "status", "NAME",  "data",        "ttl",  "Year",
        "zone",   "size",  "COUNT",   "items",  "value", "key",         "type", "FLATTERN",
        "inNter", "loged", "between", "and",    "set",   "SQLEXCEPTION"}) {
    EXPECT_TRUE(IsReservedWord(w)) << w;
  }
}

TEST(ReservedWords, OthersAreNot) {
  for (const char* w :
       {"", "a", "abort_", "statuses", "myStatus", "Artist", "pk", "sk", "x1", "FLATTEN", "INNER_",
        "CORRESPONDINGS", "verylongidentifiername", "remove"}) {
    EXPECT_FALSE(IsReservedWord(w)) << w;
  }
}

}  // namespace
}  // namespace dynemu::expr
