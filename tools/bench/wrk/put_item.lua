-- PutItem of ~1 KB items under random keys in [0, DYNEMU_BENCH_KEYS).
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
local common = require("common")

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  local key = math.random(0, common.keys - 1)
  local body = string.format(
    '{"TableName":"%s","Item":{"id":{"S":"k%d"},"n":{"N":"%d"},"payload":{"S":"%s"}}}',
    common.table, key, key, common.payload)
  return wrk.format("POST", "/", common.headers("PutItem"), body)
end

done = common.done
