package dev.vireo.scripting;

import io.vertx.core.Context;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that owns the Lua states and runs every script. The data loop hands it a {@link Task} together
 * with the keyspace and waits (a brief spin, then parked) up to busy-reply-threshold. A task that ends in time
 * is finished by the waiting data loop; one that outlives the threshold is detached: the data loop goes on in busy
 * mode and the task, when it ends, posts its completion to the data loop's context.
 *
 * <p>Each side unparks the other only when it said it parks (a volatile flag set before a last look at the
 * state it waits for, so no wake-up is lost); while they yield, no system call is made for the handover.
 *
 * <p>Happens-before: the data loop writes the task's inputs, then publishes it through the volatile {@code next}
 * (and unparks); the script thread reads {@code next} before touching anything. The script thread writes the
 * outputs, then moves {@code state} from RUNNING to DONE; the data loop reads DONE (or, for a detached task,
 * runs the posted completion on its context, a queue handoff) before reading outputs or the keyspace.
 */
final class ScriptThread {
  /** Task states; any value >= 0 is RUNNING: the index of the part that runs. */
  static final int DONE = -1;
  static final int DETACHED = -2;

  /**
   * One unit of work on the script thread, in one or more parts (a batch of scripts) run one after another in a
   * single handover. busy-reply-threshold counts from the start of the part that runs, not of the task.
   */
  abstract static class Task {
    /** The part running (from 0), DONE, or DETACHED. */
    final AtomicInteger state = new AtomicInteger(0);
    /** When the running part started: written before the state names it (a late reading only waits longer). */
    volatile long partStart;
    /** The part that was running when the data loop detached (data loop only). */
    int detachedPart = -1;
    volatile Thread waiter;
    /** The waiting data loop is (about to be) parked: the end must unpark it. */
    volatile boolean waiterParked;
    Context dataLoop;
    /** Runs on the data loop after a detached task ended. */
    Runnable onDetachedEnd;

    /** The work itself, on the script thread. */
    abstract void run();

    /** How many parts the task has; each is one script, atomic on its own. */
    int parts() {
      return 1;
    }

    /** Part {@code i}, on the script thread. */
    void run(int part) {
      run();
    }
  }

  /** While either side waits for the other: it spins this long, then yields the core, then parks. */
  private static final long SPIN_NANOS = Long.getLong("vireo.script.spin-nanos", 0);
  private static final long YIELD_NANOS = Long.getLong("vireo.script.yield-nanos", 200_000);

  private final Thread thread;
  private volatile Task next;
  /** The script thread is (about to be) parked: a handover must unpark it. */
  private volatile boolean workerParked;

  ScriptThread() {
    thread = new Thread(this::loop, "vireo-script");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands {@code t} to the script thread and waits up to {@code timeoutMillis} (0: detached at once unless it ends during the spin) for it;
   * returns true when it ended, false when it was detached (then {@code onDetachedEnd} runs on {@code dataLoop}).
   * Without {@code onDetachedEnd} it waits for the end however long it takes. The threshold applies to each part
   * of the task; a detached task ends after the part that was running ({@code detachedPart}): the parts after it
   * do not run and are the caller's to hand over again.
   */
  boolean runAndWait(Task t, long timeoutMillis, Context dataLoop, Runnable onDetachedEnd) {
    t.waiter = Thread.currentThread();
    t.dataLoop = dataLoop;
    t.onDetachedEnd = onDetachedEnd;
    t.partStart = System.nanoTime();
    next = t;
    if (workerParked) LockSupport.unpark(thread); // a yielding script thread sees next by itself

    // most scripts end within microseconds: wait by yielding the core (no wake-up latency, no burnt core when
    // other threads need it), then parked
    long start = System.nanoTime();
    long timeout = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (int i = 0; t.state.get() != DONE; i++) {
      if ((i & 15) == 0) {
        long waited = System.nanoTime() - start;
        if (waited > YIELD_NANOS) break;
        if (waited > SPIN_NANOS) Thread.yield();
      }
      Thread.onSpinWait();
    }
    int part;
    while ((part = t.state.get()) >= 0) {
      if (onDetachedEnd == null) {
        t.waiterParked = true;
        if (t.state.get() >= 0) LockSupport.park(this);
        t.waiterParked = false;
        continue;
      }
      long left = t.partStart + timeout - System.nanoTime();
      if (left <= 0) {
        // the script thread moves to the next part by a compare-and-set too: the part detached is the one running
        if (t.state.compareAndSet(part, DETACHED)) {
          t.detachedPart = part;
          return false;
        }
        continue;
      }
      t.waiterParked = true;
      if (t.state.get() >= 0) LockSupport.parkNanos(this, left);
      t.waiterParked = false;
    }
    return true;
  }

  /** Runs {@code last} (the Lua states' release), then ends the thread; waits for it when no script runs. */
  void stop(Task last) {
    lastTask = last;
    runAndWait(last, 0, null, null);
  }

  /** The task after which the thread ends (written before it is handed over). */
  private volatile Task lastTask;

  private void loop() {
    while (true) {
      Task t = next;
      if (t == null) {
        long start = System.nanoTime();
        for (int i = 0; (t = next) == null; i++) {
          if ((i & 15) == 0) {
            long waited = System.nanoTime() - start;
            if (waited > YIELD_NANOS) break;
            if (waited > SPIN_NANOS) Thread.yield();
          }
          Thread.onSpinWait();
        }
        if (t == null) {
          // parked only after saying so, then looking once more: a handover in between is not lost
          workerParked = true;
          if (next == null) LockSupport.park(this);
          workerParked = false;
          continue;
        }
      }
      next = null;
      finish(t);
      if (t == lastTask) return;
    }
  }

  /** Runs the task and hands the keyspace back: to the waiting data loop, or to its context when detached. */
  private static void finish(Task t) {
    int n = t.parts();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        t.partStart = System.nanoTime();
        if (!t.state.compareAndSet(i - 1, i)) { // detached during part i - 1: the rest is handed back
          t.dataLoop.runOnContext(v -> t.onDetachedEnd.run());
          return;
        }
      }
      try {
        t.run(i);
      } catch (Throwable e) {
        // the task records its own failures; this keeps the thread alive whatever happens
      }
    }
    if (!t.state.compareAndSet(n - 1, DONE)) {
      t.dataLoop.runOnContext(v -> t.onDetachedEnd.run());
    } else if (t.waiterParked) {
      LockSupport.unpark(t.waiter); // a yielding data loop sees DONE by itself
    }
  }
}
