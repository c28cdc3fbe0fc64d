-- Turns a script's results into one ASCII string, the same way in any Lua 5.1 (locals only: Redis forbids new globals).
local function __str(s)
  return '"' .. (string.gsub(s, '[^ -~]', function(c) return string.format('\\%03d', string.byte(c)) end)) .. '"'
end
local function __hex(s)
  return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))
end
local __val
__val = function(v, depth, seen)
  local t = type(v)
  if t == 'string' then return __str(v) end
  if t == 'number' then return string.format('%.17g', v) end
  if t == 'boolean' or t == 'nil' then return tostring(v) end
  if t == 'userdata' then return v == cjson.null and 'cjson.null' or 'userdata' end
  if t ~= 'table' then return t end
  if seen[v] then return '<cycle>' end
  if depth > 40 then return '<deep>' end
  seen[v] = true
  local items = {}
  for k, x in pairs(v) do items[#items + 1] = '[' .. __val(k, depth + 1, seen) .. ']=' .. __val(x, depth + 1, seen) end
  seen[v] = nil
  table.sort(items)
  return '{' .. table.concat(items, ',') .. '}'
end
local function __ser(...)
  local out = { 'n=' .. select('#', ...) }
  for i = 1, select('#', ...) do out[#out + 1] = __val((select(i, ...)), 0, {}) end
  return table.concat(out, ' ')
end
