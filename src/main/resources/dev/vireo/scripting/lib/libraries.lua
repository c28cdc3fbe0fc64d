-- The libraries Redis 7.0 gives scripts besides Lua's own: cjson (lua-cjson 2.1.0 as Redis patches it),
-- cmsgpack (lua-cmsgpack 0.4.0), bit (LuaBitOp 1.0.2) and struct (Roberto Ierusalimschy's struct library).
--
-- Run once per Lua state by ScriptLibraries.open with a table of Java helpers: defines the four library tables,
-- read-only, and returns the function that makes read-only views. Every public function is a C function on the
-- Lua side (a Java trampoline, J.wrap) that calls the implementation below, so that error positions,
-- debug.getinfo and argument-error names are those of a C library, as in Redis: raise() prefixes the position of the code that called the library function, as
-- luaL_error does, and errors Lua's core raises from C (lua_settable's "table index is nil") have none.

local J = ...

local type, tostring, tonumber, select, next, error = type, tostring, tonumber, select, next, error
local rawget, rawset, setmetatable, getmetatable, newproxy = rawget, rawset, setmetatable, getmetatable, newproxy
local sfmt, sbyte, schar, ssub, sfind, sgsub = string.format, string.byte, string.char, string.sub, string.find, string.gsub
local smatch, slower, srep = string.match, string.lower, string.rep
local concat = table.concat
local floor, huge = math.floor, math.huge
local getinfo = debug and debug.getinfo

local wrap, wrapmulti = J.wrap, J.wrapmulti
local bitop, tohex = J.bitop, J.tohex
local f32, f32bits, f32from, f64bits, f64from = J.f32, J.f32bits, J.f32from, J.f64bits, J.f64from
local touint64, getint, toint, toint64, makenan = J.touint64, J.getint, J.toint, J.toint64, J.nan

-- LUAI_MAXCSTACK: a C function may hold at most this many stack slots (lua_checkstack fails beyond it).
local MAXCSTACK = 8000
local INT_MAX = 2147483647
local TWO32 = 4294967296

---------------------------------------------------------------------------------------------------------------
-- Argument checks with the texts of lauxlib (luaL_argerror, luaL_typerror, luaL_check*)
---------------------------------------------------------------------------------------------------------------

-- The stack level of the running library function (the trampoline: the first C frame up the stack), seen from
-- the caller of this function.
local function library_level()
  local level = 3
  while true do
    local ar = getinfo(level, 'S')
    if not ar then return nil end
    if ar.what == 'C' then return level - 1 end
    level = level + 1
  end
end

-- luaL_error: the message, prefixed with the position of the code that called the library function.
local function raise(msg)
  if getinfo then
    local level = library_level()
    local caller = level and getinfo(level + 1, 'Sl')
    if caller and caller.currentline > 0 then
      msg = caller.short_src .. ':' .. caller.currentline .. ': ' .. msg
    end
  end
  error(msg, 0)
end

-- luaL_argerror, naming the function as the calling instruction does.
local function argerror(narg, msg)
  local name, namewhat = '?', ''
  if getinfo then
    local level = library_level()
    local ar = level and getinfo(level, 'n')
    if ar then name, namewhat = ar.name or '?', ar.namewhat or '' end
  end
  if namewhat == 'method' then
    narg = narg - 1
    if narg == 0 then raise(sfmt("calling '%s' on bad self (%s)", name, msg)) end
  end
  raise(sfmt("bad argument #%d to '%s' (%s)", narg, name, msg))
end

local function typerror(narg, tname, got)
  argerror(narg, tname .. ' expected, got ' .. got)
end

-- The type name of argument k of n given (luaL_typename): "no value" past the last one.
local function typeat(k, n, v)
  if k > n then return 'no value' end
  return type(v)
end

-- luaL_checklstring: strings, and numbers as tostring writes them.
local function checkstring(k, n, v)
  local t = type(v)
  if t == 'string' then return v end
  if t == 'number' and k <= n then return tostring(v) end
  typerror(k, 'string', typeat(k, n, v))
end

-- luaL_checknumber: numbers, and strings that convert.
local function checknumber(k, n, v)
  local x = (k <= n) and tonumber(v) or nil
  if x == nil then typerror(k, 'number', typeat(k, n, v)) end
  return x
end

-- luaL_checkinteger stored in a C int: truncated to 64 bits, then to the low 32.
local function checkint(k, n, v)
  return toint(checknumber(k, n, v))
end

-- luaL_optinteger: a lua_Integer (64 bits, truncated), as a double.
local function optinteger(k, n, v, default)
  if k > n or v == nil then return default end
  return toint64(checknumber(k, n, v))
end

local function band(a, b) return bitop(1, a, b) end

---------------------------------------------------------------------------------------------------------------
-- Read-only tables, as Redis 7.0 makes the libraries (and every table reachable from the globals)
---------------------------------------------------------------------------------------------------------------

local readonly_newindex = wrap(function()
  raise('Attempt to modify a readonly table')
end)

-- Proxy -> library table, so that encoders see the library's content as Redis's would.
local PROXIED = setmetatable({}, { __mode = 'k' })

local function readonly(t)
  local proxy = setmetatable({}, { __index = t, __newindex = readonly_newindex, __metatable = false })
  PROXIED[proxy] = t
  return proxy
end

---------------------------------------------------------------------------------------------------------------
-- cjson
---------------------------------------------------------------------------------------------------------------

-- cjson.null is C's NULL as a light userdata in Redis: one value of type userdata, shared by every instance.
local NULL = newproxy(true)
do
  local mt = getmetatable(NULL)
  mt.__tostring = function() return 'userdata: (nil)' end
  mt.__metatable = false
end

local ESCAPES = {}
for i = 0, 31 do ESCAPES[schar(i)] = sfmt('\\u%04x', i) end
ESCAPES['\b'], ESCAPES['\t'], ESCAPES['\n'], ESCAPES['\f'], ESCAPES['\r'] = '\\b', '\\t', '\\n', '\\f', '\\r'
ESCAPES['"'], ESCAPES['\\'], ESCAPES['/'], ESCAPES['\127'] = '\\"', '\\\\', '\\/', '\\u007f'
local ESCAPE_PATTERN = '[%z\1-\31"\\/\127]'

