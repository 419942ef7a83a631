-- wrk script: replay the requests of $BENCH_REQUESTS (METHOD<TAB>PATH<TAB>BODY<TAB>TOKEN lines).
-- Thread i of n sends lines i, i+n, i+2n, ... so that writes never repeat across
-- threads; done() prints one JSON line starting with "BENCH ".
local lines = {}
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("index", counter - 1)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS"))
  local i = 0
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    if i % n == index then
      local method, path, body, token = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      table.insert(lines, {method, path, body, token})
    end
    i = i + 1
  end
  if #lines == 0 then  -- fewer lines than threads: every thread replays them all
    for line in io.lines(os.getenv("BENCH_REQUESTS")) do
      local method, path, body, token = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      table.insert(lines, {method, path, body, token})
    end
  end
  position = 0
end

function request()
  position = position % #lines + 1
  local r = lines[position]
  local headers = {["Accept"] = "application/json"}
  if r[4] ~= "" then
    headers["Authorization"] = "Bearer " .. r[4]
  end
  if r[3] ~= "" then
    headers["Content-Type"] = "application/json"
    return wrk.format(r[1], r[2], headers, r[3])
  end
  return wrk.format(r[1], r[2], headers, nil)
end

function done(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'BENCH {"p50_us": %d, "p95_us": %d, "requests": %d, "duration_us": %d, "errors": %d}\n',
    latency:percentile(50), latency:percentile(95), summary.requests, summary.duration, errors))
end
