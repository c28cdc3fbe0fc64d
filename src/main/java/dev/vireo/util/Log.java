package dev.vireo.util;

import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Log lines in redis-server's format ({@code pid:role dd Mon yyyy HH:mm:ss.SSS <level> message}) so existing
 * habits and tools for reading Redis logs apply. Levels as in redis.conf: debug, verbose, notice, warning.
 * Never pass a secret to it.
 */
public final class Log {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);
  public static final int DEBUG = 0;
  public static final int VERBOSE = 1;
  public static final int NOTICE = 2;
  public static final int WARNING = 3;
  private static final char[] MARKS = {'.', '-', '*', '#'};

  private final long pid = ProcessHandle.current().pid();
  private volatile int level = NOTICE;
  private volatile char role = 'M';
  private volatile PrintStream out = System.out;

  public void level(String name) {
    level = switch (name.toLowerCase(Locale.ROOT)) {
      case "debug" -> DEBUG;
      case "verbose" -> VERBOSE;
      case "warning" -> WARNING;
      default -> NOTICE;
    };
  }

  /** 'M' master, 'S' replica: as in Redis log lines. */
  public void role(char role) {
    this.role = role;
  }

  public void output(PrintStream out) {
    this.out = out;
  }

  public void log(int lvl, String msg) {
    if (lvl < level) return;
    out.println(pid + ":" + role + " " + TIME.format(ZonedDateTime.now()) + " " + MARKS[lvl] + " " + msg);
  }

  public void debug(String msg) {
    log(DEBUG, msg);
  }

  public void verbose(String msg) {
    log(VERBOSE, msg);
  }

  public void info(String msg) {
    log(NOTICE, msg);
  }

  public void warn(String msg) {
    log(WARNING, msg);
  }
}
