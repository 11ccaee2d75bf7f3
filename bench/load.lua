-- 50 users over the journeys' pages: each connection walks the list of pages from its own
-- place, with the session of the person whose page it is. Reads LOAD_REQUESTS (path, cookie).
local pages = {}
local position = 1

function init(args)
  for line in io.lines(os.getenv("LOAD_REQUESTS")) do
    local path, cookie = line:match("([^\t]+)\t(.+)")
    table.insert(pages, wrk.format("GET", path, {["Cookie"] = cookie, ["Accept-Language"] = "fi"}))
  end
  position = math.random(#pages)
end

function request()
  local next_request = pages[position]
  position = position % #pages + 1
  return next_request
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("requests %d in %.0f s: %.1f req/s\n", summary.requests,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("errors: connect %d, read %d, write %d, HTTP status %d, timeout %d\n",
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
  io.write(string.format("latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
