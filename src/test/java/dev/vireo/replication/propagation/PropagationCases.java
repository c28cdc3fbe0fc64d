package dev.vireo.replication.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.replication.propagation.PropagationStreamIT.Case;
import dev.vireo.replication.propagation.PropagationStreamIT.Session;
import dev.vireo.testkit.Dumps;
import dev.vireo.testkit.Poll;
import java.util.List;

/** The scripted cases of {@link PropagationStreamIT}: each runs the same way on Redis and on Vireo. */
final class PropagationCases {
  private PropagationCases() {}

  private static Case c(String name, PropagationStreamIT.Script s) {
    return new Case(name, false, s);
  }

  private static Case lines(String name, String... lines) {
    return new Case(name, false, s -> s.runAll(lines));
  }

  static List<Case> all() {
    return List.of(
        lines("expire-family",
            "SET a 1", "EXPIRE a 100", "EXPIRE a 200 GT", "expire a 50 gt", "PEXPIRE a 100000 NX",
            "expireat a 4102444800 xx", "pexpireat a 4102444800000", "pexpireat a 04102444800000",
            "EXPIRE a 100 lt", "pexpire a 5000000 LT", "EXPIRE nokey 10", "SET c 1", "expire c 100 lt",
            "EXPIRE c 200 gt", "PERSIST c", "PERSIST c", "PERSIST nokey", "SELECT 4", "SET d 1",
            "pexpire d 3000"),
        lines("expire-in-the-past",
            "SET a 1", "EXPIRE a -1", "SET b 1", "PEXPIREAT b 1", "SET c 1", "EXPIREAT c 100 NX",
            "SET d 1", "EXPIRE d 100", "EXPIRE d -5 GT", "PEXPIRE d 0 lt", "EXPIRE nokey -1", "SET e 1",
            "PEXPIRE e -1000 XX"),
        lines("set-with-expire",
            "SET c v EX 100", "SET c v ex 100 GET", "SET c v PX 100 NX", "set c v px 100 xx get",
            "SET c v EXAT 4102444800", "SET c w PXAT 4102444800000", "SET c v pxat 4102444800000 GET",
            "SET d v nx EX 50", "SET e v KEEPTTL", "SET e2 v XX PX 10"),
        lines("set-get-keepttl",
            "SET d v GET", "SET d v KEEPTTL", "SET d v keepttl get", "SET d w GET GET", "SET get get get",
            "set d x get nx", "set d x xx get", "SET d v nx", "SETNX d v", "SETNX d2 v",
            "MSET a 1 b 2", "MSETNX a 1 z 2", "MSETNX y 1 z 2"),
        lines("set-expire-already-past",
            "SET c v PXAT 1", "GET c", "SET c v EXAT 1 GET", "EXISTS c", "SET c v PXAT 1", "SET c w GET",
            "SET d v PXAT 1 NX", "TTL d", "SET d v"),
        lines("setex-psetex",
            "SETEX e 100 v", "PSETEX e 100000 v", "psetex e2 1 v", "SETEX e3 0 v", "GET e"),
        lines("getex",
            "SET g v", "GETEX g", "GETEX g EX 100", "GETEX g px 100000", "GETEX g EXAT 4102444800",
            "GETEX g PXAT 4102444800000", "GETEX g PERSIST", "GETEX g persist", "GETEX g PXAT 1",
            "GETEX nokey EX 10", "SET h v", "GETEX h EXAT 1", "SET i v", "GETEX i PERSIST", "GETEX i EX 0"),
        lines("float-increments",
            "SET f 1.5", "INCRBYFLOAT f 1", "incrbyfloat f 1e2", "SET f2 3 EX 100", "INCRBYFLOAT f2 0.5",
            "INCRBYFLOAT new 5", "INCRBYFLOAT f 0", "INCRBYFLOAT f abc", "HINCRBYFLOAT h x 1.5",
            "hincrbyfloat h x 2e1", "HINCRBYFLOAT h x 0", "HINCRBYFLOAT h y -3.25", "SET s abc",
            "INCRBYFLOAT s 1"),
        lines("integer-increments",
            "INCR n", "INCRBY n 0", "DECRBY n 0", "DECR n", "INCRBY n 5", "HINCRBY h f 0", "HINCRBY h f 2",
            "SET t x", "INCR t"),
        lines("getset-getdel",
            "SET f 1", "GETSET f 3", "getset f 4", "GETDEL f", "GETDEL f", "getset new x", "getdel new",
            "SET e v EX 100", "GETSET e w", "TTL e"),
        new Case("spop", true, s -> s.runAll(
            "SADD s a", "SPOP s", "SADD s a b c", "SPOP s 0", "SPOP s 5", "SADD s a b c d e f g",
            "SPOP s 2", "SPOP s 1", "SPOP nokey", "SPOP nokey 3", "SADD s2 x y", "SPOP s2 2", "SADD s3 1 2 3",
            "SPOP s3 3", "SADD s4 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "SPOP s4 18",
            "SADD s5 a", "spop s5 1")),
        c("restore", PropagationCases::restore),
        lines("blocking-pops-at-once",
            "RPUSH l a b c d e f g h", "BLPOP l 1", "BRPOP nol l 1", "BLMOVE l l2 LEFT RiGhT 1",
            "blmove l l2 right left 1", "BRPOPLPUSH l l2 1", "BLMPOP 1 2 nol l LEFT COUNT 2",
            "BLMPOP 1 1 l RIGHT COUNT 100", "LMPOP 1 l2 LEFT", "RPUSH l a b c", "LMPOP 2 nol l RIGHT COUNT 5",
            "LMPOP 1 nol LEFT", "LPOP nol", "RPUSH m x", "LMOVE m m2 LEFT LEFT", "LMOVE m m2 LEFT LEFT",
            "RPOPLPUSH m2 m", "RPOPLPUSH nol m", "BLMOVE m m LEFT RIGHT 0", "RPUSH p 1 2 3", "LPOP p 2",
            "RPOP p 5", "LPOP p 0", "RPOP nol 2"),
        lines("blocking-zpops-at-once",
            "ZADD z 1 a 2 b 3 c 4 d 5 e", "BZPOPMIN z 1", "bzpopmax nokey z 1", "BZMPOP 1 1 z MIN COUNT 1",
            "ZMPOP 1 z MAX COUNT 10", "ZADD z 1 a 2 b", "ZMPOP 1 z MIN", "ZPOPMIN z 5", "ZPOPMIN nokey",
            "ZADD y 1 a 2 b 3 c", "ZPOPMAX y", "ZPOPMIN y 0", "BZMPOP 1 2 nokey y max", "ZMPOP 1 nokey MIN"),
        c("blocked-clients-served-later", PropagationCases::servedLater),
        c("blocked-clients-served-by-multi", PropagationCases::servedByMulti),
        lines("multi-exec",
            "MULTI", "SET a 1", "EXEC", "MULTI", "GET a", "EXEC", "MULTI", "SET a 2", "GET a", "INCR a", "EXEC",
            "MULTI", "GET nokey", "DEL nokey", "EXEC", "MULTI", "EXPIRE a 100", "SET b 1 EX 10", "EXEC",
            "MULTI", "SET c 1", "SELECT 3", "SET c 2", "SELECT 0", "EXEC", "MULTI", "SELECT 2", "SET x 1", "EXEC",
            "SET y 1", "MULTI", "RPUSH l a b", "BLPOP l 0", "BLPOP nol 0", "EXEC", "MULTI", "SADD s a", "SPOP s",
            "EXEC", "MULTI", "INCRBYFLOAT f 1.5", "DISCARD", "MULTI", "INCR n", "BADCOMMAND", "EXEC"),
        c("lazy-expiry", PropagationCases::lazyExpiry),
        c("lazyfree-lazy-expire", PropagationCases::lazyfreeExpiry),
        c("expired-keys-looked-up", PropagationCases::expiredLookups),
        lines("no-op-writes",
            "DEL nokey", "SET p 1", "DEL p nokey", "UNLINK nokey", "SADD s a", "SREM s nomember",
            "HSET h f 1", "HSET h f 1", "HSETNX h f 2", "HDEL h nof", "ZADD z 1 a", "ZADD z 1 a",
            "ZADD z XX 2 b", "ZADD z INCR 0 a", "ZINCRBY z 0 a", "ZREM z nob", "ZREMRANGEBYSCORE z 100 200",
            "RPUSH sl c a b", "LREM sl 0 zz", "LTRIM sl 0 -1", "LTRIM sl 0 1", "LINSERT sl BEFORE nopivot x",
            "LSET sl 0 3", "SET st 1", "APPEND st x", "APPEND st", "SETRANGE st 0 ", "SETRANGE st 0 y",
            "SETRANGE st 10 ", "SETRANGE nost 0 ", "SMOVE s s2 z", "SMOVE s s2 a", "SMOVE s2 s2 a",
            "RENAME sl sl", "RENAMENX sl st", "RENAME nokey x", "COPY nokey x", "MOVE nokey 2", "PERSIST st",
            "LPUSHX nol a", "RPUSHX nol a", "SINTERSTORE s3 nos", "SUNIONSTORE s3 s2", "SDIFFSTORE s4 nos s2",
            "ZUNIONSTORE z3 1 noz", "ZRANGESTORE z4 noz 0 -1", "ZRANGESTORE z4 z 0 -1",
            "ZINTERSTORE z4 2 z noz", "ZDIFFSTORE z5 1 noz", "EXPIRE st 100 NX", "EXPIRE st 100 XX",
            "GETEX st", "LPOP nol", "HDEL nokey f", "ZREM nokey a", "SREM nokey a"),
        lines("bits",
            "SETBIT bb 0 0", "SETBIT bb 0 0", "SETBIT bb 1 1", "SETBIT bb 1 1", "SETBIT bb 100 0",
            "SETBIT bb 100 0", "BITFIELD bb GET u8 0", "BITFIELD bb SET u8 0 0", "BITFIELD bb SET u8 0 1",
            "BITFIELD bb SET u8 0 1", "BITFIELD bb INCRBY u8 0 0", "BITFIELD bb OVERFLOW FAIL INCRBY u8 0 300",
            "BITFIELD bb SET u8 200 0", "BITFIELD bb SET u8 200 0", "BITFIELD bb SET u8 0 1 SET u8 8 0",
            "BITFIELD_RO bb GET u8 0", "BITFIELD nob GET u8 0", "BITFIELD nob SET u8 0 0",
            "BITOP AND dest nokey", "BITOP AND dest bb", "BITOP OR dest nokey", "BITOP NOT dest2 bb"),
        lines("pubsub-and-hll",
            "PUBLISH ch hello", "publish nobody x", "PFADD p a b c", "PFCOUNT p", "PFCOUNT p", "PFADD p a",
            "PFADD p d", "PFCOUNT p p2", "PFCOUNT p", "PFMERGE p", "PFCOUNT p", "PFMERGE p2", "PFMERGE p3 p",
            "PFADD p4", "PFADD p4", "PFCOUNT nokey", "SELECT 2", "PUBLISH ch in-db-2"),
        lines("flush-swap-move-copy",
            "SET a 1", "FLUSHDB", "FLUSHDB", "flushdb sync", "SELECT 1", "SET x 1", "FLUSHALL async",
            "FLUSHALL", "SWAPDB 0 1", "SWAPDB 1 1", "SET a 1", "MOVE a 2", "MOVE a 2", "SELECT 2", "MOVE a 1",
            "SELECT 1", "COPY a b", "COPY a b", "COPY a b REPLACE", "COPY a b DB 5", "COPY a b DB 5",
            "SELECT 5", "SET c 1", "SWAPDB 5 6", "SET d 1"),
        lines("rename-sort-store",
            "RPUSH sl 3 1 2", "SORT sl STORE dst", "SORT nol STORE dst", "SORT nol STORE dst2", "SORT sl",
            "SORT sl STORE dst", "RENAME dst dst3", "RENAMENX dst3 sl", "RENAMENX dst3 new", "SET w 1",
            "EXPIRE w 100", "RENAME w w2", "SORT_RO sl", "SORT sl DESC LIMIT 0 2 STORE dst4",
            "MSET w_1 9 w_2 8 w_3 7", "SORT sl BY w_* STORE dst5"),
        lines("collections",
            "HSET h a 1 b 2", "HSETNX h c 3", "HDEL h a z", "HMSET h x 1", "SADD s 1 2 3", "SREM s 1 9",
            "SMOVE s t 2", "SINTERSTORE u s t", "ZADD z 1 a 2 b", "ZADD z GT CH 3 a", "ZADD z LT 5 b",
            "ZINCRBY z 1.5 a", "ZADD z INCR 2 b", "ZREM z a", "ZREMRANGEBYRANK z 0 0", "RPUSH l 1 2 3",
            "LINSERT l AFTER 2 x", "LREM l 1 x", "LSET l 0 y", "LPUSHX l z", "ZUNIONSTORE zu 2 z zz",
            "ZRANGESTORE zr z 0 -1", "SUNIONSTORE su s t", "SDIFFSTORE sd s t", "SINTERCARD 1 s",
            "HINCRBY h n 5", "PERSIST h"),
        lines("more-writes-and-no-ops",
            "APPEND e ", "APPEND e ", "SETRANGE g 2 x", "ZADD z 1 a 2 b 3 c", "ZREMRANGEBYLEX z [x [y",
            "ZREMRANGEBYRANK z 5 6", "ZREMRANGEBYLEX z [a [a", "ZADD y 1 q", "ZINTERSTORE y 2 z nokey",
            "ZINTERSTORE y2 2 z nokey", "ZDIFFSTORE z9 2 z z", "ZUNIONSTORE z8 1 z WEIGHTS 2", "SADD s 1",
            "SADD t 2", "SINTERSTORE t s nokey", "SDIFFSTORE u s s", "SET b1 x", "BITOP AND b1 nokey",
            "BITOP AND b2 nokey", "HMSET h a 1", "HMSET h a 1", "HSETNX h b 2", "LPUSH l a", "LINSERT l BEFORE a b",
            "LREM l 0 a", "LREM l 0 a", "LPOS l b", "ZADD z NX 9 a", "ZADD z XX 9 zz", "ZADD z GT 0 b",
            "ZADD z LT 9 c", "ZADD z GT CH 9 c", "PFMERGE p nokey", "PFADD q", "PFMERGE q", "RENAME q q2",
            "SETNX q2 v", "MSETNX m1 1", "MSET m1 1", "DEL m1 m1", "EXPIRE m2 10", "SMOVE s s 1", "SMOVE s t 1",
            "SADD t 1", "SREM t 1 2", "HDEL h a b z"),
        lines("several-databases",
            "SELECT 2", "SET a 1", "SELECT 5", "SET b 1", "EXPIRE b 100", "SELECT 2", "INCRBYFLOAT a 2",
            "SELECT 0", "SET c 1"));
  }

