#pragma once

// The table operations: CreateTable, DescribeTable, ListTables, DeleteTable,
// UpdateTable, the tags (TagResource, UntagResource, ListTagsOfResource) and
// Time to Live (DescribeTimeToLive, UpdateTimeToLive).
//
// Each handler runs after the pipeline's shape check (member types, the model's
// lengths, patterns, enums and ranges), then performs the operation's own
// validation with DynamoDB's messages in DynamoDB's order, then the work. A
// handler returns an error Status and writes nothing, or writes the whole
// response object. Thread-safe: table changes go through Engine::UpdateTable,
// which serializes them.
//
// Wherever an operation takes a TableName, the table's ARN is accepted too, as
// DynamoDB accepts it.
//
// The handlers live in table_ops.cc (CreateTable, DescribeTable, ListTables,
// DeleteTable), update_table_ops.cc (UpdateTable), tag_ops.cc and ttl_ops.cc;
// what they share is in table_ops_internal.h.

#include "ops/operation_table.h"
#include "schema/table_description.h"

namespace dynemu {

Status HandleCreateTable(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleDescribeTable(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleListTables(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleDeleteTable(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleUpdateTable(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleTagResource(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleUntagResource(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleListTagsOfResource(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleDescribeTimeToLive(OpContext& ctx, const json::Value& request, json::Writer& out);
Status HandleUpdateTimeToLive(OpContext& ctx, const json::Value& request, json::Writer& out);

// The decoded, validated CreateTable request: the description the engine is
// asked to create (ids, ARNs, creation time and stream label still unassigned).
struct CreateTableInput {
  TableDescription desc;
};

// Decodes and validates a CreateTable request; needs no engine, since nothing
// CreateTable checks depends on the tables that exist (except the name, which
// the engine checks). REQUIRES: `request` passed CheckRequestShape.
Result<CreateTableInput> DecodeCreateTable(const json::Value& request);

// The table name a TableName member designates: the name itself, or the name
// inside a table ARN of this region and account. Anything else is returned as
// given (and then names no table).
std::string ResolveTableName(std::string_view table_name_or_arn);

}  // namespace dynemu
