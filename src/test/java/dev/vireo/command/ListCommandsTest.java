package dev.vireo.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** List commands, replies compared byte for byte with those of Redis 7.0.15. */
class ListCommandsTest {
  private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
  private static final String NOT_INT = "-ERR value is not an integer or out of range\r\n";
  private static final String SYNTAX = "-ERR syntax error\r\n";
  private static TestNode node;
  private RespClient r;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void client() {
    r = node.client();
    r.call("FLUSHALL");
    r.call("SET", "s", "x");
  }

  private static String bulks(String... items) {
    StringBuilder sb = new StringBuilder("*").append(items.length).append("\r\n");
    for (String s : items) sb.append('$').append(s.length()).append("\r\n").append(s).append("\r\n");
    return sb.toString();
  }

  @Test
  void pushAndPushx() {
    assertEquals(":3\r\n", r.call("RPUSH", "l", "a", "b", "c"));
    assertEquals(":5\r\n", r.call("LPUSH", "l", "y", "z"));
    assertEquals(bulks("z", "y", "a", "b", "c"), r.call("LRANGE", "l", "0", "-1"));
    assertEquals(":0\r\n", r.call("LPUSHX", "nokey", "a"));
    assertEquals(":0\r\n", r.call("RPUSHX", "nokey", "a"));
    assertEquals(":0\r\n", r.call("EXISTS", "nokey"));
    assertEquals(":7\r\n", r.call("RPUSHX", "l", "x", "y"));
    assertEquals(":8\r\n", r.call("LPUSHX", "l", "w"));
    assertEquals(WRONGTYPE, r.call("LPUSH", "s", "a"));
    assertEquals(WRONGTYPE, r.call("RPUSHX", "s", "a"));
    assertEquals("-ERR wrong number of arguments for 'rpush' command\r\n", r.call("RPUSH", "k"));
    assertEquals("+list\r\n", r.call("TYPE", "l"));
    assertEquals("$9\r\nquicklist\r\n", r.call("OBJECT", "ENCODING", "l"));
  }

  @Test
  void popWithAndWithoutCount() {
    r.call("RPUSH", "l", "a", "b", "c", "d");
    assertEquals("$1\r\na\r\n", r.call("LPOP", "l"));
    assertEquals("$1\r\nd\r\n", r.call("RPOP", "l"));
    assertEquals("*0\r\n", r.call("LPOP", "l", "0"));
    assertEquals("*-1\r\n", r.call("LPOP", "nokey", "0"));
    assertEquals("*-1\r\n", r.call("RPOP", "nokey", "1"));
    assertEquals("$-1\r\n", r.call("LPOP", "nokey"));
    assertEquals("-ERR value is out of range, must be positive\r\n", r.call("LPOP", "l", "-1"));
    assertEquals("-ERR value is out of range, must be positive\r\n", r.call("LPOP", "l", "abc"));
    assertEquals("-ERR value is out of range, must be positive\r\n", r.call("LPOP", "s", "abc"));
    assertEquals("-ERR wrong number of arguments for 'lpop' command\r\n", r.call("LPOP", "l", "1", "2"));
    assertEquals(WRONGTYPE, r.call("RPOP", "s", "1"));
    assertEquals(bulks("c", "b"), r.call("RPOP", "l", "100"));
    assertEquals(":0\r\n", r.call("EXISTS", "l"));
    r.call("HELLO", "3");
    assertEquals("_\r\n", r.call("LPOP", "nokey", "1"));
    assertEquals("_\r\n", r.call("LPOP", "nokey"));
  }

