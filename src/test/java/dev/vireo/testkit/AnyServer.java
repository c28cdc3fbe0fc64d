package dev.vireo.testkit;

import java.util.Map;

/**
 * A server a test talks to, whichever kind it is: a real redis-server, a Vireo node in this JVM, or Vireo's jar as a
 * process. Lets one test run the same expectations against Redis and Vireo. Arguments are {@code --directive value}
 * pairs for all of them.
 */
public interface AnyServer extends AutoCloseable {
  /** A new connection; the caller closes it. */
  RespClient client();

  int port();

  /** The process id, for signals; a node in this JVM has none of its own. */
  long pid();

  /** Waits for the process to end after SHUTDOWN or a signal; returns its exit status (processes only). */
  default int awaitExit() {
    throw new UnsupportedOperationException("a node in this JVM has no process of its own");
  }

  @Override
  void close();

  /** {@code "redis"}: a redis-server process; {@code "vireo"}: a node in this JVM. */
  static AnyServer start(String kind, String... args) {
    return switch (kind) {
      case "redis" -> redis(args);
      case "vireo" -> node(args);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static AnyServer redis(String... args) {
    RedisServerProcess p = RedisServerProcess.start(args);
    return new AnyServer() {
      public RespClient client() {
        return p.client();
      }

      public int port() {
        return p.port();
      }

      public long pid() {
        return p.pid();
      }

      public int awaitExit() {
        return p.awaitExit();
      }

      public void close() {
        p.close();
      }
    };
  }

  static AnyServer node(String... args) {
    TestNode n = TestNode.start(args);
    return new AnyServer() {
      public RespClient client() {
        return n.client();
      }

      public int port() {
        return n.port();
      }

      public long pid() {
        throw new UnsupportedOperationException("a node in this JVM has no process of its own");
      }

      public void close() {
        n.close();
      }
    };
  }

  /** Vireo's jar as a process (for signals such as SIGSTOP). */
  static AnyServer jar(String... args) {
    VireoJar j = VireoJar.start(Map.of(), args);
    return new AnyServer() {
      public RespClient client() {
        return j.client();
      }

      public int port() {
        return j.port();
      }

      public long pid() {
        return j.pid();
      }

      public int awaitExit() {
        return j.awaitExit();
      }

      public void close() {
        j.close();
      }
    };
  }
}
