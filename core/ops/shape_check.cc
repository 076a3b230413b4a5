#include "ops/shape_check.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "base/java_string.h"
#include "value/base64.h"

// The texts and the order of both layers follow dynalite (validations/index.js
// checkTypes/checkValidations and the per-operation files), whose messages were
// taken from the live service, generalised to every shape of the model:
//
// - A structure, list or map that is a member of a structure is a "field"; one
//   that is a list element or a map value is a "value". They differ in Coral's
//   text for a scalar where they expected a container: "Unexpected field type"
//   for a field; "Unexpected value type in payload" for a structure value; the
//   ClassCastException text of a generic parameter (kCastMessage) for a list or
//   map value (BatchWriteItem's RequestItems values, BatchGetItem's Keys).
// - Members are checked in the service's order (the generator's MEMBER_ORDER),
//   depth first; the first type error answers. Constraint errors are collected in
//   the same walk: for each member "must not be null", pattern, enum, minimum,
//   maximum, map keys, map values, then its children; at most 10.
// - Paths are lowerFirst(member) joined by '.', a list element adds ".N.member"
//   (1-based) and a map entry ".<key>.member". The constraints of a map's keys,
//   and of its values when they are strings or lists, are reported on the map:
//   "Map keys must satisfy constraint: [max, min, pattern]", once per bad entry.
// - "Value '...'" shows the value after type conversion as dynalite's valueStr
//   does: strings raw, numbers as JavaScript prints them (integers rounded down),
//   lists as "[a, b]", structures and maps as JSON with unknown members and nulls
//   dropped and members in validation order.
//
// Deliberate differences from dynalite, each because the live service answers
// differently or dynalite is out of date:
// - DescribeTable, DeleteTable, UpdateTable, CreateTable and DescribeTimeToLive
//   answer a missing or badly sized TableName with the generic messages ("Value
//   null at 'tableName' failed to satisfy constraint: Member must not be null",
//   "...Member must have length greater than or equal to 3"), as DynamoDB does
//   today, not dynalite's "The parameter 'TableName' is required but was not
//   present in the request" / "TableName must be at least 3 characters long and
//   at most 255 characters long".
// - A table ARN is accepted wherever the model takes TableArn (it is held to
//   1..1024 characters); only a plain table name must match [a-zA-Z0-9_.-]+ and
//   be 3..255 characters long.
// - A body that is not a JSON object is refused as Coral refuses it (see the
//   header); dynalite reads an array or a scalar as {} and crashes on null.
// - Constraints dynalite does not know but the model has are checked: KeyType's
//   enum in index key schemas, AttributeAction, Segment/TotalSegments maxima,
//   NonKeyAttributes and key attribute name lengths, tag keys and values (required,
//   limited in length),
//   attribute name lengths (65535), RequestItems' table count (100 for
//   BatchGetItem, 25 for BatchWriteItem). Index ProvisionedThroughput in
//   UpdateTable's Create/Update is optional, as for on-demand tables.
// - Members of maps are visited in document order (JavaScript visits keys that
//   look like array indices first), and at most 10 errors are ever reported
//   (dynalite can exceed 10 with many bad map keys).
// - A structure member given twice is read from its first occurrence, as every
//   decoder after this one reads it (json::FindMember); JavaScript keeps the last.
// - A null list element or map value is skipped by the constraint layer, as in
//   dynalite, also for "Map value must satisfy constraint" (dynalite reports it).
// - The string "null" is shown quoted ('null'); dynalite prints it bare, like a
//   missing value.
// - Timestamps are not in dynalite: their texts extrapolate Coral's for numbers
//   ("STRING_VALUE cannot be converted to Date", "...class java.util.Date").

