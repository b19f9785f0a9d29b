-- wrk script for GET requests (JWKS): only prints the same one-line summary as introspect.lua.
function done(summary, latency, requests)
  io.write(string.format("p50_us=%d p99_us=%d rps=%.0f errors=%d\n", latency:percentile(50), latency:percentile(99),
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout))
end
