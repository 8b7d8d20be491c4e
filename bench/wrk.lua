-- wrk script of `make bench`: the request comes from the environment, the summary goes out as
-- one JSON line (latencies in microseconds) that bench/run.py reads.
--   BENCH_METHOD   GET (default) or POST
--   BENCH_BODY     request body (POST)
--   BENCH_HEADERS  header lines separated by "\n" ("Cookie: …\nX-CSRFToken: …")
--   BENCH_VARY     "1": a new query string on every request (never served from a cache)
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
end
local headers = os.getenv("BENCH_HEADERS") or ""
for line in string.gmatch(headers, "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

if os.getenv("BENCH_VARY") == "1" then
  local n = 0
  request = function()
    n = n + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "bench=" .. tostring(tid) .. "-" .. n)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "errors_status": %d, "errors_connect": %d, '
      .. '"errors_read": %d, "errors_write": %d, "errors_timeout": %d, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