namespace dynemu {
namespace {

enum class ShapeType : uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kBlob,
  kDouble,
  kTimestamp,
};

struct ModelMember {
  const char* name;
  const char* path_name;  // lowerFirst(name)
  int16_t shape;
  bool required;
};

struct RegexRange {
  uint32_t lo;
  uint32_t hi;
};

// A Thompson NFA state: kind 0 consumes a code point in its ranges and goes to
// out1; kind 1 goes to out1 and out2 without consuming; kind 2 accepts.
struct RegexState {
  uint8_t kind;
  int16_t out1;
  int16_t out2;
  uint16_t range_begin;
  uint16_t range_count;
};

struct ModelPattern {
  const char* text;
  int16_t start;
};

struct ModelShape {
  const char* name;
  ShapeType type;
  bool has_min;
  bool has_max;
  int64_t min;  // length for strings, lists and maps; value for numbers
  int64_t max;
  int16_t pattern;  // index into kPatterns, or -1
  uint16_t enum_begin;
  uint16_t enum_count;
  uint16_t member_begin;
  uint16_t member_count;
  int16_t element;    // list member or map value shape, or -1
  int16_t key;        // map key shape, or -1
  int16_t name_form;  // shape that holds a value not starting with "arn:", or -1
  bool constrained;   // this shape or one inside it has a constraint
  const char* java_type;
};

struct ModelOperation {
  const char* name;
  int16_t input;
};

#include "ops/service_model.inc"

// ---------------------------------------------------------------------------
// Member lookup
//
// Every check walks a request object's members once and looks each name up in
// its structure, rather than searching the object for each member of the model:
// an AttributeValue has ten members and holds one, and most structures are
// sparse in a request (perf: looking up every model member was 13-15% of a
// GetItem's or PutItem's instructions).

// The most members a structure of the model has; a structure's members fit in
// one StructureMembers (bitmask of 64).
constexpr int MaxStructureMembers() {
  int most = 0;
  for (const ModelShape& shape : kShapes) {
    if (shape.type == ShapeType::kStructure && shape.member_count > most) {
      most = shape.member_count;
    }
  }
  return most;
}
constexpr int kMaxStructureMembers = MaxStructureMembers();
static_assert(kMaxStructureMembers <= 64, "StructureMembers holds a 64-bit mask");

// Name order of the lookup: by length, then first byte, then the rest, so most
// probes end without a call to memcmp (the names of an AttributeValue's types
// have one or two bytes).
constexpr bool NameBefore(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  if (a.empty()) return false;
  const auto a0 = static_cast<unsigned char>(a[0]);
  const auto b0 = static_cast<unsigned char>(b[0]);
  if (a0 != b0) return a0 < b0;
  return a.substr(1) < b.substr(1);
}

struct MemberKey {
  std::string_view name;
  uint8_t index;  // the member's position in its structure (validation order)
};

// For each structure, its members' names in NameBefore order, at the same
// positions as the members in kMembers (the generator gives each structure its
// own run of kMembers).
constexpr auto BuildMemberKeys() {
  std::array<MemberKey, std::size(kMembers)> keys{};
  for (const ModelShape& shape : kShapes) {
    if (shape.type != ShapeType::kStructure) continue;
    MemberKey* run = keys.data() + shape.member_begin;
    for (int i = 0; i < shape.member_count; i++) {
      MemberKey key{kMembers[shape.member_begin + i].name, static_cast<uint8_t>(i)};
      int j = i;
      for (; j > 0 && NameBefore(key.name, run[j - 1].name); j--) run[j] = run[j - 1];
      run[j] = key;
    }
  }
  return keys;
}
constexpr auto kMemberKeys = BuildMemberKeys();

// The position of member `name` in structure `shape`, or -1 when it has none.
int FindModelMember(const ModelShape& shape, std::string_view name) {
  const MemberKey* keys = kMemberKeys.data() + shape.member_begin;
  int lo = 0;
  int hi = shape.member_count;
  while (lo < hi) {
    const int mid = (lo + hi) >> 1;
    if (NameBefore(keys[mid].name, name)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < shape.member_count && !NameBefore(name, keys[lo].name)) return keys[lo].index;
  return -1;
}

// The members of one request object that its structure knows, each from its
// first occurrence (as json::FindMember reads it), by position in the structure.
class StructureMembers {
 public:
  // REQUIRES: shape is a structure; v.IsObject().
  StructureMembers(const ModelShape& shape, const json::Value& v) {
    const uint64_t all = shape.member_count == 64 ? ~uint64_t{0}
                                                  : (uint64_t{1} << shape.member_count) - 1;
    for (auto it = v.MemberBegin(); it != v.MemberEnd() && present_ != all; ++it) {
      int i = FindModelMember(shape, json::AsStringView(it->name));
      if (i < 0) continue;
      const uint64_t bit = uint64_t{1} << i;
      if ((present_ & bit) != 0) continue;  // a repeated name: the first one counts
      present_ |= bit;
      if (!it->value.IsNull()) {
        given_ |= bit;
        value_[i] = &it->value;
      }
    }
  }

  // Member `i` of the structure, or nullptr when absent or JSON null.
  const json::Value* Get(int i) const { return (given_ >> i & 1) != 0 ? value_[i] : nullptr; }

  // Bit i is set when member i is given (present and not JSON null). Visiting the
  // set bits from the lowest visits the members in structure order:
  //   for (uint64_t b = Given(); b != 0; b &= b - 1) Get(LowestBit(b));
  uint64_t Given() const { return given_; }
  static int LowestBit(uint64_t bits) { return __builtin_ctzll(bits); }

 private:
  uint64_t present_ = 0;                            // occurs, maybe as null
  uint64_t given_ = 0;                              // occurs, not null
  const json::Value* value_[kMaxStructureMembers];  // valid where given_ has the bit
};

// Per structure, the members the constraint layer looks at: bit i of required
// when member i is required, of checked when it is required or constrained.
struct MemberMasks {
  uint64_t required;
  uint64_t checked;
};

constexpr auto BuildMemberMasks() {
  std::array<MemberMasks, std::size(kShapes)> masks{};
  for (size_t s = 0; s < std::size(kShapes); s++) {
    const ModelShape& shape = kShapes[s];
    if (shape.type != ShapeType::kStructure) continue;
    for (int i = 0; i < shape.member_count; i++) {
      const ModelMember& member = kMembers[shape.member_begin + i];
      const uint64_t bit = uint64_t{1} << i;
      if (member.required) masks[s].required |= bit;
      if (member.required || kShapes[member.shape].constrained) masks[s].checked |= bit;
    }
  }
  return masks;
}
constexpr auto kMemberMasks = BuildMemberMasks();

constexpr size_t kMaxErrors = 10;
// Containers nest at most json::kMaxDepth deep in a parsed request; a Value built
// another way is cut off here rather than allowed to recurse without bound.
constexpr int kMaxWalkDepth = json::kMaxDepth + 1;

constexpr const char* kCastMessage =
    "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to "
    "class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and "
    "java.lang.Class are in module java.base of loader 'bootstrap')";
constexpr const char* kStartOfStructure = "Start of structure or map found where not expected";

const ModelShape& ShapeAt(int index) { return kShapes[index]; }

const ModelOperation* FindModelOperation(std::string_view name) {
  const ModelOperation* begin = std::begin(kOperations);
  const ModelOperation* end = std::end(kOperations);
  const ModelOperation* it = std::lower_bound(
      begin, end, name,
      [](const ModelOperation& op, std::string_view n) { return std::string_view(op.name) < n; });
  if (it == end || std::string_view(it->name) != name) return nullptr;
  return it;
}

bool IsIntegral(ShapeType t) { return t == ShapeType::kInteger || t == ShapeType::kLong; }

// ---------------------------------------------------------------------------
// Text helpers


// Decodes the UTF-8 code point at s[*i] and advances *i. The parser has
// validated the encoding; a malformed byte still decodes (as U+FFFD).
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[(*i)++]);
  int extra = c < 0x80 ? 0 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
  if (extra < 0) return 0xFFFD;
  uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 0; k < extra; k++) {
    if (*i >= s.size() || (static_cast<unsigned char>(s[*i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[(*i)++]) & 0x3F);
  }
  return cp;
}

bool InRanges(const RegexState& st, uint32_t cp) {
  for (int r = 0; r < st.range_count; r++) {
    const RegexRange& range = kRegexRanges[st.range_begin + r];
    if (cp >= range.lo && cp <= range.hi) return true;
  }
  return false;
}

// A set of NFA states, added to at most once each between Clear() calls; fixed
// storage, as every request's names go through here.
class StateSet {
 public:
  static constexpr size_t kCapacity = std::size(kRegexStates);
  void Clear() {
    size_ = 0;
    member_.reset();
  }
  bool Insert(int st) {
    if (member_.test(static_cast<size_t>(st))) return false;
    member_.set(static_cast<size_t>(st));
    states_[size_++] = static_cast<int16_t>(st);
    return true;
  }
  // The same states, in any order.
  bool SameStates(const StateSet& other) const { return member_ == other.member_; }
  const int16_t* begin() const { return states_.data(); }
  const int16_t* end() const { return states_.data() + size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::bitset<kCapacity> member_;
  std::array<int16_t, kCapacity> states_;
  size_t size_ = 0;
};

// Adds to `set` the states reachable from `start` without consuming input; only
// the consuming and accepting ones are kept. Each state enters `seen` once, and
// a split state pushes two, so the stack holds at most twice the states.
void AddClosure(StateSet* seen, StateSet* set, int start) {
  std::array<int16_t, 2 * StateSet::kCapacity + 1> stack;
  size_t depth = 0;
  stack[depth++] = static_cast<int16_t>(start);
  while (depth > 0) {
    const int st = stack[--depth];
    if (!seen->Insert(st)) continue;
    const RegexState& state = kRegexStates[st];
    if (state.kind == 1) {
      stack[depth++] = state.out2;
      stack[depth++] = state.out1;
    } else {
      set->Insert(st);
    }
  }
}

// Replaces *to with the states `from` goes to on code point `cp` (`seen` is
// scratch).
void Step(const StateSet& from, uint32_t cp, StateSet* seen, StateSet* to) {
  seen->Clear();
  to->Clear();
  for (int st : from) {
    const RegexState& state = kRegexStates[st];
    if (state.kind == 0 && InRanges(state, cp)) AddClosure(seen, to, state.out1);
  }
}

bool Accepts(const StateSet& set) {
  return std::any_of(set.begin(), set.end(), [](int st) { return kRegexStates[st].kind == 2; });
}

// Java's Matcher.matches(): the whole string. Simulates the NFA over all its
// states at once, so the time is linear in the input and no input can recurse.
bool SimulatePattern(const ModelPattern& pattern, std::string_view s) {
  StateSet sets[2];
  StateSet seen;
  StateSet* current = &sets[0];
  StateSet* next = &sets[1];
  AddClosure(&seen, current, pattern.start);
  size_t i = 0;
  while (i < s.size() && !current->empty()) {
    Step(*current, NextCodePoint(s, &i), &seen, next);
    std::swap(current, next);
  }
  return i == s.size() && Accepts(*current);
}

// A pattern's NFA turned into a DFA over the 128 ASCII characters (subset
// construction), built once: the names a request carries (table, index) are
// ASCII, and a table lookup per byte costs a fraction of the NFA's simulation
// (perf: the simulation was ~2.5% of a GetItem's instructions). A pattern whose
// DFA would pass kMaxStates is left to the NFA.
class AsciiDfa {
 public:
  static constexpr size_t kMaxStates = 64;

  explicit AsciiDfa(const ModelPattern& pattern) {
    StateSet seen;
    StateSet set;
    AddClosure(&seen, &set, pattern.start);
    std::vector<StateSet> sets{set};
    for (size_t d = 0; d < sets.size() && sets.size() <= kMaxStates; d++) {
      std::array<int8_t, 128> row;
      for (uint32_t c = 0; c < 128; c++) {
        Step(sets[d], c, &seen, &set);
        row[c] = set.empty() ? int8_t{-1} : static_cast<int8_t>(IndexOf(&sets, set));
      }
      next_.push_back(row);
    }
    if (sets.size() > kMaxStates) {
      next_.clear();
      return;
    }
    for (const StateSet& states : sets) accepting_.push_back(Accepts(states));
  }

  // The answer for ASCII `s`, or nullopt when `s` holds another byte (or the
  // pattern has no DFA).
  std::optional<bool> Matches(std::string_view s) const {
    if (next_.empty()) return std::nullopt;
    int d = 0;
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c >= 128) return std::nullopt;
      d = next_[static_cast<size_t>(d)][c];
      if (d < 0) return false;  // no match, whatever follows
    }
    return accepting_[static_cast<size_t>(d)];
  }

 private:
  // The index of `set` in *sets, appending it when new.
  static size_t IndexOf(std::vector<StateSet>* sets, const StateSet& set) {
    for (size_t i = 0; i < sets->size(); i++) {
      if ((*sets)[i].SameStates(set)) return i;
    }
    sets->push_back(set);
    return sets->size() - 1;
  }

  std::vector<std::array<int8_t, 128>> next_;  // -1: no match
  std::vector<bool> accepting_;
};

