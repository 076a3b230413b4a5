#!/usr/bin/env python3
"""Generates core/ops/service_model.inc from botocore's DynamoDB service model.

The .inc is checked in: the build never runs this script. Run it again when
botocore's model changes (new operations, new members, new constraints):

    python3 tools/gen_service_model/gen_service_model.py            # finds botocore
    python3 tools/gen_service_model/gen_service_model.py --model PATH/service-2.json.gz

It writes core/ops/service_model.inc (or --out PATH): every shape reachable from
an operation's input, with its members in validation order, required flags,
min/max, enum values and pattern, each pattern compiled to a small NFA that
core/ops/shape_check.cc simulates in linear time. Documentation is dropped.

The published model is not exactly what DynamoDB's front end enforces. Where
dynalite (whose messages were taken from the live service) knows better, the
OVERRIDES below say so, one fact per line; everything else is the model's.
"""

import argparse
import gzip
import json
import os
import sys

# ---------------------------------------------------------------------------
# Overrides: facts about the live service that the published model lacks.
# ---------------------------------------------------------------------------

# DynamoDB reports validation errors (and the first type error) in the order of
# the fields of its Java request classes, not in model order. dynalite lists the
# members of the operations it knows in the service's order; members it does not
# know follow in model order.
MEMBER_ORDER = {
    "BatchGetItemInput": ["ReturnConsumedCapacity", "RequestItems"],
    "BatchWriteItemInput": ["ReturnConsumedCapacity", "ReturnItemCollectionMetrics", "RequestItems"],
    "CreateTableInput": ["AttributeDefinitions", "TableName", "BillingMode", "ProvisionedThroughput",
                         "KeySchema", "LocalSecondaryIndexes", "GlobalSecondaryIndexes"],
    "DeleteItemInput": ["ReturnConsumedCapacity", "TableName", "ReturnValues",
                        "ReturnItemCollectionMetrics", "Key", "ConditionalOperator", "Expected",
                        "ConditionExpression", "ExpressionAttributeValues",
                        "ExpressionAttributeNames"],
    "GetItemInput": ["ReturnConsumedCapacity", "AttributesToGet", "TableName", "Key",
                     "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames"],
    "ListTablesInput": ["Limit", "ExclusiveStartTableName"],
    "PutItemInput": ["ReturnConsumedCapacity", "TableName", "Item", "ConditionalOperator",
                     "Expected", "ReturnValues", "ReturnItemCollectionMetrics",
                     "ConditionExpression", "ExpressionAttributeValues",
                     "ExpressionAttributeNames"],
    "QueryInput": ["Select", "IndexName", "ReturnConsumedCapacity", "QueryFilter", "TableName",
                   "ConditionalOperator", "AttributesToGet", "Limit", "KeyConditions",
                   "ExclusiveStartKey", "ConsistentRead", "ScanIndexForward",
                   "KeyConditionExpression", "FilterExpression", "ProjectionExpression",
                   "ExpressionAttributeValues", "ExpressionAttributeNames"],
    "ScanInput": ["Select", "IndexName", "TotalSegments", "ReturnConsumedCapacity", "TableName",
                  "ConditionalOperator", "ScanFilter", "Segment", "Limit", "AttributesToGet",
                  "ExclusiveStartKey", "FilterExpression", "ProjectionExpression",
                  "ExpressionAttributeValues", "ExpressionAttributeNames"],
    "UpdateItemInput": ["ReturnConsumedCapacity", "TableName", "ReturnItemCollectionMetrics",
                        "ReturnValues", "Key", "ConditionalOperator", "Expected",
                        "AttributeUpdates", "ConditionExpression", "UpdateExpression",
                        "ExpressionAttributeValues", "ExpressionAttributeNames"],
    "UpdateTableInput": ["TableName", "ProvisionedThroughput", "BillingMode",
                         "GlobalSecondaryIndexUpdates"],
    "ProvisionedThroughput": ["WriteCapacityUnits", "ReadCapacityUnits"],
    "ExpectedAttributeValue": ["AttributeValueList", "ComparisonOperator", "Exists", "Value"],
    "AttributeValueUpdate": ["Action", "Value"],
    "WriteRequest": ["DeleteRequest", "PutRequest"],
    "CreateGlobalSecondaryIndexAction": ["Projection", "IndexName", "ProvisionedThroughput",
                                         "KeySchema"],
    # dynalite's AttrStruct order. (dynalite lists Condition both ways; the
    # filter order, used by two operations of three, is kept.)
    "AttributeValue": ["S", "B", "N", "BOOL", "NULL", "BS", "NS", "SS", "L", "M"],
    "Condition": ["AttributeValueList", "ComparisonOperator"],
}

