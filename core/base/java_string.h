#pragma once

// DynamoDB's front end is written in Java, and some of what clients see follows
// from Java's String and HashMap: string lengths in constraint messages and in
// the size() function are counted in UTF-16 code units, and a few messages list
// names in the order a java.util.HashMap (or HashSet) iterates them. These
// functions reproduce those, from UTF-8 text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dynemu {

// The length of UTF-8 `s` in UTF-16 code units (Java's String.length()): one per
// code point, two for a code point above U+FFFF.
size_t Utf16Length(std::string_view s);

// Java's String.hashCode() of UTF-8 `s` (computed over its UTF-16 code units; a
// malformed byte counts as U+FFFD, as Java decodes it).
int32_t JavaStringHash(std::string_view s);

// The indexes of `keys` in the order a java.util.HashMap (or HashSet) filled
// with them in this order iterates them: by bucket of the spread hash in a table
// that starts at 16 buckets and doubles past a 3/4 load, then by insertion.
// REQUIRES: the keys are distinct.
std::vector<size_t> JavaHashOrder(const std::vector<std::string_view>& keys);
std::vector<size_t> JavaHashOrder(const std::vector<std::string>& keys);

}  // namespace dynemu
