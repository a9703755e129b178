-- Closed-loop purchases: each connection sends its next POST as soon as the previous one is answered. Every
-- request gets a unique purchaseId (tag, thread id, counter), an item picked at random from the list (the
-- seed is reported), and, with restockEvery=N, every Nth request of a thread is a seller's restock instead.
-- Usage: wrk -t1 -c200 -d8s --latency --timeout 15s -s scripts/wrk/purchase.lua http://127.0.0.1:3200 -- \
--   path=/api/purchases?wait=10000 items=a,b,c tag=hot quantity=1 seed=42 [restockEvery=10 restockQuantity=5 sellerToken=T]
package.path = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "?.lua;" .. package.path
local report = require("report")

setup = report.setup

local options, items, purchaseHeaders, restockHeaders
local sent = 0
-- Globals, so that done() can read them from every thread with thread:get.
statuses = {}
restocks = 0
seed = 0

function init(args)
  options = { path = "/api/purchases", quantity = "1", seed = "1", restockEvery = "0", restockQuantity = "1" }
  for _, argument in ipairs(args) do
    local key, value = argument:match("^([%w]+)=(.*)$")
    if not key then error("arguments are key=value, got " .. argument) end
    options[key] = value
  end
  items = {}
  for item in (options.items or ""):gmatch("[^,]+") do table.insert(items, item) end
  if #items == 0 or not options.tag then error("items=a,b,... and tag= are required") end
  options.restockEvery = tonumber(options.restockEvery)
  -- One stream of picks per thread, reproducible from the reported seed.
  seed = tonumber(options.seed)
  math.randomseed(seed + id)
  purchaseHeaders = { ["Content-Type"] = "application/json" }
  restockHeaders = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (options.sellerToken or "") }
end

function request()
  sent = sent + 1
  local item = items[math.random(#items)]
  if options.restockEvery > 0 and sent % options.restockEvery == 0 then
    restocks = restocks + 1
    local body = string.format('{"itemId":"%s","description":"Storm restock","quantity":%s}', item, options.restockQuantity)
    return wrk.format("POST", "/api/items", restockHeaders, body)
  end
  local body = string.format('{"purchaseId":"%s-%d-%d","itemId":"%s","quantity":%s,"purchasedBy":"wrk-%s"}',
    options.tag, id, sent, item, options.quantity, options.tag)
  return wrk.format("POST", options.path, purchaseHeaders, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  report.done(summary, latency, {
    script = "purchase",
    seed = report.first("seed"),
    statuses = report.sum("statuses") or {},
    restocks = report.sum("restocks") or 0,
  })
end
