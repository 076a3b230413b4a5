#pragma once

// Query and Scan. Each handler runs after the pipeline's shape check; it performs
// the operation's own validation in DynamoDB's order (expression and legacy
// parameters, Select, segments, then what needs the table: key conditions,
// ExclusiveStartKey), then reads one page through Engine::QueryPartition or
// Engine::ScanSegment.
//
// Paging as DynamoDB pages: a page ends after Limit items or after the item that
// brings the data read to 1 MB, whichever comes first, counted before the filter
// and projection; reaching either limit answers LastEvaluatedKey (the table key of
// the last item read), even when nothing was left to read and even when the filter
// kept no item. Count is the items kept by the filter, ScannedCount the items read.
// Capacity is rounded once over the bytes read.
//
// With IndexName both read a secondary index: key conditions name the index's
// keys, rows are the projected entries (a page sized on them), and
// ExclusiveStartKey / LastEvaluatedKey hold the index's keys and the table's.
// A GSI refuses ConsistentRead, ALL_ATTRIBUTES without an ALL projection, a
// projection naming attributes it does not project, and reads while it
// backfills; an LSI fetches what it does not project from the table (charged as
// a read of each whole item). A deleting index is not found.

#include "ops/operation_table.h"

namespace dynemu {

Status HandleQuery(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleScan(OpContext& ctx, const json::Value& request, json::Writer& out);

}  // namespace dynemu
