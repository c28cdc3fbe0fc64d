package dev.vireo.persistence.aof;

import dev.vireo.config.ServerConfig;
import dev.vireo.persistence.Persistence;
import dev.vireo.persistence.RdbLoader;
import dev.vireo.resp.Args;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.Server;
import dev.vireo.store.Keyspace;
import dev.vireo.util.Delays;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the append-only file into the keyspace, as Redis 7.0 does at startup with {@code appendonly yes} (where the
 * AOF takes precedence over the RDB file) and on {@code DEBUG LOADAOF}: the manifest in {@code dir/appenddirname},
 * then its base file and each incremental file in order (history files are not loaded). A file that starts with
 * {@code REDIS} is an RDB (the base with {@code aof-use-rdb-preamble}), loaded by the RDB loader, and commands may
 * follow it. Commands run as Redis's AOF client runs them: a client with no connection, applied as a master's
 * commands are (never propagated, every key live until the load ends), MULTI/EXEC blocks applied as units, a fresh
 * client (database 0) for each file. A single-file AOF left by Redis before 7.0 ({@code dir/appendfilename}) is
 * moved into the directory as the base of a new manifest first, as Redis 7.0 does.
 *
 * <p>At startup the files are read on a worker thread and the commands handed to the data loop in batches, so
 * clients get {@code -LOADING} meanwhile. A file that ends inside a command is truncated: the last file is cut back
 * to its last complete command under {@code aof-load-truncated yes}, anything else stops the node, as does a file
 * that is not commands (with its name and the offset).
 */
public final class AofLoader {
  private static final int BATCH = 1024;
  private static final int IN_FLIGHT = 2;

  /** What a load found: whether there was an AOF on disk at all, and whether its last file was cut back. */
  public record Result(boolean existed, boolean truncated) {}

  /** A load that must stop the node (or fail DEBUG LOADAOF): the message names the file and, where known, where. */
  public static final class AofLoadException extends Exception {
    public AofLoadException(String message) {
      super(message, null, false, false);
    }
  }

  /** How one file's commands ended: at its end, or cut at {@code validUpTo} (-1: a clean end). */
  private record Tail(long validUpTo, boolean revertedMulti) {}

  private final Server server;
  private final Persistence persistence;

  public AofLoader(Server server, Persistence persistence) {
    this.server = server;
    this.persistence = persistence;
  }

  /** The AOF directory: {@code dir/appenddirname}. */
  public static Path directory(ServerConfig config) {
    return Path.of(config.get("dir")).resolve(config.get("appenddirname"));
  }

  /**
   * Whether an AOF is on disk: its manifest exists. Without one, Redis 7.0 with {@code appendonly yes} starts
   * with an empty dataset even when the RDB file exists, and creates a base and an incremental file.
   */
  public static boolean onDisk(ServerConfig config) {
    return Files.exists(directory(config).resolve(AofManifest.manifestName(config.get("appendfilename"))))
        || Files.isRegularFile(oldStyleFile(config));
  }

  /** Where Redis before 7.0 kept its one AOF file: {@code dir/appendfilename}. */
  private static Path oldStyleFile(ServerConfig config) {
    return Path.of(config.get("dir")).resolve(config.get("appendfilename"));
  }

