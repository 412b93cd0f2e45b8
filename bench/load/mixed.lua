-- A mixed read load for `wrk`: searches (with facets), paper pages, name clusters and API calls.
-- Paths are read from paths.txt (one per line), made by bench/load/run from the data directory.
local paths = {}
for line in io.lines(os.getenv("ARROW_PATHS") or "paths.txt") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
local errors = 0
response = function(status, headers, body)
  if status >= 400 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("requests: %d\nduration_s: %.1f\nrps: %.0f\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("p50_ms: %.2f\np90_ms: %.2f\np99_ms: %.2f\nmax_ms: %.2f\n", latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3))
  io.write(string.format("socket_errors: %d\nhttp_errors: %d\n", summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
