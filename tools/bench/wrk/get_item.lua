-- GetItem of random keys in [0, DYNEMU_BENCH_KEYS); preload them with put_item.lua first.
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
  local body = string.format('{"TableName":"%s","Key":{"id":{"S":"k%d"}}}', common.table, key)
  return wrk.format("POST", "/", common.headers("GetItem"), body)
end

done = common.done
