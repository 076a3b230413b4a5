-- Shared by the wrk scripts: DynamoDB request headers and a fixed-seed key space.
-- Usage: wrk -s tools/bench/wrk/put_item.lua http://127.0.0.1:8000/  (see README, Performance)

local M = {}

M.table = os.getenv("DYNEMU_BENCH_TABLE") or "bench"
M.keys = tonumber(os.getenv("DYNEMU_BENCH_KEYS") or "10000")

function M.headers(operation)
  return {
    ["Content-Type"] = "application/x-amz-json-1.0",
    ["X-Amz-Target"] = "DynamoDB_20120810." .. operation,
    ["X-Amz-Date"] = "20250101T000000Z",
    ["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0",
  }
end

-- A ~1 KB payload attribute, the same for every item.
M.payload = string.rep("x", 1000)


function M.done(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\n", summary.errors.status))
end

return M
