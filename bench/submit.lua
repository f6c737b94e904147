-- wrk script for bench/ingest: POSTs complete, valid survey answers to /s/{touchpoint}
-- as a browser would (application/x-www-form-urlencoded), each with its own one-time
-- key `k` so that every request stores a new response.
--
-- Arguments (after `--`): PATH BODY [RUN]
--   PATH  e.g. /s/tk-vastaanotto?u=tk-koivula (the form's action)
--   BODY  the urlencoded form fields without `k` (lang, respondent, q.* answers)
--   RUN   a short [A-Za-z0-9] tag making keys unique across runs (default "r")
-- Counts every response that is not 303 See Other (the acknowledgement of a stored
-- answer) and prints, in done(): "LUA requests=N non303=N status_<code>=N ... p50_us=
-- p90_us= p99_us= max_us= duration_us=".

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

local path, body_prefix, run
local counter = 0
non303 = 0
statuses = {}

function init(args)
  path = args[1]
  body_prefix = args[2]
  run = args[3] or "r"
  if not path or not body_prefix then
    error("usage: wrk ... -s submit.lua URL -- PATH BODY [RUN]")
  end
end

function request()
  counter = counter + 1
  -- 22 characters of the base64url alphabet: run tag, thread id, counter.
  local prefix = string.format("%s%02d", run, tid)
  local k = prefix .. string.format("%0" .. (22 - #prefix) .. "d", counter)
  local body = body_prefix .. "&k=" .. k
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status ~= 303 then
    non303 = non303 + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_non303 = 0
  local by_status = {}
  for _, t in ipairs(threads) do
    total_non303 = total_non303 + (t:get("non303") or 0)
    local st = t:get("statuses")
    if st then
      for code, n in pairs(st) do by_status[code] = (by_status[code] or 0) + n end
    end
  end
  local extra = ""
  for code, n in pairs(by_status) do extra = extra .. string.format(" status_%d=%d", code, n) end
  local e = summary.errors
  io.write(string.format(
    "LUA requests=%d non303=%d%s socket_errors=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d duration_us=%d\n",
    summary.requests, total_non303, extra, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, summary.duration))
end