const std::vector<AsciiDfa>& PatternDfas() {
  static const std::vector<AsciiDfa> dfas = [] {
    std::vector<AsciiDfa> out;
    for (const ModelPattern& pattern : kPatterns) out.emplace_back(pattern);
    return out;
  }();
  return dfas;
}

bool MatchesPattern(int pattern, std::string_view s) {
  const std::optional<bool> fast = PatternDfas()[static_cast<size_t>(pattern)].Matches(s);
  return fast ? *fast : SimulatePattern(kPatterns[pattern], s);
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

// JavaScript's Number.prototype.toString(), which dynalite's messages show.
std::string JsNumber(double d) {
  if (d == 0) return "0";
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));  // "-1.2345e+02"
  std::string out;
  if (sci[0] == '-') {
    out = "-";
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  int k = static_cast<int>(digits.size());
  int n = exponent + 1;  // the decimal point sits after n digits
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<size_t>(n)) + "." + digits.substr(static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 >= 0 ? "e+" : "e-") + std::to_string(std::abs(n - 1));
  }
  return out;
}

// A JSON number as the service sees it in a member of `type`: integers are
// rounded down (Coral reads them into Integer/Long), exact when the JSON is.
std::string NumberText(ShapeType type, const json::Value& v) {
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  double d = v.GetDouble();
  return JsNumber(IsIntegral(type) ? std::floor(d) : d);
}

