#include "expr/validator.h"

#include <optional>
#include <string>
#include <vector>

#include "expr/comparison.h"
#include "expr/functions.h"
#include "expr/reserved_words.h"

namespace dynemu::expr {
namespace {

// DynamoDB reports only the first problem of each kind; an error slot keeps it.
class Slot {
 public:
  void Set(std::string message) {
    if (message_.empty()) message_ = std::move(message);
  }
  bool empty() const { return message_.empty(); }
  const std::string& message() const { return message_; }

 private:
  std::string message_;
};

// The errors of one simple condition (or, in an update, of the whole expression),
// which DynamoDB ranks in this order.
struct OperandErrors {
  Slot names;     // undefined #names
  Slot values;    // undefined :values (conditions rank these with names)
  Slot operands;  // operand counts of functions
  Slot distinct;  // "The first operand must be distinct ..."
  Slot function;  // operand types, document paths, BETWEEN bounds, IN size
};

// The problems with the paths of an expression, reported before its operands'.
struct PathErrors {
  Slot reserved;
  Slot limit;  // nesting depth and index range
};

std::string TypeText(const AttributeValue& v) { return std::string(ValueTypeName(v.type())); }

// The long type names of ADD and DELETE operand errors.
std::string LongTypeName(ValueType type) {
  switch (type) {
    case ValueType::kS:
      return "STRING";
    case ValueType::kN:
      return "NUMBER";
    case ValueType::kB:
      return "BINARY";
    case ValueType::kBool:
      return "BOOLEAN";
    case ValueType::kNull:
      return "NULL";
    case ValueType::kSS:
      return "STRING_SET";
    case ValueType::kNS:
      return "NUMBER_SET";
    case ValueType::kBS:
      return "BINARY_SET";
    case ValueType::kL:
      return "LIST";
    case ValueType::kM:
      return "MAP";
  }
  return "?";
}

// What DynamoDB knows of an operand's type before reading the item: a value's
// type, N for size(); nothing for a path or another function.
std::optional<ValueType> StaticType(const Operand& op) {
  if (op.kind == Operand::Kind::kValue && op.value) return op.value->type();
  if (op.kind == Operand::Kind::kFunction && op.name == "size") return ValueType::kN;
  return std::nullopt;
}

std::string OperandTypeError(std::string_view function, std::string_view type) {
  return "Incorrect operand type for operator or function; operator or function: " +
         std::string(function) + ", operand type: " + std::string(type);
}

// Java's rendering of an AttributeValue in DynamoDB's BETWEEN messages.
std::string BoundText(const AttributeValue& v) {
  std::string body;
  switch (v.type()) {
    case ValueType::kS:
      body = v.s();
      break;
    case ValueType::kN:
      body = v.n().ToString();
      break;
    case ValueType::kB:
      body = "java.nio.HeapByteBuffer[pos=0 lim=" + std::to_string(v.b().size()) +
             " cap=" + std::to_string(v.b().size()) + "]";
      break;
    default:
      body = "...";
      break;
  }
  return "AttributeValue: {" + TypeText(v) + ":" + body + "}";
}

// Resolves the raw path of `op` into op.path: names checked against the reserved
// words, #placeholders looked up, indexes range-checked.
void ResolvePath(Operand& op, ExpressionAttributes& attributes, PathErrors& path_errors,
                 Slot& names) {
  op.path.clear();
  op.path.reserve(op.raw_path.size());
  for (const RawPathElement& e : op.raw_path) {
    PathStep step;
    switch (e.kind) {
      case RawPathElement::Kind::kName:
        if (IsReservedWord(e.text)) {
          path_errors.reserved.Set("Attribute name is a reserved keyword; reserved keyword: " +
                                   e.text);
        }
        step.name = e.text;
        break;
      case RawPathElement::Kind::kPlaceholder: {
        const std::string* name = attributes.UseName(e.text);
        if (name == nullptr) {
          names.Set(
              "An expression attribute name used in the document path is not defined; attribute "
              "name: " +
              e.text);
        } else {
          step.name = *name;
        }
        break;
      }
      case RawPathElement::Kind::kIndex: {
        uint64_t index = 0;
        bool too_big = false;
        for (char c : e.text) {
          index = index * 10 + static_cast<uint64_t>(c - '0');
          if (index > 0x7FFFFFFF) {
            too_big = true;
            break;
          }
        }
        if (too_big) {
          path_errors.limit.Set("List index is not within the allowable range; index: [" + e.text +
                                "]");
        }
        step.is_index = true;
        step.index = too_big ? 0 : static_cast<uint32_t>(index);
        break;
      }
    }
    op.path.push_back(std::move(step));
  }
  if (op.path.size() > kMaxPathDepth) {
    path_errors.limit.Set("The document path has too many nesting levels; nesting levels: " +
                          std::to_string(op.path.size()));
  }
}

void ResolveValue(Operand& op, ExpressionAttributes& attributes, Slot& values) {
  op.value = attributes.UseValue(op.name);
  if (!op.value) {
    values.Set(
        "An expression attribute value used in expression is not defined; attribute value: " +
        op.name);
  }
}

bool SamePath(const Operand& a, const Operand& b) {
  return a.kind == Operand::Kind::kPath && b.kind == Operand::Kind::kPath && a.path == b.path;
}

// DynamoDB's check that two document paths of an update or a projection neither
// overlap (one is the other or inside it) nor conflict (one uses a list index
// where the other uses a map key). Each path is compared with those before it;
// the first overlap wins, else the last conflict found.
void CheckOverlaps(const std::vector<const DocumentPath*>& paths, Slot& overlap, Slot& conflict) {
  std::string last_conflict;
  for (size_t j = 1; j < paths.size() && overlap.empty(); j++) {
    const DocumentPath& two = *paths[j];
    for (size_t i = 0; i < j; i++) {
      const DocumentPath& one = *paths[i];
      bool differ = false;
      bool conflicts = false;
      for (size_t k = 0; k < one.size() && k < two.size(); k++) {
        if (one[k].is_index != two[k].is_index) {
          conflicts = true;
          break;
        }
        if (!(one[k] == two[k])) {
          differ = true;
          break;
        }
      }
      if (!conflicts && differ) continue;
      std::string pair =
          "must remove or rewrite one of these paths; path one: " + PathToString(one) +
          ", path two: " + PathToString(two);
      if (conflicts) {
        last_conflict = "Two document paths conflict with each other; " + pair;
      } else {
        overlap.Set("Two document paths overlap with each other; " + pair);
        break;
      }
    }
  }
  if (!last_conflict.empty()) conflict.Set(std::move(last_conflict));
}

// ---- Conditions

class ConditionChecker {
 public:
  explicit ConditionChecker(ExpressionAttributes& attributes) : attributes_(attributes) {}

