package dev.vireo.command;

import static dev.vireo.server.CommandSpec.BLOCKING;
import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.server.CommandTable;
import dev.vireo.util.Doubles;
import dev.vireo.server.Blocking;
import dev.vireo.server.Client;
import dev.vireo.store.Bytes;
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.Entry;
import dev.vireo.store.SetValue;
import dev.vireo.store.ZSetValue;
import dev.vireo.store.ZSetValue.LexRange;
import dev.vireo.store.ZSetValue.Node;
import dev.vireo.store.ZSetValue.ScoreRange;
import dev.vireo.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sorted sets:
 * <pre>
 * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
 * ZINCRBY key increment member          ZSCORE key member          ZMSCORE key member [member ...]
 * ZCARD key    ZCOUNT key min max    ZLEXCOUNT key min max
 * ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
 * ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
 * ZRANGEBYSCORE / ZREVRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
 * ZRANGEBYLEX / ZREVRANGEBYLEX key min max [LIMIT offset count]    ZREVRANGE key start stop [WITHSCORES]
 * ZRANK / ZREVRANK key member    ZREM key member [member ...]
 * ZREMRANGEBYRANK key start stop    ZREMRANGEBYSCORE key min max    ZREMRANGEBYLEX key min max
 * ZPOPMIN / ZPOPMAX key [count]    BZPOPMIN / BZPOPMAX key [key ...] timeout
 * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]    BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
 * ZUNION / ZINTER numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
 * ZDIFF numkeys key [key ...] [WITHSCORES]    ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE dst numkeys key [key ...] ...
 * ZINTERCARD numkeys key [key ...] [LIMIT limit]    ZRANDMEMBER key [count [WITHSCORES]]
 * ZSCAN key cursor [MATCH pattern] [COUNT count]
 * </pre>
 */
final class ZSetCommands {
  private ZSetCommands() {}

  static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
  static final String NOT_FLOAT_RANGE = "ERR min or max is not a float";
  static final String NOT_LEX_RANGE = "ERR min or max not valid string range item";
  static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

  static final int ZADD_NX = 1;
  static final int ZADD_XX = 2;
  static final int ZADD_GT = 4;
  static final int ZADD_LT = 8;
  static final int ZADD_INCR = 16;
  static final int ZADD_CH = 32;

  static final int RANK = 0;
  static final int SCORE = 1;
  static final int LEX = 2;
  static final int AUTO = -1;

