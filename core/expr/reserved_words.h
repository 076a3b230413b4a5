#pragma once

// DynamoDB's reserved words: an attribute name in an expression that is one of
// them must be written through ExpressionAttributeNames.

#include <cstddef>
#include <string_view>

namespace dynemu::expr {

// True when `word` is a DynamoDB reserved word, in any letter case.
bool IsReservedWord(std::string_view word);

// The number of words in the list (573), for tests.
size_t ReservedWordCountForTest();

}  // namespace dynemu::expr