  Status Check(ConditionExpression& expression) {
    VisitCondition(expression.root);
    if (expression.redundant_parens) {
      return ValidationError("The expression has redundant parentheses;");
    }
    for (const Slot* slot :
         {&unknown_function_, &misused_function_, &paths_.reserved, &paths_.limit, &condition_}) {
      if (!slot->empty()) return ValidationError(slot->message());
    }
    return Status::OK();
  }

 private:
  void VisitCondition(Condition& c) {
    switch (c.kind) {
      case Condition::Kind::kOr:
      case Condition::Kind::kAnd:
      case Condition::Kind::kNot:
        for (Condition& child : c.children) VisitCondition(child);
        return;
      default:
        break;
    }
    OperandErrors errors;
    for (Operand& op : c.operands) VisitOperand(op, errors);
    switch (c.kind) {
      case Condition::Kind::kCompare:
        CheckMisused(c.operands);
        CheckCompare(c, errors);
        break;
      case Condition::Kind::kBetween:
        CheckMisused(c.operands);
        CheckBetween(c, errors);
        break;
      case Condition::Kind::kIn:
        CheckMisused(c.operands);
        if (c.operands.size() - 1 > kMaxInOperands) {
          errors.function.Set(
              "The IN operator is provided with too many operands; number of operands: " +
              std::to_string(c.operands.size() - 1));
        }
        break;
      case Condition::Kind::kFunction: {
        const FunctionInfo* info = FindFunction(c.operands[0].name);
        if (info != nullptr && info->place == FunctionPlace::kOperand) {
          misused_function_.Set(
              "The function is not allowed to be used this way in an expression; function: " +
              c.operands[0].name);
        }
        break;
      }
      default:
        break;
    }
    if (condition_.empty()) {
      for (const Slot* slot :
           {&errors.names, &errors.operands, &errors.distinct, &errors.function}) {
        if (!slot->empty()) {
          condition_.Set(slot->message());
          break;
        }
      }
    }
  }

