package dev.vireo.testkit;

import java.io.IOException;

/** Signals to a process the test started, as an operator would send them with {@code kill}. */
public final class Signals {
  private Signals() {}

  /** {@code kill -<name> <pid>}, e.g. {@code STOP} and {@code CONT}; fails the test when kill fails. */
  public static void send(String name, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      if (kill.waitFor() != 0) throw new AssertionError("kill -" + name + " " + pid + " failed");
    } catch (IOException e) {
      throw new AssertionError("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
