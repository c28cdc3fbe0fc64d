package dev.vireo.acl;

import dev.vireo.server.Client;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code aclfile}: one {@code user <name> <rules...>} line per user, as ACL LIST renders them. ACL LOAD reads
 * it all into a fresh user table and replaces the current one only when every line applied (Redis's errors
 * otherwise); ACL SAVE writes a temp file and renames it over the old one.
 */
final class AclFile {
  private AclFile() {}

  /** Loads the file into {@code acl}; null when done, else Redis's error text (nothing changed then). */
  static String load(Acl acl, String file) {
    return load(acl, file, null);
  }

  static String load(Acl acl, String file, Client caller) {
    String text;
    try {
      text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "Error loading ACLs, opening file '" + file + "': " + reason(e);
    }
    Map<String, User> loaded = new TreeMap<>();
    StringBuilder errors = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNo = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty()) continue;
      List<String> argv = Arrays.stream(line.split("[ \t]+")).toList();
      if (!argv.get(0).equals("user") || argv.size() < 2) {
        errors.append(file).append(':').append(lineNo)
            .append(" should start with user keyword followed by the username. ");
        continue;
      }
      String name = argv.get(1);
      if (loaded.containsKey(name)) {
        errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNo).append(". ");
        continue;
      }
      User u = acl.newUser(name);
      loaded.put(name, u);
      List<String> rules = acl.mergeSelectors(argv.subList(2, argv.size()));
      if (rules == null) {
        errors.append(file).append(':').append(lineNo).append(": Unmatched parenthesis in selector definition.");
        continue;
      }
      boolean syntaxError = false;
      for (String rule : rules) {
        try {
          u.apply(rule, acl.catalog, acl.pubsubAllChannels());
        } catch (RuleError e) {
          if (e.getMessage().equals(RuleError.UNKNOWN)) {
            errors.append(file).append(':').append(lineNo).append(": Error in applying operation '").append(rule)
                .append("': ").append(e.getMessage()).append(". ");
          } else if (!syntaxError) {
            errors.append(file).append(':').append(lineNo).append(": ").append(e.getMessage()).append(". ");
            syntaxError = true;
          }
        }
      }
    }
    if (errors.length() > 0) {
      return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was performed")
          .toString();
    }
    if (!loaded.containsKey(Acl.DEFAULT)) {
      User d = new User(Acl.DEFAULT, true);
      d.enabled = true;
      d.nopass = true;
      d.root.allKeys = true;
      d.root.future = true;
      d.root.allowed.set(0, acl.catalog.size());
      loaded.put(Acl.DEFAULT, d);
    }
    acl.replaceUsers(loaded, caller);
    return null;
  }

  /** Writes every user; null when done, else the reason. */
  static String save(Acl acl, String file) {
    StringBuilder sb = new StringBuilder();
    for (String line : acl.userLines()) sb.append(line).append('\n');
    Path target = Path.of(file);
    try {
      Path dir = target.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, "acl-", ".tmp");
      Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    } catch (IOException e) {
      return reason(e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof NoSuchFileException) return "No such file or directory";
    if (e instanceof AccessDeniedException) return "Permission denied";
    return String.valueOf(e.getMessage());
  }
}