  static void register(CommandTable t) {
    String g = "sorted_set";
    t.add("zadd", -4, WRITE | DENYOOM | FAST, 1, 1, 1, g, "1.2.0",
        "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.",
        (c, a) -> zadd(c, a, 0));
    t.add("zincrby", 4, WRITE | DENYOOM | FAST, 1, 1, 1, g, "1.2.0",
        "Increments the score of a member in a sorted set.", (c, a) -> zadd(c, a, ZADD_INCR));
    t.add("zscore", 3, READONLY | FAST, 1, 1, 1, g, "1.2.0", "Returns the score of a member in a sorted set.",
        ZSetCommands::zscore);
    t.add("zmscore", -3, READONLY | FAST, 1, 1, 1, g, "6.2.0",
        "Returns the score of one or more members in a sorted set.", ZSetCommands::zmscore);
    t.add("zcard", 2, READONLY | FAST, 1, 1, 1, g, "1.2.0", "Returns the number of members in a sorted set.",
        ZSetCommands::zcard);
    t.add("zcount", 4, READONLY | FAST, 1, 1, 1, g, "2.0.0",
        "Returns the count of members in a sorted set that have scores within a range.", ZSetCommands::zcount);
    t.add("zlexcount", 4, READONLY | FAST, 1, 1, 1, g, "2.8.9",
        "Returns the number of members in a sorted set within a lexicographical range.", ZSetCommands::zlexcount);
    t.add("zrange", -4, READONLY, 1, 1, 1, g, "1.2.0", "Returns members in a sorted set within a range of indexes.",
        (c, a) -> zrange(c, a, 1, null, AUTO, false, true));
    t.add("zrangestore", -5, WRITE | DENYOOM, 1, 2, 1, g, "6.2.0",
        "Stores a range of members from sorted set in a key.", (c, a) -> zrange(c, a, 2, a.bytes(1), AUTO, false,
            true));
    t.add("zrangebyscore", -4, READONLY, 1, 1, 1, g, "1.0.5",
        "Returns members in a sorted set within a range of scores.",
        (c, a) -> zrange(c, a, 1, null, SCORE, false, false));
    t.add("zrevrangebyscore", -4, READONLY, 1, 1, 1, g, "2.2.0",
        "Returns members in a sorted set within a range of scores in reverse order.",
        (c, a) -> zrange(c, a, 1, null, SCORE, true, false));
    t.add("zrangebylex", -4, READONLY, 1, 1, 1, g, "2.8.9",
        "Returns members in a sorted set within a lexicographical range.",
        (c, a) -> zrange(c, a, 1, null, LEX, false, false));
    t.add("zrevrangebylex", -4, READONLY, 1, 1, 1, g, "2.8.9",
        "Returns members in a sorted set within a lexicographical range in reverse order.",
        (c, a) -> zrange(c, a, 1, null, LEX, true, false));
    t.add("zrevrange", -4, READONLY, 1, 1, 1, g, "1.2.0",
        "Returns members in a sorted set within a range of indexes in reverse order.",
        (c, a) -> zrange(c, a, 1, null, RANK, true, false));
    t.add("zrank", 3, READONLY | FAST, 1, 1, 1, g, "2.0.0",
        "Returns the index of a member in a sorted set ordered by ascending scores.", (c, a) -> zrank(c, a, false));
    t.add("zrevrank", 3, READONLY | FAST, 1, 1, 1, g, "2.0.0",
        "Returns the index of a member in a sorted set ordered by descending scores.", (c, a) -> zrank(c, a, true));
    t.add("zrem", -3, WRITE | FAST, 1, 1, 1, g, "1.2.0",
        "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.",
        ZSetCommands::zrem);
    t.add("zremrangebyrank", 4, WRITE, 1, 1, 1, g, "2.0.0",
        "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were "
            + "removed.", (c, a) -> zremrange(c, a, RANK));
    t.add("zremrangebyscore", 4, WRITE, 1, 1, 1, g, "1.2.0",
        "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were "
            + "removed.", (c, a) -> zremrange(c, a, SCORE));
    t.add("zremrangebylex", 4, WRITE, 1, 1, 1, g, "2.8.9",
        "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members "
            + "were removed.", (c, a) -> zremrange(c, a, LEX));
    t.add("zpopmin", -2, WRITE | FAST, 1, 1, 1, g, "5.0.0",
        "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the "
            + "last member was popped.", (c, a) -> zpopCommand(c, a, false));
    t.add("zpopmax", -2, WRITE | FAST, 1, 1, 1, g, "5.0.0",
        "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the "
            + "last member was popped.", (c, a) -> zpopCommand(c, a, true));
    t.add("bzpopmin", -3, WRITE | NOSCRIPT | BLOCKING | FAST, 1, -2, 1, g, "5.0.0",
        "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member "
            + "is available otherwise. Deletes the sorted set if the last element was popped.",
        (c, a) -> bzpop(c, a, false));
    t.add("bzpopmax", -3, WRITE | NOSCRIPT | BLOCKING | FAST, 1, -2, 1, g, "5.0.0",
        "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a "
            + "member available otherwise.  Deletes the sorted set if the last element was popped.",
        (c, a) -> bzpop(c, a, true));
    t.add("zmpop", -4, WRITE, 0, 0, 0, g, "7.0.0",
        "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes "
            + "the sorted set if the last member was popped.", (c, a) -> zmpop(c, a, 1, false));
    t.add("bzmpop", -5, WRITE | BLOCKING, 0, 0, 0, g, "7.0.0",
        "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available "
            + "otherwise. Deletes the sorted set if the last element was popped.", (c, a) -> zmpop(c, a, 2, true));
    t.add("zunion", -3, READONLY, 0, 0, 0, g, "6.2.0", "Returns the union of multiple sorted sets.",
        (c, a) -> setOp(c, a, null, 1, OP_UNION, false, "zunion"));
    t.add("zinter", -3, READONLY, 0, 0, 0, g, "6.2.0", "Returns the intersect of multiple sorted sets.",
        (c, a) -> setOp(c, a, null, 1, OP_INTER, false, "zinter"));
    t.add("zdiff", -3, READONLY, 0, 0, 0, g, "6.2.0", "Returns the difference between multiple sorted sets.",
        (c, a) -> setOp(c, a, null, 1, OP_DIFF, false, "zdiff"));
    t.add("zunionstore", -4, WRITE | DENYOOM, 1, 1, 1, g, "2.0.0",
        "Stores the union of multiple sorted sets in a key.",
        (c, a) -> setOp(c, a, a.bytes(1), 2, OP_UNION, false, "zunionstore"));
    t.add("zinterstore", -4, WRITE | DENYOOM, 1, 1, 1, g, "2.0.0",
        "Stores the intersect of multiple sorted sets in a key.",
        (c, a) -> setOp(c, a, a.bytes(1), 2, OP_INTER, false, "zinterstore"));
    t.add("zdiffstore", -4, WRITE | DENYOOM, 1, 1, 1, g, "6.2.0",
        "Stores the difference of multiple sorted sets in a key.",
        (c, a) -> setOp(c, a, a.bytes(1), 2, OP_DIFF, false, "zdiffstore"));
    t.add("zintercard", -3, READONLY, 0, 0, 0, g, "7.0.0",
        "Returns the number of members of the intersect of multiple sorted sets.",
        (c, a) -> setOp(c, a, null, 1, OP_INTER, true, "zintercard"));
    t.add("zrandmember", -2, READONLY, 1, 1, 1, g, "6.2.0", "Returns one or more random members from a sorted set.",
        ZSetCommands::zrandmember);
    t.add("zscan", -3, READONLY, 1, 1, 1, g, "2.8.0",
        "Iterates over members and scores of a sorted set.", ZSetCommands::zscan);
  }

  // ---------------------------------------------------------------- number parsing

  /**
   * Parses like C's strtod over the whole argument. {@code lenient} follows the range parser (leading spaces
   * allowed, overflow to infinity, empty string is 0); otherwise the value parser (no leading space, no overflow,
   * no underflow to zero). Returns null when the argument is not a number or is NaN.
   */
  static Double parseDouble(byte[] b, int off, int len, boolean lenient) {
    if (len > 0 && len <= 15) {
      // Plain integers (the common case) convert exactly without building a string.
      int k = b[off] == '-' ? 1 : 0;
      if (k < len) {
        long v = 0;
        int j = off + k;
        for (; j < off + len; j++) {
          int d = b[j] - '0';
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        if (j == off + len) return k == 1 ? -(double) v : (double) v;
      }
    }
    int i = off;
    int end = off + len;
    if (len == 0) return lenient ? 0.0 : null;
    if (isSpace(b[i])) {
      if (!lenient) return null;
      while (i < end && isSpace(b[i])) i++;
      if (i == end) return null;
    }
    boolean neg = false;
    if (b[i] == '+' || b[i] == '-') {
      neg = b[i] == '-';
      i++;
    }
    int rest = end - i;
    if (rest == 3 && word(b, i, "inf") || rest == 8 && word(b, i, "infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (rest >= 3 && word(b, i, "nan")) return null;
    if (rest > 2 && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) return parseHex(b, i + 2, end, neg, lenient);
    int start = i;
    int digits = 0;
    boolean nonZero = false;
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      if (b[i] != '0') nonZero = true;
      i++;
      digits++;
    }
    if (i < end && b[i] == '.') {
      i++;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        if (b[i] != '0') nonZero = true;
        i++;
        digits++;
      }
    }
    if (digits == 0) return null;
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (i < end && (b[i] == '+' || b[i] == '-')) i++;
      int ed = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
        ed++;
      }
      if (ed == 0) return null;
    }
    if (i != end) return null;
    double v = Double.parseDouble(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
    if (!lenient && (Double.isInfinite(v) || (v == 0 && nonZero))) return null;
    return neg ? -v : v;
  }

