-- wrk script: send pre-signed requests from a file, each thread its own disjoint share of lines.
-- usage: wrk ... -s signed.lua URL -- PATH FILE THREADS
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  path, file, nthreads = args[1], args[2], tonumber(args[3])
  lines = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == thread_index then
      local ts, sig, body = line:match("^(%d+)\t([^\t]+)\t(.*)$")
      table.insert(lines, {ts, sig, body})
    end
    n = n + 1
  end
  counter = 0
end

function request()
  counter = counter + 1
  local item = lines[((counter - 1) % #lines) + 1]
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["X-Moratorium-Timestamp"] = item[1],
    ["X-Moratorium-Signature"] = item[2],
  }, item[3])
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    'RESULT {"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, ' ..
    '"max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
