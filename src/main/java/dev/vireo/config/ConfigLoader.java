package dev.vireo.config;

import dev.vireo.config.Directive.BadValue;
import dev.vireo.util.Glob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Applies redis.conf text to a {@link ServerConfig}: one directive per line, {@code include} of further files,
 * and the first fatal error turned into redis-server's message.
 */
final class ConfigLoader {
  /** Deeper nesting than this is taken for an include cycle. */
  static final int MAX_INCLUDE_DEPTH = 16;

  private final ServerConfig target;
  /** Directives already set by this load: later lines of multi-line directives such as save add to them. */
  private final Set<Directive> seen = new HashSet<>();

  ConfigLoader(ServerConfig target) {
    this.target = target;
  }

  /** Loads a file; {@code shownName} is how messages name it. */
  void loadFile(Path path, String shownName, int depth) throws ConfigException {
    String text;
    try {
      if (Files.isDirectory(path)) throw new IOException("Is a directory");
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(cantOpen(shownName, "No such file or directory"));
    } catch (AccessDeniedException e) {
      throw new ConfigException(cantOpen(shownName, "Permission denied"));
    } catch (IOException e) {
      throw new ConfigException(cantOpen(shownName, e.getMessage()));
    }
    loadText(text, "Reading the configuration file " + shownName, depth);
  }

  static String cantOpen(String name, String reason) {
    return "Fatal error, can't open config file '" + name + "': " + reason;
  }

  /** Loads configuration text; {@code source} opens the error message ("Reading the configuration file x"). */
  void loadText(String text, String source, int depth) throws ConfigException {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = trim(lines[i]);
      if (line.isEmpty() || line.charAt(0) == '#') continue;
      String err = applyLine(line, depth);
      if (err != null) throw new ConfigException(fatal(source, i + 1, shown(line), err));
    }
  }

  static String fatal(String source, int lineNo, String line, String err) {
    return "\n*** FATAL CONFIG FILE ERROR (Vireo " + ServerConfig.version() + ") ***\n"
        + source + ", at line " + lineNo + "\n"
        + ">>> '" + line + "'\n"
        + err;
  }

  /** The line as an error may show it: values of sensitive directives are never printed. */
  private static String shown(String line) {
    int end = 0;
    while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
    List<String> argv = ConfigTokenizer.split(line);
    String name = argv != null && !argv.isEmpty() ? argv.get(0) : line.substring(0, end);
    Directive d = DirectiveTable.lookup(name);
    return d != null && d.sensitive ? name + " (redacted)" : line;
  }

  /** Applies one non-empty, non-comment line; null when fine, else the error text. */
  private String applyLine(String line, int depth) throws ConfigException {
    List<String> argv = ConfigTokenizer.split(line);
    if (argv == null) return "Unbalanced quotes in configuration line";
    if (argv.isEmpty()) return null;
    String name = argv.get(0).toLowerCase(Locale.ROOT);
    int argc = argv.size();
    Directive d = DirectiveTable.lookup(name);
    if (d != null) {
      if (!d.multiArg && argc != 2) return "wrong number of arguments";
      List<String> args = argv.subList(1, argc);
      if (d.multiArg && argc == 2 && !args.get(0).isEmpty()) {
        // "--replicaof 'host port'" arrives as one argument: split it like a line of its own.
        args = ConfigTokenizer.split(args.get(0));
        if (args == null) return "Unbalanced quotes in configuration line";
      }
      try {
        target.store(d, d.parse(args, target.raw(d), seen.contains(d)), true);
      } catch (BadValue e) {
        return e.getMessage();
      }
      seen.add(d);
      return null;
    }
    Integer deprecatedArgs = DirectiveTable.DEPRECATED.get(name);
    if (deprecatedArgs != null && argc - 1 == deprecatedArgs) return null;
    switch (name) {
      case "include" -> {
        if (argc != 2) break;
        if (depth >= MAX_INCLUDE_DEPTH) {
          return "Too many nested includes (more than " + MAX_INCLUDE_DEPTH + " levels; an include cycle?)";
        }
        include(argv.get(1), depth);
        return null;
      }
      case "rename-command" -> {
        if (argc != 3) break;
        target.renameCommand(argv.get(1), argv.get(2));
        return null;
      }
      case "user" -> {
        if (argc < 2) break;
        target.addUserLine(argv.subList(1, argc));
        return null;
      }
      default -> {}
    }
    return "Bad directive or wrong number of arguments";
  }

  private void include(String pattern, int depth) throws ConfigException {
    Path path = Path.of(pattern);
    Path fileName = path.getFileName();
    if (fileName == null || !hasWildcard(fileName.toString())) {
      loadFile(path, pattern, depth + 1);
      return;
    }
    // "include /etc/vireo/conf.d/*.conf": every matching file, in name order; none matching is fine.
    Path dir = path.getParent() == null ? Path.of("") : path.getParent();
    List<Path> matches = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.toString().isEmpty() ? Path.of(".") : dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p) && Glob.match(fileName.toString(), p.getFileName().toString(), false)) {
          matches.add(dir.resolve(p.getFileName()));
        }
      }
    } catch (IOException e) {
      return;
    }
    matches.sort(null);
    for (Path p : matches) loadFile(p, p.toString(), depth + 1);
  }

  private static boolean hasWildcard(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
  }

  static String trim(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && isTrim(s.charAt(a))) a++;
    while (b > a && isTrim(s.charAt(b - 1))) b--;
    return s.substring(a, b);
  }

  private static boolean isTrim(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
