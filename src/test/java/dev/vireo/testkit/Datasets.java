package dev.vireo.testkit;

/** Datasets that tests load through the protocol, so the same data can go to Vireo and to a real Redis. */
public final class Datasets {
  private Datasets() {}

  /** Every type, small and large encodings, TTLs, in databases 0 to 2: 13 keys in each. */
  public static void fillEveryType(RespClient r) {
    for (int db = 0; db < 3; db++) {
      r.call("SELECT", Integer.toString(db));
      r.call("SET", "str", "hello" + db);
      r.call("SET", "num", "12345");
      r.call("SET", "long", "x".repeat(500));
      r.call("RPUSH", "list", "a", "b", "c");
      r.call("SADD", "intset", "1", "2", "3");
      r.call("SADD", "set", "a", "b", "1");
      r.call("ZADD", "zset", "1.5", "a", "-inf", "b", "inf", "c");
      r.call("HSET", "hash", "f", "v", "g", "w");
      for (int i = 0; i < 600; i++) {
        r.call("RPUSH", "biglist", "e" + i);
        r.call("SADD", "bigset", "m" + i);
        r.call("ZADD", "bigzset", Integer.toString(i), "m" + i);
        r.call("HSET", "bighash", "f" + i, "v" + i);
      }
      r.call("PEXPIRE", "str", "1000000");
      r.call("PEXPIRE", "bigzset", "2000000");
      r.call("PFADD", "hll", "a", "b", "c");
    }
    r.call("SELECT", "0");
  }
}
