-- wrk script for bench/ingest: the HTTP ceiling, GET of a static endpoint
-- (/healthz) of the same server. Counts responses that are not 200 and prints, in
-- done(): "LUA requests=N non200=N p50_us= p90_us= p99_us= max_us= duration_us=".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non200 = 0

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non200") or 0) end
  local e = summary.errors
  io.write(string.format(
    "LUA requests=%d non200=%d socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d duration_us=%d\n",
    summary.requests, bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, summary.duration))
end