  /**
   * The manifest on disk, or null when there is no AOF. A single-file AOF of Redis before 7.0 is taken over first,
   * as Redis 7.0 does: when the AOF directory or its manifest is missing (or the manifest names only that file as
   * its base, not yet moved), a manifest naming it as the base is written, then the file is moved into the
   * directory. Either step may be cut by a crash: the next start finds the same situation and does it again.
   */
  private AofManifest manifestOrUpgrade() throws IOException, AofManifest.ManifestException, AofLoadException {
    ServerConfig config = server.config;
    Path dir = directory(config);
    String name = config.get("appendfilename");
    AofManifest m = Files.isDirectory(dir) ? AofManifest.load(dir, name) : null;
    Path old = oldStyleFile(config);
    if (!Files.isRegularFile(old)) return m;
    boolean upgrade = m == null || (m.base != null && m.incr.isEmpty() && m.base.name().equals(name)
        && !Files.exists(dir.resolve(name)));
    if (!upgrade) return m;
    if (Files.exists(dir.resolve(name))) {
      throw new AofLoadException("Can't migrate the old-style AOF file " + name + ": " + dir.resolve(name)
          + " already exists");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new AofLoadException("Can't open or create append-only dir " + config.get("appenddirname") + ": "
          + e.getMessage());
    }
    if (m == null) m = new AofManifest();
    m.base = new AofManifest.AofFile(name, 1, 'b');
    m.baseSeq = 1;
    m.persist(dir, name);
    try {
      Files.move(old, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AofLoadException("Error trying to move the old AOF file " + name + " into dir "
          + config.get("appenddirname") + ": " + e.getMessage());
    }
    AofManifest.syncDirectory(dir);
    AofManifest.syncDirectory(old.toAbsolutePath().getParent());
    server.log.info("Successfully migrated an old-style AOF file (" + name + ") into the AOF directory ("
        + config.get("appenddirname") + ").");
    return m;
  }

  /**
   * Called before the port opens, instead of {@link Persistence#expectLoad}: a node that is going to load its
   * AOF answers {@code -LOADING} from its first client on.
   */
  public void expectLoad() {
    persistence.loading(onDisk(server.config));
  }

  // ---------------------------------------------------------------- startup

  /**
   * Loads the AOF without blocking the data loop (call it there). Completes with what was found; fails, leaving
   * the dataset empty, on a corrupt file, a truncated one that may not be cut, or an unreadable manifest.
   */
  public Future<Result> loadAtStartup(Vertx vertx, Context dataLoop) {
    ServerConfig config = server.config;
    Path dir = directory(config);
    AofManifest manifest;
    try {
      manifest = manifestOrUpgrade();
    } catch (IOException | AofManifest.ManifestException | AofLoadException e) {
      return failed(e.getMessage());
    }
    if (manifest == null) {
      persistence.loading(false);
      server.log.info("No append only file in " + dir + ": starting with an empty dataset");
      return Future.succeededFuture(new Result(false, false));
    }
    persistence.loading(true);
    List<AofManifest.AofFile> files = files(manifest);
    long start = System.currentTimeMillis();
    boolean cutTail = config.getBool("aof-load-truncated");
    int keyDelay = config.getInt("key-load-delay");
    Future<Boolean> chain = vertx.executeBlocking(() -> {
      checkFiles(dir, files);
      return false;
    }, false);
    for (int i = 0; i < files.size(); i++) {
      AofManifest.AofFile f = files.get(i);
      boolean last = i == files.size() - 1;
      chain = chain.compose(truncated -> loadFile(vertx, dataLoop, dir.resolve(f.name()), f, last, cutTail, keyDelay)
          .map(t -> truncated || t));
    }
    return chain.transform(ar -> {
      persistence.loading(false);
      if (ar.failed()) {
        server.keyspace().flushAll();
        return failed(ar.cause().getMessage());
      }
      server.log.info("DB loaded from append only file: " + seconds(start) + " seconds");
      return Future.succeededFuture(new Result(true, ar.result()));
    });
  }

  private Future<Result> failed(String message) {
    persistence.loading(false);
    server.log.warn(message);
    return Future.failedFuture(new AofLoadException(message));
  }

  /** One file: its RDB part, if it starts with one, then its commands. Completes with whether it was cut. */
  private Future<Boolean> loadFile(Vertx vertx, Context dataLoop, Path path, AofManifest.AofFile f, boolean last,
      boolean cutTail, int keyDelay) {
    long start = System.currentTimeMillis();
    return vertx.executeBlocking(() -> new long[] {Files.size(path), startsWithRdb(path) ? 1 : 0}, false)
        .compose(head -> {
          long size = head[0];
          if (size == 0) return Future.succeededFuture(0L);
          if (head[1] == 0) return Future.succeededFuture(0L);
          server.log.info(f.type() == 'b' && f.name().endsWith(".rdb") ? "Reading RDB base file on AOF loading..."
              : "Reading RDB preamble from AOF file...");
          return RdbLoader.load(server, server.keyspace(), vertx, dataLoop, () -> Files.newInputStream(path), false,
                  () -> true)
              .transform(ar -> {
                if (ar.failed()) return Future.failedFuture(rdbError(f, ar.cause()));
                rdbLoaded(ar.result());
                return Future.succeededFuture(ar.result().bytes());
              });
        })
        .compose(from -> {
          Applier applier = new Applier(f.name());
          AtomicReference<String> fatal = new AtomicReference<>();
          return vertx.<Tail>executeBlocking(() -> {
            long size = Files.size(path);
            if (from >= size) return new Tail(-1, false);
            if (from > 0) server.log.info("Reading the remaining AOF tail...");
            Semaphore slots = new Semaphore(IN_FLIGHT);
            try (InputStream in = Files.newInputStream(path)) {
              in.skipNBytes(from);
              return readCommands(path, f.name(), new AofReader(in, from, size), keyDelay, batch -> {
                acquire(slots, 1, fatal);
                dataLoop.runOnContext(v -> {
                  try {
                    if (fatal.get() == null) applier.applyAll(batch);
                  } catch (AofLoadException e) {
                    fatal.compareAndSet(null, e.getMessage());
                  } catch (RuntimeException e) {
                    fatal.compareAndSet(null, "Error applying the append only file " + f.name() + ": " + e);
                  } finally {
                    slots.release();
                  }
                });
              }, () -> acquire(slots, IN_FLIGHT, fatal));
            }
          }, false).compose(tail -> {
            applier.discardOpenTransaction();
            if (fatal.get() != null) return Future.failedFuture(new AofLoadException(fatal.get()));
            return vertx.executeBlocking(() -> endOfFile(path, f, last, tail, cutTail, start), false);
          });
        });
  }

  // ---------------------------------------------------------------- DEBUG LOADAOF

  /**
   * DEBUG LOADAOF, on the data loop: empties the dataset and loads the AOF on disk again, in one step. Redis loads
   * whatever AOF is on disk, enabled or not; without one it exits, where this answers an error and keeps the
   * dataset. Returns null, or the error to reply.
   */
  public String loadNow() {
    ServerConfig config = server.config;
    Path dir = directory(config);
    AofManifest manifest;
    try {
      manifest = manifestOrUpgrade();
    } catch (IOException | AofManifest.ManifestException | AofLoadException e) {
      server.log.warn(e.getMessage());
      return "ERR " + e.getMessage();
    }
    if (manifest == null) return "ERR There is no append only file to load in " + dir;
    server.keyspace().flushAll();
    List<AofManifest.AofFile> files = files(manifest);
    boolean cutTail = config.getBool("aof-load-truncated");
    try {
      checkFiles(dir, files);
      for (int i = 0; i < files.size(); i++) {
        AofManifest.AofFile f = files.get(i);
        Path path = dir.resolve(f.name());
        long start = System.currentTimeMillis();
        long size = Files.size(path);
        long from = 0;
        if (size > 0 && startsWithRdb(path)) {
          try {
            RdbLoader.Result r = RdbLoader.loadNow(server, path, false);
            rdbLoaded(r);
            from = r.bytes();
          } catch (IOException | RuntimeException e) {
            throw rdbError(f, e);
          }
        }
        Tail tail = new Tail(-1, false);
        if (from < size) {
          Applier applier = new Applier(f.name());
          try (InputStream in = Files.newInputStream(path)) {
            in.skipNBytes(from);
            tail = readCommands(path, f.name(), new AofReader(in, from, size), 0, applier::applyAll, () -> {});
          } finally {
            applier.discardOpenTransaction();
          }
        }
        endOfFile(path, f, i == files.size() - 1, tail, cutTail, start);
      }
    } catch (AofLoadException | IOException e) {
      server.keyspace().flushAll();
      server.log.warn(e.getMessage());
      return "ERR " + e.getMessage();
    }
    server.addDirty(-server.dirty()); // the reload is no change to save or rewrite, as in Redis
    server.log.warn("Append Only File loaded by DEBUG LOADAOF");
    return null;
  }

  // ---------------------------------------------------------------- the parts

  /** The files to load, in order: the base, then the incremental files; history files are not loaded. */
  private static List<AofManifest.AofFile> files(AofManifest m) {
    List<AofManifest.AofFile> files = new ArrayList<>();
    if (m.base != null) files.add(m.base);
    files.addAll(m.incr);
    return files;
  }

  /** Every file the manifest names must be there, as Redis checks before loading any. */
  private static void checkFiles(Path dir, List<AofManifest.AofFile> files) throws AofLoadException {
    for (AofManifest.AofFile f : files) {
      Path p = dir.resolve(f.name());
      if (!Files.isRegularFile(p)) {
        throw new AofLoadException("Unable to obtain the AOF file " + f.name()
            + " length. stat: No such file or directory");
      }
    }
  }

  private static boolean startsWithRdb(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] head = in.readNBytes(5);
      return head.length == 5 && new String(head, StandardCharsets.US_ASCII).equals("REDIS");
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static AofLoadException rdbError(AofManifest.AofFile f, Throwable cause) {
    boolean rdbFile = f.name().endsWith(".rdb");
    return new AofLoadException((rdbFile ? "Error reading the RDB base file " + f.name()
        : "Error reading the RDB preamble of the AOF file " + f.name()) + ", AOF loading aborted: "
        + cause.getMessage());
  }

  private void rdbLoaded(RdbLoader.Result r) {
    server.scriptInfo().replaceLibraries(r.functions());
    persistence.noteLoad(r.loaded(), r.expired());
    server.log.info("Done loading RDB, keys loaded: " + r.loaded() + ", keys expired: " + r.expired() + ".");
  }

  /** Receives the commands of a file, batch by batch. */
  private interface Batches {
    void accept(List<byte[][]> batch) throws AofLoadException;
  }

  /** Waits for every batch handed over to be applied. */
  private interface Drain {
    void await() throws AofLoadException;
  }

  /**
   * Reads a file's commands to its end, in batches, keeping where the last complete command ended (before the
   * MULTI of a transaction still open): that is where a truncated file is cut back.
   */
  private static Tail readCommands(Path path, String name, AofReader reader, int keyDelay, Batches sink,
      Drain drain) throws IOException, AofLoadException {
    long validUpTo = reader.offset();
    long validBeforeMulti = -1;
    boolean inMulti = false;
    List<byte[][]> batch = new ArrayList<>();
    Tail tail = null;
    try {
      while (true) {
        byte[][] argv = reader.next();
        if (argv == null) break;
        String cmd = new String(argv[0], StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        if (cmd.equals("multi")) {
          validBeforeMulti = validUpTo;
          inMulti = true;
        } else if (cmd.equals("exec")) {
          inMulti = false;
        }
        validUpTo = reader.offset();
        Delays.perKey(keyDelay);
        batch.add(argv);
        if (batch.size() >= BATCH) {
          sink.accept(batch);
          batch = new ArrayList<>();
        }
      }
      if (inMulti) tail = new Tail(validBeforeMulti, true);
    } catch (AofReader.Truncated e) {
      tail = new Tail(inMulti ? validBeforeMulti : validUpTo, false);
    } catch (AofReader.BadFormat e) {
      if (!batch.isEmpty()) sink.accept(batch);
      drain.await();
      throw new AofLoadException("Bad file format reading the append only file " + name + " at offset " + e.offset
          + " (" + path + "): make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }
    if (!batch.isEmpty()) sink.accept(batch);
    drain.await();
    return tail == null ? new Tail(-1, false) : tail;
  }

  /**
   * After a file's commands: a clean end is loaded; a cut one (or one ending inside MULTI) is cut back when it is
   * the last file and {@code aof-load-truncated} allows it, and stops the load otherwise.
   */
  private boolean endOfFile(Path path, AofManifest.AofFile f, boolean last, Tail tail, boolean cutTail, long start)
      throws AofLoadException, IOException {
    String kind = f.type() == 'b' ? "base" : "incr";
    if (tail.validUpTo() < 0) {
      server.log.info("DB loaded from " + kind + " file " + f.name() + ": " + seconds(start) + " seconds");
      return false;
    }
    if (tail.revertedMulti()) server.log.warn("Revert incomplete MULTI/EXEC transaction in AOF file " + f.name());
    if (!last) {
      throw new AofLoadException("Fatal error: the truncated file is not the last file: " + f.name()
          + " ends inside a command after offset " + tail.validUpTo() + " (" + path + ")");
    }
    if (!cutTail) {
      throw new AofLoadException("Unexpected end of file reading the append only file " + f.name() + " after offset "
          + tail.validUpTo() + ". You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix "
          + "<filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes "
          + "and restart the server.");
    }
    server.log.warn("!!! Warning: short read while loading the AOF file " + f.name() + "!!!");
    server.log.warn("!!! Truncating the AOF " + f.name() + " at offset " + tail.validUpTo() + " !!!");
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.truncate(tail.validUpTo());
      ch.force(true);
    } catch (IOException e) {
      throw new AofLoadException("Error truncating the AOF file " + f.name() + ": " + e.getMessage());
    }
    server.log.warn("AOF " + f.name() + " loaded anyway because aof-load-truncated is enabled");
    server.log.info("DB loaded from " + kind + " file " + f.name() + ": " + seconds(start) + " seconds");
    return true;
  }

  private static void acquire(Semaphore slots, int n, AtomicReference<String> fatal) throws AofLoadException {
    try {
      if (!slots.tryAcquire(n, 60, TimeUnit.SECONDS)) {
        throw new AofLoadException("Error loading the append only file: the data loop did not take the commands");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AofLoadException("Interrupted while loading the append only file");
    }
    if (fatal.get() != null) throw new AofLoadException(fatal.get());
  }

  private static String seconds(long startMillis) {
    return String.format(Locale.ROOT, "%.3f", (System.currentTimeMillis() - startMillis) / 1000.0);
  }

  /** Applies one file's commands on the data loop, as Redis's AOF client. */
  private final class Applier {
    private final String file;
    private final Client client = server.clients.newAofClient();

    Applier(String file) {
      this.file = file;
    }

    void applyAll(List<byte[][]> batch) throws AofLoadException {
      for (byte[][] argv : batch) apply(argv);
    }

    private void apply(byte[][] argv) throws AofLoadException {
      Args a = Args.of(argv);
      CommandSpec cmd = server.dispatcher.table().lookup(a);
      if (cmd != null && cmd.isContainer() && a.count() >= 2) cmd = cmd.subcommands().get(a.lower(1));
      if (cmd == null) {
        throw new AofLoadException("Unknown command '" + a.str(0) + "' reading the append only file " + file);
      }
      Keyspace ks = server.keyspace();
      ks.tick();
      ks.executingMasterCommand(true);
      // what the file replays is not recorded again: not in the AOF (DEBUG LOADAOF runs with the writer on), not
      // for replicas
      server.dispatcher.propagationSuppressed(true);
      try {
        if (client.multi != null && !cmd.name.equals("exec")) {
          server.transactions.queue(client, cmd, a.toArray());
        } else {
          server.dispatcher.callFromScript(client, a, cmd);
        }
      } finally {
        server.dispatcher.propagationSuppressed(false);
        ks.executingMasterCommand(false);
        client.out.truncate(0);
      }
    }

    /** A transaction the file left open is dropped: its commands never ran. */
    void discardOpenTransaction() {
      client.multi = null;
    }
  }
}
