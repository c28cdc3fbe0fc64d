package dev.vireo.server;

/**
 * What the data loop hands the append-only file: every write in the form replicas receive it (the same units,
 * MULTI/EXEC included, in their database), on a master and on a replica alike, and a call before any reply leaves
 * (with {@code appendfsync always} the reply waits for the fsync). Implemented by the AOF package; {@link #NONE}
 * when the AOF is off.
 */
public interface AppendOnly {
  /** True while writes are recorded (appendonly on, or being switched on). */
  boolean on();

  /** Appends one command, in database {@code db} (-1: the one selected). */
  void feed(int db, byte[][] argv);

  /**
   * Before a client's reply is written to its socket: the buffered writes go to the file. True when the reply must
   * wait ({@code appendfsync always}: one fsync at the end of the event-loop turn for every client served in it,
   * after which the AOF flushes the held clients again).
   */
  boolean holdReply(Client c);

  /** Runs with the server cron: postponed writes, the once-a-second fsync, automatic rewrites. */
  void cron();

  /** Before exiting: everything written and synced. */
  void shutdown();

  /** A replica loaded its master's dataset: the AOF is rewritten from it before it records the stream. */
  void restartAfterSync();

  AppendOnly NONE = new AppendOnly() {
    @Override
    public boolean on() {
      return false;
    }

    @Override
    public void feed(int db, byte[][] argv) {}

    @Override
    public boolean holdReply(Client c) {
      return false;
    }

    @Override
    public void cron() {}

    @Override
    public void shutdown() {}

    @Override
    public void restartAfterSync() {}
  };
}