  private static void restore(Session s) {
    s.run("SET src hello");
    byte[] payload = Dumps.dump(s.client(0), "src");
    restore(s, "r1", "0", payload);
    restore(s, "r2", "100000", payload);
    restore(s, "r3", "4102444800000", payload, "ABSTTL");
    restore(s, "r3", "5000", payload, "replace");
    restore(s, "r4", "1", payload, "ABSTTL");
    restore(s, "r2", "1", payload, "absttl", "REPLACE");
    restore(s, "r2", "50000", payload, "REPLACE", "IDLETIME", "5");
    restore(s, "r5", "2000", payload, "FREQ", "3");
    restore(s, "r5", "2000", payload);
  }

  private static void restore(Session s, String key, String ttl, byte[] payload, String... options) {
    Dumps.restore(s.client(0), key, ttl, payload, options);
  }

  /** Clients blocked on empty keys, then served by pushes from another client, in several databases. */
  private static void servedLater(Session s) {
    s.block(1, "BLPOP bl 5");
    s.block(2, "BLPOP bl 5");
    s.block(3, "BRPOPLPUSH bl2 dst 5");
    s.block(4, "BLMOVE bl3 dst RIGHT LEFT 5");
    s.block(5, "BLMPOP 5 1 bl4 RIGHT COUNT 3");
    s.block(6, "BZPOPMIN bz 5");
    s.block(7, "BZMPOP 5 1 bz2 MAX COUNT 2");
    s.call(8, "SELECT", "3");
    s.block(8, "BLPOP bl 5");
    s.block(9, "BLMOVE bl5 bl5b LEFT LEFT 5");
    s.block(10, "BLPOP bl5b 5");
    s.block(11, "BRPOP bl6 bl7 5");
    s.block(12, "BLMPOP 5 2 bl8 bl9 LEFT COUNT 10");
    s.runAll("RPUSH bl a b c", "RPUSH bl2 x", "RPUSH bl3 y z", "RPUSH bl4 1 2", "ZADD bz 1 a 2 b",
        "ZADD bz2 1 a 2 b 3 c", "SELECT 3", "RPUSH bl q", "SELECT 0", "RPUSH bl5 m", "RPUSH bl7 r",
        "RPUSH bl9 1 2 3");
    for (int i = 1; i <= 12; i++) s.reply(i);
  }

