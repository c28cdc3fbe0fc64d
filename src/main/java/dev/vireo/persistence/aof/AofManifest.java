package dev.vireo.persistence.aof;

import dev.vireo.util.Repr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's multi-part AOF manifest: one base file (an RDB with the preamble, else commands), history files
 * waiting to be deleted after a rewrite, and the incremental files written since the base, in order. One line per
 * file, as Redis writes it: {@code file <name> seq <n> type <b|h|i>}. Parsing follows Redis's rules and errors.
 */
public final class AofManifest {
  /** One file of the AOF: name (within the AOF directory), sequence number and type ('b', 'h' or 'i'). */
  public record AofFile(String name, long seq, char type) {}

  /** A manifest that cannot be read. */
  public static final class ManifestException extends Exception {
    public ManifestException(String message) {
      super(message);
    }
  }

  private static final int MAX_LINE = 1024;

  public AofFile base;
  public final List<AofFile> history = new ArrayList<>();
  public final List<AofFile> incr = new ArrayList<>();
  /** The last base and incr sequence numbers used: new files take the next ones. */
  public long baseSeq;
  public long incrSeq;

  public static String manifestName(String appendfilename) {
    return appendfilename + ".manifest";
  }

  public static String baseName(String appendfilename, long seq, boolean rdb) {
    return appendfilename + "." + seq + ".base" + (rdb ? ".rdb" : ".aof");
  }

  public static String incrName(String appendfilename, long seq) {
    return appendfilename + "." + seq + ".incr.aof";
  }

  /** The manifest in {@code dir}, or null when there is none. */
  public static AofManifest load(Path dir, String appendfilename) throws IOException, ManifestException {
    Path p = dir.resolve(manifestName(appendfilename));
    if (!Files.exists(p)) return null;
    return parse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
  }

  /** Parses a manifest's text, with Redis's errors. */
  public static AofManifest parse(String text) throws ManifestException {
    AofManifest m = new AofManifest();
    int at = 0;
    while (at < text.length()) {
      int nl = text.indexOf('\n', at);
      if (nl < 0 || nl - at + 1 > MAX_LINE) {
        throw new ManifestException(nl < 0 ? "Invalid AOF manifest file format"
            : "The AOF manifest file contains too long line");
      }
      String line = text.substring(at, nl);
      at = nl + 1;
      if (line.startsWith("#")) continue;
      String trimmed = line.strip();
      if (trimmed.isEmpty()) continue;
      List<String> args = splitArgs(trimmed);
      if (args == null || args.size() < 6 || args.size() % 2 != 0) {
        throw new ManifestException("Invalid AOF manifest file format");
      }
      String name = null;
      Long seq = null;
      Character type = null;
      for (int i = 0; i < args.size(); i += 2) {
        String k = args.get(i);
        String v = args.get(i + 1);
        if (k.equalsIgnoreCase("file")) {
          name = v;
        } else if (k.equalsIgnoreCase("seq")) {
          try {
            seq = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new ManifestException("Invalid AOF manifest file format");
          }
        } else if (k.equalsIgnoreCase("type")) {
          type = v.isEmpty() ? '\0' : v.charAt(0);
        }
      }
      if (name == null || seq == null || type == null) {
        throw new ManifestException("Invalid AOF manifest file format");
      }
      AofFile f = new AofFile(name, seq, type);
      switch (type) {
        case 'b' -> {
          if (m.base != null) throw new ManifestException("Found duplicate base file information");
          m.base = f;
          m.baseSeq = seq;
        }
        case 'h' -> m.history.add(f);
        case 'i' -> {
          if (seq <= m.incrSeq) throw new ManifestException("Found a non-monotonic sequence number");
          m.incr.add(f);
          m.incrSeq = seq;
        }
        default -> throw new ManifestException("Unknown AOF file type");
      }
    }
    if (m.base == null && m.incr.isEmpty()) throw new ManifestException("Found an empty AOF manifest");
    return m;
  }

  /** The manifest's text: base, history, then incremental files, as Redis writes it. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    if (base != null) line(sb, base);
    for (AofFile f : history) line(sb, f);
    for (AofFile f : incr) line(sb, f);
    return sb.toString();
  }

  private static void line(StringBuilder sb, AofFile f) {
    sb.append("file ");
    byte[] name = f.name().getBytes(StandardCharsets.UTF_8);
    if (needsQuotes(f.name())) Repr.append(sb, name, 0, name.length);
    else sb.append(f.name());
    sb.append(" seq ").append(f.seq()).append(" type ").append(f.type()).append('\n');
  }

  private static boolean needsQuotes(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 127 || c == '"' || c == '\'' || c == '\\') return true;
    }
    return s.isEmpty();
  }

  /**
   * Writes the manifest to a temporary file, syncs it, and renames it over the old one (then syncs the
   * directory): a crash leaves the old manifest or the new one, never a mix.
   */
  public void persist(Path dir, String appendfilename) throws IOException {
    Path tmp = dir.resolve("temp-" + manifestName(appendfilename));
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(format().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, dir.resolve(manifestName(appendfilename)), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
  }

  /** Flushes a directory's entries (renames, new files) to disk, where the platform allows it. */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not every file system lets a directory be opened; the rename itself is still atomic
    }
  }

  /** Splits a line as Redis's sdssplitargs does: spaces apart, "double" and 'single' quotes, \x escapes. */
  static List<String> splitArgs(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && Character.isWhitespace(line.charAt(i))) i++;
      if (i >= n) return out;
      StringBuilder cur = new StringBuilder();
      boolean inDq = false;
      boolean inSq = false;
      boolean done = false;
      while (!done) {
        if (inDq) {
          if (i >= n) return null;
          char c = line.charAt(i);
          if (c == '\\' && i + 3 < n && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2))
              && isHex(line.charAt(i + 3))) {
            cur.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
            i += 3;
          } else if (c == '\\' && i + 1 < n) {
            i++;
            char e = line.charAt(i);
            cur.append(switch (e) {
              case 'n' -> '\n';
              case 'r' -> '\r';
              case 't' -> '\t';
              case 'b' -> '\b';
              case 'a' -> (char) 7;
              default -> e;
            });
          } else if (c == '"') {
            if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) return null;
            done = true;
          } else {
            cur.append(c);
          }
        } else if (inSq) {
          if (i >= n) return null;
          char c = line.charAt(i);
          if (c == '\\' && i + 1 < n && line.charAt(i + 1) == '\'') {
            i++;
            cur.append('\'');
          } else if (c == '\'') {
            if (i + 1 < n && !Character.isWhitespace(line.charAt(i + 1))) return null;
            done = true;
          } else {
            cur.append(c);
          }
        } else {
          if (i >= n) {
            done = true;
            continue;
          }
          char c = line.charAt(i);
          if (Character.isWhitespace(c)) {
            done = true;
          } else if (c == '"') {
            inDq = true;
          } else if (c == '\'') {
            inSq = true;
          } else {
            cur.append(c);
          }
        }
        if (i < n) i++;
      }
      out.add(cur.toString());
    }
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
