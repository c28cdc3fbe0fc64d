package dev.vireo.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What the data loop asks of persistence: whether the dataset is loading, whether a background snapshot still
 * reads values (in-place changes must copy first), saving before a shutdown, and its once-per-cron-tick work
 * (save rules, finished background saves). Implemented by the persistence package; {@link #NONE} keeps nothing.
 */
public interface Snapshots {
  /** Called on the data loop when the node starts. */
  void start(Vertx vertx, Context dataLoop);

  /** True while the RDB file loads at startup or DEBUG RELOAD ({@code -LOADING} for most commands). */
  boolean loading();

  /** True while a snapshot taken earlier is still being encoded from the live values. */
  boolean snapshotInUse();

  /** True when {@code save} rules are configured (a SIGTERM then saves, as in Redis). */
  boolean hasSaveRules();

  /** SAVE: writes the RDB file now; returns null, or the error text. */
  String save();

  /** Runs with the server cron: save rules, completed background saves. */
  void cron();

  /** Keeps nothing on disk. */
  Snapshots NONE = new Snapshots() {
    @Override
    public void start(Vertx vertx, Context dataLoop) {}

    @Override
    public boolean loading() {
      return false;
    }

    @Override
    public boolean snapshotInUse() {
      return false;
    }

    @Override
    public boolean hasSaveRules() {
      return false;
    }

    @Override
    public String save() {
      return "ERR no persistence";
    }

    @Override
    public void cron() {}
  };
}