  @Test
  void rangeIndexLen() {
    r.call("RPUSH", "l", "a", "b", "c", "d", "e");
    assertEquals(bulks("b", "c"), r.call("LRANGE", "l", "1", "2"));
    assertEquals(bulks("d", "e"), r.call("LRANGE", "l", "-2", "100"));
    assertEquals(bulks("a", "b", "c", "d", "e"), r.call("LRANGE", "l", "-100", "100"));
    assertEquals("*0\r\n", r.call("LRANGE", "l", "3", "2"));
    assertEquals("*0\r\n", r.call("LRANGE", "l", "5", "10"));
    assertEquals("*0\r\n", r.call("LRANGE", "nokey", "0", "-1"));
    assertEquals(NOT_INT, r.call("LRANGE", "l", "a", "1"));
    assertEquals(WRONGTYPE, r.call("LRANGE", "s", "0", "1"));
    assertEquals("$1\r\ne\r\n", r.call("LINDEX", "l", "-1"));
    assertEquals("$1\r\na\r\n", r.call("LINDEX", "l", "0"));
    assertEquals("$-1\r\n", r.call("LINDEX", "l", "5"));
    assertEquals("$-1\r\n", r.call("LINDEX", "l", "-6"));
    assertEquals("$-1\r\n", r.call("LINDEX", "nokey", "a"));
    assertEquals(NOT_INT, r.call("LINDEX", "l", "a"));
    assertEquals(WRONGTYPE, r.call("LINDEX", "s", "x"));
    assertEquals(":5\r\n", r.call("LLEN", "l"));
    assertEquals(":0\r\n", r.call("LLEN", "nokey"));
    assertEquals(WRONGTYPE, r.call("LLEN", "s"));
  }

  @Test
  void setInsert() {
    r.call("RPUSH", "l", "a", "b", "c");
    assertEquals("+OK\r\n", r.call("LSET", "l", "-1", "z"));
    assertEquals("+OK\r\n", r.call("LSET", "l", "0", "y"));
    assertEquals(bulks("y", "b", "z"), r.call("LRANGE", "l", "0", "-1"));
    assertEquals("-ERR index out of range\r\n", r.call("LSET", "l", "3", "x"));
    assertEquals("-ERR index out of range\r\n", r.call("LSET", "l", "-4", "x"));
    assertEquals("-ERR no such key\r\n", r.call("LSET", "nokey", "abc", "x"));
    assertEquals(NOT_INT, r.call("LSET", "l", "abc", "x"));
    assertEquals(WRONGTYPE, r.call("LSET", "s", "0", "x"));
    assertEquals(":-1\r\n", r.call("LINSERT", "l", "BEFORE", "zz", "x"));
    assertEquals(":4\r\n", r.call("LINSERT", "l", "after", "z", "d"));
    assertEquals(":5\r\n", r.call("LINSERT", "l", "before", "y", "x"));
    assertEquals(":6\r\n", r.call("LINSERT", "l", "before", "b", "m"));
    assertEquals(bulks("x", "y", "m", "b", "z", "d"), r.call("LRANGE", "l", "0", "-1"));
    assertEquals(":0\r\n", r.call("LINSERT", "nokey", "before", "a", "b"));
    assertEquals(SYNTAX, r.call("LINSERT", "nokey", "middle", "a", "b"));
    assertEquals(WRONGTYPE, r.call("LINSERT", "s", "before", "a", "b"));
  }

  @Test
  void remAndTrim() {
    r.call("RPUSH", "r", "a", "b", "a", "c", "a");
    assertEquals(":2\r\n", r.call("LREM", "r", "-2", "a"));
    assertEquals(bulks("a", "b", "c"), r.call("LRANGE", "r", "0", "-1"));
    assertEquals(":1\r\n", r.call("LREM", "r", "1", "a"));
    assertEquals(":0\r\n", r.call("LREM", "r", "0", "nothing"));
    assertEquals(":0\r\n", r.call("LREM", "nokey", "0", "a"));
    assertEquals(NOT_INT, r.call("LREM", "nokey", "abc", "x"));
    assertEquals(WRONGTYPE, r.call("LREM", "s", "0", "x"));
    r.call("RPUSH", "all", "a", "a", "a");
    assertEquals(":3\r\n", r.call("LREM", "all", "0", "a"));
    assertEquals(":0\r\n", r.call("EXISTS", "all"));
    r.call("RPUSH", "m", "1", "2", "3", "4", "5");
    assertEquals("+OK\r\n", r.call("LTRIM", "m", "1", "-2"));
    assertEquals(bulks("2", "3", "4"), r.call("LRANGE", "m", "0", "-1"));
    assertEquals("+OK\r\n", r.call("LTRIM", "m", "-100", "100"));
    assertEquals(":3\r\n", r.call("LLEN", "m"));
    assertEquals("+OK\r\n", r.call("LTRIM", "m", "5", "10"));
    assertEquals(":0\r\n", r.call("EXISTS", "m"));
    assertEquals("+OK\r\n", r.call("LTRIM", "nokey", "0", "1"));
    assertEquals(NOT_INT, r.call("LTRIM", "nokey", "a", "1"));
    assertEquals(WRONGTYPE, r.call("LTRIM", "s", "0", "1"));
  }

