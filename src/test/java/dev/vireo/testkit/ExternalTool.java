package dev.vireo.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs the tests talk to as a user would: real Redis tools, headless Chromium, Prometheus.
 *
 * <p>A missing tool skips the test on a developer machine, but fails it on CI (env {@code CI=true}): CI must
 * install everything, so a silent skip there would hide a gap.
 */
public final class ExternalTool {
  /** Tool name to the Debian package that provides it. */
  private static final Map<String, String> DEBIAN_PACKAGES = Map.of(
      "redis-server", "redis-server",
      "redis-sentinel", "redis-sentinel",
      "redis-cli", "redis-tools",
      "redis-benchmark", "redis-tools",
      "chromium", "chromium",
      "chromedriver", "chromium-driver",
      "prometheus", "prometheus");

  /** Other names the same program goes by on some systems. */
  private static final Map<String, List<String>> ALIASES = Map.of(
      "chromium", List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"));

  private static final List<String> USUAL_DIRS = List.of(
      "/usr/bin", "/usr/local/bin", "/usr/sbin", "/usr/local/sbin", "/bin", "/snap/bin",
      "/usr/lib/chromium", "/opt/homebrew/bin");

  private ExternalTool() {}

  /** The executable's path, looked up in PATH and then in the usual install directories. */
  public static Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (!dir.isEmpty()) {
          dirs.add(dir);
        }
      }
    }
    dirs.addAll(USUAL_DIRS);
    for (String candidate : ALIASES.getOrDefault(name, List.of(name))) {
      for (String dir : dirs) {
        Path file = Path.of(dir, candidate);
        if (Files.isRegularFile(file) && Files.isExecutable(file)) {
          return Optional.of(file);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The executable's path. When it is missing, fails the test on CI and aborts it (skipped, with the reason)
   * everywhere else.
   */
  public static Path require(String name) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    String pkg = DEBIAN_PACKAGES.getOrDefault(name, name);
    String install = "apt-get install -y " + pkg;
    if (onCi()) {
      return fail(name + " missing on CI: install with " + install + " (Debian package '" + pkg + "')");
    }
    Assumptions.abort(name + " not found in PATH or usual locations; install Debian package '" + pkg
        + "' (" + install + ") to run this test");
    throw new AssertionError("unreachable");
  }

  /** True when running on CI, where every external tool must be present. */
  public static boolean onCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }
}