local UNESCAPES = { [34] = '"', [92] = '\\', [47] = '/', [98] = '\b', [102] = '\f', [110] = '\n', [114] = '\r',
  [116] = '\t', [117] = 'u' }

local SINGLE_TOKENS = { [123] = 'T_OBJ_BEGIN', [125] = 'T_OBJ_END', [91] = 'T_ARR_BEGIN', [93] = 'T_ARR_END',
  [58] = 'T_COLON', [44] = 'T_COMMA' }
-- Bytes that start a literal, a number or a string; any other byte is an invalid token.
local LITERAL_START = { [102] = true, [105] = true, [73] = true, [110] = true, [78] = true, [116] = true,
  [34] = true, [43] = true, [45] = true }
for c = 48, 57 do LITERAL_START[c] = true end

local POS_NAN, NEG_NAN = makenan(false), makenan(true)

-- strtod(3) as glibc parses a prefix of s from i: the value and the position after it, or nil.
local function strtod(s, i)
  local j = i
  local c = sbyte(s, j)
  if c == 43 or c == 45 then j = j + 1 end
  local word = slower(ssub(s, j, j + 2))
  if word == 'inf' then
    local e = j + 3
    if slower(ssub(s, j, j + 7)) == 'infinity' then e = j + 8 end
    return (c == 45) and -huge or huge, e
  elseif word == 'nan' then
    local e = j + 3
    local paren = smatch(s, '^%([%w_]*%)', e)
    if paren then e = e + #paren end
    return (c == 45) and NEG_NAN or POS_NAN, e
  end
  local e
  local c1, c2 = sbyte(s, j, j + 1)
  if c1 == 48 and (c2 == 120 or c2 == 88) then
    local m = smatch(s, '^%x*%.?%x*', j + 2)
    if sfind(m, '%x') then
      e = j + 2 + #m
      local x = smatch(s, '^[pP][+-]?%d+', e)
      if x then e = e + #x end
    else
      e = j + 1
    end
  else
    local m = smatch(s, '^%d*%.?%d*', j)
    if not sfind(m, '%d') then return nil end
    e = j + #m
    local x = smatch(s, '^[eE][+-]?%d+', e)
    if x then e = e + #x end
  end
  return tonumber(ssub(s, i, e - 1)), e
end

local function utf8(cp)
  if cp <= 0x7F then return schar(cp) end
  if cp <= 0x7FF then return schar(0xC0 + floor(cp / 64), 0x80 + cp % 64) end
  if cp <= 0xFFFF then
    return schar(0xE0 + floor(cp / 4096), 0x80 + floor(cp / 64) % 64, 0x80 + cp % 64)
  end
  return schar(0xF0 + floor(cp / 262144), 0x80 + floor(cp / 4096) % 64, 0x80 + floor(cp / 64) % 64,
    0x80 + cp % 64)
end

local ENUM_BOOL = { [0] = 'off', 'on' }
local ENUM_INVALID = { [0] = 'off', 'on', 'null' }

-- Tables get their fields in the order (and with the sizes) the C libraries give them, so pairs() walks
-- them in Redis's order.
local new_cjson
local cjson_new = wrap(function() return new_cjson() end)