  /** Blocked clients served after an EXEC that fed their keys, and one whose key was filled and emptied. */
  private static void servedByMulti(Session s) {
    s.block(1, "BLPOP k1 5");
    s.block(2, "BZPOPMAX k2 5");
    s.block(3, "BRPOP k3 5");
    s.runAll("MULTI", "RPUSH k1 a b", "ZADD k2 1 x", "RPUSH k3 c", "LPOP k3", "EXEC");
    s.reply(1);
    s.reply(2);
    s.runAll("RPUSH k3 d");
    s.reply(3);
  }

  /** Keys whose TTL passed are deleted when a command looks them up; the DEL goes with the command. */
  private static void lazyExpiry(Session s) {
    s.runAll("SET x 1 PX 1", "SET y 1 PX 1", "SET z 1 PX 1", "SET w 1 PX 1", "SET m 1 PX 1", "SET v 1 PX 1",
        "RPUSH l a", "PEXPIRE l 1");
    Poll.sleep(20);
    s.runAll("GET x", "INCR y", "MULTI", "INCR z", "EXEC", "MULTI", "INCR w", "SET q 1", "EXEC", "MULTI",
        "GET m", "EXEC", "EXISTS v", "RPUSH l b");
    assertEquals("1", s.run("LLEN l").trim().substring(1));
  }

