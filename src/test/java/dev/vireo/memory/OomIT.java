package dev.vireo.memory;

import static dev.vireo.memory.MemorySides.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.testkit.AnyServer;
import dev.vireo.testkit.RespClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code -OOM command not allowed when used memory > 'maxmemory'.} against a real redis-server 7.0.15: which
 * commands carry the {@code denyoom} flag, which commands are refused and which still run once used memory is above
 * {@code maxmemory} under {@code noeviction}, MULTI (every command refused at queue time, then EXECABORT; EXEC of a
 * queued write when memory ran out meanwhile), scripts and functions (a write inside EVAL, a script or function that
 * declares flags without no-writes, allow-oom, a script that already wrote), and how the refusals are counted in INFO errorstats, commandstats and stats.
 */
class OomIT {
  private static final String OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

  /** Command name (or {@code container|sub}) to whether its flags include denyoom. */
  private static Map<String, Boolean> denyoom(RespClient c) {
    Map<String, Boolean> flags = new TreeMap<>();
    for (Object o : (List<?>) MemorySides.parse(c.call("COMMAND"))) collect((List<?>) o, flags);
    return flags;
  }

  private static void collect(List<?> info, Map<String, Boolean> flags) {
    flags.put(((String) info.get(0)).toLowerCase(), ((List<?>) info.get(2)).contains("denyoom"));
    if (info.size() > 9) {
      for (Object sub : (List<?>) info.get(9)) collect((List<?>) sub, flags);
    }
  }

  @Test
  void denyoomFlagsAreRedis() {
    try (AnyServer redisServer = MemorySides.start("redis");
        AnyServer oursServer = MemorySides.start(MemorySides.ours());
        RespClient redis = redisServer.client();
        RespClient ours = oursServer.client()) {
      Map<String, Boolean> expected = denyoom(redis);
      Map<String, Boolean> actual = denyoom(ours);
      assertTrue(expected.get("set") && !expected.get("get") && !expected.get("del"), "Redis's own flags");
      TreeSet<String> wrong = new TreeSet<>();
      for (Map.Entry<String, Boolean> e : expected.entrySet()) {
        Boolean ourFlag = actual.get(e.getKey());
        if (ourFlag != null && !ourFlag.equals(e.getValue())) wrong.add(e.getKey() + (e.getValue() ? "+" : "-"));
      }
      assertEquals(new TreeSet<>(), wrong, "commands whose denyoom flag differs (+ Redis has it, - Redis has not)");
    }
  }

  /** Runs each command on both servers; the replies must be byte-equal. */
  private static final class Both {
    final RespClient redis;
    final RespClient ours;
    final List<String> log = new ArrayList<>();

    Both(RespClient redis, RespClient ours) {
      this.redis = redis;
      this.ours = ours;
    }

    String same(String... cmd) {
      String expected = redis.call(cmd);
      String actual = ours.call(cmd);
      log.add(String.join(" ", cmd).replace("\n", "\\n") + " -> " + show(expected));
      if (!expected.equals(actual)) {
        fail(String.join(" ", cmd) + "\nredis: " + show(expected) + "\nvireo: " + show(actual) + "\nafter: " + log);
      }
      return expected;
    }
  }

  @Test
  void commandsAboveMaxmemoryAnswerAsRedis() {
    scenario(false);
  }

  /** The same commands, then INFO errorstats, commandstats and stats: each refusal counted where Redis counts it. */
  @Test
  void refusalsAreCountedAsRedis() {
    scenario(true);
  }