# "Member must satisfy enum value set: [...]" lists the values in the service's
# (Java set) order, which is not the model's.
ENUM_ORDER = {
    "ScalarAttributeType": ["B", "N", "S"],
    "ProjectionType": ["ALL", "INCLUDE", "KEYS_ONLY"],
    "ReturnValue": ["ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"],
    "ConditionalOperator": ["OR", "AND"],
    "ComparisonOperator": ["IN", "NULL", "BETWEEN", "LT", "NOT_CONTAINS", "EQ", "GT", "NOT_NULL",
                           "NE", "LE", "BEGINS_WITH", "GE", "CONTAINS"],
    "Select": ["SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"],
}

# Limits the service enforces that the published model has dropped.
EXTRA_LIMITS = {
    "KeySchema": {"max": 2},
    "AttributeNameList": {"max": 255},
}

# Members the service requires although the model does not say so.
EXTRA_REQUIRED = {
    "CreateTableInput": ["AttributeDefinitions", "KeySchema"],
}

# Members whose presence and constraints DynamoDB checks only after it has
# authorized the resource ARN (dynalite: 'Invalid TableArn' for a missing ARN,
# AccessDeniedException for a malformed one, then "Value null at 'tags'").
# Their type is still checked here; the operation checks the rest, in that order.
UNCHECKED_MEMBERS = {
    "TagResourceInput": ["ResourceArn", "Tags"],
    "UntagResourceInput": ["ResourceArn", "TagKeys"],
    "ListTagsOfResourceInput": ["ResourceArn"],
}

# A TableArn member (TableName of most operations, the keys of RequestItems)
# takes a table name or a table ARN. A value that is not an ARN is held to the
# TableName shape's constraints (3 to 255 characters of [a-zA-Z0-9_.-]), as
# DynamoDB and dynalite do; an ARN to the TableArn shape's own.
NAME_OR_ARN = {"TableArn": "TableName"}

# ---------------------------------------------------------------------------

CXX_TYPES = {
    "structure": "kStructure", "list": "kList", "map": "kMap", "string": "kString",
    "integer": "kInteger", "long": "kLong", "boolean": "kBoolean", "blob": "kBlob",
    "double": "kDouble", "timestamp": "kTimestamp",
}

JAVA_SCALARS = {
    "string": "java.lang.String", "integer": "java.lang.Integer", "long": "java.lang.Long",
    "boolean": "java.lang.Boolean", "blob": "java.nio.ByteBuffer", "double": "java.lang.Double",
    "timestamp": "java.util.Date",
}

MAX_CODE_POINT = 0x10FFFF


def fail(msg):
    sys.exit("gen_service_model: " + msg)


def find_model():
    import botocore  # only needed when --model is not given
    base = os.path.join(os.path.dirname(botocore.__file__), "data", "dynamodb", "2012-08-10")
    for name in ("service-2.json", "service-2.json.gz"):
        path = os.path.join(base, name)
        if os.path.exists(path):
            return path, "botocore " + botocore.__version__
    fail("no DynamoDB service model under " + base)


