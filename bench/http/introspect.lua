-- wrk script: POST one token, read from the file named after "--", to an introspection endpoint.
--   wrk -t2 -c16 -d10s --latency -s introspect.lua http://127.0.0.1:8471/default/introspect -- valid.jwt
local token_file

function init(args)
  token_file = args[1]
  local f = assert(io.open(token_file, "r"))
  local token = f:read("*l")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = "token=" .. token
end

function done(summary, latency, requests)
  io.write(string.format("p50_us=%d p99_us=%d rps=%.0f errors=%d\n", latency:percentile(50), latency:percentile(99),
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
