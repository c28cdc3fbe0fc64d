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
  static final int RUNNING = 0;
  static final int DONE = 1;
  static final int DETACHED = 2;

  /** One unit of work on the script thread. */
  abstract static class Task {
    final AtomicInteger state = new AtomicInteger(RUNNING);
    volatile Thread waiter;
    /** The waiting data loop is (about to be) parked: the end must unpark it. */
    volatile boolean waiterParked;
    Context dataLoop;
    /** Runs on the data loop after a detached task ended. */
    Runnable onDetachedEnd;

    /** The work itself, on the script thread. */
    abstract void run();
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
   * Without {@code onDetachedEnd} it waits for the end however long it takes.
   */
  boolean runAndWait(Task t, long timeoutMillis, Context dataLoop, Runnable onDetachedEnd) {
    t.waiter = Thread.currentThread();
    t.dataLoop = dataLoop;
    t.onDetachedEnd = onDetachedEnd;
    next = t;
    if (workerParked) LockSupport.unpark(thread); // a yielding script thread sees next by itself

    // most scripts end within microseconds: wait by yielding the core (no wake-up latency, no burnt core when
    // other threads need it), then parked
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (int i = 0; t.state.get() != DONE; i++) {
      if ((i & 15) == 0) {
        long waited = System.nanoTime() - start;
        if (waited > YIELD_NANOS) break;
        if (waited > SPIN_NANOS) Thread.yield();
      }
      Thread.onSpinWait();
    }
    while (t.state.get() == RUNNING) {
      if (onDetachedEnd == null) {
        t.waiterParked = true;
        if (t.state.get() == RUNNING) LockSupport.park(this);
        t.waiterParked = false;
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        if (t.state.compareAndSet(RUNNING, DETACHED)) return false;
        break;
      }
      t.waiterParked = true;
      if (t.state.get() == RUNNING) LockSupport.parkNanos(this, left);
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
    try {
      t.run();
    } catch (Throwable e) {
      // the task records its own failures; this keeps the thread alive whatever happens
    }
    if (!t.state.compareAndSet(RUNNING, DONE)) {
      t.dataLoop.runOnContext(v -> t.onDetachedEnd.run());
    } else if (t.waiterParked) {
      LockSupport.unpark(t.waiter); // a yielding data loop sees DONE by itself
    }
  }
}
