package dev.vireo.command;

import static dev.vireo.server.CommandSpec.BLOCKING;
import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.MOVABLEKEYS;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.RespWriter;
import dev.vireo.server.Blocking;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.EncodingLimits;
import dev.vireo.store.Entry;
import dev.vireo.store.StreamGroup;
import dev.vireo.store.StreamId;
import dev.vireo.store.StreamValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Streams: XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value...,
 * XRANGE/XREVRANGE key start end [COUNT n], XLEN, XDEL key id..., XTRIM key MAXLEN|MINID [=|~] threshold
 * [LIMIT count], XSETID key id [ENTRIESADDED n] [MAXDELETEDID id], and XREAD / XREADGROUP, blocking or not.
 * Replicas receive what happened rather than what was asked: XADD with the ID it assigned and an approximate
 * trim made exact; XREADGROUP as an XCLAIM per delivered entry (with NOACK: XGROUP CREATECONSUMER for a new
 * consumer and XGROUP SETID), as Redis 7.0 sends them. Consumer group administration and inspection are in {@link StreamGroupCommands}.
 */
final class StreamCommands {
  private StreamCommands() {}

  /** Entries a blocked XREAD without COUNT receives at most, as in Redis. */
  private static final int BLOCKED_DEFAULT_COUNT = 1000;

  static final byte[] XCLAIM = Rewrites.ascii("XCLAIM");
  static final byte[] XGROUP = Rewrites.ascii("XGROUP");
  static final byte[] SETID = Rewrites.ascii("SETID");
  static final byte[] CREATECONSUMER = Rewrites.ascii("CREATECONSUMER");
  static final byte[] ENTRIESREAD = Rewrites.ascii("ENTRIESREAD");
  static final byte[] ZERO = Rewrites.ascii("0");
  static final byte[] TIME = Rewrites.ascii("TIME");
  static final byte[] RETRYCOUNT = Rewrites.ascii("RETRYCOUNT");
  static final byte[] FORCE = Rewrites.ascii("FORCE");
  static final byte[] JUSTID = Rewrites.ascii("JUSTID");
  static final byte[] LASTID = Rewrites.ascii("LASTID");
  private static final byte[] EQUALS = Rewrites.ascii("=");

  static void register(CommandTable t) {
    t.add("xadd", -5, WRITE | DENYOOM | FAST, 1, 1, 1, "stream", "5.0.0",
        "Appends a new message to a stream. Creates the key if it doesn't exist.", StreamCommands::xadd);
    t.add("xrange", -4, READONLY, 1, 1, 1, "stream", "5.0.0",
        "Returns the messages from a stream within a range of IDs.", (c, a) -> xrange(c, a, false));
    t.add("xrevrange", -4, READONLY, 1, 1, 1, "stream", "5.0.0",
        "Returns the messages from a stream within a range of IDs in reverse order.", (c, a) -> xrange(c, a, true));
    t.add("xlen", 2, READONLY | FAST, 1, 1, 1, "stream", "5.0.0", "Return the number of messages in a stream.",
        StreamCommands::xlen);
    t.add("xdel", -3, WRITE | FAST, 1, 1, 1, "stream", "5.0.0",
        "Returns the number of messages after removing them from a stream.", StreamCommands::xdel);
    t.add("xtrim", -4, WRITE, 1, 1, 1, "stream", "5.0.0", "Deletes messages from the beginning of a stream.",
        StreamCommands::xtrim);
    t.add("xsetid", -3, WRITE | DENYOOM | FAST, 1, 1, 1, "stream", "5.0.0",
        "An internal command for replicating stream values.", StreamCommands::xsetid);
    t.add("xread", -4, READONLY | BLOCKING | MOVABLEKEYS, 0, 0, 0, "stream", "5.0.0",
        "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message "
            + "is available otherwise.", (c, a) -> xread(c, a, false));
    t.add("xreadgroup", -7, WRITE | BLOCKING | MOVABLEKEYS, 0, 0, 0, "stream", "5.0.0",
        "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is "
            + "available otherwise.", (c, a) -> xread(c, a, true));
    StreamGroupCommands.register(t);
  }

  /** The stream at a key for reading, null when missing; WRONGTYPE otherwise. */
  static StreamValue read(Client c, Args a, int i) {
    Entry e = c.db.lookupRead(a.buf(i), a.off(i), a.len(i));
    return e == null ? null : StreamValue.of(e);
  }

