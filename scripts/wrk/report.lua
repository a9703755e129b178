-- Shared by the benchmark's wrk scripts (wrk 4.1, LuaJIT): numbers the threads and prints the run as one JSON
-- line in done(), which scripts/bench.ts parses (server/bench/wrk.ts). Loaded with require("report").
local report = {}
local threads = {}

-- Runs in wrk's main Lua state once per thread, before that thread's init(): ids start at 1.
function report.setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local function encode(value)
  local kind = type(value)
  if kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then return "null" end
    return string.format("%.14g", value)
  elseif kind == "string" then
    return '"' .. value:gsub('[%c"\\]', function(character) return string.format("\\u%04x", character:byte()) end) .. '"'
  elseif kind == "boolean" then
    return tostring(value)
  elseif kind == "table" then
    local parts = {}
    for key, inner in pairs(value) do
      table.insert(parts, encode(tostring(key)) .. ":" .. encode(inner))
    end
    table.sort(parts)
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return "null"
end

-- Sums a global of every thread: a number, or a table of counts (e.g. statuses[code] = count) key by key.
function report.sum(name)
  local totals = nil
  for _, thread in ipairs(threads) do
    local value = thread:get(name)
    if type(value) == "number" then
      totals = (totals or 0) + value
    elseif type(value) == "table" then
      totals = totals or {}
      for key, count in pairs(value) do totals[key] = (totals[key] or 0) + count end
    end
  end
  return totals
end

-- A global as the first thread has it (e.g. a seed every thread was given).
function report.first(name)
  return threads[1] and threads[1]:get(name)
end

-- wrk measures in microseconds; the report is in milliseconds and seconds. extra: the script's own fields.
function report.done(summary, latency, extra)
  local fields = {
    requests = summary.requests,
    durationSeconds = summary.duration / 1e6,
    bytes = summary.bytes,
    errors = summary.errors,
    threads = #threads,
    latencyMs = {
      p50 = latency:percentile(50) / 1000,
      p90 = latency:percentile(90) / 1000,
      p99 = latency:percentile(99) / 1000,
      max = latency.max / 1000,
      mean = latency.mean / 1000,
    },
  }
  for key, value in pairs(extra or {}) do fields[key] = value end
  io.write(encode(fields), "\n")
end

return report