new_cjson = function()
  local cfg = {
    sparse_convert = 0, sparse_ratio = 2, sparse_safe = 10,
    encode_max_depth = 1000, decode_max_depth = 1000,
    encode_invalid = 0, decode_invalid = 1, keep_buffer = 1,
    precision = 14, numfmt = '%.14g',
  }

  -- Encoding ------------------------------------------------------------------------------------------------
  local buf, n, used

  local function put_number(x)
    if x ~= x or x == huge or x == -huge then
      local mode = cfg.encode_invalid
      if mode == 0 then raise('Cannot serialise number: must not be NaN or Inf') end
      if mode ~= 1 then n = n + 1; buf[n] = 'null'; return end
      if x ~= x then n = n + 1; buf[n] = 'nan'; return end
    end
    n = n + 1; buf[n] = sfmt(cfg.numfmt, x)
  end

  -- The array length of t, or -1 when t is to be an object (lua_array_length).
  local function array_length(t)
    local max, items = 0, 0
    for k in next, t do
      if type(k) == 'number' and k >= 1 and floor(k) == k then
        -- max is a C int: a key past INT_MAX stores INT_MIN (x86's answer), which makes the table an object.
        if k > max then max = (k > INT_MAX) and -INT_MAX - 1 or k end
        items = items + 1
      else
        return -1
      end
    end
    if cfg.sparse_ratio > 0 and max > items * cfg.sparse_ratio and max > cfg.sparse_safe then
      if cfg.sparse_convert == 0 then raise('Cannot serialise table: excessively sparse array') end
      return -1
    end
    return max
  end

  local put_value
  put_value = function(v, depth)
    local t = type(v)
    if t == 'string' then
      n = n + 1; buf[n] = '"' .. sgsub(v, ESCAPE_PATTERN, ESCAPES) .. '"'
    elseif t == 'number' then
      put_number(v)
    elseif t == 'boolean' then
      n = n + 1; buf[n] = v and 'true' or 'false'
    elseif t == 'nil' then
      n = n + 1; buf[n] = 'null'
    elseif t == 'table' then
      v = PROXIED[v] or v
      depth = depth + 1
      if depth > cfg.encode_max_depth or used + 3 > MAXCSTACK then
        raise(sfmt('Cannot serialise, excessive nesting (%d)', depth))
      end
      local len = array_length(v)
      if len > 0 then
        used = used + 1
        n = n + 1; buf[n] = '['
        for i = 1, len do
          if i > 1 then n = n + 1; buf[n] = ',' end
          put_value(rawget(v, i), depth)
        end
        n = n + 1; buf[n] = ']'
        used = used - 1
      else
        used = used + 2
        n = n + 1; buf[n] = '{'
        local first = true
        for k, val in next, v do
          if first then first = false else n = n + 1; buf[n] = ',' end
          local kt = type(k)
          if kt == 'string' then
            n = n + 1; buf[n] = '"' .. sgsub(k, ESCAPE_PATTERN, ESCAPES) .. '":'
          elseif kt == 'number' then
            n = n + 1; buf[n] = '"'
            put_number(k)
            n = n + 1; buf[n] = '":'
          else
            raise(sfmt('Cannot serialise %s: table key must be a number or string', kt))
          end
          put_value(val, depth)
        end
        n = n + 1; buf[n] = '}'
        used = used - 2
      end
    elseif v == NULL then
      n = n + 1; buf[n] = 'null'
    else
      raise(sfmt('Cannot serialise %s: type not supported', t))
    end
  end

  local function encode(...)
    if select('#', ...) ~= 1 then argerror(1, 'expected 1 argument') end
    buf, n, used = {}, 0, 1
    put_value((...), 0)
    local s = concat(buf, '', 1, n)
    buf = nil
    return s
  end

  -- Decoding ------------------------------------------------------------------------------------------------
  -- S is the text up to its first NUL (where the C parser stops), P the next byte, depth and used as in C.
  local S, LEN, P, depth

  local function is_invalid_number(p)
    local c = sbyte(S, p)
    if c == 43 then return true end
    if c == 45 then p = p + 1; c = sbyte(S, p) end
    if c == 48 then
      local c2 = sbyte(S, p + 1)
      return c2 ~= nil and (c2 == 120 or c2 == 88 or (c2 >= 48 and c2 <= 57))
    end
    if c == nil or c <= 57 or c >= 128 then return false end
    local word = slower(ssub(S, p, p + 2))
    return word == 'inf' or word == 'nan'
  end

  local function hex4(p)
    local h = smatch(S, '^%x%x%x%x', p)
    return h and tonumber(h, 16)
  end

  -- The UTF-8 for the \u escape whose backslash is at q, and the escape's length; nil when invalid.
  local function unicode_escape(q)
    local cp = hex4(q + 2)
    if not cp then return nil end
    if cp >= 0xD800 and cp <= 0xDFFF then
      if cp >= 0xDC00 then return nil end
      if ssub(S, q + 6, q + 7) ~= '\\u' then return nil end
      local low = hex4(q + 8)
      if not low or low < 0xDC00 or low > 0xDFFF then return nil end
      return utf8((cp - 0xD800) * 1024 + (low - 0xDC00) + 0x10000), 12
    end
    return utf8(cp), 6
  end

  -- Token scanners return type, value, index (0-based, as C reports it minus one).
  local function string_token(idx)
    local p = P + 1
    local parts, np = {}, 0
    while true do
      local q = sfind(S, '["\\]', p)
      if not q then
        P = LEN + 1
        return 'T_ERROR', 'unexpected end of string', LEN
      end
      if q > p then np = np + 1; parts[np] = ssub(S, p, q - 1) end
      if sbyte(S, q) == 34 then
        P = q + 1
        return 'T_STRING', concat(parts, '', 1, np), idx
      end
      local ch = UNESCAPES[sbyte(S, q + 1)]
      if ch == 'u' then
        local s, len = unicode_escape(q)
        if not s then
          P = q
          return 'T_ERROR', 'invalid unicode escape code', q - 1
        end
        np = np + 1; parts[np] = s
        p = q + len
      elseif ch then
        np = np + 1; parts[np] = ch
        p = q + 2
      else
        P = q
        return 'T_ERROR', 'invalid escape code', q - 1
      end
    end
  end

  local function number_token(idx)
    local v, e = strtod(S, P)
    if v == nil then return 'T_ERROR', 'invalid number', P - 1 end
    P = e
    return 'T_NUMBER', v, idx
  end

  local function next_token()
    P = sfind(S, '[^ \t\n\r]', P) or LEN + 1
    local idx = P - 1
    local c = sbyte(S, P)
    if c == nil then return 'T_END', nil, idx end
    local single = SINGLE_TOKENS[c]
    if single then
      P = P + 1
      return single, nil, idx
    end
    if not LITERAL_START[c] then return 'T_ERROR', 'invalid token', idx end
    if c == 34 then return string_token(idx) end
    if c == 45 or (c >= 48 and c <= 57) then
      if cfg.decode_invalid == 0 and is_invalid_number(P) then return 'T_ERROR', 'invalid number', idx end
      return number_token(idx)
    end
    if ssub(S, P, P + 3) == 'true' then P = P + 4; return 'T_BOOLEAN', true, idx end
    if ssub(S, P, P + 4) == 'false' then P = P + 5; return 'T_BOOLEAN', false, idx end
    if ssub(S, P, P + 3) == 'null' then P = P + 4; return 'T_NULL', NULL, idx end
    if cfg.decode_invalid ~= 0 and is_invalid_number(P) then return number_token(idx) end
    return 'T_ERROR', 'invalid token', idx
  end

  local function parse_error(expected, tt, tv, idx)
    raise(sfmt('Expected %s but found %s at character %d', expected, tt == 'T_ERROR' and tv or tt, idx + 1))
  end

  local function descend(slots)
    depth = depth + 1
    if depth > cfg.decode_max_depth or used + slots > MAXCSTACK then
      raise(sfmt('Found too many nested data structures (%d) at character %d', depth, P - 1))
    end
  end

  local parse_value

  local function parse_object()
    descend(3)
    local t = {}
    used = used + 1
    local tt, tv, ti = next_token()
    if tt ~= 'T_OBJ_END' then
      while true do
        if tt ~= 'T_STRING' then parse_error('object key string', tt, tv, ti) end
        local key = tv
        used = used + 1
        tt, tv, ti = next_token()
        if tt ~= 'T_COLON' then parse_error('colon', tt, tv, ti) end
        rawset(t, key, parse_value(next_token()))
        used = used - 1
        tt, tv, ti = next_token()
        if tt == 'T_OBJ_END' then break end
        if tt ~= 'T_COMMA' then parse_error('comma or object end', tt, tv, ti) end
        tt, tv, ti = next_token()
      end
    end
    used = used - 1
    depth = depth - 1
    return t
  end

  local function parse_array()
    descend(2)
    local t = {}
    used = used + 1
    local tt, tv, ti = next_token()
    if tt ~= 'T_ARR_END' then
      local i = 1
      while true do
        rawset(t, i, parse_value(tt, tv, ti))
        i = i + 1
        tt, tv, ti = next_token()
        if tt == 'T_ARR_END' then break end
        if tt ~= 'T_COMMA' then parse_error('comma or array end', tt, tv, ti) end
        tt, tv, ti = next_token()
      end
    end
    used = used - 1
    depth = depth - 1
    return t
  end

  parse_value = function(tt, tv, ti)
    if tt == 'T_STRING' or tt == 'T_NUMBER' or tt == 'T_BOOLEAN' or tt == 'T_NULL' then return tv end
    if tt == 'T_OBJ_BEGIN' then return parse_object() end
    if tt == 'T_ARR_BEGIN' then return parse_array() end
    parse_error('value', tt, tv, ti)
  end

  local function decode(...)
    local nargs = select('#', ...)
    if nargs ~= 1 then argerror(1, 'expected 1 argument') end
    local s = checkstring(1, nargs, (...))
    if #s >= 2 and (sbyte(s, 1) == 0 or sbyte(s, 2) == 0) then
      raise('JSON parser does not support UTF-16 or UTF-32')
    end
    local z = sfind(s, '\0', 1, true)
    S = z and ssub(s, 1, z - 1) or s
    LEN, P, depth, used = #S, 1, 0, 1
    local v = parse_value(next_token())
    local tt, tv, ti = next_token()
    if tt ~= 'T_END' then parse_error('the end', tt, tv, ti) end
    S = nil
    return v
  end

  -- Configuration -------------------------------------------------------------------------------------------
  local function arg_init(nargs, max)
    if nargs > max then argerror(max + 1, 'found too many arguments') end
  end

  local function integer_option(k, nargs, v, key, min, max)
    if v ~= nil then
      local x = checkint(k, nargs, v)
      if not (min <= x and x <= max) then argerror(1, sfmt('expected integer between %d and %d', min, max)) end
      cfg[key] = x
    end
    return cfg[key]
  end

  local function enum_option(nargs, v, key, options)
    if v ~= nil then
      if type(v) == 'boolean' then
        cfg[key] = v and 1 or 0
      else
        local name = checkstring(1, nargs, v)
        local found
        for i = 0, #options do
          if options[i] == name then found = i end
        end
        if not found then argerror(1, sfmt("invalid option '%s'", name)) end
        cfg[key] = found
      end
    end
    local s = cfg[key]
    if s == 0 or s == 1 then return s == 1 end
    return options[s]
  end

  local lib = {}
  lib.encode = wrap(encode)
  lib.decode = wrap(decode)
  lib.encode_sparse_array = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 3)
    local convert, ratio, safe = ...
    return enum_option(nargs, convert, 'sparse_convert', ENUM_BOOL),
      integer_option(2, nargs, ratio, 'sparse_ratio', 0, INT_MAX),
      integer_option(3, nargs, safe, 'sparse_safe', 0, INT_MAX)
  end)
  lib.encode_max_depth = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 1)
    return integer_option(1, nargs, (...), 'encode_max_depth', 1, INT_MAX)
  end)
  lib.decode_max_depth = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 1)
    return integer_option(1, nargs, (...), 'decode_max_depth', 1, INT_MAX)
  end)
  lib.encode_number_precision = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 1)
    local p = integer_option(1, nargs, (...), 'precision', 1, 14)
    cfg.numfmt = '%.' .. p .. 'g'
    return p
  end)
  lib.encode_keep_buffer = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 1)
    return enum_option(nargs, (...), 'keep_buffer', ENUM_BOOL)
  end)
  lib.encode_invalid_numbers = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 1)
    return enum_option(nargs, (...), 'encode_invalid', ENUM_INVALID)
  end)
  lib.decode_invalid_numbers = wrap(function(...)
    local nargs = select('#', ...)
    arg_init(nargs, 1)
    return enum_option(nargs, (...), 'decode_invalid', ENUM_BOOL)
  end)
  -- cjson.new() gives a fresh instance with its own settings, a plain table (only the global one is read-only).
  lib.new = cjson_new
  lib.null = NULL
  lib._NAME = 'cjson'
  lib._VERSION = '2.1.0'
  return lib
