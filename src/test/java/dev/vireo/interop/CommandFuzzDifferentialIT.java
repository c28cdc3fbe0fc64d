package dev.vireo.interop;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.command.GeoDifferentialIT;
import dev.vireo.interop.StreamReplies.Node;
import dev.vireo.testkit.Matrix;
import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A differential fuzz across every command family: a seeded stream of random commands with random argument shapes
 * (right and wrong arity, wrong types on a small shared key pool, numbers at the edges, huge and negative counts,
 * NUL and CR/LF bytes, unknown and repeated options) goes to a real redis-server 7.0 and to a Vireo node, and every
 * reply must be byte-equal. A quarter of the commands go over a RESP3 connection ({@code HELLO 3}); every few steps
 * {@code DEBUG DIGEST-VALUE} of the whole key pool is compared, {@code DUMP} payloads are restored across (Redis's
 * into Vireo and Vireo's into Redis), and each seed ends on {@code DEBUG DIGEST}.
 *
 * <p>Replies that Redis itself does not fix are compared for what is fixed: TTLs and expire times as "positive"
 * (the deadlines of the two servers are set a few microseconds apart), unordered collections (SMEMBERS, HGETALL,
 * KEYS, SPOP with a count...) after sorting, random picks (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER, RANDOMKEY) by
 * their shape, SCAN batches as a set only when both iterations are complete in one call, geo distances within a few
 * units in the last place (see {@link GeoDifferentialIT#sameButRounding}), stream idle times within a second
 * ({@link StreamReplies}), and SORT's order among equal elements (Redis's quicksort is not stable).
 *
 * <p>Shapes left out, and why:
 * <ul>
 *   <li>small positive relative expiries (EXPIRE k 1, PX 5...): the key would expire between the two servers' turns;
 *       GT and LT on EXPIRE and PEXPIRE: whether now + 100000 s is past the deadline an earlier EXPIRE set depends on
 *       whether a millisecond went by in between (EXPIREAT and PEXPIREAT take them);
 *   <li>XADD with {@code *} and other clock IDs: the IDs come from each server's clock;
 *   <li>SPOP without a count or with a small one: which member goes is random, and the states would part;
 *   <li>huge negative counts to the RANDMEMBER family and bit offsets between 2^20 and 2^32: valid requests that
 *       make both servers build hundreds of megabytes;
 *   <li>a stale {@code errno}: redis-server 7.0's SORT tests {@code errno} after {@code strtod} without clearing
 *       it, so after any overflowing float (1e400) a numeric SORT answers "One or more scores can't be converted
 *       into double"; each SORT follows a ZADD XX on a missing key, whose score parse clears it;
 *   <li>SET with an EXAT/PXAT already past: redis-server 7.0 keeps the key until its next access or the active
 *       expire cycle, so DEBUG DIGEST-VALUE and DBSIZE depend on the cycle's timing;
 *   <li>DUMP of a collection whose encoding is bigger than its contents need (a sorted set after SORT, a set that
 *       shrank): Vireo writes the compact encoding, Redis the one it has; both restore to the same value; and a
 *       stream's DUMP, whose consumer groups carry each server's clock, is allowed a few bytes apart;
 *   <li>lex ranges (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX, ZRANGE BYLEX) over a sorted set whose scores differ:
 *       unspecified in Redis, and on a skiplist they depend on its random levels;
 *   <li>OBJECT REFCOUNT inside MULTI: Redis counts the queued command's arguments that still share a value set
 *       earlier in the transaction;
 *   <li>blocking forms (BLPOP, XREAD BLOCK...), SUBSCRIBE on a command connection, HELLO, CLIENT, CONFIG, ACL,
 *       COMMAND INFO/DOCS, MIGRATE, OBJECT IDLETIME, INFO: covered by their own tests, or replies that name
 *       the server or the clock.
 * </ul>
 *
 * <p>CI runs seeds 1-3; {@code -Dvireo.matrix=full} runs seeds 1-30, {@code -Dvireo.fuzz.seeds=7} or {@code =1-200}
 * or {@code =4,9} others, {@code -Dvireo.fuzz.steps=N} sets the commands per seed. A mismatch names its seed and
 * step, the command, both replies, the commands before it, and the line that reruns it;
 * {@code -Dvireo.fuzz.keepGoing=true} goes on past mismatches and lists the first of each kind.
 */
class CommandFuzzDifferentialIT {
  private static final int CI_STEPS = 6000;
  /** Report every mismatch (the first of each kind in full) and fail at the end, for a survey of differences. */
  private static final boolean KEEP_GOING = Boolean.getBoolean("vireo.fuzz.keepGoing");
  /** How many earlier commands a mismatch lists ({@code -Dvireo.fuzz.history=N}). */
  private static final int HISTORY = Integer.getInteger("vireo.fuzz.history", 40);

  private static final String[] KEYS = {"a", "b", "c", "{t}x", "{t}y", "a", "b", "c", "n\0k", "cr\r\nlf", ""};
  private static final String[] VALUES = {"", "0", "1", "-1", "10", "+1", " 1", "1 ", "3.5", "-0", "1e308",
      "abc", "a\0b", "x\r\ny", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
      "-9223372036854775809", "inf", "nan", "0x10", "hello world", "x".repeat(70), "12345678901234567890",
      "m1", "m2", "\u00e9t\u00e9"};
  private static final String[] MEMBERS = {"m1", "m2", "m3", "m4", "a", "b", "1", "2", "-1", "100", "", "a\0b",
      "x\r\ny", "y".repeat(70), "9223372036854775807", "3.0"};
  private static final String[] INTS = {"0", "-1", "1", "2", "5", "9223372036854775807", "-9223372036854775808",
      "9223372036854775808", "-9223372036854775809", "4294967296", "+1", " 1", "1 ", "", "x", "1.5", "-0", "07"};
  private static final String[] FLOATS = {"0", "1.5", "-2.5", "1e308", "-1e308", "1e400", "-0", "+1", " 1", "1 ",
      "", "inf", "-inf", "nan", "0x10", "1e-320", "3", "abc", "5.0e3", ".5", "1.7976931348623157e308"};
  private static final String[] SCORES = {"1", "2", "3", "-1", "0", "1.5", "inf", "-inf", "+inf", "nan", "1e400",
      "  1", "0x10", "1\0", "-0", "1e308", "x", "", "9007199254740993", "5", "1e-5"};
  /** Wild replacements: no small positive number among them (it could become a relative expiry). */
  private static final String[] WILD = {"", "0", "-1", "9223372036854775807", "-9223372036854775808",
      "9223372036854775808", "-9223372036854775809", "4294967296", "1e308", "-0", "+1", " 1", "1 ", "nan", "inf",
      "-inf", "a\0b", "\r\n", "x\r\ny", "BOGUS", "COUNT", "LIMIT", "WITHSCORES", "NX", "a", "{t}x", "m1"};

  private static final Map<String, String[]> PICKS = new HashMap<>();

  static {
    PICKS.put("k", KEYS);
    PICKS.put("v", VALUES);
    PICKS.put("m", MEMBERS);
    PICKS.put("i", INTS);
    PICKS.put("f", FLOATS);
    PICKS.put("s", SCORES);
    PICKS.put("c", new String[] {"-3", "-2", "-1", "0", "1", "2", "3", "5", "10", "-100", "100"});
    PICKS.put("n", new String[] {"0", "1", "2", "3", "5", "100", "-1", "x", "9223372036854775807", ""});
    PICKS.put("rc", new String[] {"-3", "-1", "0", "1", "3", "10", "x", "-9223372036854775808"});
    PICKS.put("nk", new String[] {"1", "1", "2", "2", "0", "-1", "3", "x", "9223372036854775807"});
    PICKS.put("rng", new String[] {"-inf", "+inf", "inf", "0", "1", "(1", "2", "(2", "5", "-1", "1.5", "x",
        "nan", "1e400", "(", "((1", " 1"});
    PICKS.put("lex", new String[] {"-", "+", "[a", "(a", "[m1", "(m2", "[z", "a", "", "[", "(", "[m"});
    PICKS.put("id", new String[] {"1-1", "1-2", "2-0", "2-1", "3", "5-5", "0-1", "1-*", "2-*",
        "18446744073709551615-18446744073709551615", "0-0", "x", "1-18446744073709551616", "-1", "9-0"});
    PICKS.put("rid", new String[] {"-", "+", "0", "1-1", "(1-1", "2", "3-0", "(2-0", "x", "18446744073709551615"});
    PICKS.put("gid", new String[] {"0", "$", "1-1", "2-0", "x", "0-0"});
    PICKS.put("ttl", new String[] {"100000", "200000", "0", "-1", "-100", "x", "9223372036854775807",
        "9223372036854775", "1.5", ""});
    PICKS.put("pttl", new String[] {"100000000", "0", "-1", "9223372036854775807", "x", "1.5"});
    PICKS.put("at", new String[] {"4000000000", "4100000000", "1", "0", "-9223372036854775808", "x"});
    PICKS.put("pat", new String[] {"*", "?", "a*", "*x", "{t}*", "[a-c]", "[^a]*", "\\", "[", "n*", "*\0*",
        "cr*", "[!a]", "m?", "*1*"});
    PICKS.put("db", new String[] {"0", "1", "2", "3", "0", "1", "16", "-1", "x", "4294967296"});
    PICKS.put("lon", new String[] {"13.361389", "15.087269", "13.5", "-122.27", "180", "181", "-180", "x", "nan",
        "0", "13.36"});
    PICKS.put("lat", new String[] {"38.115556", "37.502669", "38", "37.80", "85.05112878", "86", "-90", "x", "0"});
    PICKS.put("unit", new String[] {"m", "km", "mi", "ft", "KM", "xx", ""});
    PICKS.put("rad", new String[] {"0", "100", "200000", "500", "-1", "x", "1e10", "inf"});
    PICKS.put("bt", new String[] {"i8", "u8", "i16", "u16", "i64", "u63", "u64", "i65", "x", "i1", "u1", "I8"});
    PICKS.put("bo", new String[] {"0", "3", "#1", "#0", "100", "-1", "4294967296", "x", "#-1", "7"});
    PICKS.put("bit", new String[] {"0", "1", "1", "2", "-1", "x"});
    PICKS.put("off", new String[] {"0", "1", "3", "7", "9", "100", "-1", "x", "4294967296", "1.5"});
    PICKS.put("ch", new String[] {"ch1", "ch2", "ch3", "sh1", "c\0h"});
    PICKS.put("lua", new String[] {
        "return redis.call('GET', KEYS[1])",
        "return redis.call('SET', KEYS[1], ARGV[1])",
        "return redis.pcall('INCR', KEYS[1])",
        "return {1, 'two', 3.99, true, false, nil, 'after'}",
        "return redis.call('LRANGE', KEYS[1], 0, -1)",
        "return redis.call('HLEN', KEYS[1])",
        "return tonumber(ARGV[1])",
        "return redis.status_reply('FINE')",
        "return redis.error_reply('my err')",
        "error('boom')",
        "return redis.call('nosuchcmd')",
        "return redis.call('ZSCORE', KEYS[1], ARGV[1])",
        "return 1.5",
        "return redis.sha1hex(ARGV[1] or '')",
        "local t = {} for i = 1, #ARGV do t[i] = ARGV[i] end return t",
        "return redis.call('TYPE', KEYS[1])",
        "return redis.pcall('RPUSH', KEYS[1], ARGV[1])",
        "return {err = 'custom'}",
        "return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')",
        "return #KEYS + #ARGV",
        "redis.setresp(3) return redis.call('ZSCORE', KEYS[1], 'm1')",
        "return redis.call('EXPIRE', KEYS[1], 100000)",
        "return {double = 1.25}",
        "return redis.call('XLEN', KEYS[1])",
        "return redis.call('SET', KEYS[1])",
        "return redis.pcall('HSET', KEYS[1], 'f')",
        "return {{1, {2, 'x'}}, redis.call('EXISTS', KEYS[1])}",
        "return 9007199254740993",
        "return -0.5",
        "return redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])",
        "return redis.call('SMISMEMBER', KEYS[1], 'a', ARGV[1])",
        "return redis.pcall('LPOP', KEYS[1], ARGV[1])"});
  }

  /** One grammar per command shape; see {@link Grammar} for the notation. */
  private static final String[] COMMANDS = {
    // strings
    "GET k", "GET k", "SET k v", "SET k v", "SET k v ?NX|XX ?GET [ EX|PX ttl | EXAT|PXAT at | KEEPTTL ]",
    "SETNX k v", "SETEX k ttl v", "PSETEX k pttl v", "GETSET k v", "GETDEL k",
    "GETEX k [ EX ttl | PX pttl | EXAT at | PERSIST ]", "MSET ( k v )+", "MSETNX ( k v )+", "MGET ( k )+",
    "APPEND k v", "APPEND k v", "STRLEN k", "GETRANGE k c c", "SUBSTR k i i", "SETRANGE k off v",
    "INCR k", "DECR k", "INCRBY k i", "DECRBY k i", "INCRBYFLOAT k f", "INCRBYFLOAT k f",
    "LCS k k [ LEN ] [ IDX ] [ MINMATCHLEN n ] [ WITHMATCHLEN ]",
    // bits
    "SETBIT k off bit", "SETBIT k c bit", "GETBIT k off", "BITCOUNT k [ c c [ BYTE|BIT ] ]",
    "BITPOS k bit [ c [ c [ BYTE|BIT ] ] ]", "BITOP AND|OR|XOR|NOT|DIFF k ( k )+",
    "BITFIELD k ( GET bt bo | SET bt bo i | INCRBY bt bo i | OVERFLOW WRAP|SAT|FAIL|NONE )*",
    "BITFIELD_RO k ( GET bt bo )*",
    // keys, expiry, databases
    "DEL ( k )+", "UNLINK ( k )+", "EXISTS ( k )+", "TYPE k", "TOUCH ( k )+", "RENAME k k", "RENAMENX k k",
    "COPY k k [ DB db ] ?REPLACE", "MOVE k db", "SELECT db", "SELECT 0|1", "SWAPDB db db",
    "EXPIRE k ttl ?NX|XX|BOGUS", "PEXPIRE k pttl ?NX|XX ?NX", "EXPIREAT k at ?NX|XX|GT|LT",
    "PEXPIREAT k at", "TTL k", "PTTL k", "EXPIRETIME k", "PEXPIRETIME k", "PERSIST k", "OBJECT ENCODING k",
    "OBJECT REFCOUNT k", "OBJECT FREQ k", "OBJECT BOGUS k", "KEYS pat", "DBSIZE", "RANDOMKEY", "FLUSHDB ?ASYNC|SYNC",
    "SCAN 0 [ MATCH pat ] [ COUNT 1000|0|-1|x ] [ TYPE string|list|set|zset|hash|stream|none ]",
    "DUMP k", "RESTORE k 0 v ?REPLACE", "ECHO v", "PING ?v", "NOSUCHCOMMAND ( v )*",
    // lists
    "LPUSH k ( v )+", "RPUSH k ( m )+", "LPUSHX k ( v )+", "RPUSHX k ( m )+", "LPOP k ?n", "RPOP k ?n", "LLEN k",
    "LRANGE k c c", "LRANGE k i i", "LINDEX k c", "LSET k c v", "LINSERT k BEFORE|AFTER|MIDDLE m v",
    "LREM k c m", "LTRIM k c c", "LPOS k m [ RANK c ] [ COUNT n ] [ MAXLEN n ]",
    "LMOVE k k LEFT|RIGHT|UP LEFT|RIGHT", "RPOPLPUSH k k", "LMPOP nk ( k )+ LEFT|RIGHT [ COUNT n ]",
    // hashes
    "HSET k ( m v )+", "HSET k ( m v )+", "HSETNX k m v", "HMSET k ( m v )+", "HGET k m", "HMGET k ( m )+",
    "HDEL k ( m )+", "HLEN k", "HSTRLEN k m", "HEXISTS k m", "HINCRBY k m i", "HINCRBYFLOAT k m f", "HKEYS k",
    "HVALS k", "HGETALL k", "HRANDFIELD k [ rc ?WITHVALUES ]", "HSCAN k 0 [ MATCH pat ] [ COUNT 1000|0|x ]",
    // sets
    "SADD k ( m )+", "SADD k ( m )+", "SREM k ( m )+", "SISMEMBER k m", "SMISMEMBER k ( m )+", "SCARD k",
    "SMEMBERS k", "SPOP k 1000|0|-1|x|9223372036854775807", "SRANDMEMBER k ?rc", "SMOVE k k m",
    "SINTER ( k )+", "SUNION ( k )+", "SDIFF ( k )+", "SINTERSTORE k ( k )+", "SUNIONSTORE k ( k )+",
    "SDIFFSTORE k ( k )+", "SINTERCARD nk ( k )+ [ LIMIT n ]", "SSCAN k 0 [ MATCH pat ] [ COUNT 1000|0|x ]",
    // sorted sets
    "ZADD k ?NX|XX ?GT|LT ?CH ?INCR ( s m )+", "ZADD k ( s m )+", "ZADD k ( s m )+", "ZINCRBY k s m",
    "ZSCORE k m", "ZMSCORE k ( m )+", "ZCARD k", "ZCOUNT k rng rng", "ZLEXCOUNT k lex lex",
    "ZRANGE k c c ?WITHSCORES", "ZRANGE k rng rng BYSCORE ?REV [ LIMIT c c ] ?WITHSCORES",
    "ZRANGE k lex lex BYLEX ?REV [ LIMIT c c ]", "ZRANGEBYSCORE k rng rng ?WITHSCORES [ LIMIT c c ]",
    "ZREVRANGEBYSCORE k rng rng ?WITHSCORES [ LIMIT c c ]", "ZRANGEBYLEX k lex lex [ LIMIT c c ]",
    "ZREVRANGE k c c ?WITHSCORES", "ZRANK k m", "ZREVRANK k m", "ZREM k ( m )+", "ZREMRANGEBYRANK k c c",
    "ZREMRANGEBYSCORE k rng rng", "ZREMRANGEBYLEX k lex lex", "ZPOPMIN k ?n", "ZPOPMAX k ?n",
    "ZMPOP nk ( k )+ MIN|MAX [ COUNT n ]", "ZRANGESTORE k k c c", "ZRANGESTORE k k rng rng BYSCORE [ LIMIT c c ]",
    "ZUNION nk ( k )+ [ WEIGHTS ( f )+ ] [ AGGREGATE SUM|MIN|MAX|AVG ] ?WITHSCORES",
    "ZINTER nk ( k )+ [ AGGREGATE SUM|MIN|MAX ] ?WITHSCORES", "ZDIFF nk ( k )+ ?WITHSCORES",
    "ZUNIONSTORE k nk ( k )+ [ WEIGHTS ( f )+ ]", "ZINTERSTORE k nk ( k )+ [ AGGREGATE MIN|MAX ]",
    "ZDIFFSTORE k nk ( k )+", "ZINTERCARD nk ( k )+ [ LIMIT n ]", "ZRANDMEMBER k [ rc ?WITHSCORES ]",
    "ZSCAN k 0 [ MATCH pat ] [ COUNT 1000|0|x ]",
    // geo (STOREDIST is left to GeoDifferentialIT: a stored distance may differ in its last bit)
    "GEOADD k ?NX|XX ?CH ( lon lat m )+", "GEOPOS k ( m )*", "GEODIST k m m ?unit", "GEOHASH k ( m )*",
    "GEOSEARCH k FROMMEMBER m|FROMLONLAT lon lat BYRADIUS rad unit ?ASC|DESC ?WITHDIST ?WITHCOORD ?WITHHASH",
    "GEOSEARCH k FROMLONLAT lon lat BYBOX rad rad unit ?ASC [ COUNT n ?ANY ] ?WITHDIST",
    "GEORADIUS k lon lat rad unit ?WITHDIST ?ASC|DESC [ COUNT n ] [ STORE k ]",
    "GEORADIUSBYMEMBER k m rad unit ?WITHCOORD ?ASC", "GEOSEARCHSTORE k k FROMMEMBER m BYRADIUS rad unit",
    // HyperLogLog
    "PFADD k ( m )*", "PFADD k ( v )+", "PFCOUNT ( k )+", "PFMERGE k ( k )*",
    // streams, with explicit IDs
    "XADD k ?NOMKSTREAM [ MAXLEN|MINID ?=|~ i ] id ( m v )+", "XADD k id m v", "XADD k id m v", "XLEN k",
    "XRANGE k rid rid [ COUNT n ]", "XREVRANGE k rid rid [ COUNT n ]", "XDEL k ( id )+",
    "XTRIM k MAXLEN|MINID ?=|~ i [ LIMIT n ]", "XSETID k id [ ENTRIESADDED i ] [ MAXDELETEDID id ]",
    "XREAD [ COUNT n ] STREAMS k rid", "XGROUP CREATE k g1|g2 gid ?MKSTREAM [ ENTRIESREAD i ]",
    "XGROUP SETID k g1|g2 gid", "XGROUP DESTROY k g1|g2", "XGROUP CREATECONSUMER k g1|g2 c1|c2",
    "XGROUP DELCONSUMER k g1|g2 c1|c2", "XREADGROUP GROUP g1|g2 c1|c2 [ COUNT n ] ?NOACK STREAMS k >|0|1-1",
    "XACK k g1|g2 ( id )+", "XPENDING k g1|g2", "XPENDING k g1|g2 - + n ?c1|c2",
    "XCLAIM k g1|g2 c1|c2 0 ( id )+ ?JUSTID ?FORCE", "XAUTOCLAIM k g1|g2 c1|c2 0 0-0 [ COUNT n ] ?JUSTID",
    "XINFO STREAM k", "XINFO GROUPS k", "XINFO STREAM k FULL [ COUNT n ]",
    // SORT
    "SORT k ?ASC|DESC ?ALPHA [ LIMIT c c ]", "SORT k BY nosort|w_*|x|a*->m1 ?ALPHA [ GET #|w_*|c*->m1|* ]",
    "SORT k ?DESC ?ALPHA STORE k", "SORT_RO k ?ALPHA [ LIMIT c c ]",
    // scripting
    "EVAL lua nk ( k )* ( v )*", "EVAL lua 1 k v", "EVAL lua 1 k m", "EVAL_RO lua 1 k v", "SCRIPT EXISTS ( v )+",
    "SCRIPT FLUSH ?SYNC|ASYNC",
    // pub/sub counters
    "PUBLISH ch v", "SPUBLISH ch v", "PUBSUB NUMSUB ( ch )*", "PUBSUB NUMPAT", "PUBSUB CHANNELS ?pat",
    "PUBSUB SHARDCHANNELS ?pat", "PUBSUB SHARDNUMSUB ( ch )*",
  };

  /** Commands whose reply lists a collection in no defined order: compared after sorting. */
  private static final Set<String> UNORDERED = Set.of("SMEMBERS", "SINTER", "SUNION", "SDIFF", "HKEYS", "HVALS",
      "HGETALL", "KEYS", "SPOP", "PUBSUB");
  /** Commands that pick at random: compared by the shape of the reply. */
  private static final Set<String> RANDOM = Set.of("SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER", "RANDOMKEY");
  private static final Set<String> CLOCK = Set.of("TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME");

  private static RedisServerProcess redis;
  private static TestNode node;
  private static RespClient redisSubscriber;
  private static RespClient vireoSubscriber;

  private static final List<Grammar> GRAMMARS = new ArrayList<>();

  static {
    for (String c : COMMANDS) GRAMMARS.add(Grammar.parse(c));
  }

  static LongStream seeds() {
    String given = System.getProperty("vireo.fuzz.seeds");
    if (given != null && !given.isBlank()) {
      List<Long> out = new ArrayList<>();
      for (String part : given.split(",")) {
        String p = part.trim();
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          for (long s = Long.parseLong(p.substring(0, dash)); s <= Long.parseLong(p.substring(dash + 1)); s++) {
            out.add(s);
          }
        } else {
          out.add(Long.parseLong(p));
        }
      }
      return out.stream().mapToLong(Long::longValue);
    }
    return Matrix.full() ? LongStream.rangeClosed(1, 30) : LongStream.rangeClosed(1, 3);
  }

  @BeforeAll
  static void start() {
    redis = RedisServerProcess.start("--enable-debug-command", "yes");
    node = TestNode.start();
    // a subscriber on each side, so PUBLISH and PUBSUB count something; its messages are never read
    redisSubscriber = redis.client();
    vireoSubscriber = node.client();
    for (RespClient sub : List.of(redisSubscriber, vireoSubscriber)) {
      sub.call("SUBSCRIBE", "ch1", "ch2");
      sub.readReply();
      sub.call("PSUBSCRIBE", "ch*");
      sub.call("SSUBSCRIBE", "sh1");
    }
  }

  @AfterAll
  static void stop() {
    try {
      if (redisSubscriber != null) redisSubscriber.close();
      if (redis != null) redis.close();
    } finally {
      if (node != null) node.close();
    }
  }

  /** Shapes the fuzz once found answered differently, replayed on every run whatever the seeds. */
  private static final String[][] FOUND = {
    {"SET", "a", "1"}, {"SELECT", "4294967296"}, {"SELECT", "-1"}, {"MOVE", "a", "4294967296"},
    {"COPY", "a", "b", "DB", "4294967296"}, {"SWAPDB", "4294967296", "0"}, {"SWAPDB", "0", "4294967296"},
    {"SWAPDB", "x", "0"}, {"XADD", "s", "1-1", "f", "v"}, {"XGROUP", "CREATE", "s", "g", "0"},
    {"XGROUP", "SETID", "nokey", "g", "1-1", "x"}, {"XGROUP", "SETID", "s", "g", "1-1", "ENTRIESREAD"},
    {"XGROUP", "SETID", "a", "g", "1-1", "1-1"}, {"XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "1"},
    {"XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", "1", "ENTRIESREAD", "2"},
    {"EVAL", "return 1", "-0"}, {"EVAL", "return 1", "+0"}, {"EVAL", "return 1", "00"},
    {"SADD", "st", "m"}, {"HSET", "h", "f", "v"}, {"ZADD", "z", "1", "m"}, {"SSCAN", "st", ""},
    {"HSCAN", "h", ""}, {"ZSCAN", "z", ""}, {"SCAN", ""}, {"SSCAN", "st", "+0"}, {"HSCAN", "h", "-"},
    {"BITCOUNT", "a", "-2", "-3", "-2"}, {"BITCOUNT", "a", "1", "2", "-2"}, {"PEXPIRE", "a", "-1", "\r\n"},
    {"EXPIRE", "a", "100", "x\r\n"}, {"EXPIRE", "a", "100", "\r\nx"},
    {"ZADD", "zs", "-0", "", "1", "y".repeat(70)}, {"DUMP", "zs"}, {"ZRANGESTORE", "zd", "zs", "0", "-1"},
    {"DUMP", "zd"}, {"ZADD", "zs", "-0", "z"}, {"DUMP", "zs"}, {"ZRANGESTORE", "zd", "zs", "0", "-1"}, {"DUMP", "zd"},
    {"DEBUG", "DIGEST-VALUE", "zd"}, {"ZADD", "zt", "1", "y".repeat(70)}, {"ZADD", "zt", "-0", ""},
    {"ZRANGESTORE", "zu", "zt", "0", "-1"}, {"DEBUG", "DIGEST-VALUE", "zu"}, {"DUMP", "zu"},
    {"ZREM", "zt", "y".repeat(70)}, {"OBJECT", "ENCODING", "zt"}, {"ZSCORE", "zt", ""},
    {"ZADD", "zv", "2", "y".repeat(70)}, {"ZADD", "zv", "-0", "m"}, {"DUMP", "zv"}, {"DEBUG", "DIGEST-VALUE", "zv"},
    {"DEBUG", "RELOAD"}, {"DEBUG", "DIGEST-VALUE", "zv"}, {"ZSCORE", "zv", "m"},
    {"SET", "f", "1e999999999"}, {"INCRBYFLOAT", "f", "-0"}, {"INCRBYFLOAT", "f", "1e-999999999"},
    {"HSET", "hf", "f", "1e999999999"}, {"HINCRBYFLOAT", "hf", "f", "1"}, {"INCRBYFLOAT", "g", "1e999999999"},
  };

  @Test
  void shapesOnceFoundDifferent() {
    Run run = new Run(0);
    try (RespClient r = redis.client(); RespClient v = node.client()) {
      run.same(r, v, "FLUSHALL");
      for (String[] cmd : FOUND) run.same(r, v, cmd);
      run.same(r, v, "FLUSHALL");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sameRepliesAsRedis(long seed) {
    int steps = Integer.getInteger("vireo.fuzz.steps", CI_STEPS);
    Run run = new Run(seed);
    try (RespClient r2 = redis.client(); RespClient r3 = redis.client(); RespClient v2 = node.client();
        RespClient v3 = node.client()) {
      r3.call("HELLO", "3");
      v3.call("HELLO", "3");
      run.same(r2, v2, "FLUSHALL");
      run.same(r2, v2, "SCRIPT", "FLUSH");
      for (run.step = 0; run.step < steps; run.step++) {
        boolean resp3 = run.rnd.nextInt(4) == 0;
        RespClient r = resp3 ? r3 : r2;
        RespClient v = resp3 ? v3 : v2;
        run.proto = resp3 ? 3 : 2;
        int kind = run.rnd.nextInt(100);
        if (kind < 3) {
          run.transaction(r, v);
        } else if (kind < 5) {
          run.dumpAcross(r, v);
        } else if (kind < 6) {
          run.evalsha(r, v);
        } else {
          byte[][] cmd = run.command(false);
          if (run.lexOnMixedScores(r, cmd)) continue;
          if (latin1(cmd[0]).toUpperCase(Locale.ROOT).startsWith("SORT")) {
            // redis-server 7.0 checks errno after strtod without clearing it: an earlier overflowing float
            // (ZADD k 1e400 m) makes a later numeric SORT fail until some parse resets errno, as this one does
            run.same(r, v, "ZADD", "__errno__", "XX", "0", "m");
          }
          run.check(r, v, cmd);
        }
        if (run.step % 10 == 9) {
          run.digests(r, v);
        }
        if (run.diverged) {
          run.diverged = false;
          run.same(r2, v2, "FLUSHALL"); // start again from equal states
        }
      }
      run.proto = 2;
      for (String db : List.of("0", "1", "2", "3")) {
        run.same(r2, v2, "SELECT", db);
        run.same(r2, v2, "DBSIZE");
      }
      run.same(r2, v2, "DEBUG", "DIGEST");
    }
    System.out.println("CommandFuzzDifferentialIT seed " + seed + ": " + run.compared + " replies compared ("
        + run.errors + " errors), " + run.normalized + " compared after normalizing");
    assertTrue(run.compared > steps);
    assertTrue(run.mismatches == 0, run.mismatches + " mismatches, see the output");
  }

  /** One seed's run: its random stream, its counters, the recent commands for a failure's report. */
  private static final class Run {
    final long seed;
    final Random rnd;
    int step;
    int proto = 2;
    int compared;
    int errors;
    int normalized;
    final ArrayDeque<String> recent = new ArrayDeque<>();
    final Set<String> kinds = new HashSet<>();
    int mismatches;
    boolean diverged;

    Run(long seed) {
      this.seed = seed;
      this.rnd = new Random(seed * 0x9E3779B97F4A7C15L + 1);
    }

    /** A random command, mutated now and then into a wrong shape. */
    byte[][] command(boolean inTransaction) {
      while (true) {
        List<String> c = GRAMMARS.get(rnd.nextInt(GRAMMARS.size())).expand(rnd);
        String name = c.get(0).toUpperCase(Locale.ROOT);
        if (inTransaction && (UNORDERED.contains(name) || RANDOM.contains(name) || CLOCK.contains(name)
            || name.startsWith("GEO") || name.endsWith("SCAN") || name.startsWith("SORT") || name.equals("XINFO")
            || name.equals("XPENDING") || name.equals("SELECT") || name.equals("DUMP") || name.equals("OBJECT")
            || name.contains("LEX") || name.equals("ZRANGE"))) {
          // replies normalized one by one stay out of EXEC's array; and OBJECT REFCOUNT counts, in Redis, the
          // queued arguments a value set earlier in the same transaction still shares (2 where Vireo says 1)
          continue;
        }
        if (rnd.nextInt(6) == 0) mutate(c);
        if (c.get(0).equalsIgnoreCase("SPOP") && c.size() == 2) continue; // a random member would go
        if (c.get(0).equalsIgnoreCase("SET") && expiresInThePast(c)) continue;
        byte[][] out = new byte[c.size()][];
        for (int i = 0; i < out.length; i++) out[i] = c.get(i).getBytes(StandardCharsets.UTF_8);
        return out;
      }
    }

    /**
     * SET with an EXAT/PXAT already past: redis-server 7.0 stores the key anyway and leaves it to be deleted on
     * its next access or by the active expire cycle, whichever comes first, so DEBUG DIGEST-VALUE and DBSIZE
     * depend on the cycle's timing; Vireo never stores it.
     */
    private static boolean expiresInThePast(List<String> c) {
      for (int i = 3; i + 1 < c.size(); i++) {
        String o = c.get(i).toUpperCase(Locale.ROOT);
        if (!o.equals("EXAT") && !o.equals("PXAT")) continue;
        try {
          long at = Long.parseLong(c.get(i + 1));
          long now = System.currentTimeMillis();
          if (at > 0 && (o.equals("EXAT") ? at <= now / 1000 + 1 : at <= now + 1000)) return true;
        } catch (NumberFormatException e) {
          // not a number: an error reply, compared as any other
        }
      }
      return false;
    }

    private void mutate(List<String> c) {
      int n = 1 + rnd.nextInt(2);
      for (int j = 0; j < n; j++) {
        int at = 1 + rnd.nextInt(Math.max(1, c.size() - 1));
        switch (rnd.nextInt(6)) {
          case 0 -> {
            if (c.size() > 1) c.remove(Math.min(at, c.size() - 1));
          }
          case 1 -> c.add(Math.min(at, c.size()), pick(WILD));
          case 2 -> {
            if (c.size() > 1) c.set(Math.min(at, c.size() - 1), pick(WILD));
          }
          case 3 -> {
            if (c.size() > 1) c.add(c.get(Math.min(at, c.size() - 1))); // a repeated option or argument
          }
          case 4 -> c.set(0, c.get(0).toLowerCase(Locale.ROOT));
          default -> {
            if (c.size() > 2) c.subList(2, c.size()).clear();
          }
        }
      }
    }

    String pick(String[] options) {
      return options[rnd.nextInt(options.length)];
    }

    /**
     * A lex range over a sorted set whose scores differ: Redis leaves the result unspecified, and on a skiplist it
     * depends on the random levels of the nodes. Asked of Redis alone, which only reads.
     */
    boolean lexOnMixedScores(RespClient r, byte[][] cmd) {
      if (!isLex(cmd) || cmd.length < 2) return false;
      String first = latin1(r.callBytes(bytes("ZRANGE"), cmd[1], bytes("0"), bytes("0"), bytes("WITHSCORES")));
      String last = latin1(r.callBytes(bytes("ZRANGE"), cmd[1], bytes("-1"), bytes("-1"), bytes("WITHSCORES")));
      if (!first.startsWith("*2") || !last.startsWith("*2")) return false;
      return !StreamReplies.parse(first).kids.get(1).bulk.equals(StreamReplies.parse(last).kids.get(1).bulk);
    }

    static boolean isLex(byte[][] cmd) {
      String name = latin1(cmd[0]).toUpperCase(Locale.ROOT);
      if (name.contains("LEX")) return true;
      if (!name.equals("ZRANGE")) return false;
      for (byte[] a : cmd) if (latin1(a).equalsIgnoreCase("BYLEX")) return true;
      return false;
    }

    /** MULTI, a few commands (some queued with errors), then EXEC or DISCARD; sometimes under WATCH. */
    void transaction(RespClient r, RespClient v) {
      if (rnd.nextBoolean()) check(r, v, args("WATCH", pick(KEYS), pick(KEYS)));
      check(r, v, args("MULTI"));
      int n = 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        int what = rnd.nextInt(12);
        if (what == 0) {
          check(r, v, args(pick(new String[] {"MULTI", "WATCH", "EXEC", "DISCARD", "UNWATCH"}), pick(KEYS)));
        } else {
          check(r, v, command(true));
        }
      }
      check(r, v, args(rnd.nextInt(5) == 0 ? "DISCARD" : "EXEC"));
    }

    /** DUMP a key on both sides, RESTORE each payload on the other side, and compare what was restored. */
    void dumpAcross(RespClient r, RespClient v) {
      String k = pick(KEYS);
      byte[][] dump = args("DUMP", k);
      remember("RESP" + proto + " " + show(dump) + " (restored across)");
      byte[] rd = r.callBytes(dump);
      byte[] vd = v.callBytes(dump);
      compared++;
      String re = latin1(rd);
      String ve = latin1(vd);
      if (re.startsWith("$-1") || ve.startsWith("$-1") || re.startsWith("_") || ve.startsWith("_")) {
        if (!re.equals(ve)) report(args("DUMP", k), re, ve, "one side has the key, the other not");
        return;
      }
      byte[] rp = bulk(rd);
      byte[] vp = bulk(vd);
      byte[] name = "__restored__".getBytes(StandardCharsets.UTF_8);
      List<byte[]> options = new ArrayList<>(List.of(bytes("REPLACE")));
      String ttl = "0";
      switch (rnd.nextInt(6)) {
        case 0 -> ttl = "100000";
        case 1 -> {
          ttl = pick(new String[] {"4000000000000", "1", "-1"});
          options.add(bytes("ABSTTL"));
        }
        case 2 -> options.addAll(List.of(bytes("IDLETIME"), bytes(pick(new String[] {"0", "1000", "-1", "x"}))));
        case 3 -> options.addAll(List.of(bytes("FREQ"), bytes(pick(new String[] {"0", "100", "256", "-1"}))));
        case 4 -> options.add(bytes(pick(new String[] {"BOGUS", "REPLACE", "ABSTTL"})));
        default -> {
          // plain
        }
      }
      byte[][] restoreR = restore(name, ttl, vp, options);
      byte[][] restoreV = restore(name, ttl, rp, options);
      String a = latin1(r.callBytes(restoreR));
      String b = latin1(v.callBytes(restoreV));
      compared++;
      if (!a.equals(b)) report(args("RESTORE", "__restored__", ttl, "<the other's DUMP of " + k + ">"), a, b, "");
      check(r, v, args("EXISTS", "__restored__"));
      check(r, v, args("DEBUG", "DIGEST-VALUE", "__restored__", k));
      check(r, v, args("OBJECT", "ENCODING", "__restored__"));
      check(r, v, args("DEL", "__restored__"));
    }

    private static byte[][] restore(byte[] name, String ttl, byte[] payload, List<byte[]> options) {
      List<byte[]> c = new ArrayList<>(List.of(bytes("RESTORE"), name, bytes(ttl), payload));
      c.addAll(options);
      return c.toArray(byte[][]::new);
    }

    /** EVALSHA of a script the run may or may not have sent with EVAL, and SCRIPT LOAD. */
    void evalsha(RespClient r, RespClient v) {
      String script = pick(PICKS.get("lua"));
      if (rnd.nextInt(3) == 0) check(r, v, args("SCRIPT", "LOAD", script));
      check(r, v, args(rnd.nextBoolean() ? "EVALSHA" : "EVALSHA_RO", sha1(script), "1", pick(KEYS), pick(VALUES)));
    }

    /** DEBUG DIGEST-VALUE over the whole key pool of the selected database; one key's encoding and TTL. */
    void digests(RespClient r, RespClient v) {
      List<String> c = new ArrayList<>(List.of("DEBUG", "DIGEST-VALUE"));
      c.addAll(Arrays.asList(KEYS).subList(0, 5));
      c.addAll(Arrays.asList(KEYS).subList(8, KEYS.length));
      check(r, v, c.stream().map(CommandFuzzDifferentialIT::bytes).toArray(byte[][]::new));
      String k = pick(KEYS);
      check(r, v, args("OBJECT", "ENCODING", k));
      check(r, v, args("PTTL", k));
    }

    void same(RespClient r, RespClient v, String... cmd) {
      check(r, v, args(cmd));
    }

    void check(RespClient r, RespClient v, byte[][] cmd) {
      String shown = show(cmd);
      remember("RESP" + proto + " " + shown);
      String expected = latin1(r.callBytes(cmd));
      String actual = latin1(v.callBytes(cmd));
      compared++;
      if (expected.startsWith("-") || expected.startsWith("!")) errors++;
      if (expected.equals(actual)) return;
      String why = tolerated(cmd, expected, actual);
      if (why == null) {
        normalized++;
        return;
      }
      if (latin1(cmd[0]).equals("DEBUG") && latin1(cmd[1]).equals("DIGEST-VALUE")) why += contents(r, v, cmd);
      report(cmd, expected, actual, why);
    }

    /** What each side holds under the keys of a DEBUG DIGEST-VALUE, to show where two values part. */
    private String contents(RespClient r, RespClient v, byte[][] cmd) {
      StringBuilder s = new StringBuilder();
      for (int i = 2; i < cmd.length; i++) {
        for (byte[][] look : new byte[][][] {{bytes("TYPE"), cmd[i]}, {bytes("OBJECT"), bytes("ENCODING"), cmd[i]},
            {bytes("DUMP"), cmd[i]}}) {
          String a = latin1(r.callBytes(look));
          String b = latin1(v.callBytes(look));
          s.append("\n    ").append(show(look)).append(" redis: ").append(escape(a));
          if (!a.equals(b)) s.append("\n    ").append(" ".repeat(show(look).length())).append(" vireo: ")
              .append(escape(b));
        }
      }
      return s.toString();
    }

    void remember(String command) {
      if (recent.size() == HISTORY) recent.removeFirst();
      recent.addLast(command);
    }

    void report(byte[][] cmd, String expected, String actual, String why) {
      String text = "seed " + seed + ", step " + step + " (RESP" + proto + "): " + show(cmd) + "\n  redis: "
          + escape(expected) + "\n  vireo: " + escape(actual) + (why.isEmpty() ? "" : "\n  (" + why + ")")
          + "\n  rerun: mvn -B test-compile failsafe:integration-test failsafe:verify"
          + " -Dit.test=CommandFuzzDifferentialIT -Dvireo.fuzz.seeds=" + seed
          + "\n  reproduce by hand (redis-cli): " + cliLine(cmd)
          + "\n  commands before it, oldest first:\n    " + String.join("\n    ", recent);
      if (!KEEP_GOING) fail(text);
      mismatches++;
      diverged = true;
      if (kinds.add(latin1(cmd[0]).toUpperCase(Locale.ROOT) + " " + why)) System.out.println("MISMATCH " + text);
    }
  }

  // ------------------------------------------------------------------------------------------- comparison

  /** Null when the replies differ only where Redis fixes nothing, else why they do not match. */
  static String tolerated(byte[][] cmd, String expected, String actual) {
    String name = new String(cmd[0], StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
    boolean errors = expected.startsWith("-") || actual.startsWith("-");
    if (errors) return "replies differ";
    Node e;
    Node a;
    try {
      e = StreamReplies.parse(expected);
      a = StreamReplies.parse(actual);
    } catch (RuntimeException ex) {
      return "replies differ (unparsable: " + ex.getMessage() + ")";
    }
    if (CLOCK.contains(name)) {
      return masked(expected).equals(masked(actual)) ? null : "replies differ beyond the clock";
    }
    if (UNORDERED.contains(name) || name.equals("SORT") || name.equals("SORT_RO")) {
      int group = name.equals("HGETALL") && e.type == '*' ? 2 : 1;
      return canonical(e, group).equals(canonical(a, group)) ? null : "replies differ as sets";
    }
    if (RANDOM.contains(name)) {
      return e.type == a.type && e.kids.size() == a.kids.size() && (e.bulk == null) == (a.bulk == null) ? null
          : "random picks differ in shape";
    }
    if (name.endsWith("SCAN")) {
      if (e.kids.size() != 2 || a.kids.size() != 2) return "replies differ";
      boolean fromStart = latin1(cmd[name.equals("SCAN") ? 1 : 2]).equals("0");
      boolean done = "0".equals(e.kids.get(0).bulk) && "0".equals(a.kids.get(0).bulk);
      // cursors are the server's own: only a whole iteration in one call can be compared
      if (!done || !fromStart) return null;
      int group = name.equals("SCAN") || name.equals("SSCAN") ? 1 : 2;
      return canonical(e.kids.get(1), group).equals(canonical(a.kids.get(1), group)) ? null
          : "complete scans differ as sets";
    }
    if (name.startsWith("GEO")) {
      List<String> c = new ArrayList<>();
      for (byte[] b : cmd) c.add(new String(b, StandardCharsets.UTF_8));
      return GeoDifferentialIT.sameButRounding(expected, actual, GeoDifferentialIT.sortsByDistance(c)) ? null
          : "replies differ beyond the rounding of a distance";
    }
    if (name.equals("DUMP") && e.bulk != null && a.bulk != null && !e.bulk.isEmpty() && !a.bulk.isEmpty()) {
      int et = e.bulk.charAt(0);
      int at = a.bulk.charAt(0);
      // A hash table set or hash is written in its table's order. And Vireo writes a collection in the encoding
      // its contents call for, where Redis keeps the one it has (a sorted set SORT turned into a skiplist, a set
      // that shrank back under the limits): both load as the same value, which the DUMP-across steps compare.
      if (et == at && (et == RDB_SET || et == RDB_HASH) && e.bulk.length() == a.bulk.length()) return null;
      if (family(et) != 0 && family(et) == family(at) && et != at) return null;
      if (et == at && (et == 15 || et == 19 || et == 21) && e.bulk.length() == a.bulk.length()) {
        // a stream's consumer groups carry each server's clock (delivery and seen times, in ms), and so does the
        // checksum: a few bytes apart, no more
        int differing = 0;
        for (int i = 0; i < e.bulk.length(); i++) if (e.bulk.charAt(i) != a.bulk.charAt(i)) differing++;
        return differing <= 64 ? null : "DUMP payloads differ";
      }
      return "DUMP payloads differ";
    }
    if (name.equals("XPENDING") || name.equals("XINFO")) {
      String[] c = new String[cmd.length];
      for (int i = 0; i < cmd.length; i++) c[i] = latin1(cmd[i]);
      String why = StreamReplies.mismatch(c, expected, actual, 1000, false);
      return why;
    }
    return "replies differ";
  }

  private static final int RDB_SET = 2;
  private static final int RDB_HASH = 4;

  /** RDB value types of one kind, big and compact encodings alike: set, sorted set, hash. */
  private static int family(int rdbType) {
    return switch (rdbType) {
      case RDB_SET, 11 -> 1; // set, intset
      case 5, 17 -> 2; // skiplist sorted set, listpack sorted set
      case RDB_HASH, 16 -> 3; // hash table, listpack hash
      default -> 0;
    };
  }

  private static String masked(String reply) {
    return reply.replaceAll(":[1-9][0-9]*\r\n", ":<positive>\r\n");
  }

  /** The reply with its top-level elements (in groups: field and value) sorted. */
  private static String canonical(Node n, int group) {
    List<String> parts = new ArrayList<>();
    int g = n.type == '%' ? 2 : group;
    for (int i = 0; i < n.kids.size(); i += g) {
      StringBuilder s = new StringBuilder();
      for (int j = i; j < Math.min(i + g, n.kids.size()); j++) s.append(StreamReplies.render(n.kids.get(j)));
      parts.add(s.toString());
    }
    parts.sort(null);
    return n.type + n.line + "\r\n" + String.join("", parts);
  }

  // ------------------------------------------------------------------------------------------- bytes

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[][] args(String... a) {
    byte[][] out = new byte[a.length][];
    for (int i = 0; i < a.length; i++) out[i] = bytes(a[i]);
    return out;
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** The payload of a bulk reply. */
  private static byte[] bulk(byte[] reply) {
    int eol = 0;
    while (reply[eol] != '\r') eol++;
    int len = Integer.parseInt(new String(reply, 1, eol - 1, StandardCharsets.US_ASCII));
    return Arrays.copyOfRange(reply, eol + 2, eol + 2 + len);
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes(script)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String show(byte[][] cmd) {
    StringBuilder s = new StringBuilder();
    for (byte[] a : cmd) s.append(s.length() == 0 ? "" : " ").append('"').append(escape(latin1(a))).append('"');
    return s.toString();
  }

  /** The command as redis-cli reads it: each argument double-quoted, bytes outside printable ASCII as \xNN. */
  private static String cliLine(byte[][] cmd) {
    return "redis-cli " + show(cmd);
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (ch >= 0x20 && ch < 0x7f) out.append(ch);
          else out.append(String.format("\\x%02x", (int) ch));
        }
      }
    }
    String r = out.toString();
    return r.length() > 1500 ? r.substring(0, 1500) + "...(" + r.length() + " chars)" : r;
  }

  // ------------------------------------------------------------------------------------------- grammar

  /**
   * A command shape: words separated by spaces. A lowercase word that names a pool ({@code k} key, {@code v}
   * value, {@code m} member, {@code i} integer, {@code f} float, {@code s} score, ...) is one pick from it; any
   * other word is literal, {@code A|B} one of several; {@code ?W} is an optional word; {@code [ ... ]} an optional
   * group, {@code ( ... )} a group, {@code ( ... )+} one to three of it, {@code ( ... )*} none to three; inside a
   * group {@code |} on its own separates alternatives.
   */
  private static final class Grammar {
    private final List<List<Object>> alternatives = new ArrayList<>();
    private int min = 1;
    private int max = 1;

    static Grammar parse(String text) {
      String[] tokens = text.trim().split(" +");
      int[] at = {0};
      Grammar g = group(tokens, at);
      if (at[0] != tokens.length) throw new IllegalArgumentException("unbalanced grammar: " + text);
      return g;
    }

    private static Grammar group(String[] tokens, int[] at) {
      Grammar g = new Grammar();
      List<Object> seq = new ArrayList<>();
      g.alternatives.add(seq);
      while (at[0] < tokens.length) {
        String t = tokens[at[0]++];
        switch (t) {
          case "(", "[" -> {
            Grammar inner = group(tokens, at);
            String close = tokens[at[0] - 1];
            if (t.equals("[")) {
              inner.min = 0;
            } else if (close.equals(")+")) {
              inner.max = 3;
            } else if (close.equals(")*")) {
              inner.min = 0;
              inner.max = 3;
            }
            seq.add(inner);
          }
          case ")", ")+", ")*", "]" -> {
            return g;
          }
          case "|" -> {
            seq = new ArrayList<>();
            g.alternatives.add(seq);
          }
          default -> seq.add(t);
        }
      }
      return g;
    }

    List<String> expand(Random rnd) {
      List<String> out = new ArrayList<>();
      emit(rnd, out);
      return out;
    }

    private void emit(Random rnd, List<String> out) {
      int times = min + (max > min ? rnd.nextInt(max - min + 1) : 0);
      if (min == 0 && max == 1) times = rnd.nextBoolean() ? 1 : 0;
      for (int n = 0; n < times; n++) {
        List<Object> seq = alternatives.get(rnd.nextInt(alternatives.size()));
        for (Object o : seq) {
          if (o instanceof Grammar g) {
            g.emit(rnd, out);
          } else {
            word((String) o, rnd, out);
          }
        }
      }
    }

    private static void word(String w, Random rnd, List<String> out) {
      if (w.startsWith("?") && w.length() > 1) {
        if (rnd.nextBoolean()) return;
        w = w.substring(1);
      }
      String[] pool = PICKS.get(w);
      if (pool != null) {
        out.add(pool[rnd.nextInt(pool.length)]);
      } else if (w.contains("|") && w.length() > 1) {
        String[] alts = w.split("\\|", -1);
        out.add(alts[rnd.nextInt(alts.length)]);
      } else {
        out.add(w);
      }
    }
  }
}
