-- wrk script: every request posts a different comment from a different reader.
-- The server trusts 127.0.0.1 as a proxy for the run, so X-Forwarded-For names the reader.
local counter = 0
-- A global, not a local: setup() sets it in each thread's own Lua state.
thread_id = 0
local next_thread = 0
-- Part of every text, so that a second run's comments are not duplicates of the first's.
local run = os.time()

setup = function(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

request = function()
  counter = counter + 1
  local n = thread_id * 100000000 + counter
  -- wrk runs LuaJIT (Lua 5.1): no integer division operator.
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local body = string.format(
    '{"name":"Reader %d","body":"Comment number %d of run %d from the load test, about the rail line and its timetable %d."}',
    n, n, run, n * 7919)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-Forwarded-For"] = ip,
  }, body)
end

-- Tally the answers, so a refusal is seen for what it is (wrk copies only plain values
-- between its threads' Lua states, hence numbers and a string rather than a table).
created, refused, failed, sample = 0, 0, 0, ""
response = function(status, headers, body)
  if status < 300 then
    created = created + 1
  elseif status < 500 then
    refused = refused + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 160) end
  else
    failed = failed + 1
    if sample == "" then sample = status .. " " .. string.sub(body, 1, 160) end
  end
end

local threads = {}
local first_setup = setup
setup = function(thread)
  first_setup(thread)
  table.insert(threads, thread)
end

done = function(summary, latency, requests)
  local c, r, f, example = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    r = r + thread:get("refused")
    f = f + thread:get("failed")
    if example == "" then example = thread:get("sample") end
  end
  io.stderr:write(string.format("answers: %d created, %d refused (4xx), %d failed (5xx)%s\n",
    c, r, f, example ~= "" and ("; e.g. " .. example) or ""))
end