  @Test
  void lpos() {
    r.call("RPUSH", "p", "a", "b", "a", "a", "c", "a");
    assertEquals(":0\r\n", r.call("LPOS", "p", "a"));
    assertEquals(":4\r\n", r.call("LPOS", "p", "c"));
    assertEquals("*4\r\n:0\r\n:2\r\n:3\r\n:5\r\n", r.call("LPOS", "p", "a", "COUNT", "0"));
    assertEquals("*2\r\n:5\r\n:3\r\n", r.call("LPOS", "p", "a", "RANK", "-1", "COUNT", "2"));
    assertEquals("*1\r\n:2\r\n", r.call("LPOS", "p", "a", "rank", "2", "maxlen", "3", "count", "0"));
    assertEquals("$-1\r\n", r.call("LPOS", "p", "a", "RANK", "9"));
    assertEquals("*1\r\n:0\r\n", r.call("LPOS", "p", "a", "COUNT", "0", "MAXLEN", "1"));
    assertEquals(":5\r\n", r.call("LPOS", "p", "a", "RANK", Long.toString(Long.MIN_VALUE)));
    assertEquals("$-1\r\n", r.call("LPOS", "p", "a", "RANK", Long.toString(Long.MAX_VALUE)));
    assertEquals("-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
        + "negative to start from the end of the list\r\n", r.call("LPOS", "p", "a", "RANK", "0"));
    assertEquals(NOT_INT, r.call("LPOS", "p", "a", "RANK", "abc"));
    assertEquals("-ERR COUNT can't be negative\r\n", r.call("LPOS", "p", "a", "COUNT", "-1"));
    assertEquals("-ERR COUNT can't be negative\r\n", r.call("LPOS", "p", "a", "COUNT", "abc"));
    assertEquals("-ERR MAXLEN can't be negative\r\n", r.call("LPOS", "p", "a", "MAXLEN", "-1"));
    assertEquals(SYNTAX, r.call("LPOS", "p", "a", "foo"));
    assertEquals(SYNTAX, r.call("LPOS", "p", "a", "COUNT"));
    assertEquals("*0\r\n", r.call("LPOS", "nokey", "a", "COUNT", "0"));
    assertEquals("$-1\r\n", r.call("LPOS", "nokey", "a"));
    assertEquals(WRONGTYPE, r.call("LPOS", "s", "a"));
    r.call("HELLO", "3");
    assertEquals("_\r\n", r.call("LPOS", "nokey", "a"));
  }

  @Test
  void moves() {
    r.call("RPUSH", "m", "2", "3", "4");
    assertEquals("$1\r\n2\r\n", r.call("LMOVE", "m", "m", "LEFT", "RIGHT"));
    assertEquals(bulks("3", "4", "2"), r.call("LRANGE", "m", "0", "-1"));
    assertEquals("$1\r\n2\r\n", r.call("RPOPLPUSH", "m", "newk"));
    assertEquals(bulks("2"), r.call("LRANGE", "newk", "0", "-1"));
    assertEquals("$1\r\n3\r\n", r.call("LMOVE", "m", "newk", "left", "left"));
    assertEquals("$1\r\n4\r\n", r.call("LMOVE", "m", "newk", "right", "right"));
    assertEquals(":0\r\n", r.call("EXISTS", "m"));
    assertEquals(bulks("3", "2", "4"), r.call("LRANGE", "newk", "0", "-1"));
    assertEquals("$-1\r\n", r.call("LMOVE", "nokey", "newk", "left", "left"));
    assertEquals("$-1\r\n", r.call("RPOPLPUSH", "nokey", "newk"));
    assertEquals(SYNTAX, r.call("LMOVE", "nokey", "l", "up", "left"));
    assertEquals(WRONGTYPE, r.call("LMOVE", "newk", "s", "left", "left"));
    assertEquals(WRONGTYPE, r.call("LMOVE", "s", "newk", "left", "left"));
    assertEquals(":3\r\n", r.call("LLEN", "newk"));
    r.call("RPUSH", "one", "x");
    assertEquals("$1\r\nx\r\n", r.call("RPOPLPUSH", "one", "one"));
    assertEquals(bulks("x"), r.call("LRANGE", "one", "0", "-1"));
  }