// JSON.stringify's string escaping.
void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (u < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

// ---------------------------------------------------------------------------
// Layer 1: types

// Where a value sits: a structure member ("field") or a list element / map value.
enum class Slot { kField, kValue };

const char* NumberToken(const json::Value& v) {
  if (v.IsInt64() || v.IsUint64()) return "NUMBER_VALUE";
  double d = v.GetDouble();
  return std::isfinite(d) && d == std::floor(d) ? "NUMBER_VALUE" : "DECIMAL_VALUE";
}

const char* BoolToken(const json::Value& v) { return v.GetBool() ? "TRUE_VALUE" : "FALSE_VALUE"; }

Status TypeError(std::string message) { return SerializationError(std::move(message)); }

Status CheckType(const ModelShape& shape, const json::Value& v, Slot slot, int depth);

Status CheckScalar(const ModelShape& shape, const json::Value& v) {
  if (v.IsArray()) {
    return TypeError(std::string("Unrecognized collection type class ") + shape.java_type);
  }
  if (v.IsObject()) return TypeError(kStartOfStructure);
  switch (shape.type) {
    case ShapeType::kString:
      if (v.IsBool()) {
        return TypeError(std::string(BoolToken(v)) + " cannot be converted to String");
      }
      if (v.IsNumber()) {
        return TypeError(std::string(NumberToken(v)) + " cannot be converted to String");
      }
      return Status::OK();
    case ShapeType::kBoolean:
      if (v.IsNumber()) {
        return TypeError(std::string(NumberToken(v)) + " cannot be converted to Boolean");
      }
      if (v.IsString() && !ShapeBoolean(v).has_value()) {
        return TypeError("Unexpected token received from parser");
      }
      return Status::OK();
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kDouble:
    case ShapeType::kTimestamp: {
      const char* name = shape.type == ShapeType::kInteger  ? "Integer"
                         : shape.type == ShapeType::kLong   ? "Long"
                         : shape.type == ShapeType::kDouble ? "Double"
                                                            : "Date";
      if (v.IsBool()) {
        return TypeError(std::string(BoolToken(v)) + " cannot be converted to " + name);
      }
      if (v.IsString()) {
        return TypeError(std::string("STRING_VALUE cannot be converted to ") + name);
      }
      return Status::OK();
    }
    case ShapeType::kBlob: {
      if (v.IsBool() || v.IsNumber()) {
        return TypeError("only base-64-encoded strings are convertible to bytes");
      }
      std::string_view s = json::AsStringView(v);
      size_t length = Utf16Length(s);
      if (length % 4 != 0) {
        return TypeError("Base64 encoded length is expected a multiple of 4 bytes but found: " +
                         std::to_string(length));
      }
      if (s.size() % 4 != 0 || !IsCanonicalBase64(s)) {
        return TypeError("Invalid last non-pad Base64 character dectected");
      }
      return Status::OK();
    }
    default:
      break;
  }
  DYN_CHECK(false);  // containers are handled by CheckType
  return Status::OK();
}

Status CheckType(const ModelShape& shape, const json::Value& v, Slot slot, int depth) {
  if (v.IsNull()) return Status::OK();
  // Only a Value not built by json::Parse can nest this deep.
  if (depth > kMaxWalkDepth) return SerializationError("");
  const std::string_view scalar_in_container =
      slot == Slot::kField ? "Unexpected field type" : kCastMessage;
  switch (shape.type) {
    case ShapeType::kStructure:
      if (v.IsObject()) {
        const StructureMembers members(shape, v);
        for (uint64_t bits = members.Given(); bits != 0; bits &= bits - 1) {
          const int i = StructureMembers::LowestBit(bits);
          const json::Value& child = *members.Get(i);
          const ModelMember& member = kMembers[shape.member_begin + i];
          DYN_RETURN_IF_ERROR(CheckType(ShapeAt(member.shape), child, Slot::kField, depth + 1));
        }
        return Status::OK();
      }
      if (v.IsArray()) {
        return TypeError(std::string("Unrecognized collection type class ") + shape.java_type);
      }
      return TypeError(slot == Slot::kField ? "Unexpected field type"
                                            : "Unexpected value type in payload");
    case ShapeType::kList:
      if (v.IsArray()) {
        const ModelShape& element = ShapeAt(shape.element);
        for (const json::Value& e : v.GetArray()) {
          DYN_RETURN_IF_ERROR(CheckType(element, e, Slot::kValue, depth + 1));
        }
        return Status::OK();
      }
      if (v.IsObject()) return TypeError(kStartOfStructure);
      return TypeError(std::string(scalar_in_container));
    case ShapeType::kMap:
      if (v.IsObject()) {
        const ModelShape& value_shape = ShapeAt(shape.element);
        for (const auto& entry : v.GetObject()) {
          DYN_RETURN_IF_ERROR(CheckType(value_shape, entry.value, Slot::kValue, depth + 1));
        }
        return Status::OK();
      }
      if (v.IsArray()) {
        return TypeError(std::string("Unrecognized collection type ") + shape.java_type);
      }
      return TypeError(std::string(scalar_in_container));
    default:
      return CheckScalar(shape, v);
  }
}

// ---------------------------------------------------------------------------
// Rendering of "Value '...'" (dynalite's valueStr over the converted request)

void AppendJson(const ModelShape& shape, const json::Value& v, int depth, std::string* out);

void AppendScalarJson(const ModelShape& shape, const json::Value& v, std::string* out) {
  if (v.IsString()) {
    if (shape.type == ShapeType::kBoolean) {
      *out += ShapeBoolean(v).value_or(false) ? "true" : "false";
    } else {
      AppendJsonString(json::AsStringView(v), out);
    }
  } else if (v.IsNumber()) {
    *out += NumberText(shape.type, v);
  } else if (v.IsBool()) {
    *out += v.GetBool() ? "true" : "false";
  } else {
    *out += "null";
  }
}

void AppendJson(const ModelShape& shape, const json::Value& v, int depth, std::string* out) {
  if (depth > kMaxWalkDepth) {
    *out += "null";
    return;
  }
  if (v.IsObject() && shape.type == ShapeType::kStructure) {
    out->push_back('{');
    bool first = true;
    const StructureMembers members(shape, v);
    for (uint64_t bits = members.Given(); bits != 0; bits &= bits - 1) {
      const int i = StructureMembers::LowestBit(bits);
      const json::Value& child = *members.Get(i);
      const ModelMember& member = kMembers[shape.member_begin + i];
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(member.name, out);
      out->push_back(':');
      AppendJson(ShapeAt(member.shape), child, depth + 1, out);
    }
    out->push_back('}');
  } else if (v.IsObject() && shape.type == ShapeType::kMap) {
    out->push_back('{');
    bool first = true;
    for (const auto& entry : v.GetObject()) {
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(json::AsStringView(entry.name), out);
      out->push_back(':');
      AppendJson(ShapeAt(shape.element), entry.value, depth + 1, out);
    }
    out->push_back('}');
  } else if (v.IsArray() && shape.type == ShapeType::kList) {
    out->push_back('[');
    bool first = true;
    for (const json::Value& e : v.GetArray()) {
      if (!first) out->push_back(',');
      first = false;
      AppendJson(ShapeAt(shape.element), e, depth + 1, out);
    }
    out->push_back(']');
  } else {
    AppendScalarJson(shape, v, out);  // type-checked, so a scalar (or null)
  }
}

void AppendValueStr(const ModelShape& shape, const json::Value& v, int depth, std::string* out) {
  if (v.IsNull()) {
    *out += "null";
  } else if (v.IsArray() && shape.type == ShapeType::kList) {
    out->push_back('[');
    bool first = true;
    for (const json::Value& e : v.GetArray()) {
      if (!first) *out += ", ";
      first = false;
      if (depth > kMaxWalkDepth) {
        *out += "null";
      } else {
        AppendValueStr(ShapeAt(shape.element), e, depth + 1, out);
      }
    }
    out->push_back(']');
  } else if (v.IsObject()) {
    AppendJson(shape, v, depth, out);
  } else if (v.IsString() && shape.type != ShapeType::kBoolean) {
    *out += json::AsStringView(v);
  } else {
    AppendScalarJson(shape, v, out);
  }
}

// ---------------------------------------------------------------------------
// Layer 2: constraints

class ConstraintChecker {
 public:
  // Checks `v` (nullptr when absent or null), a value of shape `shape_index` at
  // `path_`. `own` is false for a map value, whose own constraints the map reports.
  void Check(int shape_index, const json::Value* v, bool required, bool own, int depth);

  std::string* path() { return &path_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  bool Full() const { return errors_.size() >= kMaxErrors; }
  void Add(const ModelShape& shape, const json::Value* v, std::string_view constraint);
  // Same, with the value already rendered ("null" or "'...'").
  void AddRendered(std::string_view value_text, std::string_view constraint);
  // The shape that holds string `s`: a table name or, for an ARN, the ARN shape.
  static const ModelShape& Effective(const ModelShape& shape, std::string_view s);
  // The first violated constraint of a string/list/map value, or "" when none.
  static std::string Violation(const ModelShape& shape, const json::Value& v);
  // "[Member must have length less than or equal to 255, ...]" for map keys/values.
  static std::string ConstraintList(const ModelShape& shape);
  void CheckOwn(const ModelShape& shape, const json::Value& v);
  void CheckChildren(const ModelShape& shape, const json::Value& v, int depth);

  std::string path_;
  std::vector<std::string> errors_;
};

// "Value 'x'" or "Value null", as dynalite's validate() writes it.
std::string ValueText(const ModelShape& shape, const json::Value* v) {
  if (v == nullptr || v->IsNull()) return "null";
  std::string text = "'";
  AppendValueStr(shape, *v, 0, &text);
  return text + "'";
}

void ConstraintChecker::Add(const ModelShape& shape, const json::Value* v,
                            std::string_view constraint) {
  if (Full()) return;
  AddRendered(ValueText(shape, v), constraint);
}

void ConstraintChecker::AddRendered(std::string_view value_text, std::string_view constraint) {
  if (Full()) return;
  std::string e = "Value ";
  e += value_text;
  e += " at '";
  e += path_;
  e += "' failed to satisfy constraint: ";
  e += constraint;
  errors_.push_back(std::move(e));
}

const ModelShape& ConstraintChecker::Effective(const ModelShape& shape, std::string_view s) {
  if (shape.name_form >= 0 && s.substr(0, 4) != "arn:") return ShapeAt(shape.name_form);
  return shape;
}

std::string LengthText(bool min, int64_t n) {
  return std::string("Member must have length ") + (min ? "greater" : "less") +
         " than or equal to " + std::to_string(n);
}

std::string ValueLimitText(bool min, int64_t n) {
  return std::string("Member must have value ") + (min ? "greater" : "less") +
         " than or equal to " + std::to_string(n);
}

std::string PatternText(const ModelShape& shape) {
  return std::string("Member must satisfy regular expression pattern: ") +
         kPatterns[shape.pattern].text;
}

std::string EnumText(const ModelShape& shape) {
  std::string text = "Member must satisfy enum value set: [";
  for (int i = 0; i < shape.enum_count; i++) {
    if (i > 0) text += ", ";
    text += kEnumValues[shape.enum_begin + i];
  }
  return text + "]";
}

bool InEnum(const ModelShape& shape, std::string_view s) {
  for (int i = 0; i < shape.enum_count; i++) {
    if (s == kEnumValues[shape.enum_begin + i]) return true;
  }
  return false;
}

int64_t LengthOf(const json::Value& v) {
  if (v.IsString()) return static_cast<int64_t>(Utf16Length(json::AsStringView(v)));
  if (v.IsArray()) return v.Size();
  if (v.IsObject()) return v.MemberCount();
  return 0;
}

std::string ConstraintChecker::Violation(const ModelShape& shape_in, const json::Value& v) {
  const ModelShape& shape = v.IsString() ? Effective(shape_in, json::AsStringView(v)) : shape_in;
  int64_t length = LengthOf(v);
  if (shape.has_max && length > shape.max) return LengthText(false, shape.max);
  if (shape.has_min && length < shape.min) return LengthText(true, shape.min);
  if (v.IsString()) {
    std::string_view s = json::AsStringView(v);
    if (shape.pattern >= 0 && !MatchesPattern(shape.pattern, s)) {
      return PatternText(shape);
    }
    if (shape.enum_count > 0 && !InEnum(shape, s)) return EnumText(shape);
  }
  return {};
}

std::string ConstraintChecker::ConstraintList(const ModelShape& shape) {
  std::vector<std::string> parts;
  if (shape.has_max) parts.push_back(LengthText(false, shape.max));
  if (shape.has_min) parts.push_back(LengthText(true, shape.min));
  if (shape.pattern >= 0) parts.push_back(PatternText(shape));
  if (shape.enum_count > 0) parts.push_back(EnumText(shape));
  std::string text = "[";
  for (size_t i = 0; i < parts.size(); i++) {
    if (i > 0) text += ", ";
    text += parts[i];
  }
  return text + "]";
}

void ConstraintChecker::CheckOwn(const ModelShape& shape_in, const json::Value& v) {
  switch (shape_in.type) {
    case ShapeType::kString: {
      if (!v.IsString()) return;
      std::string_view s = json::AsStringView(v);
      const ModelShape& shape = Effective(shape_in, s);
      if (shape.pattern >= 0 && !MatchesPattern(shape.pattern, s)) {
        Add(shape_in, &v, PatternText(shape));
      }
      if (shape.enum_count > 0 && !InEnum(shape, s)) Add(shape_in, &v, EnumText(shape));
      int64_t length = LengthOf(v);
      if (shape.has_min && length < shape.min) Add(shape_in, &v, LengthText(true, shape.min));
      if (shape.has_max && length > shape.max) Add(shape_in, &v, LengthText(false, shape.max));
      return;
    }
    case ShapeType::kList:
    case ShapeType::kMap: {
      int64_t length = LengthOf(v);
      if (shape_in.has_min && length < shape_in.min) {
        Add(shape_in, &v, LengthText(true, shape_in.min));
      }
      if (shape_in.has_max && length > shape_in.max) {
        Add(shape_in, &v, LengthText(false, shape_in.max));
      }
      return;
    }
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      if (!v.IsNumber()) return;
      // Compared after rounding down, as Coral reads the number into an Integer/Long.
      double d = std::floor(v.GetDouble());
      if (shape_in.has_min && d < static_cast<double>(shape_in.min)) {
        Add(shape_in, &v, ValueLimitText(true, shape_in.min));
      }
      if (shape_in.has_max && d > static_cast<double>(shape_in.max)) {
        Add(shape_in, &v, ValueLimitText(false, shape_in.max));
      }
      return;
    }
    default:
      return;  // the generator refuses constraints on other types
  }
}

void ConstraintChecker::CheckChildren(const ModelShape& shape, const json::Value& v, int depth) {
  const size_t path_length = path_.size();
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (!v.IsObject()) return;
      const StructureMembers members(shape, v);
      // In member order, those that are required or given and constrained:
      // Check() does nothing for the others (an absent optional member, or an
      // unconstrained one), so they are skipped without building their path.
      const MemberMasks& masks = kMemberMasks[static_cast<size_t>(&shape - kShapes)];
      for (uint64_t bits = (members.Given() & masks.checked) | masks.required;
           bits != 0 && !Full(); bits &= bits - 1) {
        const int i = StructureMembers::LowestBit(bits);
        const ModelMember& member = kMembers[shape.member_begin + i];
        const json::Value* child = members.Get(i);
        if (!path_.empty()) path_ += '.';
        path_ += member.path_name;
        Check(member.shape, child, member.required, true, depth + 1);
        path_.resize(path_length);
      }
      return;
    }
    case ShapeType::kList: {
      if (!v.IsArray() || !ShapeAt(shape.element).constrained) return;
      int64_t index = 0;
      for (const json::Value& e : v.GetArray()) {
        if (Full()) break;
        path_ += '.';
        path_ += std::to_string(++index);
        path_ += ".member";
        Check(shape.element, e.IsNull() ? nullptr : &e, false, true, depth + 1);
        path_.resize(path_length);
      }
      return;
    }
    case ShapeType::kMap: {
      if (!v.IsObject()) return;
      const ModelShape& key_shape = ShapeAt(shape.key);
      const ModelShape& value_shape = ShapeAt(shape.element);
      // Each bad entry shows the whole map: render it once (it can be large).
      std::string map_text;
      auto rendered = [&]() -> const std::string& {
        if (map_text.empty()) map_text = ValueText(shape, &v);
        return map_text;
      };
      if (key_shape.constrained) {
        for (const auto& entry : v.GetObject()) {
          if (Full()) break;
          if (!Violation(key_shape, entry.name).empty()) {
            const ModelShape& effective = Effective(key_shape, json::AsStringView(entry.name));
            AddRendered(rendered(),
                        "Map keys must satisfy constraint: " + ConstraintList(effective));
          }
        }
      }
      bool simple_value =
          value_shape.type == ShapeType::kString || value_shape.type == ShapeType::kList;
      if (simple_value && (value_shape.has_min || value_shape.has_max || value_shape.pattern >= 0 ||
                           value_shape.enum_count > 0)) {
        for (const auto& entry : v.GetObject()) {
          if (Full()) break;
          if (entry.value.IsNull()) continue;
          if (!Violation(value_shape, entry.value).empty()) {
            const ModelShape& effective =
                entry.value.IsString() ? Effective(value_shape, json::AsStringView(entry.value))
                                       : value_shape;
            AddRendered(rendered(),
                        "Map value must satisfy constraint: " + ConstraintList(effective));
          }
        }
      }
      if (!value_shape.constrained) return;
      for (const auto& entry : v.GetObject()) {
        if (Full()) break;
        path_ += '.';
        path_ += json::AsStringView(entry.name);
        path_ += ".member";
        Check(shape.element, entry.value.IsNull() ? nullptr : &entry.value, false, false,
              depth + 1);
        path_.resize(path_length);
      }
      return;
    }
    default:
      return;
  }
}