  // Undefined names and values rank together in conditions: both go to `names`.
  void VisitOperand(Operand& op, OperandErrors& errors) {
    switch (op.kind) {
      case Operand::Kind::kPath:
        ResolvePath(op, attributes_, paths_, errors.names);
        break;
      case Operand::Kind::kValue:
        ResolveValue(op, attributes_, errors.names);
        break;
      case Operand::Kind::kFunction:
        for (Operand& arg : op.args) VisitOperand(arg, errors);
        CheckMisused(op.args);
        CheckFunction(op, errors);
        break;
      default:
        break;
    }
  }

  // Only size() may be an operand of a comparison or of another function.
  void CheckMisused(const std::vector<Operand>& operands) {
    for (const Operand& op : operands) {
      if (op.kind == Operand::Kind::kFunction && op.name != "size") {
        misused_function_.Set(
            "The function is not allowed to be used this way in an expression; function: " +
            op.name);
        return;
      }
    }
  }

  void CheckFunction(const Operand& call, OperandErrors& errors) {
    const FunctionInfo* info = FindFunction(call.name);
    if (info == nullptr) {
      unknown_function_.Set("Invalid function name; function: " + call.name);
      return;
    }
    if (info->place == FunctionPlace::kUpdate) {
      unknown_function_.Set("The function is not allowed in a condition expression; function: " +
                            call.name);
      return;
    }
    const std::vector<Operand>& args = call.args;
    if (static_cast<int>(args.size()) != info->operands) {
      errors.operands.Set(
          "Incorrect number of operands for operator or function; operator or function: " +
          call.name + ", number of operands: " + std::to_string(args.size()));
      return;
    }
    if (args.size() == 2 && SamePath(args[0], args[1])) {
      errors.distinct.Set(
          "The first operand must be distinct from the remaining operands for this operator or "
          "function; operator: " +
          call.name + ", first operand: " + PathToString(args[0].path));
    }
    if (!errors.function.empty()) return;
    switch (info->function) {
      case Function::kAttributeExists:
      case Function::kAttributeNotExists:
        if (args[0].kind != Operand::Kind::kPath) {
          errors.function.Set(
              "Operator or function requires a document path; operator or function: " + call.name);
        }
        break;
      case Function::kAttributeType: {
        if (args[0].kind != Operand::Kind::kPath) {
          errors.function.Set(
              "Operator or function requires a document path; operator or function: " + call.name);
          break;
        }
        std::optional<ValueType> type = StaticType(args[1]);
        if (type != ValueType::kS) {
          errors.function.Set(OperandTypeError(
              call.name, type ? ValueTypeName(*type) : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
          break;
        }
        if (args[1].value && !IsTypeName(args[1].value->s())) {
          errors.function.Set("Invalid attribute type name found; type: " + args[1].value->s() +
                              ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
        break;
      }
      case Function::kBeginsWith:
        for (const Operand& arg : args) {
          std::optional<ValueType> type = StaticType(arg);
          if (type && *type != ValueType::kS && *type != ValueType::kB) {
            errors.function.Set(OperandTypeError(call.name, ValueTypeName(*type)));
            break;
          }
        }
        break;
      case Function::kSize: {
        std::optional<ValueType> type = StaticType(args[0]);
        if (type &&
            (*type == ValueType::kN || *type == ValueType::kBool || *type == ValueType::kNull)) {
          errors.function.Set(OperandTypeError(call.name, ValueTypeName(*type)));
        }
        break;
      }
      default:
        break;
    }
  }

  void CheckOrderedOperands(std::string_view op, const std::vector<Operand>& operands,
                            OperandErrors& errors) {
    for (const Operand& operand : operands) {
      std::optional<ValueType> type = StaticType(operand);
      if (type && !IsOrderedType(*type)) {
        errors.function.Set(OperandTypeError(op, ValueTypeName(*type)));
        return;
      }
    }
  }

  void CheckCompare(const Condition& c, OperandErrors& errors) {
    std::string_view op = ComparatorText(c.comparator);
    if (SamePath(c.operands[0], c.operands[1])) {
      errors.distinct.Set(
          "The first operand must be distinct from the remaining operands for this operator or "
          "function; operator: " +
          std::string(op) + ", first operand: " + PathToString(c.operands[0].path));
    }
    if (c.comparator != Comparator::kEq && c.comparator != Comparator::kNe) {
      CheckOrderedOperands(op, c.operands, errors);
    }
  }

  void CheckBetween(const Condition& c, OperandErrors& errors) {
    CheckOrderedOperands("BETWEEN", c.operands, errors);
    if (!errors.function.empty()) return;
    const Operand& low = c.operands[1];
    const Operand& high = c.operands[2];
    if (low.kind != Operand::Kind::kValue || high.kind != Operand::Kind::kValue || !low.value ||
        !high.value) {
      return;
    }
    std::string bounds = "lower bound operand: " + BoundText(*low.value) +
                         ", upper bound operand: " + BoundText(*high.value);
    if (low.value->type() != high.value->type()) {
      errors.function.Set(
          "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
      return;
    }
    std::optional<int> order = CompareOrdered(*low.value, *high.value);
    if (order && *order > 0) {
      errors.function.Set(
          "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
          bounds);
    }
  }

  ExpressionAttributes& attributes_;
  Slot unknown_function_;
  Slot misused_function_;
  PathErrors paths_;
  Slot condition_;
};

// ---- Updates

class UpdateChecker {
 public:
  explicit UpdateChecker(ExpressionAttributes& attributes) : attributes_(attributes) {}

  Status Check(UpdateExpression& expression) {
    for (UpdateAction& action : expression.actions) {
      ResolvePath(action.path, attributes_, paths_, errors_.names);
      switch (action.kind) {
        case UpdateActionKind::kSet:
          VisitValue(action.value);
          break;
        case UpdateActionKind::kAdd:
        case UpdateActionKind::kDelete:
          ResolveValue(action.value, attributes_, errors_.values);
          CheckAddDeleteOperand(action);
          break;
        case UpdateActionKind::kRemove:
          break;
      }
    }
    Slot section;
    for (size_t i = 0; i < expression.clauses.size() && section.empty(); i++) {
      for (size_t j = 0; j < i; j++) {
        if (expression.clauses[j] == expression.clauses[i]) {
          section.Set("The \"" + std::string(UpdateActionName(expression.clauses[i])) +
                      "\" section can only be used once in an update expression;");
          break;
        }
      }
    }
    Slot overlap, conflict;
    if (errors_.names.empty()) {
      std::vector<const DocumentPath*> targets;
      targets.reserve(expression.actions.size());
      for (const UpdateAction& action : expression.actions) targets.push_back(&action.path.path);
      CheckOverlaps(targets, overlap, conflict);
    }
    for (const Slot* slot :
         {&paths_.reserved, &unknown_function_, &section, &errors_.names, &errors_.values,
          &paths_.limit, &overlap, &conflict, &add_delete_operand_, &errors_.function}) {
      if (!slot->empty()) return ValidationError(slot->message());
    }
    return Status::OK();
  }

 private:
  void VisitValue(Operand& op) {
    switch (op.kind) {
      case Operand::Kind::kPath:
        ResolvePath(op, attributes_, paths_, errors_.names);
        break;
      case Operand::Kind::kValue:
        ResolveValue(op, attributes_, errors_.values);
        break;
      case Operand::Kind::kFunction:
        for (Operand& arg : op.args) VisitValue(arg);
        CheckFunction(op);
        break;
      case Operand::Kind::kPlus:
      case Operand::Kind::kMinus: {
        for (Operand& arg : op.args) VisitValue(arg);
        if (!errors_.function.empty()) break;
        std::string_view name = op.kind == Operand::Kind::kPlus ? "+" : "-";
        for (const Operand& arg : op.args) {
          if (arg.kind == Operand::Kind::kValue && arg.value &&
              arg.value->type() != ValueType::kN) {
            errors_.function.Set(OperandTypeError(name, TypeText(*arg.value)));
            break;
          }
        }
        break;
      }
    }
  }

  void CheckFunction(const Operand& call) {
    const FunctionInfo* info = FindFunction(call.name);
    if (info == nullptr) {
      unknown_function_.Set("Invalid function name; function: " + call.name);
      return;
    }
    if (info->place != FunctionPlace::kUpdate) {
      unknown_function_.Set("The function is not allowed in an update expression; function: " +
                            call.name);
      return;
    }
    if (!errors_.function.empty()) return;
    const std::vector<Operand>& args = call.args;
    if (static_cast<int>(args.size()) != info->operands) {
      errors_.function.Set(
          "Incorrect number of operands for operator or function; operator or function: " +
          call.name + ", number of operands: " + std::to_string(args.size()));
      return;
    }
    if (info->function == Function::kIfNotExists) {
      if (args[0].kind != Operand::Kind::kPath) {
        errors_.function.Set(
            "Operator or function requires a document path; operator or function: " + call.name);
      }
      return;
    }
    for (const Operand& arg : args) {  // list_append
      if (arg.kind == Operand::Kind::kValue && arg.value && arg.value->type() != ValueType::kL) {
        errors_.function.Set(OperandTypeError(call.name, TypeText(*arg.value)));
        return;
      }
    }
  }

  // ADD takes a number or a set; DELETE a set.
  void CheckAddDeleteOperand(const UpdateAction& action) {
    if (!action.value.value) return;
    ValueType type = action.value.value->type();
    bool is_set = type == ValueType::kSS || type == ValueType::kNS || type == ValueType::kBS;
    bool ok = is_set || (action.kind == UpdateActionKind::kAdd && type == ValueType::kN);
    if (ok) return;
    std::string op(UpdateActionName(action.kind));
    add_delete_operand_.Set("Incorrect operand type for operator or function; operator: " + op +
                            ", operand type: " + LongTypeName(type) + ", typeSet: ALLOWED_FOR_" +
                            op + "_OPERAND");
  }

  ExpressionAttributes& attributes_;
  PathErrors paths_;
  OperandErrors errors_;
  Slot unknown_function_;
  Slot add_delete_operand_;
};

}  // namespace

Status ValidateCondition(ConditionExpression& expression, ExpressionAttributes& attributes) {
  return ConditionChecker(attributes).Check(expression);
}

Status ValidateUpdate(UpdateExpression& expression, ExpressionAttributes& attributes) {
  return UpdateChecker(attributes).Check(expression);
}

Status ValidateProjection(ProjectionExpression& expression, ExpressionAttributes& attributes) {
  PathErrors paths;
  Slot names;
  for (Operand& path : expression.paths) ResolvePath(path, attributes, paths, names);
  Slot overlap, conflict;
  if (names.empty()) {
    std::vector<const DocumentPath*> all;
    all.reserve(expression.paths.size());
    for (const Operand& path : expression.paths) all.push_back(&path.path);
    CheckOverlaps(all, overlap, conflict);
  }
  for (const Slot* slot : {&paths.reserved, &names, &paths.limit, &overlap, &conflict}) {
    if (!slot->empty()) return ValidationError(slot->message());
  }
  return Status::OK();
}

}  // namespace dynemu::expr
