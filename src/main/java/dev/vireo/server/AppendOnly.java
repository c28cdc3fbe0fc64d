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

  /** Before replies are written to a socket: the buffered writes go to the file (and to disk, as the policy asks). */
  void beforeReply();

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
    public void beforeReply() {}

    @Override
    public void cron() {}

    @Override
    public void shutdown() {}

    @Override
    public void restartAfterSync() {}
  };
}