  @Test
  void lmpop() {
    r.call("RPUSH", "p", "a", "b", "c", "d");
    assertEquals("*2\r\n$1\r\np\r\n*2\r\n$1\r\nd\r\n$1\r\nc\r\n", r.call("LMPOP", "2", "nokey", "p", "RIGHT",
        "COUNT", "2"));
    assertEquals("*2\r\n$1\r\np\r\n*1\r\n$1\r\na\r\n", r.call("LMPOP", "1", "p", "left"));
    assertEquals("*2\r\n$1\r\np\r\n*1\r\n$1\r\nb\r\n", r.call("LMPOP", "1", "p", "left", "count", "10"));
    assertEquals(":0\r\n", r.call("EXISTS", "p"));
    assertEquals("*-1\r\n", r.call("LMPOP", "1", "nokey", "left"));
    assertEquals(WRONGTYPE, r.call("LMPOP", "2", "nokey", "s", "left"));
    String numkeys = "-ERR numkeys should be greater than 0\r\n";
    assertEquals(numkeys, r.call("LMPOP", "0", "a", "left"));
    assertEquals(numkeys, r.call("LMPOP", "-1", "a", "left"));
    assertEquals(numkeys, r.call("LMPOP", "abc", "a", "left"));
    assertEquals(SYNTAX, r.call("LMPOP", "2", "a", "left"));
    assertEquals(SYNTAX, r.call("LMPOP", "1", "a", "middle"));
    assertEquals(SYNTAX, r.call("LMPOP", "1", "a", "left", "count", "1", "count", "1"));
    assertEquals(SYNTAX, r.call("LMPOP", "1", "a", "left", "foo"));
    assertEquals(SYNTAX, r.call("LMPOP", Long.toString(Long.MAX_VALUE), "a", "left"));
    assertEquals("-ERR count should be greater than 0\r\n", r.call("LMPOP", "1", "a", "left", "count", "0"));
    assertEquals("-ERR count should be greater than 0\r\n", r.call("LMPOP", "1", "a", "left", "count", "x"));
    assertEquals("-ERR wrong number of arguments for 'lmpop' command\r\n", r.call("LMPOP", "1", "a"));
    r.call("HELLO", "3");
    assertEquals("_\r\n", r.call("LMPOP", "1", "nokey", "left"));
  }

  @Test
  void manyElementsWrapAround() {
    // Pushes and pops at both ends across growth of the circular array.
    for (int i = 0; i < 100; i++) {
      r.call("LPUSH", "w", "h" + i);
      r.call("RPUSH", "w", "t" + i);
      if (i % 3 == 0) r.call("LPOP", "w");
    }
    assertEquals(":166\r\n", r.call("LLEN", "w"));
    assertEquals("$3\r\nh98\r\n", r.call("LINDEX", "w", "0"));
    assertEquals("$3\r\nt99\r\n", r.call("LINDEX", "w", "-1"));
    assertEquals(":167\r\n", r.call("LINSERT", "w", "BEFORE", "t50", "mid"));
    assertEquals(":116\r\n", r.call("LPOS", "w", "mid"));
    assertEquals(":117\r\n", r.call("LPOS", "w", "t50"));
    assertEquals(bulks("h8", "h7", "h5", "h4", "h2", "h1", "t0", "t1", "t2", "t3", "t4"),
        r.call("LRANGE", "w", "60", "70"));
  }

  @Test
  void copyIsDeepAndRenameKeepsTheList() {
    r.call("RPUSH", "l", "a", "b");
    assertEquals(":1\r\n", r.call("COPY", "l", "l2"));
    assertEquals(":3\r\n", r.call("RPUSH", "l2", "c"));
    assertEquals("+OK\r\n", r.call("LSET", "l2", "0", "z"));
    assertEquals(bulks("a", "b"), r.call("LRANGE", "l", "0", "-1"));
    assertEquals(bulks("z", "b", "c"), r.call("LRANGE", "l2", "0", "-1"));
    assertEquals("+OK\r\n", r.call("RENAME", "l2", "l3"));
    assertEquals("+list\r\n", r.call("TYPE", "l3"));
    assertEquals(":3\r\n", r.call("LLEN", "l3"));
  }
}
