package dev.vireo.command;

import dev.vireo.resp.Args;
import dev.vireo.server.Client;
import java.nio.charset.StandardCharsets;

/**
 * What a command sends to replicas when it must not go out as the client wrote it, as Redis 7.0 does: relative
 * times become absolute ({@code PEXPIREAT}, {@code SET ... PXAT}), random or blocking choices become the plain
 * operation that was made ({@code SREM}, {@code LPOP}, {@code ZPOPMIN}...), floating-point results are sent as
 * values ({@code SET ... KEEPTTL}, {@code HSET}). Replicas apply the stream as it comes, so each rewrite is what
 * keeps them equal to the master. Names are upper case, as Redis writes its own rewrites; arguments a rewrite
 * keeps stay as the client wrote them.
 */
final class Rewrites {
  private Rewrites() {}

  static final byte[] DEL = ascii("DEL");
  static final byte[] UNLINK = ascii("UNLINK");
  static final byte[] SET = ascii("SET");
  static final byte[] PXAT = ascii("PXAT");
  static final byte[] KEEPTTL = ascii("KEEPTTL");
  static final byte[] PEXPIREAT = ascii("PEXPIREAT");
  static final byte[] PERSIST = ascii("PERSIST");
  static final byte[] ABSTTL = ascii("ABSTTL");
  static final byte[] HSET = ascii("HSET");
  static final byte[] SREM = ascii("SREM");
  static final byte[] LPOP = ascii("LPOP");
  static final byte[] RPOP = ascii("RPOP");
  static final byte[] LMOVE = ascii("LMOVE");
  static final byte[] RPOPLPUSH = ascii("RPOPLPUSH");
  static final byte[] ZPOPMIN = ascii("ZPOPMIN");
  static final byte[] ZPOPMAX = ascii("ZPOPMAX");
  // Redis's own spelling of list ends in the LMOVE it sends for a blocked client served later
  static final byte[] LEFT = ascii("left");
  static final byte[] RIGHT = ascii("right");

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] num(long v) {
    return ascii(Long.toString(v));
  }

  /** Whether anything is recorded for replicas at all: rewrites need not be built when nothing is. */
  static boolean wanted(Client c) {
    return c.server().propagation().feeding() || c.server().appendOnly().on();
  }

  /** Sends {@code argv} instead of the running command (or at once for a blocked client served later). */
  static void as(Client c, byte[]... argv) {
    c.server().dispatcher.propagateAs(c, argv);
  }

  /** {@code DEL key}, or {@code UNLINK key} under lazyfree-lazy-expire: a key whose new TTL is already past. */
  static void expiredDel(Client c, byte[] key) {
    as(c, c.server().config.getBool("lazyfree-lazy-expire") ? UNLINK : DEL, key);
  }

  /** The command's arguments with {@code argv[i]} replaced. */
  static byte[][] replacing(Args a, int i, byte[] with) {
    byte[][] v = a.toArray();
    v[i] = with;
    return v;
  }
}