  /** Every kind of lookup deletes a key whose TTL passed; several in one command go out in MULTI/EXEC. */
  private static void expiredLookups(Session s) {
    String[] keys = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"};
    for (String k : keys) s.run("SET " + k + " 1 PX 1");
    s.runAll("RPUSH list x", "PEXPIRE list 1", "SADD set x", "PEXPIRE set 1");
    Poll.sleep(20);
    s.runAll("MGET a b nokey c", "DEL d", "DEL e nokey", "SET f 2 NX", "SET g 2 XX", "TYPE h", "TTL i",
        "OBJECT ENCODING j", "DUMP k", "SCAN 0 MATCH l COUNT 100", "KEYS m*", "STRLEN m", "APPEND n x",
        "RENAME o o2", "COPY p p2", "LPUSH list y", "SMEMBERS set", "SADD set z", "DEBUG DIGEST-VALUE set");
  }

  /** Under lazyfree-lazy-expire a key whose TTL passed, or is set in the past, goes out as UNLINK. */
  private static void lazyfreeExpiry(Session s) {
    s.run("CONFIG SET lazyfree-lazy-expire yes");
    try {
      s.runAll("SET a 1 PX 1", "SET b 1", "SET c v", "SET d v PX 100000");
      Poll.sleep(20);
      s.runAll("GET a", "EXPIRE b -1", "GETEX c PXAT 1", "PEXPIREAT d 1 XX", "SET e 1", "PEXPIREAT e 1 XX");
    } finally {
      s.run("CONFIG SET lazyfree-lazy-expire no");
    }
  }
}