end

local cjson = new_cjson()

---------------------------------------------------------------------------------------------------------------
-- cmsgpack
---------------------------------------------------------------------------------------------------------------

local MAX_NESTING = 16

local function be16(x) return schar(floor(x / 256), x % 256) end
local function be32(x)
  return schar(floor(x / 16777216), floor(x / 65536) % 256, floor(x / 256) % 256, x % 256)
end
-- Eight big-endian bytes of the 64-bit two's complement of an integer-valued x in [-2^63, 2^64).
local function be64(x)
  local hi = floor(x / TWO32)
  local lo = x - hi * TWO32
  if hi < 0 then hi = hi + TWO32 end
  return be32(hi) .. be32(lo)
end

local function mp_integer(x)
  if x >= 0 then
    if x <= 127 then return schar(x) end
    if x <= 0xff then return schar(0xcc, x) end
    if x <= 0xffff then return '\205' .. be16(x) end
    if x <= 0xffffffff then return '\206' .. be32(x) end
    return '\207' .. be64(x)
  end
  if x >= -32 then return schar(x + 256) end
  if x >= -128 then return schar(0xd0, x + 256) end
  if x >= -32768 then return '\209' .. be16(x + 65536) end
  if x >= -2147483648 then return '\210' .. be32(x + TWO32) end
  return '\211' .. be64(x)
end

