-- wrk script: every request posts a different comment from a different reader.
-- The server trusts 127.0.0.1 as a proxy for the run, so X-Forwarded-For names the reader.
local counter = 0
local thread_id = 0

setup = function(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

request = function()
  counter = counter + 1
  local n = thread_id * 100000000 + counter
  local ip = string.format("10.%d.%d.%d", (n // 65536) % 256, (n // 256) % 256, n % 256)
  local body = string.format(
    '{"name":"Reader %d","body":"Comment number %d from the load test, about the rail line and its timetable %d."}',
    n, n, n * 7919)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = ip,
  }, body)
end
