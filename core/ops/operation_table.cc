#include "ops/operation_table.h"

#include <array>
#include <utility>

#include "ops/batch_ops.h"
#include "ops/item_ops.h"
#include "ops/read_ops.h"
#include "ops/table_ops.h"
#include "ops/transact_ops.h"

namespace dynemu {
namespace {

struct Entry {
  std::string_view name;
  OpHandler handler;
};

// Every operation dynemu implements, under its X-Amz-Target name.
constexpr std::array kOperations = {
    Entry{"BatchGetItem", &HandleBatchGetItem},
    Entry{"BatchWriteItem", &HandleBatchWriteItem},
    Entry{"CreateTable", &HandleCreateTable},
    Entry{"DeleteItem", &HandleDeleteItem},
    Entry{"DeleteTable", &HandleDeleteTable},
    Entry{"DescribeTable", &HandleDescribeTable},
    Entry{"DescribeTimeToLive", &HandleDescribeTimeToLive},
    Entry{"GetItem", &HandleGetItem},
    Entry{"ListTables", &HandleListTables},
    Entry{"ListTagsOfResource", &HandleListTagsOfResource},
    Entry{"PutItem", &HandlePutItem},
    Entry{"Query", &HandleQuery},
    Entry{"Scan", &HandleScan},
    Entry{"TagResource", &HandleTagResource},
    Entry{"TransactGetItems", &HandleTransactGetItems},
    Entry{"TransactWriteItems", &HandleTransactWriteItems},
    Entry{"UntagResource", &HandleUntagResource},
    Entry{"UpdateItem", &HandleUpdateItem},
    Entry{"UpdateTable", &HandleUpdateTable},
    Entry{"UpdateTimeToLive", &HandleUpdateTimeToLive},
};

}  // namespace

OpHandler FindOperation(std::string_view name) {
  for (const Entry& e : kOperations) {
    if (e.name == name) return e.handler;
  }
  return nullptr;
}

}  // namespace dynemu
