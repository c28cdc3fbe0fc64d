package dev.vireo.scripting;

/**
 * The Lua half of the environment Redis 7.0 gives a script, run once per Lua state before any script: the {@code
 * redis} table's constants, the error handler, the kill hook, and the sandbox (read-only library tables,
 * guarded globals, no file or OS access). Functions defined here carry the chunk name {@code =vireo}; the error
 * handler skips their frames so errors point at the script's own line, as Redis's C functions do.
 */
final class Bootstrap {
  private Bootstrap() {}

  /**
   * Runs after the Java side has set the {@code redis} table (its functions are Java functions, so that errors
   * they raise point at the caller's line even in a tail call) and {@code __vireo_killed}; returns the runner.
   */
  static final String LUA = """
      local G = _G
      local dbg = debug
      local jkilled = __vireo_killed
      local type, tostring, error, select, setmetatable, getmetatable, next, rawget, rawset, rawequal, setfenv,
            loadstring, load, sub, pcall, unpack =
        type, tostring, error, select, setmetatable, getmetatable, next, rawget, rawset, rawequal, setfenv,
        loadstring, load, string.sub, pcall, unpack

      function __redis__err__handler(err)
        local i = dbg.getinfo(2, 'nSl')
        local level = 2
        if i and i.what == 'C' then level = 3; i = dbg.getinfo(3, 'nSl') end
        while i and i.source == '=vireo' do level = level + 1; i = dbg.getinfo(level, 'nSl') end
        if type(err) ~= 'table' then
          err = {err = 'ERR ' .. tostring(err)}
        end
        if i then
          err['source'] = i.source
          err['line'] = i.currentline
        end
        return err
      end
      local handler = __redis__err__handler

      -- SCRIPT KILL: checked every 100000 instructions
      local killed = {err = 'ERR Script killed by user with SCRIPT KILL...'}
      local function hook()
        if jkilled() then error(killed) end
      end

      -- what Redis 7.0 leaves of the base library (the bridge's __vireo_ globals go too)
      local keep = {
        _G = true, _VERSION = true, assert = true, collectgarbage = true, coroutine = true, error = true,
        gcinfo = true, getmetatable = true, ipairs = true, load = true, loadstring = true, math = true, next = true,
        pairs = true, pcall = true, rawequal = true, rawget = true, rawset = true, select = true,
        setmetatable = true, string = true, table = true, tonumber = true, tostring = true, type = true,
        unpack = true, xpcall = true, redis = true, bit = true, cjson = true, cmsgpack = true, struct = true,
        __redis__err__handler = true
      }
      local drop = {}
      for k in next, G do if not keep[k] then drop[#drop + 1] = k end end
      for _, k in ipairs(drop) do G[k] = nil end

      -- read-only tables: scripts see proxies; writes fail as in Redis 7.0
      local real = setmetatable({}, {__mode = 'k'})
      local function readonly() error('Attempt to modify a readonly table', 2) end
      local function protect(t)
        local p = setmetatable({}, {__index = t, __newindex = readonly})
        real[p] = t
        return p
      end
      for _, name in ipairs({'string', 'table', 'math', 'coroutine', 'redis', 'bit', 'cjson', 'cmsgpack', 'struct'}) do
        if type(G[name]) == 'table' then G[name] = protect(G[name]) end
      end
      -- a missing global is an error for scripts (not for C code); lookups on env go through G as a table chain,
      -- the VM's fast path, and reach the function only for names G does not have
      setmetatable(G, {
        __index = function(t, n)
          local i = dbg.getinfo(2, 'S')
          if i and i.what ~= 'C' then
            error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
          end
          return nil
        end
      })
      local env = setmetatable({}, {__index = G, __newindex = readonly})
      real[env] = G
      G._G = env
      local function unwrap(t) return real[t] or t end
      G.rawset = function(t, k, v)
        if real[t] then error('Attempt to modify a readonly table', 0) end
        return rawset(t, k, v)
      end
      G.setmetatable = function(t, mt)
        if real[t] then error('Attempt to modify a readonly table', 0) end
        return setmetatable(t, mt)
      end
      G.rawget = function(t, k) return rawget(unwrap(t), k) end
      G.next = function(t, k) return next(unwrap(t), k) end
      G.pairs = function(t) return next, unwrap(t), nil end
      local ipairs0 = ipairs
      G.ipairs = function(t) return ipairs0(unwrap(t)) end
      -- code loaded by a script runs in the script's environment, never as bytecode
      G.loadstring = function(s, name)
        if type(s) == 'string' and sub(s, 1, 1) == '\\27' then return nil, 'bytecode not allowed' end
        local f, e = loadstring(s, name)
        if f then setfenv(f, env) end
        return f, e
      end
      G.load = function(fn, name)
        local f, e = load(function()
          local piece = fn()
          return piece
        end, name)
        if f then setfenv(f, env) end
        return f, e
      end
      -- Redis's pcall hands back the message of a {err=...} error rather than the table
      local function pcall_result(n, ok, ...)
        if ok then return ok, ... end
        local e = ...
        if type(e) == 'table' then
          local m = e.err
          if type(m) == 'string' or type(m) == 'number' then e = m end
        end
        return false, e
      end
      G.pcall = function(...)
        return pcall_result(0, pcall(...))
      end

      local xpcall, sethook = xpcall, dbg.sethook
      -- runs a compiled script in the sandbox; returns ok, result-or-error
      local function run(f)
        setfenv(f, env)
        sethook(hook, '', 100000)
        return xpcall(f, handler)
      end
      -- runs f(a, b) (a function's callback with its keys and args) under the hook and handler
      local function call(f, a, b)
        sethook(hook, '', 100000)
        return xpcall(function() return f(a, b) end, handler)
      end
      return run, env, handler, call, setfenv
      """;