def load_model(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------
# A small regular-expression compiler for the Java patterns of the model.
# Supports literals, escapes (\uXXXX incl. surrogate pairs, \xXX, \t \r \n,
# \d \w \s \p{Print}, escaped punctuation), classes with ranges and negation,
# groups, alternation, * + ? {n} {n,} {n,m}, and ^ $ at the ends (Coral uses
# Matcher.matches(), so the anchors change nothing). Anything else fails loudly.
# ---------------------------------------------------------------------------

def normalize_ranges(ranges):
    out = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [tuple(r) for r in out]


def complement(ranges):
    out, nxt = [], 0
    for lo, hi in normalize_ranges(ranges):
        if lo > nxt:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_CODE_POINT:
        out.append((nxt, MAX_CODE_POINT))
    return out


class RegexParser:
    def __init__(self, text):
        self.s = text
        self.i = 0

    def error(self, msg):
        fail("pattern %r at %d: %s" % (self.s, self.i, msg))

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else None

    def take(self):
        c = self.peek()
        if c is None:
            self.error("unexpected end")
        self.i += 1
        return c

    def parse(self):
        if self.peek() == "^":
            self.i += 1
        node = self.alternation()
        if self.peek() == "$":
            self.i += 1
        if self.i != len(self.s):
            self.error("unsupported syntax")
        return node

    def alternation(self):
        branches = [self.concatenation()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.concatenation())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def concatenation(self):
        items = []
        while self.peek() is not None and self.peek() not in "|)":
            if self.peek() == "$" and self.i == len(self.s) - 1:
                break
            items.append(self.repetition())
        return ("cat", items)

    def repetition(self):
        node = self.atom()
        while True:
            c = self.peek()
            if c == "*":
                self.i += 1
                node = ("rep", node, 0, None)
            elif c == "+":
                self.i += 1
                node = ("rep", node, 1, None)
            elif c == "?":
                self.i += 1
                node = ("rep", node, 0, 1)
            elif c == "{":
                self.i += 1
                lo = self.number()
                hi = lo
                if self.peek() == ",":
                    self.i += 1
                    hi = None if self.peek() == "}" else self.number()
                if self.take() != "}":
                    self.error("bad counted repetition")
                node = ("rep", node, lo, hi)
            else:
                return node

    def number(self):
        start = self.i
        while self.peek() is not None and self.peek().isdigit():
            self.i += 1
        if start == self.i:
            self.error("number expected")
        return int(self.s[start:self.i])

    def atom(self):
        c = self.take()
        if c == "(":
            if self.peek() == "?":
                self.error("group flags are not supported")
            node = self.alternation()
            if self.take() != ")":
                self.error(") expected")
            return node
        if c == "[":
            return ("set", self.char_class())
        if c == "\\":
            return ("set", self.escape(in_class=False))
        if c == ".":
            # Java's '.' excludes line terminators.
            return ("set", complement([(0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85),
                                       (0x2028, 0x2029)]))
        if c in "*+?{}|)^$":
            self.error("unexpected " + c)
        return ("set", [(ord(c), ord(c))])

    def hex_escape(self, digits):
        text = self.s[self.i:self.i + digits]
        if len(text) != digits:
            self.error("short hex escape")
        self.i += digits
        return int(text, 16)

    def escape(self, in_class):
        """Returns a list of ranges for the escape after a backslash."""
        c = self.take()
        if c == "u":
            cp = self.hex_escape(4)
            # Java joins an escaped high surrogate and an escaped low surrogate
            # into one supplementary code point.
            if 0xD800 <= cp <= 0xDBFF and self.s[self.i:self.i + 2] == "\\u":
                save = self.i
                self.i += 2
                low = self.hex_escape(4)
                if 0xDC00 <= low <= 0xDFFF:
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00)
                else:
                    self.i = save
            return [(cp, cp)]
        if c == "x":
            cp = self.hex_escape(2)
            return [(cp, cp)]
        simple = {"t": 9, "n": 10, "r": 13, "f": 12, "e": 27, "a": 7}
        if c in simple:
            return [(simple[c], simple[c])]
        if c == "d":
            return [(0x30, 0x39)]
        if c == "w":
            return [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
        if c == "s":
            return [(0x09, 0x0D), (0x20, 0x20)]
        if c == "p":
            if self.s[self.i:self.i + 7] == "{Print}":
                self.i += 7
                return [(0x20, 0x7E)]  # Java's POSIX \p{Print} is US-ASCII only
            self.error("unsupported \\p class")
        if c.isalnum():
            self.error("unsupported escape \\" + c)
        return [(ord(c), ord(c))]

    def class_atom(self):
        """One class member: ('ranges', list) for an escape class, ('cp', n) for a char."""
        c = self.take()
        if c == "\\":
            ranges = self.escape(in_class=True)
            if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
                return ("cp", ranges[0][0])
            return ("ranges", ranges)
        if c == "[":
            self.error("nested classes are not supported")
        return ("cp", ord(c))

    def char_class(self):
        negate = False
        if self.peek() == "^":
            negate = True
            self.i += 1
        ranges = []
        first = True
        while True:
            c = self.peek()
            if c is None:
                self.error("unterminated class")
            if c == "]" and not first:
                self.i += 1
                break
            first = False
            lo = self.class_atom()
            if lo[0] == "cp" and self.peek() == "-" and self.s[self.i + 1:self.i + 2] not in ("]", ""):
                self.i += 1
                hi = self.class_atom()
                if hi[0] != "cp" or hi[1] < lo[1]:
                    self.error("bad range")
                ranges.append((lo[1], hi[1]))
            elif lo[0] == "cp":
                ranges.append((lo[1], lo[1]))
            else:
                ranges.extend(lo[1])
        return complement(ranges) if negate else normalize_ranges(ranges)


class Nfa:
    """Thompson NFA. A state is ('set', ranges, out) | ('split', out1, out2) | ('match',)."""

    def __init__(self):
        self.states = []

    def add(self, state):
        self.states.append(list(state))
        return len(self.states) - 1

    def build(self, node):
        start, outs = self.fragment(node)
        match = self.add(("match",))
        self.patch(outs, match)
        return start

    def patch(self, outs, target):
        for state, slot in outs:
            self.states[state][slot] = target

    def fragment(self, node):
        """Returns (start state, list of dangling (state, slot) exits)."""
        kind = node[0]
        if kind == "set":
            s = self.add(("set", normalize_ranges(node[1]), None))
            return s, [(s, 2)]
        if kind == "cat":
            if not node[1]:
                s = self.add(("split", None, None))  # epsilon: both exits to the same place
                return s, [(s, 1), (s, 2)]
            start, outs = self.fragment(node[1][0])
            for item in node[1][1:]:
                s2, outs2 = self.fragment(item)
                self.patch(outs, s2)
                outs = outs2
            return start, outs
        if kind == "alt":
            start, outs = self.fragment(node[1][0])
            for branch in node[1][1:]:
                s2, outs2 = self.fragment(branch)
                split = self.add(("split", start, s2))
                start, outs = split, outs + outs2
            return start, outs
        if kind == "rep":
            _, sub, lo, hi = node
            parts = [sub] * lo
            if hi is None:
                star = self.star(sub)
                seq_start, seq_outs = self.sequence(parts)
                if seq_start is None:
                    return star
                self.patch(seq_outs, star[0])
                return seq_start, star[1]
            if hi > 1000:
                fail("counted repetition too large")
            start, outs = self.sequence(parts)
            for _ in range(hi - lo):
                s, o = self.fragment(sub)
                split = self.add(("split", s, None))
                if start is None:
                    start, outs = split, o + [(split, 2)]
                else:
                    self.patch(outs, split)
                    outs = o + [(split, 2)]
            if start is None:
                s = self.add(("split", None, None))
                return s, [(s, 1), (s, 2)]
            return start, outs
        fail("unknown regex node " + kind)

    def sequence(self, parts):
        start, outs = None, []
        for p in parts:
            s, o = self.fragment(p)
            if start is None:
                start = s
            else:
                self.patch(outs, s)
            outs = o
        return start, outs

    def star(self, sub):
        s, o = self.fragment(sub)
        split = self.add(("split", s, None))
        self.patch(o, split)
        return split, [(split, 2)]


def compile_pattern(text):
    nfa = Nfa()
    start = nfa.build(RegexParser(text).parse())
    for st in nfa.states:
        if st[0] != "match" and any(x is None for x in st[1:] if not isinstance(x, list)):
            fail("pattern %r: dangling NFA edge" % text)
    return start, nfa.states


# ---------------------------------------------------------------------------


def lower_first(name):
    return name[0].lower() + name[1:]


def c_string(s):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F:
            out.append(ch)
        else:
            fail("non-ASCII or control character in %r" % s)
    return '"' + "".join(out) + '"'


class Generator:
    def __init__(self, model):
        self.model = model
        self.shapes = model["shapes"]
        self.index = {}     # emitted shape name -> index
        self.order = []     # emitted shape names, in index order
        self.synthetic = {}  # synthetic name -> model dict

    def shape(self, name):
        if name in self.synthetic:
            return self.synthetic[name]
        if name not in self.shapes:
            fail("unknown shape " + name)
        return self.shapes[name]

    def check_overrides(self):
        for name, members in MEMBER_ORDER.items():
            s = self.shape(name)
            for m in members:
                if m not in s["members"]:
                    fail("MEMBER_ORDER: %s has no member %s" % (name, m))
        for name, values in ENUM_ORDER.items():
            if sorted(values) != sorted(self.shape(name).get("enum", [])):
                fail("ENUM_ORDER: %s is no longer %s" % (name, self.shape(name).get("enum")))
        for table in (EXTRA_REQUIRED, UNCHECKED_MEMBERS):
            for name, members in table.items():
                for m in members:
                    if m not in self.shape(name)["members"]:
                        fail("%s has no member %s" % (name, m))
        for name in EXTRA_LIMITS:
            self.shape(name)
        for name, alt in NAME_OR_ARN.items():
            if self.shape(name)["type"] != "string" or self.shape(alt)["type"] != "string":
                fail("NAME_OR_ARN must map string shapes")

    def unchecked_copy(self, name):
        """A copy of shape `name` without constraints (for UNCHECKED_MEMBERS)."""
        synthetic_name = name + "$unchecked"
        if synthetic_name not in self.synthetic:
            s = dict(self.shape(name))
            for k in ("min", "max", "pattern", "enum"):
                s.pop(k, None)
            s["$java_name"] = name
            self.synthetic[synthetic_name] = s
        return synthetic_name

    def members_of(self, name):
        s = self.shape(name)
        model_order = list(s["members"].keys())
        first = MEMBER_ORDER.get(name, [])
        ordered = first + [m for m in model_order if m not in first]
        required = set(s.get("required", [])) | set(EXTRA_REQUIRED.get(name, []))
        unchecked = set(UNCHECKED_MEMBERS.get(name, []))
        out = []
        for m in ordered:
            shape_name = s["members"][m]["shape"]
            if m in unchecked:
                required.discard(m)
                shape_name = self.unchecked_copy(shape_name)
            out.append((m, shape_name, m in required))
        return out

    def visit(self, name):
        if name in self.index:
            return
        self.index[name] = len(self.order)
        self.order.append(name)
        s = self.shape(name)
        t = s["type"]
        if t not in CXX_TYPES:
            fail("shape %s has unsupported type %s" % (name, t))
        if t == "structure":
            for _, member_shape, _ in self.members_of(name):
                self.visit(member_shape)
        elif t == "list":
            self.visit(s["member"]["shape"])
        elif t == "map":
            self.visit(s["key"]["shape"])
            self.visit(s["value"]["shape"])
        if name in NAME_OR_ARN:
            self.visit(NAME_OR_ARN[name])

    def java_type(self, name):
        s = self.shape(name)
        t = s["type"]
        if t == "structure":
            return "com.amazonaws.dynamodb.v20120810." + s.get("$java_name", name)
        if t == "list":
            return "java.util.List<%s>" % self.java_type(s["member"]["shape"])
        if t == "map":
            return "java.util.Map<java.lang.String, %s>" % self.java_type(s["value"]["shape"])
        return JAVA_SCALARS[t]

    def limits(self, name):
        s = self.shape(name)
        lim = {k: s[k] for k in ("min", "max") if k in s}
        lim.update(EXTRA_LIMITS.get(name, {}))
        if s["type"] in ("double", "timestamp", "boolean", "structure", "blob") and lim:
            fail("limits on %s shape %s are not supported" % (s["type"], name))
        return lim

    def own_constraints(self, name):
        s = self.shape(name)
        return bool(self.limits(name) or s.get("pattern") or s.get("enum") or name in NAME_OR_ARN)

    def constrained_set(self):
        """Shapes whose values (or anything inside them) can fail a constraint."""
        result = {n for n in self.order if self.own_constraints(n)}
        changed = True
        while changed:
            changed = False
            for n in self.order:
                if n in result:
                    continue
                s = self.shape(n)
                t = s["type"]
                hit = False
                if t == "structure":
                    hit = any(req or m in result for _, m, req in self.members_of(n))
                elif t == "list":
                    hit = s["member"]["shape"] in result
                elif t == "map":
                    hit = s["key"]["shape"] in result or s["value"]["shape"] in result
                if hit:
                    result.add(n)
                    changed = True
        return result

    def generate(self, source_desc):
        self.check_overrides()
        ops = sorted(self.model["operations"].items())
        for _, op in ops:
            if "input" in op:
                self.visit(op["input"]["shape"])
        constrained = self.constrained_set()

        enum_values, members, patterns, pattern_index = [], [], [], {}
        regex_states, regex_ranges = [], []
        shape_rows = []
        for n in self.order:
            s = self.shape(n)
            t = s["type"]
            lim = self.limits(n)
            pattern = -1
            if s.get("pattern"):
                p = s["pattern"]
                if p not in pattern_index:
                    start, states = compile_pattern(p)
                    base = len(regex_states)
                    for st in states:
                        if st[0] == "set":
                            rb = len(regex_ranges)
                            regex_ranges.extend(st[1])
                            regex_states.append((0, base + st[2], -1, rb, len(st[1])))
                        elif st[0] == "split":
                            regex_states.append((1, base + st[1], base + st[2], 0, 0))
                        else:
                            regex_states.append((2, -1, -1, 0, 0))
                    pattern_index[p] = len(patterns)
                    patterns.append((p, base + start))
                pattern = pattern_index[p]
            enum = ENUM_ORDER.get(n, s.get("enum", []))
            enum_begin = len(enum_values)
            enum_values.extend(enum)
            member_begin = len(members)
            if t == "structure":
                for m, ms, req in self.members_of(n):
                    members.append((m, lower_first(m), self.index[ms], req))
            element = key = -1
            if t == "list":
                element = self.index[s["member"]["shape"]]
            elif t == "map":
                element = self.index[s["value"]["shape"]]
                key = self.index[s["key"]["shape"]]
            name_form = self.index[NAME_OR_ARN[n]] if n in NAME_OR_ARN else -1
            shape_rows.append(dict(
                name=n, type=CXX_TYPES[t], has_min="min" in lim, has_max="max" in lim,
                min=lim.get("min", 0), max=lim.get("max", 0), pattern=pattern,
                enum_begin=enum_begin, enum_count=len(enum), member_begin=member_begin,
                member_count=len(members) - member_begin, element=element, key=key,
                name_form=name_form, constrained=n in constrained, java=self.java_type(n)))

        out = []
        w = out.append
        w("// Generated by tools/gen_service_model/gen_service_model.py from %s." % source_desc)
        w("// DO NOT EDIT: change the generator (its OVERRIDES) and run it again.")
        w("// DynamoDB API %s: %d operations, %d input shapes, %d patterns."
          % (self.model["metadata"]["apiVersion"], len(ops), len(self.order), len(patterns)))
        w("// Included by core/ops/shape_check.cc, which defines the row types.")
        w("")
        w("constexpr const char* kEnumValues[] = {")
        for v in enum_values:
            w("    %s," % c_string(v))
        w("};")
        w("")
        w("// {name, lowerFirst(name) for paths, shape, required}, in validation order.")
        w("constexpr ModelMember kMembers[] = {")
        for m, path, idx, req in members:
            w("    {%s, %s, %d, %s}," % (c_string(m), c_string(path), idx,
                                         "true" if req else "false"))
        w("};")
        w("")
        w("constexpr RegexRange kRegexRanges[] = {")
        for lo, hi in regex_ranges:
            w("    {0x%X, 0x%X}," % (lo, hi))
        w("};")
        w("")
        w("// {kind (0 ranges, 1 split, 2 match), out1, out2, range_begin, range_count}")
        w("constexpr RegexState kRegexStates[] = {")
        for st in regex_states:
            w("    {%d, %d, %d, %d, %d}," % st)
        w("};")
        w("")
        w("constexpr ModelPattern kPatterns[] = {")
        for p, start in patterns:
            w("    {%s, %d}," % (c_string(p), start))
        w("};")
        w("")
        w("// {name, type, has_min, has_max, min, max, pattern, enum_begin, enum_count,")
        w("//  member_begin, member_count, element (list member / map value), key (map key),")
        w("//  name_form (shape for values that are not ARNs), constrained, java type}")
        w("constexpr ModelShape kShapes[] = {")
        for i, r in enumerate(shape_rows):
            w("    /* %d */ {%s, ShapeType::%s, %s, %s, %dLL, %dLL, %d, %d, %d, %d, %d, %d, %d, %d, %s,"
              % (i, c_string(r["name"]), r["type"], str(r["has_min"]).lower(),
                 str(r["has_max"]).lower(), r["min"], r["max"], r["pattern"], r["enum_begin"],
                 r["enum_count"], r["member_begin"], r["member_count"], r["element"], r["key"],
                 r["name_form"], str(r["constrained"]).lower()))
            w("              %s}," % c_string(r["java"]))
        w("};")
        w("")
        w("// Sorted by name, for binary search.")
        w("constexpr ModelOperation kOperations[] = {")
        for name, op in ops:
            idx = self.index[op["input"]["shape"]] if "input" in op else -1
            w("    {%s, %d}," % (c_string(name), idx))
        w("};")
        return "\n".join(out) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "..", "core", "ops", "service_model.inc")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="service-2.json or service-2.json.gz (default: botocore's)")
    ap.add_argument("--out", default=default_out, help="output file (default: %(default)s)")
    args = ap.parse_args()
    if args.model:
        path, desc = args.model, os.path.basename(args.model)
    else:
        path, version = find_model()
        desc = "%s's data/dynamodb/2012-08-10/%s" % (version, os.path.basename(path))
    text = Generator(load_model(path)).generate(desc)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote " + os.path.normpath(args.out))


if __name__ == "__main__":
    main()
