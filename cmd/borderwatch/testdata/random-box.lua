-- wrk script for `task bench:http`: every request asks for the first 100
-- incidents of a different 0.4° × 0.4° box over Tunisia and Libya, with
-- their count, so no response comes from the response cache.
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
request = function()
  local lon = 9.7 + math.random() * 3.6
  local lat = 30.7 + math.random() * 5.6
  local path = string.format("/collections/incidents/items?f=json&limit=100&bbox=%.6f,%.6f,%.6f,%.6f",
    lon - 0.2, lat - 0.2, lon + 0.2, lat + 0.2)
  return wrk.format("GET", path)
end