  /**
   * The functions state's loader (run after {@link #LUA} with its env, handler and the full redis table): loads a
   * library's code with a {@code redis} table that has only register_function, log and the constants, as Redis
   * 7.0 does, under a count hook that stops it after 500 ms; returns the loader {@code load(code, libname) -> status, result} (status 0: a list of {name,
   * flags, description}; 1: compile error; 2: error while registering) and the table of callbacks by library.
   */
  static final String FUNCTIONS_LUA = """
      local env, handler, fullredis, setfenv, sethook, loadexpired = ...
      local type, tostring, error, select, setmetatable, getmetatable, pairs, ipairs, xpcall, rawset, loadstring,
            find =
        type, tostring, error, select, setmetatable, getmetatable, pairs, ipairs, xpcall, rawset, loadstring,
        string.find
      local callbacks, staged = {}, {}
      local FLAGS = {['no-writes'] = true, ['allow-oom'] = true, ['allow-stale'] = true, ['no-cluster'] = true,
                     ['allow-cross-slot-keys'] = true}
      local function fail(msg) error({err = 'ERR ' .. msg}) end
      local function guard(t, n)
        error("Script attempted to access nonexistent global variable '" .. tostring(n) .. "'", 2)
      end
      -- FUNCTION LOAD timeout: the library's code may run 500 ms, as in Redis 7.0
      local timeout = {err = 'ERR FUNCTION LOAD timeout'}
      local function loadhook()
        if loadexpired() then error(timeout) end
      end
      local function load(code, libname)
        local f, e = loadstring(code, '@user_function')
        if not f then return 1, e end
        local fns, byname = {}, {}
        local function add(name, cb, flags, desc)
          name = tostring(name)
          if not find(name, '^[%w_]+$') then
            fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long')
          end
          if byname[name] then fail('Function already exists in the library') end
          byname[name] = cb
          fns[#fns + 1] = {name, flags or {}, desc}
        end
        local function register(...)
          local n = select('#', ...)
          if n == 1 then
            local t = ...
            if type(t) ~= 'table' then
              fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).')
            end
            local name, cb, flags, desc
            for k, v in pairs(t) do
              if k == 'function_name' then
                if type(v) ~= 'string' and type(v) ~= 'number' then
                  fail('function_name argument given to redis.register_function must be a string')
                end
                name = v
              elseif k == 'callback' then
                if type(v) ~= 'function' then fail('callback argument given to redis.register_function must be a function') end
                cb = v
              elseif k == 'flags' then
                if type(v) ~= 'table' then
                  fail('flags argument to redis.register_function must be a table representing function flags')
                end
                flags = {}
                for _, fl in pairs(v) do
                  if type(fl) ~= 'string' or not FLAGS[fl] then fail('unknown flag given') end
                  flags[#flags + 1] = fl
                end
              elseif k == 'description' then
                if type(v) ~= 'string' and type(v) ~= 'number' then
                  fail('description argument given to redis.register_function must be a string')
                end
                desc = tostring(v)
              else
                fail('unknown argument given to redis.register_function')
              end
            end
            if name == nil then fail('redis.register_function must get a function name argument') end
            if cb == nil then fail('redis.register_function must get a callback argument') end
            add(name, cb, flags, desc)
          elseif n == 2 then
            local name, cb = ...
            if type(name) ~= 'string' and type(name) ~= 'number' then
              fail('first argument to redis.register_function must be a string')
            end
            if type(cb) ~= 'function' then fail('second argument to redis.register_function must be a function') end
            add(name, cb, nil, nil)
          else
            fail('wrong number of arguments to redis.register_function')
          end
        end
        local loadredis = setmetatable({
          register_function = register, log = fullredis.log,
          LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
          REDIS_VERSION = fullredis.REDIS_VERSION, REDIS_VERSION_NUM = fullredis.REDIS_VERSION_NUM
        }, {__index = guard})
        -- while loading, the code sees only the restricted redis table, as in Redis 7.0
        local readonly = getmetatable(env).__newindex
        local libenv = setmetatable({}, {__index = guard, __newindex = readonly})
        rawset(libenv, 'redis', loadredis)
        setfenv(f, libenv)
        sethook(loadhook, '', 100000)
        local ok, err = xpcall(f, handler)
        sethook()
        if not ok then
          if type(err) == 'table' then err = err.err end
          return 2, tostring(err)
        end
        if #fns == 0 then return 2, nil end
        -- from now on the library's callbacks see every global and the whole redis API
        rawset(libenv, 'redis', fullredis)
        setmetatable(libenv, {__index = env, __newindex = readonly})
        staged[libname] = byname
        return 0, fns
      end
      -- makes a loaded library current; nil: forgets every loaded library not installed
      local function install(libname)
        if libname == nil then staged = {} return end
        callbacks[libname] = staged[libname]
        staged[libname] = nil
      end
      local function remove(libname)
        if libname then callbacks[libname] = nil else callbacks = {} end
      end
      local function lookup(libname, fname)
        return callbacks[libname][fname]
      end
      return load, install, remove, lookup
      """;
}
