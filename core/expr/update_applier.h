#pragma once

// Applies an UpdateExpression to an item, with DynamoDB's semantics:
//  - every action reads the item as it was before the update: SET a = b, b = a
//    swaps a and b, and list indexes always name the elements of the old list;
//  - SET a.b[i] = v replaces element i, or appends v when i is past the end (several
//    appends to one list land in index order); REMOVE a[i] removes element i and
//    the later elements shift down; removing a missing attribute or element is a
//    no-op;
//  - SET arithmetic (+, -) and ADD on numbers are exact (Number::Add/Subtract);
//    ADD and DELETE on sets are set union and difference, and a set emptied by
//    DELETE is removed;
//  - if_not_exists(path, v) is the value at path when it exists, else v;
//    list_append(a, b) concatenates two lists.
//
// Errors, ValidationExceptions with DynamoDB's messages:
//   "The provided expression refers to an attribute that does not exist in the item"
//   "An operand in the update expression has an incorrect data type"
//   "The document path provided in the update expression is invalid for update"
//   the Number::Add/Subtract overflow and precision errors
//   "Nesting Levels have exceeded supported limits: Attributes in the item have
//    nested levels beyond supported limit"

#include "base/status.h"
#include "expr/ast.h"
#include "value/attribute_value.h"

namespace dynemu::expr {

// The item after `update`. `old_item` is the current item, empty when absent.
// REQUIRES: `update` passed ValidateUpdate. Thread-safe (reads its inputs only).
Result<Item> ApplyUpdate(const UpdateExpression& update, const Item& old_item);

}  // namespace dynemu::expr