void ConstraintChecker::Check(int shape_index, const json::Value* v, bool required, bool own,
                              int depth) {
  if (Full()) return;
  const ModelShape& shape = ShapeAt(shape_index);
  if (v == nullptr) {
    if (required) Add(shape, nullptr, "Member must not be null");
    return;
  }
  if (!shape.constrained || depth > kMaxWalkDepth) return;
  if (own) CheckOwn(shape, *v);
  CheckChildren(shape, *v, depth);
}

}  // namespace

namespace shape_check_internal {

int PatternCount() { return static_cast<int>(std::size(kPatterns)); }
bool MatchesPattern(int index, std::string_view s) { return dynemu::MatchesPattern(index, s); }
bool SimulatePattern(int index, std::string_view s) {
  return dynemu::SimulatePattern(kPatterns[index], s);
}

}  // namespace shape_check_internal

bool IsModeledOperation(std::string_view operation) {
  return FindModelOperation(operation) != nullptr;
}

Status CheckRequestShape(std::string_view operation, const json::Value& request) {
  const ModelOperation* op = FindModelOperation(operation);
  if (op == nullptr || op->input < 0) return Status::OK();
  // Coral reads the body as the input structure: a list where it expects the
  // structure is named; anything else that is not an object has no message.
  if (request.IsArray()) return SerializationError("Start of list found where not expected");
  if (!request.IsObject()) return SerializationError("");

  const ModelShape& input = ShapeAt(op->input);
  DYN_RETURN_IF_ERROR(CheckType(input, request, Slot::kField, 0));

  ConstraintChecker checker;
  checker.Check(op->input, &request, false, true, 0);
  const std::vector<std::string>& errors = checker.errors();
  if (errors.empty()) return Status::OK();
  std::string message = std::to_string(errors.size()) + " validation error" +
                        (errors.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < errors.size(); i++) {
    if (i > 0) message += "; ";
    message += errors[i];
  }
  return ValidationError(std::move(message));
}

std::optional<bool> ShapeBoolean(const json::Value& value) {
  if (value.IsBool()) return value.GetBool();
  if (!value.IsString()) return std::nullopt;
  std::string_view s = json::AsStringView(value);
  if (EqualsIgnoreAsciiCase(s, "true") || s == "1" || EqualsIgnoreAsciiCase(s, "yes")) {
    return true;
  }
  if (EqualsIgnoreAsciiCase(s, "false") || s == "0" || EqualsIgnoreAsciiCase(s, "no")) {
    return false;
  }
  return std::nullopt;
}

std::optional<int64_t> ShapeInteger(const json::Value& value) {
  if (value.IsInt64()) return value.GetInt64();
  if (!value.IsNumber() || value.IsUint64()) return std::nullopt;  // a Uint64 past int64
  double d = std::floor(value.GetDouble());
  // [-2^63, 2^63): the doubles that convert to int64 without overflow.
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) return std::nullopt;
  return static_cast<int64_t>(d);
}

}  // namespace dynemu