  private static void scenario(boolean compareStats) {
    try (AnyServer redisServer = MemorySides.start("redis");
        AnyServer oursServer = MemorySides.start(MemorySides.ours());
        RespClient redis = redisServer.client();
        RespClient ours = oursServer.client();
        RespClient redis2 = redisServer.client();
        RespClient ours2 = oursServer.client()) {
      Both b = new Both(redis, ours);
      Both other = new Both(redis2, ours2);
      String[][] data = {
        {"SET", "k", "v"}, {"SET", "n", "100000"}, {"RPUSH", "l", "a", "b", "c"}, {"SADD", "s", "a", "b"},
        {"HSET", "h", "f", "v", "g", "w"}, {"ZADD", "z", "1", "a", "2", "b"}, {"SET", "e", "v", "EX", "1000"},
        {"SET", "gone", "v"}, {"XADD", "x", "1-1", "f", "v"}, {"PFADD", "hll", "a"}, {"SETBIT", "bits", "3", "1"},
        {"FUNCTION", "LOAD", "#!lua name=mem\n"
            + "redis.register_function('w', function() return redis.call('get', 'k') end)\n"
            + "redis.register_function{function_name='r', callback=function() return redis.call('get', 'k') end, "
            + "flags={'no-writes'}}\n"
            + "redis.register_function{function_name='o', callback=function() return redis.call('set', 'fo', 'v') end, "
            + "flags={'allow-oom'}}"},
      };
      for (String[] cmd : data) b.same(cmd);
      b.same("CONFIG", "SET", "maxmemory-policy", "noeviction");
      // a transaction started before memory runs out, with a write queued
      b.same("MULTI");
      b.same("SET", "queued", "1");
      b.same("GET", "k");
      other.same("CONFIG", "RESETSTAT");
      other.same("CONFIG", "SET", "maxmemory", "1");
      assertTrue(b.same("EXEC").startsWith("-EXECABORT"), "EXEC of a queued write above maxmemory");
      b.same("EXEC");
      b.same("EXISTS", "queued");

      String[][] cases = {
        // refused: they may grow the dataset
        {"SET", "a", "v"}, {"SET", "k", "w"}, {"SETNX", "a", "v"}, {"SETEX", "a", "10", "v"},
        {"PSETEX", "a", "100", "v"}, {"MSET", "a", "v"}, {"MSETNX", "a", "v"}, {"APPEND", "k", "x"},
        {"SETRANGE", "k", "0", "x"}, {"GETSET", "k", "x"}, {"INCR", "n"}, {"INCRBY", "n", "2"}, {"DECR", "n"},
        {"DECRBY", "n", "2"}, {"INCRBYFLOAT", "n", "1.5"}, {"LPUSH", "l", "x"}, {"RPUSH", "l", "x"},
        {"LPUSHX", "l", "x"}, {"RPUSHX", "l", "x"}, {"LINSERT", "l", "BEFORE", "a", "x"}, {"LSET", "l", "0", "x"},
        {"LMOVE", "l", "l2", "LEFT", "LEFT"}, {"RPOPLPUSH", "l", "l2"}, {"SADD", "s", "c"},
        {"SUNIONSTORE", "s2", "s"}, {"SINTERSTORE", "s2", "s"}, {"SDIFFSTORE", "s2", "s"}, {"SMOVE", "s", "s3", "a"},
        {"HSET", "h", "f", "x"}, {"HSETNX", "h", "new", "x"}, {"HMSET", "h", "f", "x"}, {"HINCRBY", "h", "n", "1"},
        {"HINCRBYFLOAT", "h", "n", "1.5"}, {"ZADD", "z", "3", "c"}, {"ZINCRBY", "z", "1", "a"},
        {"ZUNIONSTORE", "z2", "1", "z"}, {"ZRANGESTORE", "z2", "z", "0", "-1"}, {"XADD", "x", "*", "f", "v"},
        {"XGROUP", "CREATE", "x", "g", "0"}, {"PFADD", "hll", "b"}, {"PFMERGE", "hll2", "hll"},
        {"SETBIT", "bits", "100", "1"}, {"BITOP", "OR", "b2", "bits"}, {"BITFIELD", "bits", "SET", "u8", "0", "1"},
        {"BITFIELD", "bits", "GET", "u8", "0"}, {"COPY", "k", "k2"},
        {"SORT", "l", "ALPHA", "STORE", "l3"}, {"FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', "
        + "function() return 1 end)"},
        // allowed: they read, free memory, or change no data
        {"GET", "k"}, {"MGET", "k", "n"}, {"STRLEN", "k"}, {"EXISTS", "k"}, {"TYPE", "k"}, {"TTL", "e"},
        {"EXPIRE", "k", "1000"}, {"PERSIST", "k"}, {"PEXPIRE", "missing", "10"}, {"GETEX", "k", "PERSIST"},
        {"LPOP", "l"}, {"RPOP", "l"}, {"LRANGE", "l", "0", "-1"}, {"LTRIM", "l", "0", "0"}, {"LREM", "l", "0", "x"},
        {"SPOP", "s"}, {"SREM", "s", "zz"}, {"SMEMBERS", "missing"}, {"HDEL", "h", "g"}, {"HGETALL", "h"},
        {"ZREM", "z", "b"}, {"ZPOPMIN", "z"}, {"XDEL", "x", "1-1"}, {"XTRIM", "x", "MAXLEN", "0"},
        {"RENAME", "hll", "hll3"}, {"GETDEL", "gone"}, {"DEL", "bits"}, {"UNLINK", "missing"}, {"DBSIZE"},
        {"PING"}, {"ECHO", "x"}, {"SELECT", "0"}, {"PUBLISH", "ch", "x"}, {"SCRIPT", "LOAD", "return 1"},
        {"EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", "0"}, {"WATCH", "k"}, {"UNWATCH"},
        {"CONFIG", "SET", "maxmemory-samples", "5"}, {"CLIENT", "SETNAME", "c"},
        // scripts: a write inside a script without flags, one that may write, read-only ones, and a write after
        // the script already changed the dataset (allowed then, as in Redis)
        {"EVAL", "return redis.call('set','x','y')", "0"}, {"EVAL", "return redis.pcall('set','x','y')", "0"},
        {"EVAL", "#!lua\nreturn redis.call('get','k')", "0"},
        {"EVAL", "#!lua flags=no-writes\nreturn redis.call('get','k')", "0"},
        {"EVAL_RO", "return redis.call('get','k')", "0"}, {"EVAL", "return redis.call('get','k')", "0"},
        {"EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','oom','allowed')", "0"}, {"GET", "oom"},
        {"FCALL", "w", "0"}, {"FCALL", "r", "0"}, {"FCALL_RO", "r", "0"}, {"FCALL", "o", "0"}, {"GET", "fo"},
        {"EVAL", "redis.call('del','k2'); redis.call('del','k'); return redis.call('set','x','y')", "0"},
        {"GET", "x"},
        // MULTI: every command is refused while queueing, then EXEC aborts
        {"MULTI"}, {"GET", "x"}, {"SET", "x", "z"}, {"DEL", "x"}, {"EXEC"}, {"MULTI"}, {"PING"}, {"DISCARD"},
      };
      for (String[] cmd : cases) b.same(cmd);
      assertEquals(OOM, b.same("SET", "a", "v"));
      assertEquals(OOM, b.same("LPUSH", "l", "v"));
      b.same("DBSIZE");
      if (compareStats) {
        Map<String, String> expected = commandStats(redis);
        Map<String, String> actual = commandStats(ours);
        TreeSet<String> differ = new TreeSet<>();
        for (String name : new TreeSet<>(expected.keySet())) {
          if (!expected.get(name).equals(actual.get(name))) {
            differ.add(name + " redis: " + expected.get(name) + ", vireo: " + actual.get(name));
          }
        }
        for (String name : actual.keySet()) if (!expected.containsKey(name)) differ.add(name + " only in vireo");
        assertEquals(new TreeSet<>(), differ, "calls, rejected_calls and failed_calls per command");
        b.same("INFO", "errorstats");
        for (String field : new String[] {"total_error_replies", "evicted_keys"}) {
          assertEquals(MemorySides.infoLong(redis, "stats", field), MemorySides.infoLong(ours, "stats", field), field);
        }
      }
      other.same("CONFIG", "SET", "maxmemory", "0");
      b.same("SET", "a", "v");
    }
  }

  /** {@code cmdstat_NAME} to its counts, without the times. */
  private static Map<String, String> commandStats(RespClient c) {
    Map<String, String> stats = new TreeMap<>();
    for (String line : c.call("INFO", "commandstats").split("\r\n")) {
      if (!line.startsWith("cmdstat_")) continue;
      String name = line.substring(0, line.indexOf(':'));
      StringBuilder counts = new StringBuilder();
      for (String part : line.substring(name.length() + 1).split(",")) {
        if (!part.startsWith("usec")) counts.append(part).append(' ');
      }
      stats.put(name, counts.toString().trim());
    }
    return stats;
  }
}