  private static Double parseHex(byte[] b, int i, int end, boolean neg, boolean lenient) {
    StringBuilder sb = new StringBuilder("0x");
    int digits = 0;
    boolean nonZero = false;
    while (i < end && Character.digit(b[i], 16) >= 0) {
      if (b[i] != '0') nonZero = true;
      sb.append((char) b[i++]);
      digits++;
    }
    if (i < end && b[i] == '.') {
      sb.append('.');
      i++;
      while (i < end && Character.digit(b[i], 16) >= 0) {
        if (b[i] != '0') nonZero = true;
        sb.append((char) b[i++]);
        digits++;
      }
    }
    if (digits == 0) return null;
    sb.append('p');
    if (i < end && (b[i] == 'p' || b[i] == 'P')) {
      i++;
      int s = i;
      if (i < end && (b[i] == '+' || b[i] == '-')) i++;
      int ed = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9') {
        i++;
        ed++;
      }
      if (ed == 0) return null;
      sb.append(new String(b, s, i - s, StandardCharsets.ISO_8859_1));
    } else {
      sb.append('0');
    }
    if (i != end) return null;
    double v;
    try {
      v = Double.parseDouble(sb.toString());
    } catch (NumberFormatException e) {
      return null;
    }
    if (!lenient && (Double.isInfinite(v) || (v == 0 && nonZero))) return null;
    return neg ? -v : v;
  }

  private static boolean isSpace(byte x) {
    return x == ' ' || (x >= '\t' && x <= '\r');
  }

  private static boolean word(byte[] b, int i, String w) {
    for (int k = 0; k < w.length(); k++) {
      int x = b[i + k];
      if (x >= 'A' && x <= 'Z') x += 32;
      if (x != w.charAt(k)) return false;
    }
    return true;
  }

  static double doubleArg(Args a, int i, String error) {
    Double d = parseDouble(a.buf(i), a.off(i), a.len(i), false);
    if (d == null) throw new CommandError(error);
    return d;
  }

  /** A blocking timeout in milliseconds (0 = forever), with Redis's errors. */
  static long timeoutArg(Args a, int i) {
    Double d = parseDouble(a.buf(i), a.off(i), a.len(i), false);
    if (d == null) throw new CommandError("ERR timeout is not a float or out of range");
    double ms = Math.ceil(d * 1000.0);
    if (ms >= 9.223372036854775807E18 || ms < 0) throw new CommandError("ERR timeout is negative");
    return (long) ms;
  }

  static ScoreRange scoreRange(Args a, int min, int max) {
    boolean minex = a.len(min) > 0 && a.buf(min)[a.off(min)] == '(';
    boolean maxex = a.len(max) > 0 && a.buf(max)[a.off(max)] == '(';
    Double lo = parseDouble(a.buf(min), a.off(min) + (minex ? 1 : 0), a.len(min) - (minex ? 1 : 0), true);
    Double hi = parseDouble(a.buf(max), a.off(max) + (maxex ? 1 : 0), a.len(max) - (maxex ? 1 : 0), true);
    if (lo == null || hi == null) return null;
    return new ScoreRange(lo, minex, hi, maxex);
  }

  static LexRange lexRange(Args a, int min, int max) {
    int ml = a.len(min);
    int xl = a.len(max);
    if (ml == 0 || xl == 0) return null;
    byte m0 = a.buf(min)[a.off(min)];
    byte x0 = a.buf(max)[a.off(max)];
    byte[] lo = null;
    byte[] hi = null;
    boolean minInf = false;
    boolean minPlus = false;
    boolean maxInf = false;
    boolean maxMinus = false;
    if (m0 == '-' && ml == 1) minInf = true;
    else if (m0 == '+' && ml == 1) minPlus = true;
    else if (m0 == '(' || m0 == '[') lo = Arrays.copyOfRange(a.buf(min), a.off(min) + 1, a.off(min) + ml);
    else return null;
    if (x0 == '+' && xl == 1) maxInf = true;
    else if (x0 == '-' && xl == 1) maxMinus = true;
    else if (x0 == '(' || x0 == '[') hi = Arrays.copyOfRange(a.buf(max), a.off(max) + 1, a.off(max) + xl);
    else return null;
    return new LexRange(lo, m0 == '(', minInf, minPlus, hi, x0 == '(', maxInf, maxMinus);
  }

  // ---------------------------------------------------------------- helpers

  private static Entry lookupWrite(Client c, Args a, int i) {
    return c.db.lookup(a.buf(i), a.off(i), a.len(i));
  }

  private static Entry lookupRead(Client c, Args a, int i) {
    return c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
  }

  private static Bytes member(Args a, int i) {
    return Bytes.copyOf(a.buf(i), a.off(i), a.len(i));
  }

  private static void deleteIfEmpty(Client c, Entry e, ZSetValue z) {
    if (z.size() == 0) {
      c.db.remove(e);
      Notify.del(c, e.key());
    }
  }

  private static EncodingLimits limits(Client c) {
    return c.server().encodingLimits;
  }

  // ---------------------------------------------------------------- ZADD / ZINCRBY

  static void zadd(Client c, Args a, int flags) {
    int scoreIdx = 2;
    while (scoreIdx < a.count()) {
      if (a.is(scoreIdx, "nx")) flags |= ZADD_NX;
      else if (a.is(scoreIdx, "xx")) flags |= ZADD_XX;
      else if (a.is(scoreIdx, "ch")) flags |= ZADD_CH;
      else if (a.is(scoreIdx, "incr")) flags |= ZADD_INCR;
      else if (a.is(scoreIdx, "gt")) flags |= ZADD_GT;
      else if (a.is(scoreIdx, "lt")) flags |= ZADD_LT;
      else break;
      scoreIdx++;
    }
    boolean nx = (flags & ZADD_NX) != 0;
    boolean xx = (flags & ZADD_XX) != 0;
    boolean gt = (flags & ZADD_GT) != 0;
    boolean lt = (flags & ZADD_LT) != 0;
    boolean incr = (flags & ZADD_INCR) != 0;
    int elements = a.count() - scoreIdx;
    if (elements % 2 != 0 || elements == 0) throw new CommandError(Errors.SYNTAX);
    elements /= 2;
    if (nx && xx) throw new CommandError("ERR XX and NX options at the same time are not compatible");
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if (incr && elements > 1) throw new CommandError("ERR INCR option supports a single increment-element pair");
    double[] scores = new double[elements];
    for (int j = 0; j < elements; j++) scores[j] = doubleArg(a, scoreIdx + j * 2, Errors.NOT_FLOAT);
    Entry e = lookupWrite(c, a, 1);
    ZSetValue z = e == null ? null : ZSetValue.of(e);
    long added = 0;
    long updated = 0;
    long processed = 0;
    double score = 0;
    if (z == null && !xx) {
      EncodingLimits lim = limits(c);
      // Redis 7.0 decides from the first member only; later ones convert while inserting.
      z = new ZSetValue(lim.zsetMaxListpackEntries == 0 || a.len(scoreIdx + 1) > lim.zsetMaxListpackValue);
      e = c.db.add(a.bytes(1), z);
    }
    if (z != null) {
      EncodingLimits lim = limits(c);
      try {
        for (int j = 0; j < elements; j++) {
          score = scores[j];
          int mi = scoreIdx + 1 + j * 2;
          Bytes m = member(a, mi);
          Node n = z.find(m);
          if (n != null) {
            if (nx) continue;
            double cur = n.score;
            if (incr) {
              score += cur;
              if (Double.isNaN(score)) throw new CommandError(NAN_RESULT);
            }
            if ((lt && score >= cur) || (gt && score <= cur)) continue;
            processed++;
            if (score != cur) {
              z.updateScore(n, score);
              updated++;
            }
          } else {
            if (xx) continue;
            z.checkEncoding(lim, m.length());
            z.insert(score, m);
            added++;
            processed++;
          }
        }
      } finally {
        c.server().addDirty(added + updated);
        if (added + updated > 0) Notify.arg(c, Notify.ZSET, incr ? "zincr" : "zadd", a, 1);
      }
    }
    if (incr) {
      if (processed > 0) c.out.dbl(score);
      else c.out.nullBulk();
    } else {
      c.out.integer((flags & ZADD_CH) != 0 ? added + updated : added);
    }
  }

  // ---------------------------------------------------------------- simple reads

  static void zscore(Client c, Args a) {
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    double score = ZSetValue.of(e).score(a.buf(2), a.off(2), a.len(2));
    if (Double.isNaN(score)) c.out.nullBulk();
    else c.out.dbl(score);
  }

  static void zmscore(Client c, Args a) {
    Entry e = lookupRead(c, a, 1);
    ZSetValue z = e == null ? null : ZSetValue.of(e);
    c.out.array(a.count() - 2);
    for (int i = 2; i < a.count(); i++) {
      double score = z == null ? Double.NaN : z.score(a.buf(i), a.off(i), a.len(i));
      if (Double.isNaN(score)) c.out.nullBulk();
      else c.out.dbl(score);
    }
  }

  static void zcard(Client c, Args a) {
    Entry e = lookupRead(c, a, 1);
    c.out.integer(e == null ? 0 : ZSetValue.of(e).size());
  }

  static void zcount(Client c, Args a) {
    ScoreRange r = scoreRange(a, 2, 3);
    if (r == null) throw new CommandError(NOT_FLOAT_RANGE);
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.integer(0);
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    Node f = z.firstIn(r);
    if (f == null) {
      c.out.integer(0);
      return;
    }
    Node l = z.lastIn(r);
    c.out.integer(z.rank(l) - z.rank(f) + 1);
  }

  static void zlexcount(Client c, Args a) {
    LexRange r = lexRange(a, 2, 3);
    if (r == null) throw new CommandError(NOT_LEX_RANGE);
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.integer(0);
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    Node f = z.firstIn(r);
    if (f == null) {
      c.out.integer(0);
      return;
    }
    if (z.isListpack()) {
      long n = 0;
      for (Node x = f; x != null && r.lteMax(x.member); x = x.next()) n++;
      c.out.integer(n);
      return;
    }
    Node l = z.lastIn(r);
    c.out.integer(l == null ? z.size() - z.rank(f) : z.rank(l) - z.rank(f) + 1);
  }

  static void zrank(Client c, Args a, boolean rev) {
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    Node n = z.find(a.buf(2), a.off(2), a.len(2));
    if (n == null) {
      c.out.nullBulk();
      return;
    }
    long r = z.rank(n);
    c.out.integer(rev ? z.size() - 1 - r : r);
  }

  // ---------------------------------------------------------------- ranges

  /** Writes elements, flat or (RESP3 with scores) as pairs. */
  private static void emit(Client c, List<Node> nodes, boolean withScores) {
    boolean pairs = withScores && c.out.proto() == 3;
    c.out.array(withScores && !pairs ? nodes.size() * 2L : nodes.size());
    for (Node n : nodes) {
      if (pairs) c.out.array(2);
      c.out.bulk(n.member);
      if (withScores) c.out.dbl(n.score);
    }
  }

  static void zrange(Client c, Args a, int keyIdx, byte[] dst, int type, boolean rev, boolean autoDir) {
    boolean store = dst != null;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    boolean reverse = rev;
    boolean dirAuto = autoDir;
    int rangeType = type;
    for (int j = keyIdx + 3; j < a.count(); j++) {
      int left = a.count() - j - 1;
      if (!store && a.is(j, "withscores")) {
        withScores = true;
      } else if (a.is(j, "limit") && left >= 2) {
        offset = a.longArg(j + 1);
        limit = a.longArg(j + 2);
        j += 2;
      } else if (dirAuto && a.is(j, "rev")) {
        reverse = true;
        dirAuto = false;
      } else if (rangeType == AUTO && a.is(j, "bylex")) {
        rangeType = LEX;
      } else if (rangeType == AUTO && a.is(j, "byscore")) {
        rangeType = SCORE;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (rangeType == AUTO) rangeType = RANK;
    if (limit != -1 && rangeType == RANK) {
      throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
          + "BYLEX");
    }
    if (withScores && rangeType == LEX) {
      throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    int minIdx = keyIdx + 1;
    int maxIdx = keyIdx + 2;
    if (reverse && rangeType != RANK) {
      minIdx = keyIdx + 2;
      maxIdx = keyIdx + 1;
    }
    long start = 0;
    long end = 0;
    ScoreRange sr = null;
    LexRange lr = null;
    if (rangeType == RANK) {
      start = a.longArg(minIdx);
      end = a.longArg(maxIdx);
    } else if (rangeType == SCORE) {
      sr = scoreRange(a, minIdx, maxIdx);
      if (sr == null) throw new CommandError(NOT_FLOAT_RANGE);
    } else {
      lr = lexRange(a, minIdx, maxIdx);
      if (lr == null) throw new CommandError(NOT_LEX_RANGE);
    }
    Entry e = lookupRead(c, a, keyIdx); // the source is read, also for ZRANGESTORE
    List<Node> out = new ArrayList<>();
    if (e != null) {
      ZSetValue z = ZSetValue.of(e);
      if (rangeType == RANK) {
        long len = z.size();
        Ranges.Span span = Ranges.ofIndexes(start, end, len);
        if (span != null) {
          long n = span.length();
          Node x = reverse ? z.byRank(len - 1 - span.first()) : z.byRank(span.first());
          for (long k = 0; k < n && x != null; k++) {
            out.add(x);
            x = reverse ? x.prev() : x.next();
          }
        }
      } else {
        Node x;
        if (rangeType == SCORE) x = reverse ? z.lastIn(sr) : z.firstIn(sr);
        else x = reverse ? z.lastIn(lr) : z.firstIn(lr);
        long off = offset;
        while (x != null && off-- != 0) x = reverse ? x.prev() : x.next();
        long lim = limit;
        while (x != null && lim-- != 0) {
          boolean in = rangeType == SCORE
              ? (reverse ? sr.gteMin(x.score) : sr.lteMax(x.score))
              : (reverse ? lr.gteMin(x.member) : lr.lteMax(x.member));
          if (!in) break;
          out.add(x);
          x = reverse ? x.prev() : x.next();
        }
      }
    }
    if (!store) {
      emit(c, out, withScores);
      return;
    }
    if (out.isEmpty()) {
      StoreResults.empty(c, dst);
      return;
    }
    EncodingLimits lim = limits(c);
    // As Redis: a listpack when the count allows, converted by the first member too long for it, so the members
    // stored before that one have a -0 score kept as 0
    ZSetValue z = new ZSetValue(out.size() > lim.zsetMaxListpackEntries);
    for (Node n : out) {
      z.checkEncoding(lim, n.member.length);
      z.insert(n.score, n.member);
    }
    c.db.put(dst, z, false);
    Notify.key(c, Notify.ZSET, "zrangestore", dst);
    c.server().addDirty(1);
    c.out.integer(out.size());
  }

  // ---------------------------------------------------------------- removal

  static void zrem(Client c, Args a) {
    Entry e = lookupWrite(c, a, 1);
    if (e == null) {
      c.out.integer(0);
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    long n = 0;
    for (int i = 2; i < a.count(); i++) {
      if (z.remove(member(a, i))) {
        n++;
        if (z.size() == 0) break;
      }
    }
    if (n > 0) Notify.arg(c, Notify.ZSET, "zrem", a, 1);
    deleteIfEmpty(c, e, z);
    c.server().addDirty(n);
    c.out.integer(n);
  }

  static void zremrange(Client c, Args a, int type) {
    long start = 0;
    long end = 0;
    ScoreRange sr = null;
    LexRange lr = null;
    if (type == RANK) {
      start = a.longArg(2);
      end = a.longArg(3);
    } else if (type == SCORE) {
      sr = scoreRange(a, 2, 3);
      if (sr == null) throw new CommandError(NOT_FLOAT_RANGE);
    } else {
      lr = lexRange(a, 2, 3);
      if (lr == null) throw new CommandError(NOT_LEX_RANGE);
    }
    Entry e = lookupWrite(c, a, 1);
    if (e == null) {
      c.out.integer(0);
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    long removed = 0;
    if (type == RANK) {
      Ranges.Span span = Ranges.ofIndexes(start, end, z.size());
      if (span == null) {
        c.out.integer(0);
        return;
      }
      removed = span.length();
      z.removeRanks(span.first(), removed);
    } else {
      Node x = type == SCORE ? z.firstIn(sr) : z.firstIn(lr);
      if (x != null) {
        long first = z.rank(x);
        while (x != null && (type == SCORE ? sr.lteMax(x.score) : lr.lteMax(x.member))) {
          removed++;
          x = x.next();
        }
        z.removeRanks(first, removed);
      }
    }
    if (removed > 0) {
      Notify.arg(c, Notify.ZSET, type == RANK ? "zremrangebyrank" : type == SCORE ? "zremrangebyscore"
          : "zremrangebylex", a, 1);
    }
    deleteIfEmpty(c, e, z);
    c.server().addDirty(removed);
    c.out.integer(removed);
  }

  // ---------------------------------------------------------------- pops

  static long positiveArg(Args a, int i) {
    long v = a.longArg(i, NOT_POSITIVE);
    if (v < 0) throw new CommandError(NOT_POSITIVE);
    return v;
  }

  static void zpopCommand(Client c, Args a, boolean max) {
    if (a.count() > 3) throw new CommandError(Errors.SYNTAX);
    long count = -1;
    if (a.count() == 3) count = positiveArg(a, 2);
    boolean nested = c.out.proto() > 2 && count != -1;
    List<byte[]> keys = List.of(a.bytes(1));
    if (!pop(c, keys, max, false, count, nested, false)) c.out.array(0);
  }

  /**
   * Pops from the first non-empty sorted set among keys; returns false (nothing written) when all are missing.
   * Reply shapes follow Redis: flat for ZPOPMIN/ZPOPMAX (nested pairs in RESP3 with a count), key + flat for
   * BZPOPMIN/BZPOPMAX, key + nested pairs for ZMPOP/BZMPOP.
   */
  static boolean pop(Client c, List<byte[]> keys, boolean max, boolean emitKey, long count, boolean nested,
      boolean nilWhenEmpty) {
    Entry e = null;
    byte[] key = null;
    for (byte[] k : keys) {
      e = c.db.lookup(k, 0, k.length);
      if (e == null) continue;
      ZSetValue.of(e);
      key = k;
      break;
    }
    if (e == null) {
      if (!nilWhenEmpty) return false;
      c.out.nullArray();
      return true;
    }
    if (count == 0) {
      c.out.array(0);
      return true;
    }
    boolean single = count == -1;
    if (single) count = 1;
    ZSetValue z = ZSetValue.of(e);
    long n = Math.min(count, z.size());
    if (!nested && !emitKey) {
      c.out.array(n * 2);
    } else if (nested && !emitKey) {
      c.out.array(n);
    } else if (!nested) {
      c.out.array(n * 2 + 1);
      c.out.bulk(key);
    } else {
      c.out.array(2);
      c.out.bulk(key);
      c.out.array(n);
    }
    for (long i = 0; i < n; i++) {
      Node x = max ? z.last() : z.first();
      if (nested) c.out.array(2);
      c.out.bulk(x.member);
      c.out.dbl(x.score);
      z.remove(x);
    }
    c.server().addDirty(n);
    if (n > 0) c.server().transactions.touch(c, key); // ZMPOP's popped key is not among its fixed key arguments
    if (n > 0) Notify.key(c, Notify.ZSET, max ? "zpopmax" : "zpopmin", key);
    deleteIfEmpty(c, e, z);
    if (emitKey) {
      // BZPOPMIN/BZPOPMAX go out as ZPOPMIN/ZPOPMAX key, ZMPOP/BZMPOP with the number actually popped
      byte[] name = max ? Rewrites.ZPOPMAX : Rewrites.ZPOPMIN;
      if (single) Rewrites.as(c, name, key);
      else Rewrites.as(c, name, key, Rewrites.num(n));
    }
    return true;
  }

  static void bzpop(Client c, Args a, boolean max) {
    long timeout = timeoutArg(a, a.count() - 1);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 1; i < a.count() - 1; i++) keys.add(a.bytes(i));
    blockingPop(c, keys, timeout, max, -1, false, false);
  }

  private static void blockingPop(Client c, List<byte[]> keys, long timeout, boolean max, long count,
      boolean nested, boolean emitKeyNested) {
    // Type errors come first, key by key, as Redis checks them before popping.
    for (byte[] k : keys) {
      Entry e = c.db.lookup(k, 0, k.length);
      if (e == null) continue;
      ZSetValue.of(e);
      pop(c, List.of(k), max, true, count, nested, false);
      return;
    }
    if (!c.canBlock()) {
      c.out.nullArray();
      return;
    }
    c.server().blocking.block(c, keys, timeout, new Blocking.Waiter() {
      @Override
      public boolean serve(Client cl, byte[] k) {
        Entry e = cl.db.lookup(k, 0, k.length);
        if (e == null || !(e.value instanceof ZSetValue)) return false;
        return pop(cl, List.of(k), max, true, count, nested, false);
      }

      @Override
      public void timeout(Client cl) {
        cl.out.nullArray();
      }
    });
  }

  static void zmpop(Client c, Args a, int numkeysIdx, boolean block) {
    long numkeys;
    try {
      numkeys = a.longArg(numkeysIdx);
    } catch (CommandError ex) {
      numkeys = 0;
    }
    if (numkeys < 1) throw new CommandError("ERR numkeys should be greater than 0");
    if (numkeys > a.count()) throw new CommandError(Errors.SYNTAX);
    int whereIdx = numkeysIdx + (int) numkeys + 1;
    if (whereIdx >= a.count()) throw new CommandError(Errors.SYNTAX);
    boolean max;
    if (a.is(whereIdx, "min")) max = false;
    else if (a.is(whereIdx, "max")) max = true;
    else throw new CommandError(Errors.SYNTAX);
    long count = -1;
    for (int j = whereIdx + 1; j < a.count(); j++) {
      int more = a.count() - 1 - j;
      if (count == -1 && a.is(j, "count") && more > 0) {
        j++;
        long v;
        try {
          v = a.longArg(j);
        } catch (CommandError ex) {
          v = 0;
        }
        if (v < 1) throw new CommandError("ERR count should be greater than 0");
        count = v;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (count == -1) count = 1;
    List<byte[]> keys = new ArrayList<>();
    for (int i = numkeysIdx + 1; i < whereIdx; i++) keys.add(a.bytes(i));
    if (block) {
      long timeout = timeoutArg(a, 1);
      blockingPop(c, keys, timeout, max, count, true, true);
    } else {
      pop(c, keys, max, true, count, true, true);
    }
  }

  // ---------------------------------------------------------------- union / inter / diff

  static final int OP_UNION = 0;
  static final int OP_INTER = 1;
  static final int OP_DIFF = 2;
  static final int AGG_SUM = 0;
  static final int AGG_MIN = 1;
  static final int AGG_MAX = 2;

  /** One input of a set operation: a sorted set, a plain set (scores 1), or nothing. */
  private static final class Source {
    ZSetValue zset;
    Set<Bytes> set;
    List<Bytes> setOrder;
    Object identity;
    double weight = 1.0;

    int size() {
      if (zset != null) return zset.size();
      if (set != null) return set.size();
      return 0;
    }

    /** The score of a member, or NaN when absent (a stored score is never NaN). */
    double find(Bytes m) {
      if (zset != null) return zset.score(m.array(), 0, m.length());
      if (set != null && set.contains(m)) return 1.0;
      return Double.NaN;
    }

    boolean contains(Bytes m) {
      if (zset != null) return !Double.isNaN(zset.score(m.array(), 0, m.length()));
      return set != null && set.contains(m);
    }

    interface Visitor {
      boolean visit(Bytes m, double score);
    }

    void forEach(Visitor v) {
      if (zset != null) {
        for (Node n = zset.first(); n != null; n = n.next()) if (!v.visit(Bytes.wrap(n.member), n.score)) return;
      } else if (setOrder != null) {
        for (Bytes m : setOrder) if (!v.visit(m, 1.0)) return;
      }
    }
  }

  /** Reads a plain set (every member scores 1) in its own order. */
  private static boolean loadSet(Source s, Object value) {
    if (!(value instanceof SetValue sv)) return false;
    s.set = new HashSet<>();
    s.setOrder = new ArrayList<>();
    sv.forEach(m -> {
      Bytes b = Bytes.wrap(m);
      if (s.set.add(b)) s.setOrder.add(b);
    });
    return true;
  }

  private static double aggregate(double target, double val, int agg) {
    if (agg == AGG_SUM) {
      double r = target + val;
      return Double.isNaN(r) ? 0.0 : r;
    }
    if (agg == AGG_MIN) return val < target ? val : target;
    return val > target ? val : target;
  }

  static void setOp(Client c, Args a, byte[] dst, int numkeysIdx, int op, boolean cardOnly, String name) {
    long setnum = a.longArg(numkeysIdx);
    if (setnum < 1) {
      throw new CommandError("ERR at least 1 input key is needed for '" + name + "' command");
    }
    if (setnum > a.count() - (numkeysIdx + 1)) throw new CommandError(Errors.SYNTAX);
    int n = (int) setnum;
    Source[] src = new Source[n];
    int j = numkeysIdx + 1;
    for (int i = 0; i < n; i++, j++) {
      Entry e = lookupRead(c, a, j); // sources are read, also for a STORE (keyspace hits, keymiss)
      Source s = new Source();
      if (e != null) {
        s.identity = e.value;
        if (e.value instanceof ZSetValue z) s.zset = z;
        else if (!loadSet(s, e.value)) throw new CommandError(Errors.WRONGTYPE);
      }
      src[i] = s;
    }
    int agg = AGG_SUM;
    boolean withScores = false;
    long limit = 0;
    int remaining = a.count() - j;
    while (remaining > 0) {
      if (op != OP_DIFF && !cardOnly && remaining >= n + 1 && a.is(j, "weights")) {
        j++;
        remaining--;
        for (int i = 0; i < n; i++, j++, remaining--) {
          src[i].weight = doubleArg(a, j, "ERR weight value is not a float");
        }
      } else if (op != OP_DIFF && !cardOnly && remaining >= 2 && a.is(j, "aggregate")) {
        j++;
        remaining--;
        if (a.is(j, "sum")) agg = AGG_SUM;
        else if (a.is(j, "min")) agg = AGG_MIN;
        else if (a.is(j, "max")) agg = AGG_MAX;
        else throw new CommandError(Errors.SYNTAX);
        j++;
        remaining--;
      } else if (remaining >= 1 && dst == null && !cardOnly && a.is(j, "withscores")) {
        j++;
        remaining--;
        withScores = true;
      } else if (cardOnly && remaining >= 2 && a.is(j, "limit")) {
        j++;
        remaining--;
        long v = a.longArg(j, "ERR LIMIT can't be negative");
        if (v < 0) throw new CommandError("ERR LIMIT can't be negative");
        limit = v;
        j++;
        remaining--;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    // Smallest inputs first (stable), as Redis orders them; DIFF keeps its first input in place.
    if (op != OP_DIFF) Arrays.sort(src, (x, y) -> Integer.compare(x.size(), y.size()));
    final int aggf = agg;
    LinkedHashMap<Bytes, double[]> result = new LinkedHashMap<>();
    long[] card = {0};
    if (op == OP_UNION) {
      for (Source s : src) {
        if (s.size() == 0) continue;
        s.forEach((m, sc) -> {
          double score = s.weight * sc;
          if (Double.isNaN(score)) score = 0;
          double[] cur = result.get(m);
          if (cur == null) result.put(m, new double[] {score});
          else cur[0] = aggregate(cur[0], score, aggf);
          return true;
        });
      }
    } else if (op == OP_INTER) {
      if (src[0].size() > 0) {
        final long lim = limit;
        src[0].forEach((m, sc) -> {
          double score = src[0].weight * sc;
          if (Double.isNaN(score)) score = 0;
          int k;
          for (k = 1; k < src.length; k++) {
            if (src[k].identity == src[0].identity) {
              score = aggregate(score, sc * src[k].weight, aggf);
            } else if (src[k].contains(m)) {
              score = aggregate(score, src[k].find(m) * src[k].weight, aggf);
            } else {
              break;
            }
          }
          if (k == src.length) {
            if (cardOnly) {
              card[0]++;
              return !(lim != 0 && card[0] >= lim);
            }
            result.put(m, new double[] {score});
          }
          return true;
        });
      }
    } else {
      if (src[0].size() > 0) {
        src[0].forEach((m, sc) -> {
          for (int k = 1; k < src.length; k++) if (src[k].contains(m)) return true;
          result.put(m, new double[] {sc});
          return true;
        });
      }
    }
    if (cardOnly) {
      c.out.integer(card[0]);
      return;
    }
    ZSetValue z = new ZSetValue(true);
    int maxLen = 0;
    for (Map.Entry<Bytes, double[]> r : result.entrySet()) {
      z.insert(r.getValue()[0], r.getKey());
      maxLen = Math.max(maxLen, r.getKey().length());
    }
    if (dst != null) {
      if (z.size() == 0) {
        StoreResults.empty(c, dst);
        return;
      }
      EncodingLimits lim = limits(c);
      if (z.size() <= lim.zsetMaxListpackEntries && maxLen <= lim.zsetMaxListpackValue) {
        ZSetValue small = new ZSetValue(false);
        for (Node x = z.first(); x != null; x = x.next()) small.insert(x.score, x.member);
        z = small;
      }
      c.db.put(dst, z, false);
      Notify.key(c, Notify.ZSET, name, dst);
      c.server().addDirty(1);
      c.out.integer(z.size());
      return;
    }
    List<Node> out = new ArrayList<>(z.size());
    for (Node x = z.first(); x != null; x = x.next()) out.add(x);
    emit(c, out, withScores);
  }

  // ---------------------------------------------------------------- ZRANDMEMBER

  static void zrandmember(Client c, Args a) {
    if (a.count() >= 3) {
      long l = a.longArg(2);
      if (l == Long.MIN_VALUE) {
        throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and "
            + "9223372036854775807");
      }
      boolean withScores = false;
      if (a.count() > 4 || (a.count() == 4 && !a.is(3, "withscores"))) throw new CommandError(Errors.SYNTAX);
      if (a.count() == 4) {
        withScores = true;
        if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) throw new CommandError("ERR value is out of range");
      }
      randWithCount(c, a, l, withScores);
      return;
    }
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.nullBulk();
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    c.out.bulk(z.random().member);
  }

  private static void randWithCount(Client c, Args a, long l, boolean withScores) {
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.array(0);
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    boolean uniq = l >= 0;
    long count = Math.abs(l);
    if (count == 0) {
      c.out.array(0);
      return;
    }
    boolean pairs = withScores && c.out.proto() == 3;
    if (!uniq || count == 1) {
      c.out.array(withScores && !pairs ? count * 2 : count);
      for (long i = 0; i < count; i++) {
        Node n = z.random();
        if (pairs) c.out.array(2);
        c.out.bulk(n.member);
        if (withScores) c.out.dbl(n.score);
      }
      return;
    }
    List<Node> picked = new ArrayList<>();
    if (count >= z.size()) {
      for (Node n = z.first(); n != null; n = n.next()) picked.add(n);
    } else {
      BitSet seen = new BitSet(z.size());
      ThreadLocalRandom r = ThreadLocalRandom.current();
      while (picked.size() < count) {
        int rank = r.nextInt(z.size());
        if (seen.get(rank)) continue;
        seen.set(rank);
        picked.add(z.byRank(rank));
      }
    }
    emit(c, picked, withScores);
  }

  // ---------------------------------------------------------------- ZSCAN

  static void zscan(Client c, Args a) {
    long cursor = KeyCommands.parseCursor(a, 2);
    Entry e = lookupRead(c, a, 1);
    if (e == null) {
      c.out.array(2);
      c.out.bulk("0");
      c.out.array(0);
      return;
    }
    ZSetValue z = ZSetValue.of(e);
    long count = 10;
    byte[] pat = null;
    for (int i = 3; i < a.count(); ) {
      int left = a.count() - i;
      if (a.is(i, "count") && left >= 2) {
        count = a.longArg(i + 1);
        if (count < 1) throw new CommandError(Errors.SYNTAX);
        i += 2;
      } else if (a.is(i, "match") && left >= 2) {
        pat = a.bytes(i + 1);
        if (pat.length == 1 && pat[0] == '*') pat = null;
        i += 2;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    List<Node> picked = new ArrayList<>();
    long next = 0;
    if (z.isListpack()) {
      for (Node n = z.first(); n != null; n = n.next()) picked.add(n);
    } else {
      // Walks in rank order; the cursor is the rank to resume from.
      Node n = cursor < z.size() ? z.byRank(cursor) : null;
      long k = 0;
      long pos = cursor;
      while (n != null && k < count) {
        picked.add(n);
        n = n.next();
        k++;
        pos++;
      }
      next = n == null ? 0 : pos;
    }
    List<Node> matched = new ArrayList<>(picked.size());
    for (Node n : picked) {
      byte[] m = n.member;
      if (pat == null || Glob.match(pat, 0, pat.length, m, 0, m.length, false)) matched.add(n);
    }
    c.out.array(2);
    c.out.bulk(Long.toUnsignedString(next));
    c.out.array(matched.size() * 2L);
    for (Node n : matched) {
      c.out.bulk(n.member);
      c.out.bulk(z.isListpack() ? listpackScore(n.score) : Doubles.format(n.score));
    }
  }

  private static final double LL_HALF = (double) (Long.MAX_VALUE / 2);

  /** A score as a listpack holds it: integral values in ±LLONG_MAX/2 as integers, others as %.17g. */
  static String listpackScore(double d) {
    if (d >= -LL_HALF && d <= LL_HALF && (double) (long) d == d) return Long.toString((long) d);
    return Doubles.format(d);
  }
}