local function mp_number(x)
  -- IS_INT64_EQUIVALENT: (int64_t)x == x
  if x == x and floor(x) == x and x >= -9223372036854775808 and x < 9223372036854775808 then
    return mp_integer(x)
  end
  if f32(x) == x then return '\202' .. be32(f32bits(x)) end
  local hi, lo = f64bits(x)
  return '\203' .. be32(hi) .. be32(lo)
end

local function mp_string(s)
  local len = #s
  if len < 32 then return schar(0xa0 + len) .. s end
  if len <= 0xff then return schar(0xd9, len) .. s end
  if len <= 0xffff then return '\218' .. be16(len) .. s end
  return '\219' .. be32(len) .. s
end

local mp_encode
local function mp_table(out, t, level)
  local count, max, isarray = 0, 0, true
  for k in next, t do
    -- a key in 1..INT_MAX (IS_INT_EQUIVALENT)
    if type(k) ~= 'number' or k <= 0 or k > INT_MAX or floor(k) ~= k then
      isarray = false
      break
    end
    if k > max then max = k end
    count = count + 1
  end
  if isarray and max == count then
    local len = #t
    if len <= 15 then out[#out + 1] = schar(0x90 + len)
    elseif len <= 0xffff then out[#out + 1] = '\220' .. be16(len)
    else out[#out + 1] = '\221' .. be32(len) end
    for j = 1, len do mp_encode(out, t[j], level + 1) end
  else
    local len = 0
    for _ in next, t do len = len + 1 end
    if len <= 15 then out[#out + 1] = schar(0x80 + len)
    elseif len <= 0xffff then out[#out + 1] = '\222' .. be16(len)
    else out[#out + 1] = '\223' .. be32(len) end
    for k, v in next, t do
      mp_encode(out, k, level + 1)
      mp_encode(out, v, level + 1)
    end
  end
end

mp_encode = function(out, v, level)
  local t = type(v)
  if t == 'string' then out[#out + 1] = mp_string(v)
  elseif t == 'number' then out[#out + 1] = mp_number(v)
  elseif t == 'boolean' then out[#out + 1] = v and '\195' or '\194'
  elseif t == 'table' and level < MAX_NESTING then mp_table(out, PROXIED[v] or v, level)
  else out[#out + 1] = '\192' end
end

local function mp_pack(...)
  local nargs = select('#', ...)
  if nargs == 0 then argerror(0, 'MessagePack pack needs input.') end
  if nargs * 2 > MAXCSTACK then argerror(0, 'Too many arguments for MessagePack pack.') end
  local out = {}
  for i = 1, nargs do mp_encode(out, (select(i, ...)), 0) end
  return concat(out)
end

-- Decoding: D the input, DP the next byte, DE the last byte, used the slots the C decoder would hold.
local D, DP, DE, used

local function need(k)
  if DE - DP + 1 < k then raise('Missing bytes in input.') end
end

local function u16(p) local a, b = sbyte(D, p, p + 1) return a * 256 + b end
local function u32(p)
  local a, b, c, d = sbyte(D, p, p + 3)
  return ((a * 256 + b) * 256 + c) * 256 + d
end

local mp_decode

local function mp_array(len)
  local t = {}
  used = used + 1
  if used + 1 > MAXCSTACK then raise('stack overflow (in function mp_decode_to_lua_array)') end
  for i = 1, len do
    used = used + 1
    t[i] = mp_decode()
    used = used - 1
  end
  used = used - 1
  return t
end

local function mp_map(len)
  local t = {}
  used = used + 1
  for _ = 1, len do
    local k = mp_decode()
    used = used + 1
    local v = mp_decode()
    if k == nil then error('table index is nil', 0) end
    if k ~= k then error('table index is NaN', 0) end
    t[k] = v
    used = used - 1
  end
  used = used - 1
  return t
end

local function mp_bytes(len, skip)
  need(skip)
  DP = DP + skip
  need(len)
  local s = ssub(D, DP, DP + len - 1)
  DP = DP + len
  return s
end

mp_decode = function()
  need(1)
  if used + 1 > MAXCSTACK then
    raise('stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)')
  end
  local c = sbyte(D, DP)
  if c < 0x80 then DP = DP + 1; return c end
  if c >= 0xe0 then DP = DP + 1; return c - 256 end
  if c >= 0xa0 and c < 0xc0 then
    local len = c - 0xa0
    need(1 + len)
    local s = ssub(D, DP + 1, DP + len)
    DP = DP + 1 + len
    return s
  end
  if c < 0x90 then DP = DP + 1; return mp_map(c - 0x80) end
  if c < 0xa0 then DP = DP + 1; return mp_array(c - 0x90) end
  if c == 0xc0 then DP = DP + 1; return nil end
  if c == 0xc2 then DP = DP + 1; return false end
  if c == 0xc3 then DP = DP + 1; return true end
  if c == 0xcc then need(2); local v = sbyte(D, DP + 1); DP = DP + 2; return v end
  if c == 0xd0 then need(2); local v = sbyte(D, DP + 1); DP = DP + 2; return v >= 128 and v - 256 or v end
  if c == 0xcd then need(3); local v = u16(DP + 1); DP = DP + 3; return v end
  if c == 0xd1 then need(3); local v = u16(DP + 1); DP = DP + 3; return v >= 32768 and v - 65536 or v end
  if c == 0xce then need(5); local v = u32(DP + 1); DP = DP + 5; return v end
  if c == 0xd2 then need(5); local v = u32(DP + 1); DP = DP + 5; return v >= 2147483648 and v - TWO32 or v end
  -- uint 64 is pushed as a signed lua_Integer, as Redis's cmsgpack does.
  if c == 0xcf or c == 0xd3 then
    need(9)
    local hi, lo = u32(DP + 1), u32(DP + 5)
    DP = DP + 9
    if hi >= 2147483648 then hi = hi - TWO32 end
    return hi * TWO32 + lo
  end
  if c == 0xca then need(5); local v = f32from(u32(DP + 1)); DP = DP + 5; return v end
  if c == 0xcb then need(9); local v = f64from(u32(DP + 1), u32(DP + 5)); DP = DP + 9; return v end
  if c == 0xd9 then need(2); return mp_bytes(sbyte(D, DP + 1), 2) end
  if c == 0xda then need(3); return mp_bytes(u16(DP + 1), 3) end
  if c == 0xdb then need(5); return mp_bytes(u32(DP + 1), 5) end
  if c == 0xdc then need(3); local len = u16(DP + 1); DP = DP + 3; return mp_array(len) end
  if c == 0xdd then need(5); local len = u32(DP + 1); DP = DP + 5; return mp_array(len) end
  if c == 0xde then need(3); local len = u16(DP + 1); DP = DP + 3; return mp_map(len) end
  if c == 0xdf then need(5); local len = u32(DP + 1); DP = DP + 5; return mp_map(len) end
  raise('Bad data format in input.')
end

-- mp_unpack_full: the values as a table and their count (the trampoline returns them as results).
-- limit and offset are lua_Integers (truncated); messages print them with %d, as their low 32 bits.
local function mp_unpack_full(s, limit, offset)
  local len = #s
  if offset < 0 or limit < 0 then
    raise(sfmt('Invalid request to unpack with offset of %d and limit of %d.', toint(offset), len))
  elseif offset > len then
    raise(sfmt('Start offset %d greater than input length %d.', toint(offset), len))
  end
  local decode_all = (limit == 0 and offset == 0)
  if decode_all then limit = INT_MAX end
  D, DP, DE, used = s, offset + 1, len, 1
  local out, cnt = {}, 0
  if not decode_all then cnt = 1 end
  local decoded = 0
  while DP <= DE and decoded < limit do
    cnt = cnt + 1
    out[cnt] = mp_decode()
    decoded = decoded + 1
    used = used + 1
  end
  if not decode_all then
    if used + 1 > MAXCSTACK then raise('stack overflow (in function mp_unpack_full)') end
    out[1] = (DP > DE) and -1 or (DP - 1)
  end
  D = nil
  return out, cnt
end

local cmsgpack = {}
cmsgpack.pack = wrap(mp_pack)
cmsgpack.unpack = wrapmulti(function(...)
  local nargs = select('#', ...)
  return mp_unpack_full(checkstring(1, nargs, (...)), 0, 0)
end)
cmsgpack.unpack_one = wrapmulti(function(...)
  local nargs = select('#', ...)
  local s, offset = ...
  offset = optinteger(2, nargs, offset, 0)
  return mp_unpack_full(checkstring(1, nargs, s), 1, offset)
end)
cmsgpack.unpack_limit = wrapmulti(function(...)
  local nargs = select('#', ...)
  local s, limit, offset = ...
  limit = toint64(checknumber(2, nargs, limit))
  offset = optinteger(3, nargs, offset, 0)
  return mp_unpack_full(checkstring(1, nargs, s), limit, offset)
end)
cmsgpack._NAME = 'cmsgpack'
cmsgpack._VERSION = 'lua-cmsgpack 0.4.0'
cmsgpack._COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo'
cmsgpack._DESCRIPTION = 'MessagePack C implementation for Lua'

---------------------------------------------------------------------------------------------------------------
-- bit (LuaBitOp: numbers are taken modulo 2^32 by adding 2^52+2^51, results are signed 32-bit)
---------------------------------------------------------------------------------------------------------------

local OP_AND, OP_OR, OP_XOR, OP_LSHIFT, OP_RSHIFT, OP_ARSHIFT, OP_ROL, OP_ROR = 1, 2, 3, 4, 5, 6, 7, 8
local OP_TOBIT, OP_BNOT, OP_BSWAP = 9, 10, 11

local function barg(k, nargs, v)
  local x = (k <= nargs) and tonumber(v) or nil
  if x == nil then typerror(k, 'number', typeat(k, nargs, v)) end
  return x
end

local function unary(op)
  return wrap(function(...)
    return bitop(op, barg(1, select('#', ...), (...)), 0)
  end)
end

local function variadic(op)
  return wrap(function(...)
    local nargs = select('#', ...)
    local b = bitop(OP_TOBIT, barg(1, nargs, (...)), 0)
    for i = nargs, 2, -1 do b = bitop(op, b, barg(i, nargs, (select(i, ...)))) end
    return b
  end)
end

local function shift(op)
  return wrap(function(...)
    local nargs = select('#', ...)
    local a, b = ...
    local x = barg(1, nargs, a)
    return bitop(op, x, barg(2, nargs, b))
  end)
end

local bit_tohex = wrap(function(...)
  local nargs = select('#', ...)
  local a, b = ...
  local x = barg(1, nargs, a)
  local digits = 8
  if nargs >= 2 then digits = barg(2, nargs, b) end
  return tohex(x, digits)
end)

local bit = {
  tobit = unary(OP_TOBIT), bnot = unary(OP_BNOT), band = variadic(OP_AND), bor = variadic(OP_OR),
  bxor = variadic(OP_XOR), lshift = shift(OP_LSHIFT), rshift = shift(OP_RSHIFT), arshift = shift(OP_ARSHIFT),
  rol = shift(OP_ROL), ror = shift(OP_ROR), bswap = unary(OP_BSWAP), tohex = bit_tohex,
}

---------------------------------------------------------------------------------------------------------------
-- struct
---------------------------------------------------------------------------------------------------------------

local BIG, LITTLE = 0, 1
local MAXINTSIZE = 32
local MAXALIGN = 8
local INTEGER_OPTIONS = { b = true, B = true, h = true, H = true, l = true, L = true, T = true, i = true, I = true }
local FIXED_SIZES = { b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1 }

local function isdigit(c) return c ~= nil and c >= 48 and c <= 57 end

local function getnum(fmt, i, default)
  local c = sbyte(fmt, i)
  if not isdigit(c) then return default, i end
  local a = 0
  repeat
    local d = c - 48
    if a > 214748364 or a * 10 > INT_MAX - d then raise('integral size overflow') end
    a = a * 10 + d
    i = i + 1
    c = sbyte(fmt, i)
  until not isdigit(c)
  return a, i
end

local function optsize(opt, fmt, i)
  local size = FIXED_SIZES[opt]
  if size then return size, i end
  if opt == 'c' then return getnum(fmt, i, 1) end
  if opt == 'i' or opt == 'I' then
    local sz
    sz, i = getnum(fmt, i, 4)
    if sz > MAXINTSIZE then raise(sfmt('integral size %d is larger than limit of %d', sz, MAXINTSIZE)) end
    return sz, i
  end
  return 0, i
end

local function gettoalign(len, h, opt, size)
  if size == 0 or opt == 'c' then return 0 end
  if size > h.align then size = h.align end
  return band(size - band(len, size - 1), size - 1)
end

local function controloptions(opt, fmt, i, h)
  if opt == ' ' then return i end
  if opt == '>' then h.endian = BIG; return i end
  if opt == '<' then h.endian = LITTLE; return i end
  if opt == '!' then
    local a
    a, i = getnum(fmt, i, MAXALIGN)
    if not (a > 0 and band(a, a - 1) == 0) then raise(sfmt('alignment %d is not a power of 2', a)) end
    h.align = a
    return i
  end
  argerror(1, sfmt("invalid format option '%s'", opt))
end

-- Bytes of a 32-bit unsigned value, least significant first.
local function le32(x)
  return schar(x % 256, floor(x / 256) % 256, floor(x / 65536) % 256, floor(x / 16777216))
end

local function ordered(s, endian)
  if endian == LITTLE then return s end
  return s:reverse()
end

local function putinteger(x, endian, size)
  local hi, lo = touint64(x)
  local bytes = le32(lo) .. le32(hi)
  if size <= 8 then bytes = ssub(bytes, 1, size) else bytes = bytes .. srep('\0', size - 8) end
  return ordered(bytes, endian)
end

local function getinteger(data, pos, endian, signed, size)
  -- The C code shifts every byte into a 64-bit value: only the last eight shifted in remain.
  local s = ordered(ssub(data, pos + 1, pos + size), endian)
  if size > 8 then s = ssub(s, 1, 8) end
  s = s .. srep('\0', 8 - #s)
  local b1, b2, b3, b4, b5, b6, b7, b8 = sbyte(s, 1, 8)
  local lo = ((b4 * 256 + b3) * 256 + b2) * 256 + b1
  local hi = ((b8 * 256 + b7) * 256 + b6) * 256 + b5
  return getint(hi, lo, signed, size)
end

local function struct_pack(...)
  local nargs = select('#', ...)
  local args = { ... }
  local fmt = checkstring(1, nargs, args[1])
  local z = sfind(fmt, '\0', 1, true)
  if z then fmt = ssub(fmt, 1, z - 1) end
  -- b_pack pushes a nil just past the arguments: a missing argument there reads as nil, further ones as none.
  local function argnumber(k)
    if k <= nargs then return checknumber(k, nargs, args[k]) end
    typerror(k, 'number', k == nargs + 1 and 'nil' or 'no value')
  end
  local function argstring(k)
    if k <= nargs then return checkstring(k, nargs, args[k]) end
    typerror(k, 'string', k == nargs + 1 and 'nil' or 'no value')
  end
  local h = { endian = LITTLE, align = 1 }
  local out, n = {}, 0
  local arg, total, i = 2, 0, 1
  while i <= #fmt do
    local opt = ssub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    local toalign = gettoalign(total, h, opt, size)
    total = total + toalign
    if toalign > 0 then n = n + 1; out[n] = srep('\0', toalign) end
    if INTEGER_OPTIONS[opt] then
      n = n + 1; out[n] = putinteger(argnumber(arg), h.endian, size)
      arg = arg + 1
    elseif opt == 'x' then
      n = n + 1; out[n] = '\0'
    elseif opt == 'f' then
      n = n + 1; out[n] = ordered(le32(f32bits(argnumber(arg))), h.endian)
      arg = arg + 1
    elseif opt == 'd' then
      local hi, lo = f64bits(argnumber(arg))
      n = n + 1; out[n] = ordered(le32(lo) .. le32(hi), h.endian)
      arg = arg + 1
    elseif opt == 'c' or opt == 's' then
      local s = argstring(arg)
      arg = arg + 1
      local l = #s
      if size == 0 then size = l end
      if l < size then argerror(arg, 'string too short') end
      n = n + 1; out[n] = ssub(s, 1, size)
      if opt == 's' then
        n = n + 1; out[n] = '\0'
        size = size + 1
      end
    else
      i = controloptions(opt, fmt, i, h)
    end
    total = total + size
  end
  return concat(out, '', 1, n)
end

local function struct_unpack(...)
  local nargs = select('#', ...)
  local fmt, data, init = ...
  fmt = checkstring(1, nargs, fmt)
  data = checkstring(2, nargs, data)
  local z = sfind(fmt, '\0', 1, true)
  if z then fmt = ssub(fmt, 1, z - 1) end
  local ld = #data
  -- pos is a size_t in C: here a signed value whose negative range stands for the top of the unsigned one.
  local pos = optinteger(3, nargs, init, 1)
  if pos == 0 then argerror(3, 'offset must be 1 or greater') end
  pos = pos - 1
  local h = { endian = LITTLE, align = 1 }
  local results, nres = {}, 0
  -- 'c0' with no value before it takes the data string off the C stack: the first result is then lost.
  local lose_first = false
  local i = 1
  while i <= #fmt do
    local opt = ssub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    pos = pos + gettoalign(pos, h, opt, size)
    if not (pos >= 0 and size <= ld and pos <= ld - size) then argerror(2, 'data string too short') end
    if 2 + nres + 2 > MAXCSTACK then raise('stack overflow (too many results)') end
    if INTEGER_OPTIONS[opt] then
      nres = nres + 1
      results[nres] = getinteger(data, pos, h.endian, opt == slower(opt), size)
    elseif opt == 'x' then
      -- padding
    elseif opt == 'f' then
      local s = ordered(ssub(data, pos + 1, pos + 4), h.endian)
      local b1, b2, b3, b4 = sbyte(s, 1, 4)
      nres = nres + 1
      results[nres] = f32from(((b4 * 256 + b3) * 256 + b2) * 256 + b1)
    elseif opt == 'd' then
      local s = ordered(ssub(data, pos + 1, pos + 8), h.endian)
      local b1, b2, b3, b4, b5, b6, b7, b8 = sbyte(s, 1, 8)
      nres = nres + 1
      results[nres] = f64from(((b8 * 256 + b7) * 256 + b6) * 256 + b5, ((b4 * 256 + b3) * 256 + b2) * 256 + b1)
    elseif opt == 'c' then
      if size == 0 then
        local top = data
        if nres > 0 then top = results[nres] end
        local count = tonumber(top)
        if count == nil then raise("format 'c0' needs a previous size") end
        if nres > 0 then
          results[nres] = nil
          nres = nres - 1
        else
          lose_first = true
        end
        -- (size_t) of a double, as the C code converts it (fractions truncated, out of range per x86).
        local hi, lo = touint64(count)
        size = (hi > 0) and ld + 1 or lo
        if not (pos >= 0 and size <= ld and pos <= ld - size) then argerror(2, 'data string too short') end
      end
      nres = nres + 1
      results[nres] = ssub(data, pos + 1, pos + size)
    elseif opt == 's' then
      local e = sfind(data, '\0', pos + 1, true)
      if not e then raise('unfinished string in data') end
      size = e - pos
      nres = nres + 1
      results[nres] = ssub(data, pos + 1, e - 1)
    else
      i = controloptions(opt, fmt, i, h)
    end
    pos = pos + size
  end
  nres = nres + 1
  results[nres] = pos + 1
  if lose_first then
    local shifted = {}
    for k = 2, nres do shifted[k - 1] = results[k] end
    return shifted, nres - 1
  end
  return results, nres
end

local function struct_size(...)
  local nargs = select('#', ...)
  local fmt = checkstring(1, nargs, (...))
  local z = sfind(fmt, '\0', 1, true)
  if z then fmt = ssub(fmt, 1, z - 1) end
  local h = { endian = LITTLE, align = 1 }
  local pos, i = 0, 1
  while i <= #fmt do
    local opt = ssub(fmt, i, i)
    i = i + 1
    local size
    size, i = optsize(opt, fmt, i)
    pos = pos + gettoalign(pos, h, opt, size)
    if opt == 's' then
      argerror(1, "option 's' has no fixed size")
    elseif opt == 'c' and size == 0 then
      argerror(1, "option 'c0' has no fixed size")
    end
    if not smatch(opt, '^%w$') then i = controloptions(opt, fmt, i, h) end
    pos = pos + size
  end
  return pos
end

local struct = {
  pack = wrap(struct_pack),
  unpack = wrapmulti(struct_unpack),
  size = wrap(struct_size),
}

---------------------------------------------------------------------------------------------------------------
-- Base functions that see the read-only tables as Redis 7.0's: raw writes and metatable changes refused, raw
-- reads and iteration through to the library. Otherwise they behave as Lua's own, error texts included.
---------------------------------------------------------------------------------------------------------------

local READONLY = 'Attempt to modify a readonly table'
local real_getmetatable = debug and debug.getmetatable

local function checktable(k, n, v)
  if type(v) ~= 'table' then typerror(k, 'table', typeat(k, n, v)) end
end

local function checkany(k, n)
  if k > n then argerror(k, 'value expected') end
end

local base = {}

base.rawset = wrap(function(...)
  local n = select('#', ...)
  local t, k, v = ...
  checktable(1, n, t)
  checkany(2, n)
  checkany(3, n)
  if PROXIED[t] then error(READONLY, 0) end
  if k == nil then error('table index is nil', 0) end
  if k ~= k then error('table index is NaN', 0) end
  rawset(t, k, v)
  return t
end)

base.rawget = wrap(function(...)
  local n = select('#', ...)
  local t, k = ...
  checktable(1, n, t)
  checkany(2, n)
  return (rawget(PROXIED[t] or t, k))
end)

base.next = wrap(function(...)
  local n = select('#', ...)
  local t, k = ...
  checktable(1, n, t)
  return next(PROXIED[t] or t, k)
end)

base.pairs = wrap(function(...)
  local t = ...
  checktable(1, select('#', ...), t)
  return next, PROXIED[t] or t, nil
end)

base.getmetatable = wrap(function(...)
  local n = select('#', ...)
  local o = ...
  checkany(1, n)
  if PROXIED[o] then return nil end
  return (getmetatable(o))
end)

base.setmetatable = wrap(function(...)
  local n = select('#', ...)
  local t, mt = ...
  checktable(1, n, t)
  if n < 2 or (mt ~= nil and type(mt) ~= 'table') then argerror(2, 'nil or table expected') end
  if PROXIED[t] then error(READONLY, 0) end
  local current = real_getmetatable and real_getmetatable(t)
  if current and rawget(current, '__metatable') ~= nil then raise('cannot change a protected metatable') end
  setmetatable(t, mt)
  return t
end)

-- table.insert is the one function of the table library that writes to a table without an array part.
local table_insert = table.insert
base.insert = wrap(function(...)
  local n = select('#', ...)
  local t = ...
  checktable(1, n, t)
  if n == 3 then
    checkint(2, n, (select(2, ...)))
  elseif n ~= 2 then
    raise("wrong number of arguments to 'insert'")
  end
  if PROXIED[t] then error(READONLY, 0) end
  table_insert(...)
end)

-- Installed here, under the caller's protected call, rather than from Java: a failing assignment is then an error
-- the caller gets, not a panic.
local G = getfenv(0)
G.cjson, G.cmsgpack, G.bit, G.struct = readonly(cjson), readonly(cmsgpack), readonly(bit), readonly(struct)
G.rawset, G.rawget, G.next, G.pairs = base.rawset, base.rawget, base.next, base.pairs
G.getmetatable, G.setmetatable = base.getmetatable, base.setmetatable
table.insert = base.insert

return readonly
