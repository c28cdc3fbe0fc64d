package dev.vireo.command;

import dev.vireo.resp.CommandError;
import dev.vireo.store.Db;
import dev.vireo.store.Entry;
import dev.vireo.store.Keyspace;
import dev.vireo.store.HashValue;
import dev.vireo.store.ListValue;
import dev.vireo.store.SetValue;
import dev.vireo.store.StreamId;
import dev.vireo.store.StreamValue;
import dev.vireo.store.ZSetValue;
import dev.vireo.util.ListpackBytes;
import dev.vireo.util.Doubles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST and DIGEST-VALUE, computed as Redis computes them, so a Vireo node and a Redis server holding the
 * same data print the same digest. SHA-1 based: "xor" adds SHA1(data) into a 20-byte digest (order does not
 * matter), "mix" does that and then replaces the digest by its own SHA-1 (order matters). Each key contributes
 * mix(key), mix(type id), its value (strings: mix; lists: mix per element; sets: xor per member; hashes and sorted
 * sets: xor of a per-element mixed digest), and "!!expire!!" when it has a TTL; each key's digest is then xored
 * into the total, per database, after mixing in the database number.
 */
public final class Digest {
  private Digest() {}

  private static MessageDigest sha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** digest ^= SHA1(data) */
  public static void xor(byte[] digest, byte[] data, int off, int len) {
    MessageDigest md = sha1();
    md.update(data, off, len);
    byte[] h = md.digest();
    for (int i = 0; i < 20; i++) digest[i] ^= h[i];
  }

  public static void xor(byte[] digest, byte[] data) {
    xor(digest, data, 0, data.length);
  }

  /** digest = SHA1(digest ^ SHA1(data)) */
  public static void mix(byte[] digest, byte[] data, int off, int len) {
    xor(digest, data, off, len);
    byte[] h = sha1().digest(digest);
    System.arraycopy(h, 0, digest, 0, 20);
  }

  public static void mix(byte[] digest, byte[] data) {
    mix(digest, data, 0, data.length);
  }

  private static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  /** The digest of one value (DEBUG DIGEST-VALUE): type, content, and the TTL marker. */
  public static byte[] value(Entry e) {
    byte[] d = new byte[20];
    addValue(d, e);
    return d;
  }

  /** Continues {@code d} with the value's type, content and TTL marker. */
  private static void addValue(byte[] d, Entry e) {
    if (e.value instanceof byte[] s) {
      mix(d, int32(0));
      mix(d, s);
    } else if (e.value instanceof ListValue l) {
      mix(d, int32(1));
      if (!l.isEmpty()) {
        ListValue.Cursor it = l.cursor(0);
        do {
          mix(d, it.buf(), it.off(), it.len());
        } while (it.next());
      }
    } else if (e.value instanceof SetValue s) {
      mix(d, int32(2));
      s.forEach(m -> xor(d, m));
    } else if (e.value instanceof ZSetValue z) {
      mix(d, int32(3));
      for (ZSetValue.Node n = z.first(); n != null; n = n.next()) {
        byte[] ed = new byte[20];
        mix(ed, n.member);
        mix(ed, scoreText(n.score));
        xor(d, ed);
      }
    } else if (e.value instanceof HashValue h) {
      mix(d, int32(4));
      h.forEach((f, v) -> {
        byte[] ed = new byte[20];
        mix(ed, f);
        mix(ed, v);
        xor(d, ed);
      });
    } else if (e.value instanceof StreamValue st) {
      // entries only (consumer groups are not part of it): each ID as "ms.seq", then its fields and values
      mix(d, int32(6));
      StreamValue.Cursor cur = st.range(StreamId.MIN, StreamId.MAX, false);
      while (cur.next()) {
        StreamId id = cur.id();
        mix(d, (Long.toUnsignedString(id.ms()) + "." + Long.toUnsignedString(id.seq()))
            .getBytes(StandardCharsets.US_ASCII));
        byte[] lp = cur.listpack();
        for (int p : cur.fields()) mix(d, ListpackBytes.bytesAt(lp, p));
      }
    } else {
      throw new CommandError("ERR DEBUG DIGEST does not support the type of this value");
    }
    if (e.hasTtl()) xor(d, "!!expire!!".getBytes(StandardCharsets.US_ASCII));
  }

  /** The digest of the whole dataset (DEBUG DIGEST); 20 zero bytes when it is empty. */
  public static byte[] dataset(Keyspace ks) {
    byte[] fin = new byte[20];
    for (int i = 0; i < ks.databases(); i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      mix(fin, int32(i));
      db.forEach(e -> {
        byte[] kd = new byte[20];
        mix(kd, e.key());
        addValue(kd, e);
        xor(fin, kd);
      });
    }
    return fin;
  }

  /** A score as the digest spells it (the shortest text that reads back as the same double). */
  private static byte[] scoreText(double score) {
    return Doubles.format(score).getBytes(StandardCharsets.US_ASCII);
  }

  public static String hex(byte[] d) {
    StringBuilder sb = new StringBuilder(40);
    for (byte b : d) sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
    return sb.toString();
  }
}