  /** The stream at a key for writing, null when missing; WRONGTYPE otherwise. */
  static StreamValue write(Client c, Args a, int i) {
    Entry e = c.db.lookup(a.buf(i), a.off(i), a.len(i));
    return e == null ? null : StreamValue.of(e);
  }

  // ------------------------------------------------------------------------------------------------- XADD/XTRIM

  /** Parsed XADD/XTRIM options. */
  private static final class TrimArgs {
    boolean maxlenGiven;
    boolean minidGiven;
    long maxlen;
    StreamId minid;
    boolean approx;
    long limit;
    /** Index of the threshold argument, for the rewrite sent to replicas. */
    int thresholdAt;
    boolean noMkStream;
    StreamIds.Parsed id;

    boolean trims() {
      return maxlenGiven || minidGiven;
    }
  }

  /**
   * XADD's and XTRIM's options, as Redis reads them (in this order of errors); returns the index of XADD's ID
   * argument (the count of arguments when there is none).
   */
  private static int parseTrim(Client c, Args a, TrimArgs t, boolean xadd) {
    int i = 2;
    boolean limitGiven = false;
    for (; i < a.count(); i++) {
      int more = a.count() - 1 - i;
      if (xadd && a.len(i) == 1 && a.buf(i)[a.off(i)] == '*') {
        break;
      } else if (a.is(i, "maxlen") && more > 0 || a.is(i, "minid") && more > 0) {
        boolean maxlen = a.is(i, "maxlen");
        if (t.trims()) {
          throw new CommandError("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        }
        t.approx = false;
        if (more >= 2 && a.len(i + 1) == 1 && a.buf(i + 1)[a.off(i + 1)] == '~') {
          t.approx = true;
          i++;
        } else if (more >= 2 && a.len(i + 1) == 1 && a.buf(i + 1)[a.off(i + 1)] == '=') {
          i++;
        }
        if (maxlen) {
          t.maxlen = a.longArg(i + 1);
          if (t.maxlen < 0) throw new CommandError("ERR The MAXLEN argument must be >= 0.");
          t.maxlenGiven = true;
        } else {
          t.minid = StreamIds.strict(a, i + 1, 0);
          t.minidGiven = true;
        }
        i++;
        t.thresholdAt = i;
      } else if (a.is(i, "limit") && more > 0) {
        t.limit = a.longArg(i + 1);
        if (t.limit < 0) throw new CommandError("ERR The LIMIT argument must be >= 0.");
        limitGiven = true;
        i++;
      } else if (xadd && a.is(i, "nomkstream")) {
        t.noMkStream = true;
      } else if (xadd) {
        t.id = StreamIds.forAdd(a, i);
        break;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (t.limit != 0 && !t.trims()) {
      throw new CommandError("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    }
    if (!xadd && !t.trims()) throw new CommandError("ERR syntax error, XTRIM must be called with a trimming strategy");
    if (c.master) {
      t.limit = 0; // what a master sends was made exact
    } else if (limitGiven) {
      if (!t.approx) throw new CommandError("ERR syntax error, LIMIT cannot be used without the special ~ option");
    } else {
      t.limit = t.approx ? 100 * c.server().encodingLimits.streamNodeMaxEntries : 0;
    }
    return i;
  }

  private static long trim(StreamValue s, TrimArgs t) {
    return s.trim(t.maxlen, t.minidGiven ? t.minid : null, t.approx, t.limit);
  }

  /**
   * What replicas receive after an approximate trim: {@code =} and the threshold that makes the same trim exact
   * (the stream's length, or the ID of its first entry, deleted or not).
   */
  private static void rewriteApprox(byte[][] argv, StreamValue s, TrimArgs t) {
    argv[t.thresholdAt - 1] = EQUALS;
    argv[t.thresholdAt] = t.maxlenGiven ? Rewrites.num(s.length()) : s.firstEntryIdWithTombstones().bytes();
  }

  static void xadd(Client c, Args a) {
    TrimArgs t = new TrimArgs();
    int idAt = parseTrim(c, a, t, true);
    int fieldsAt = idAt + 1;
    int rest = a.count() - fieldsAt;
    if (rest < 2 || rest % 2 == 1) throw new CommandError("ERR wrong number of arguments for 'xadd' command");
    if (t.id != null && t.id.seqGiven() && t.id.id().isZero()) {
      throw new CommandError("ERR The ID specified in XADD must be greater than 0-0");
    }
    StreamValue s = write(c, a, 1);
    boolean created = false;
    if (s == null) {
      if (t.noMkStream) {
        c.out.nullBulk();
        return;
      }
      s = new StreamValue();
      created = true;
    }
    if (s.lastId().equals(StreamId.MAX)) {
      throw new CommandError("ERR The stream has exhausted the last possible ID, unable to add more items");
    }
    StreamId id;
    if (t.id == null) {
      long now = c.server().keyspace().now();
      StreamId last = s.lastId();
      id = Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
    } else if (!t.id.seqGiven()) {
      StreamId want = t.id.id();
      if (s.lastId().ms() == want.ms()) {
        if (s.lastId().seq() == -1L) throw new CommandError(TOO_SMALL);
        id = s.lastId().next();
      } else {
        id = want;
      }
    } else {
      id = t.id.id();
    }
    if (id.compareTo(s.lastId()) <= 0) throw new CommandError(TOO_SMALL);
    long raw = 0;
    for (int i = fieldsAt; i < a.count(); i++) raw += a.len(i);
    if (raw > (1L << 30)) throw new CommandError("ERR Elements are too large to be stored");
    if (created) c.db.add(a.bytes(1), s);
    EncodingLimits lim = c.server().encodingLimits;
    s.append(id, a, fieldsAt, rest / 2, lim.streamNodeMaxBytes, lim.streamNodeMaxEntries);
    byte[] idText = id.bytes();
    c.out.bulk(idText);
    Notify.arg(c, Notify.STREAM, "xadd", a, 1);
    c.server().addDirty(1);
    c.server().blocking.signalKey(c.db, a.bytes(1));
    byte[][] argv = null;
    boolean propagating = Rewrites.wanted(c);
    if (propagating && (t.id == null || !t.id.seqGiven())) {
      argv = a.toArray();
      argv[idAt] = idText;
    }
    if (t.trims()) {
      if (trim(s, t) > 0) Notify.arg(c, Notify.STREAM, "xtrim", a, 1);
      if (t.approx && propagating) {
        if (argv == null) argv = a.toArray();
        rewriteApprox(argv, s, t);
      }
    }
    if (argv != null) Rewrites.as(c, argv);
  }

  private static final String TOO_SMALL = "ERR The ID specified in XADD is equal or smaller than the target stream "
      + "top item";

  static void xtrim(Client c, Args a) {
    TrimArgs t = new TrimArgs();
    parseTrim(c, a, t, false);
    StreamValue s = write(c, a, 1);
    if (s == null) {
      c.out.integer(0);
      return;
    }
    long deleted = trim(s, t);
    if (deleted > 0) {
      Notify.arg(c, Notify.STREAM, "xtrim", a, 1);
      if (t.approx) {
        byte[][] argv = a.toArray();
        rewriteApprox(argv, s, t);
        Rewrites.as(c, argv);
      }
      c.server().addDirty(deleted);
    }
    c.out.integer(deleted);
  }

  // ------------------------------------------------------------------------------------------------- reading

  static void xrange(Client c, Args a, boolean rev) {
    int startAt = rev ? 3 : 2;
    int endAt = rev ? 2 : 3;
    StreamId start = StreamIds.bound(a, startAt, true);
    StreamId end = StreamIds.bound(a, endAt, false);
    long count = -1;
    for (int j = 4; j < a.count(); j++) {
      if (a.is(j, "count") && j + 1 < a.count()) {
        count = a.longArg(++j);
        if (count < 0) count = 0;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    Entry e = c.db.lookupRead(a.buf(1), a.off(1), a.len(1));
    if (e == null) {
      c.out.array(0);
      return;
    }
    StreamValue s = StreamValue.of(e);
    if (count == 0) {
      c.out.nullArray();
      return;
    }
    StreamIds.range(c.out, s, start, end, count == -1 ? 0 : count, rev);
  }

  static void xlen(Client c, Args a) {
    StreamValue s = read(c, a, 1);
    c.out.integer(s == null ? 0 : s.length());
  }

  static void xdel(Client c, Args a) {
    StreamValue s = write(c, a, 1);
    if (s == null) {
      c.out.integer(0);
      return;
    }
    StreamId[] ids = new StreamId[a.count() - 2];
    for (int j = 2; j < a.count(); j++) ids[j - 2] = StreamIds.strict(a, j, 0);
    int deleted = s.delete(ids);
    if (deleted > 0) Notify.arg(c, Notify.STREAM, "xdel", a, 1);
    c.server().addDirty(deleted);
    c.out.integer(deleted);
  }

  static void xsetid(Client c, Args a) {
    StreamId id = StreamIds.strict(a, 2, 0);
    long entriesAdded = -1;
    StreamId maxDeleted = StreamId.MIN;
    for (int i = 3; i < a.count(); i += 2) {
      boolean more = i + 1 < a.count();
      if (a.is(i, "entriesadded") && more) {
        entriesAdded = a.longArg(i + 1);
        if (entriesAdded < 0) throw new CommandError("ERR entries_added must be positive");
      } else if (a.is(i, "maxdeletedid") && more) {
        maxDeleted = StreamIds.strict(a, i + 1, 0);
        if (id.compareTo(maxDeleted) < 0) {
          throw new CommandError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        }
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    Entry e = c.db.lookup(a.buf(1), a.off(1), a.len(1));
    if (e == null) throw new CommandError(Errors.NO_SUCH_KEY);
    StreamValue s = StreamValue.of(e);
    if (s.length() > 0) {
      if (id.compareTo(s.lastLiveId()) < 0) {
        throw new CommandError("ERR The ID specified in XSETID is smaller than the target stream top item");
      }
      if (entriesAdded != -1 && s.length() > entriesAdded) {
        throw new CommandError("ERR The entries_added specified in XSETID is smaller than the target stream length");
      }
    }
    s.lastId(id);
    if (entriesAdded != -1) s.entriesAdded(entriesAdded);
    if (!maxDeleted.isZero()) s.maxDeletedId(maxDeleted);
    Notify.arg(c, Notify.STREAM, "xsetid", a, 1);
    c.server().addDirty(1);
    c.out.ok();
  }

  // ------------------------------------------------------------------------------------------------- XREAD

  /** What one XREAD[GROUP] call asked for. */
  private static final class ReadArgs {
    long timeout = -1;
    long count;
    boolean noAck;
    byte[] group;
    byte[] consumer;
    int streamsAt;
    int streams;
  }

  /** The ID XREADGROUP's {@code >} stands for. */
  private static final StreamId NEW_ONLY = StreamId.MAX;

  static void xread(Client c, Args a, boolean xreadgroup) {
    ReadArgs r = new ReadArgs();
    for (int i = 1; i < a.count(); i++) {
      int more = a.count() - i - 1;
      if (a.is(i, "block") && more > 0) {
        if (c.script) {
          throw new CommandError("ERR " + a.str(0) + " command is not allowed with BLOCK option from scripts");
        }
        i++;
        long ms = a.longArg(i, "ERR timeout is not an integer or out of range");
        if (ms < 0) throw new CommandError("ERR timeout is negative");
        r.timeout = ms;
      } else if (a.is(i, "count") && more > 0) {
        r.count = Math.max(0, a.longArg(++i));
      } else if (a.is(i, "streams") && more > 0) {
        r.streamsAt = i + 1;
        int n = a.count() - r.streamsAt;
        if (n % 2 != 0) {
          throw new CommandError("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
              + "specified.");
        }
        r.streams = n / 2;
        break;
      } else if (a.is(i, "group") && more >= 2) {
        if (!xreadgroup) {
          throw new CommandError("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        }
        r.group = a.bytes(i + 1);
        r.consumer = a.bytes(i + 2);
        i += 2;
      } else if (a.is(i, "noack")) {
        if (!xreadgroup) {
          throw new CommandError("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        }
        r.noAck = true;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    if (r.streamsAt == 0) throw new CommandError(Errors.SYNTAX);
    if (xreadgroup && r.group == null) throw new CommandError("ERR Missing GROUP option for XREADGROUP");
    StreamId[] ids = new StreamId[r.streams];
    StreamGroup[] groups = r.group == null ? null : new StreamGroup[r.streams];
    for (int k = 0; k < r.streams; k++) {
      int keyAt = r.streamsAt + k;
      int idAt = keyAt + r.streams;
      StreamValue s = read(c, a, keyAt);
      if (r.group != null) {
        StreamGroup g = s == null ? null : s.group(r.group);
        if (g == null) {
          throw new CommandError("NOGROUP No such key '" + a.echo(keyAt) + "' or consumer group '"
              + Args.echo(r.group) + "' in XREADGROUP with GROUP option");
        }
        groups[k] = g;
      }
      if (a.len(idAt) == 1 && a.buf(idAt)[a.off(idAt)] == '$') {
        if (xreadgroup) {
          throw new CommandError("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
              + "history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID "
              + "would just return an empty result set.");
        }
        ids[k] = s == null ? StreamId.MIN : s.lastId();
      } else if (a.len(idAt) == 1 && a.buf(idAt)[a.off(idAt)] == '>') {
        if (!xreadgroup) {
          throw new CommandError("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
              + "<group> <consumer> option.");
        }
        ids[k] = NEW_ONLY;
      } else {
        ids[k] = StreamIds.strict(a, idAt, 0);
      }
    }
    if (xreadgroup) c.server().dispatcher.propagateNothing(); // effects go out as XCLAIM / XGROUP commands
    // serve at once what can be served, in order: a key named twice is served the second time only if the first
    // left it something (its group moved on); the reply's length is known at the end
    RespWriter body = StreamIds.aside(c.out);
    int served = 0;
    for (int k = 0; k < r.streams; k++) {
      int keyAt = r.streamsAt + k;
      StreamValue s = read(c, a, keyAt);
      if (s == null || !servable(s, groups == null ? null : groups[k], ids[k])) continue;
      served++;
      if (body.proto() == 2) body.array(2);
      body.bulk(a.buf(keyAt), a.off(keyAt), a.len(keyAt));
      if (groups == null) {
        StreamIds.range(body, s, ids[k].next(), StreamId.MAX, r.count, false);
      } else {
        serveGroup(c, body, a.bytes(keyAt), s, groups[k], r.consumer, ids[k], r.count, r.noAck);
      }
    }
    if (served > 0) {
      if (c.out.proto() == 2) c.out.array(served);
      else c.out.map(served);
      c.out.raw(body.array(), 0, body.position());
      return;
    }
    if (r.timeout == -1 || !c.canBlock()) {
      c.out.nullArray();
      return;
    }
    List<byte[]> keys = new ArrayList<>(r.streams);
    for (int k = 0; k < r.streams; k++) keys.add(a.bytes(r.streamsAt + k));
    long count = r.count > 0 ? r.count : BLOCKED_DEFAULT_COUNT;
    c.server().blocking.block(c, keys, r.timeout, new Blocking.Waiter() {
      @Override
      public boolean serve(Client c, byte[] key) {
        Entry e = c.db.lookup(key, 0, key.length);
        if (e == null || !(e.value instanceof StreamValue s)) {
          if (r.group == null) return false;
          c.out.error("UNBLOCKED the stream key no longer exists");
          return true;
        }
        int k = 0;
        for (int j = 0; j < keys.size(); j++) {
          if (Arrays.equals(keys.get(j), key)) {
            k = j;
            break;
          }
        }
        StreamId after = ids[k];
        StreamGroup g = null;
        if (r.group != null) {
          g = s.group(r.group);
          if (g == null) {
            c.out.error("NOGROUP the consumer group this client was blocked on no longer exists");
            return true;
          }
          after = g.lastId;
        }
        if (s.lastId().compareTo(after) <= 0) return false;
        if (c.out.proto() == 2) {
          c.out.array(1);
          c.out.array(2);
        } else {
          c.out.map(1);
        }
        c.out.bulk(key);
        if (g == null) StreamIds.range(c.out, s, after.next(), StreamId.MAX, count, false);
        else serveGroup(c, c.out, key, s, g, r.consumer, NEW_ONLY, count, r.noAck);
        return true;
      }

      @Override
      public void timeout(Client c) {
        c.out.nullArray();
      }

      @Override
      public boolean consumes() {
        return false;
      }

      @Override
      public boolean watchesChanges() {
        return r.group != null;
      }
    });
  }

  /** Whether a stream has something for this read now: history for XREADGROUP with an ID, new entries else. */
  private static boolean servable(StreamValue s, StreamGroup g, StreamId id) {
    if (g != null) {
      if (!id.equals(NEW_ONLY)) return true;
      return s.length() > 0 && s.lastLiveId().compareTo(g.lastId) > 0;
    }
    return s.length() > 0 && s.lastLiveId().compareTo(id) > 0;
  }

  /**
   * XREADGROUP's reply for one stream: new entries after the group's last ID (each becoming pending for the
   * consumer unless NOACK), or the consumer's own pending entries from an ID. Replicas receive an XCLAIM per
   * delivered entry, then XGROUP SETID with the group's last ID and read counter.
   */
  private static void serveGroup(Client c, RespWriter out, byte[] key, StreamValue s, StreamGroup g,
      byte[] consumerName, StreamId id, long count, boolean noAck) {
    long now = c.server().keyspace().now();
    StreamGroup.Consumer consumer = g.consumer(consumerName);
    if (consumer == null) {
      consumer = g.addConsumer(consumerName, now);
      Notify.key(c, Notify.STREAM, "xgroup-createconsumer", key);
      c.server().addDirty(1);
      if (noAck) Rewrites.as(c, XGROUP, CREATECONSUMER, key, g.name, consumerName);
    } else {
      consumer.seenTime = now;
    }
    c.server().addDirty(1);
    if (!id.equals(NEW_ONLY)) {
      history(out, s, consumer, id.next() == null ? id : id.next(), count, now);
      return;
    }
    int n = StreamIds.countRange(s, g.lastId.next(), StreamId.MAX, count, false);
    out.array(n);
    StreamValue.Cursor cur = s.range(g.lastId.next(), StreamId.MAX, false);
    boolean moved = false;
    for (int i = 0; i < n && cur.next(); i++) {
      StreamId eid = cur.id();
      if (eid.compareTo(g.lastId) > 0) {
        if (g.entriesRead != StreamGroup.UNKNOWN_READ && !s.rangeHasTombstones(eid)) {
          g.entriesRead++;
        } else if (s.entriesAdded() != 0) {
          g.entriesRead = s.estimateDistance(eid);
        }
        g.lastId = eid;
        moved = true;
      }
      StreamIds.entry(out, cur);
      if (!noAck) {
        StreamGroup.Nack nack = g.deliver(eid, consumer, now);
        claimed(c, key, g, eid, nack);
      }
    }
    // Redis 7.0 sends the group's new last ID only for NOACK reads (otherwise the XCLAIMs' LASTID carries it)
    if (moved && noAck) setId(c, key, g);
  }

  /** The consumer's pending entries from {@code start}: delivered again (an entry since deleted shows as nil). */
  private static void history(RespWriter out, StreamValue s, StreamGroup.Consumer consumer, StreamId start,
      long count, long now) {
    List<Map.Entry<StreamId, StreamGroup.Nack>> items = new ArrayList<>();
    for (var e : consumer.pending.tailMap(start, true).entrySet()) {
      if (count > 0 && items.size() >= count) break;
      items.add(e);
    }
    out.array(items.size());
    for (var e : items) {
      if (StreamIds.single(out, s, e.getKey())) {
        e.getValue().deliveryTime = now;
        e.getValue().deliveryCount++;
      } else {
        out.array(2);
        StreamIds.id(out, e.getKey());
        out.nullArray();
      }
    }
  }

  /** The XCLAIM replicas apply for a delivered or claimed entry: idempotent, with its exact pending state. */
  static void claimed(Client c, byte[] key, StreamGroup g, StreamId id, StreamGroup.Nack nack) {
    Rewrites.as(c, XCLAIM, key, g.name, nack.consumer.name, ZERO, id.bytes(), TIME, Rewrites.num(nack.deliveryTime),
        RETRYCOUNT, Rewrites.num(nack.deliveryCount), FORCE, JUSTID, LASTID, g.lastId.bytes());
  }

  /** The XGROUP SETID replicas apply for a group's last ID and read counter. */
  static void setId(Client c, byte[] key, StreamGroup g) {
    Rewrites.as(c, XGROUP, SETID, key, g.name, g.lastId.bytes(), ENTRIESREAD, Rewrites.num(g.entriesRead));
  }
}
