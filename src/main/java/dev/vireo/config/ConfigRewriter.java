package dev.vireo.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CONFIG REWRITE. The file's lines are kept in order; each known directive replaces its first line(s) in the
 * file with its current value, and its leftover lines are dropped; a directive not in the file is appended
 * only when its value differs from the default. The new file replaces the old one by an atomic rename, so a
 * crash leaves either the old or the new file.
 */
final class ConfigRewriter {
  private ConfigRewriter() {}

  static String rewrite(ServerConfig cfg, Path file) {
    List<String> lines;
    try {
      lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
    } catch (IOException e) {
      return "Rewriting config file: " + reason(e);
    }
    String content = render(cfg, lines);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, ".vireo-rewrite-", ".tmp");
      try {
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        copyPermissions(file, tmp);
        try {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      return "Rewriting config file: " + reason(e);
    }
    return null;
  }

  /** The new file content for the current values, given the file's present lines. */
  static String render(ServerConfig cfg, List<String> lines) {
    List<String> out = new ArrayList<>(lines.size());
    Map<Directive, Deque<Integer>> positions = new HashMap<>();
    Deque<Integer> userPositions = new ArrayDeque<>();
    boolean signed = false;
    for (String raw : lines) {
      String t = ConfigLoader.trim(raw);
      if (t.equals(ServerConfig.REWRITE_SIGNATURE)) {
        if (signed) continue; // one signature is enough
        signed = true;
      }
      if (t.isEmpty() || t.charAt(0) == '#') {
        out.add(raw);
        continue;
      }
      List<String> argv = ConfigTokenizer.split(t);
      if (argv == null) {
        out.add("# ??? " + raw); // kept, but harmless to the next load
        continue;
      }
      Directive d = argv.isEmpty() ? null : DirectiveTable.lookup(argv.get(0));
      if (d != null) positions.computeIfAbsent(d, k -> new ArrayDeque<>()).add(out.size());
      if (!argv.isEmpty() && argv.get(0).equalsIgnoreCase("user")) userPositions.add(out.size());
      out.add(raw);
    }

    List<String> appended = new ArrayList<>();
    for (Directive d : DirectiveTable.ALL) {
      String value = cfg.raw(d);
      boolean isDefault = value.equals(d.defaultValue);
      Deque<Integer> at = positions.getOrDefault(d, new ArrayDeque<>());
      if (isDefault && at.isEmpty()) continue;
      for (String args : d.rewriteArgs(value)) {
        String line = d.name + " " + args;
        if (!at.isEmpty()) out.set(at.poll(), line);
        else if (!isDefault) appended.add(line);
      }
      for (int leftover : at) out.set(leftover, null);
    }
    // as Redis: the ACL users replace the file's user lines, unless they live in an aclfile (then the lines go)
    if (cfg.currentUsers() != null) {
      String aclfile = cfg.raw(DirectiveTable.lookup("aclfile"));
      if (aclfile == null || aclfile.isEmpty()) {
        for (String line : cfg.currentUsers().get()) {
          if (!userPositions.isEmpty()) out.set(userPositions.poll(), line);
          else appended.add(line);
        }
      }
      for (int leftover : userPositions) out.set(leftover, null);
    }

    StringBuilder sb = new StringBuilder();
    for (String l : out) if (l != null) sb.append(l).append('\n');
    if (!appended.isEmpty()) {
      if (!signed) sb.append(ServerConfig.REWRITE_SIGNATURE).append('\n');
      for (String l : appended) sb.append(l).append('\n');
    }
    return sb.toString();
  }

  private static void copyPermissions(Path from, Path to) {
    try {
      if (Files.exists(from)) Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
      else Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException | UnsupportedOperationException e) {
      // not a POSIX file system: the temp file's permissions stand
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) return "Permission denied";
    if (e instanceof NoSuchFileException) return "No such file or directory";
    return String.valueOf(e.getMessage());
  }
}
