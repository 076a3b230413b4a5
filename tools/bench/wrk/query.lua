-- Query of one whole partition, chosen at random among DYNEMU_BENCH_PARTITIONS
-- partitions "p0".."pN-1" of table DYNEMU_BENCH_TABLE (hash pk S, range sk N).
-- Load the table first with tools/bench/query_scan.py, which also prints the
-- wrk command line.
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local partitions = tonumber(os.getenv("DYNEMU_BENCH_PARTITIONS") or "5000")

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  local p = math.random(0, partitions - 1)
  local body = string.format(
    '{"TableName":"%s","KeyConditionExpression":"pk = :p",' ..
    '"ExpressionAttributeValues":{":p":{"S":"p%d"}}}', common.table, p)
  return wrk.format("POST", "/", common.headers("Query"), body)
end

done = common.done
