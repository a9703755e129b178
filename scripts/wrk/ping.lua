-- The framework ceilings: GETs of one path (wrk's URL) with nothing in Lua per request, so that wrk itself
-- costs as little as it can. Non-2xx answers show as errors.status in the report.
-- Usage: wrk -t1 -c200 -d8s --latency --timeout 15s -s scripts/wrk/ping.lua http://127.0.0.1:3200/api/ping
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

setup = report.setup

function done(summary, latency, requests)
  report.done(summary, latency, { script = "ping" })
end
