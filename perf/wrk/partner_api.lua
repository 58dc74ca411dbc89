-- wrk script for S4 of issue #6 (partner API throughput), driven by perf/load.py: a partner
-- application reads its caseload list and the details of cases it may see, with its bearer token.
--
-- Environment (read in every wrk thread):
--   PGA_BEARER_TOKEN   the OAuth2 access token (sent as "Authorization: Bearer <token>")
--   PGA_CASE_IDS_FILE  a file with one case UUID per line, cases the application may see
--   PGA_LIST_SHARE     share of requests for the caseload list (0..1, default 0.2); the rest are details
--   PGA_LIST_PAGES     the list requests spread over pages 1..N (default 5)
--
-- done() prints one line "PGA_WRK {json}" with requests, duration_s, errors (connect, read, write,
-- timeout, status: every answer outside 2xx) and latency in milliseconds (p50, p95, p99, mean, max).
-- perf.load.parse_wrk_output reads it.

local token = os.getenv("PGA_BEARER_TOKEN") or error("PGA_BEARER_TOKEN ontbreekt")
local ids_file = os.getenv("PGA_CASE_IDS_FILE") or error("PGA_CASE_IDS_FILE ontbreekt")
local list_share = tonumber(os.getenv("PGA_LIST_SHARE") or "0.2")
local list_pages = tonumber(os.getenv("PGA_LIST_PAGES") or "5")

local ids = {}
for line in io.lines(ids_file) do
  if #line > 0 then
    ids[#ids + 1] = line
  end
end
if #ids == 0 then
  error("PGA_CASE_IDS_FILE bevat geen casus-ids")
end

wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function init(args)
  non_2xx = 0
  -- A different sequence per thread; wrk's threads share no state.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  if math.random() < list_share then
    return wrk.format("GET", "/api/v1/cases/?page=" .. math.random(list_pages))
  end
  return wrk.format("GET", "/api/v1/cases/" .. ids[math.random(#ids)] .. "/")
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local status = 0
  for _, thread in ipairs(threads) do
    status = status + (thread:get("non_2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'PGA_WRK {"requests": %d, "duration_s": %.6f, "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"timeout": %d, "status": %d}, "latency_ms": {"p50": %.3f, "p95": %.3f, "p99": %.3f, '
      .. '"mean": %.3f, "max": %.3f}}\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.timeout, status,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    latency.mean / 1e3, latency.max / 1e3
  ))
end
