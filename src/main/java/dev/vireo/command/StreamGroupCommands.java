package dev.vireo.command;

import static dev.vireo.server.CommandSpec.DENYOOM;
import static dev.vireo.server.CommandSpec.FAST;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.READONLY;
import static dev.vireo.server.CommandSpec.STALE;
import static dev.vireo.server.CommandSpec.WRITE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.resp.Errors;
import dev.vireo.resp.RespWriter;
import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.store.Entry;
import dev.vireo.store.StreamGroup;
import dev.vireo.store.StreamId;
import dev.vireo.store.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Consumer groups: XGROUP CREATE|SETID|DESTROY|CREATECONSUMER|DELCONSUMER, XACK, XPENDING, XCLAIM, XAUTOCLAIM,
 * and XINFO STREAM|GROUPS|CONSUMERS. Claims reach replicas as the same idempotent XCLAIM ... FORCE JUSTID form
 * that XREADGROUP's deliveries use ({@link StreamCommands#claimed}), so a replica's pending lists equal the
 * master's.
 */
final class StreamGroupCommands {
  private StreamGroupCommands() {}

  static void register(CommandTable t) {
    t.add("xgroup", -2, 0, 0, 0, 0, "stream", "5.0.0", "A container for consumer groups commands.", null)
        .sub("create", -5, WRITE | DENYOOM, 2, 2, 1, "5.0.0", "Creates a consumer group.",
            StreamGroupCommands::create)
        .sub("setid", -5, WRITE, 2, 2, 1, "5.0.0", "Sets the last-delivered ID of a consumer group.",
            StreamGroupCommands::setid)
        .sub("destroy", 4, WRITE, 2, 2, 1, "5.0.0", "Destroys a consumer group.", StreamGroupCommands::destroy)
        .sub("createconsumer", 5, WRITE | DENYOOM, 2, 2, 1, "6.2.0", "Creates a consumer in a consumer group.",
            StreamGroupCommands::createConsumer)
        .sub("delconsumer", 5, WRITE, 2, 2, 1, "5.0.0", "Deletes a consumer from a consumer group.",
            StreamGroupCommands::delConsumer)
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "XGROUP", XGROUP_HELP));
    t.add("xack", -4, WRITE | FAST, 1, 1, 1, "stream", "5.0.0",
        "Returns the number of messages that were successfully acknowledged by the consumer group member of a "
            + "stream.", StreamGroupCommands::xack);
    t.add("xpending", -3, READONLY, 1, 1, 1, "stream", "5.0.0",
        "Returns the information and entries from a stream consumer group's pending entries list.",
        StreamGroupCommands::xpending);
    t.add("xclaim", -6, WRITE | FAST, 1, 1, 1, "stream", "5.0.0",
        "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a "
            + "consumer group member.", StreamGroupCommands::xclaim);
    t.add("xautoclaim", -6, WRITE | FAST, 1, 1, 1, "stream", "6.2.0",
        "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to "
            + "as consumer group member.", StreamGroupCommands::xautoclaim);
    t.add("xinfo", -2, 0, 0, 0, 0, "stream", "5.0.0", "A container for stream introspection commands.", null)
        .sub("stream", -3, READONLY, 2, 2, 1, "5.0.0", "Returns information about a stream.",
            StreamGroupCommands::infoStream)
        .sub("groups", 3, READONLY, 2, 2, 1, "5.0.0", "Returns a list of the consumer groups of a stream.",
            StreamGroupCommands::infoGroups)
        .sub("consumers", 4, READONLY, 2, 2, 1, "5.0.0", "Returns a list of the consumers in a consumer group.",
            StreamGroupCommands::infoConsumers)
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "5.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "XINFO", XINFO_HELP));
  }

  private static final List<String> XGROUP_HELP = List.of(
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.");

  private static final List<String> XINFO_HELP = List.of(
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.");

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static CommandError subcommandSyntax(Args a) {
    return new CommandError("ERR unknown subcommand or wrong number of arguments for '" + a.echo(1) + "'. Try "
        + a.str(0).toUpperCase(Locale.ROOT) + " HELP.");
  }

  private static long now(Client c) {
    return c.server().keyspace().now();
  }

  // ------------------------------------------------------------------------------------------------- XGROUP

  /** The checks every XGROUP subcommand makes first: the key's type, that it exists, and (some) the group. */
  private static StreamValue groupKey(Client c, Args a, boolean mkstream, boolean needGroup) {
    Entry e = c.db.lookup(a.buf(2), a.off(2), a.len(2));
    StreamValue s = e == null ? null : StreamValue.of(e);
    if (s == null && !mkstream) {
      throw new CommandError("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
          + "want to use the MKSTREAM option to create an empty stream automatically.");
    }
    if (needGroup && (s == null || s.group(a.bytes(3)) == null)) {
      throw new CommandError("NOGROUP No such consumer group '" + a.echo(3) + "' for key name '" + a.echo(2) + "'");
    }
    return s;
  }

  static void create(Client c, Args a) {
    boolean mkstream = false;
    long entriesRead = StreamGroup.UNKNOWN_READ;
    for (int i = 5; i < a.count(); ) {
      if (a.is(i, "mkstream")) {
        mkstream = true;
        i++;
      } else if (a.is(i, "entriesread") && i + 1 < a.count()) {
        entriesRead = a.longArg(i + 1);
        if (entriesRead < 0 && entriesRead != StreamGroup.UNKNOWN_READ) {
          throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
        }
        i += 2;
      } else {
        throw subcommandSyntax(a);
      }
    }
    StreamValue s = groupKey(c, a, mkstream, false);
    if (a.count() > 8) throw subcommandSyntax(a);
    StreamId id;
    if (a.len(4) == 1 && a.buf(4)[a.off(4)] == '$') {
      id = s == null ? StreamId.MIN : s.lastId();
    } else {
      id = StreamIds.strict(a, 4, 0);
    }
    if (s == null) {
      s = new StreamValue();
      c.db.add(a.bytes(2), s);
    }
    if (s.createGroup(a.bytes(3), id, entriesRead) == null) {
      throw new CommandError("BUSYGROUP Consumer Group name already exists");
    }
    Notify.arg(c, Notify.STREAM, "xgroup-create", a, 2);
    c.server().addDirty(1);
    c.out.ok();
  }

  static void setid(Client c, Args a) {
    // Redis reads ENTRIESREAD before it looks at the key, the group or the ID
    long entriesRead = StreamGroup.UNKNOWN_READ;
    for (int i = 5; i < a.count(); i += 2) {
      if (!a.is(i, "entriesread") || i + 1 >= a.count()) throw subcommandSyntax(a);
      entriesRead = a.longArg(i + 1);
      if (entriesRead < 0 && entriesRead != StreamGroup.UNKNOWN_READ) {
        throw new CommandError("ERR value for ENTRIESREAD must be positive or -1");
      }
    }
    StreamValue s = groupKey(c, a, false, true);
    if (a.count() != 5 && a.count() != 7) throw subcommandSyntax(a);
    StreamGroup g = s.group(a.bytes(3));
    StreamId id;
    if (a.len(4) == 1 && a.buf(4)[a.off(4)] == '$') id = s.lastId();
    else id = StreamIds.loose(a, 4, 0);
    g.lastId = id;
    g.entriesRead = entriesRead;
    Notify.arg(c, Notify.STREAM, "xgroup-setid", a, 2);
    c.server().addDirty(1);
    c.out.ok();
  }

  static void destroy(Client c, Args a) {
    StreamValue s = groupKey(c, a, false, false);
    if (s.destroyGroup(a.bytes(3))) {
      Notify.arg(c, Notify.STREAM, "xgroup-destroy", a, 2);
      c.server().addDirty(1);
      c.server().blocking.signalKey(c.db, a.bytes(2)); // blocked XREADGROUPs get their NOGROUP error
      c.out.integer(1);
    } else {
      c.out.integer(0);
    }
  }

  static void createConsumer(Client c, Args a) {
    StreamValue s = groupKey(c, a, false, true);
    StreamGroup g = s.group(a.bytes(3));
    if (g.consumer(a.bytes(4)) != null) {
      c.out.integer(0);
      return;
    }
    g.addConsumer(a.bytes(4), now(c));
    Notify.arg(c, Notify.STREAM, "xgroup-createconsumer", a, 2);
    c.server().addDirty(1);
    c.out.integer(1);
  }

  static void delConsumer(Client c, Args a) {
    StreamValue s = groupKey(c, a, false, true);
    StreamGroup g = s.group(a.bytes(3));
    StreamGroup.Consumer consumer = g.consumer(a.bytes(4));
    long pending = 0;
    if (consumer != null) {
      pending = g.removeConsumer(consumer);
      Notify.arg(c, Notify.STREAM, "xgroup-delconsumer", a, 2);
      c.server().addDirty(1);
    }
    c.out.integer(pending);
  }

  // ------------------------------------------------------------------------------------------------- XACK/XPENDING

  static void xack(Client c, Args a) {
    StreamValue s = StreamCommands.read(c, a, 1); // a read lookup in Redis (keyspace hits, keymiss)
    StreamGroup g = s == null ? null : s.group(a.bytes(2));
    if (g == null) { // no key or group: nothing to acknowledge, whatever the IDs (as Redis 7.0)
      c.out.integer(0);
      return;
    }
    StreamId[] ids = new StreamId[a.count() - 3];
    for (int j = 3; j < a.count(); j++) ids[j - 3] = StreamIds.strict(a, j, 0);
    int acked = 0;
    for (StreamId id : ids) {
      if (g.ack(id)) acked++;
    }
    c.server().addDirty(acked);
    c.out.integer(acked);
  }

  static void xpending(Client c, Args a) {
    boolean summary = a.count() == 3;
    if (a.count() != 3 && (a.count() < 6 || a.count() > 9)) throw new CommandError(Errors.SYNTAX);
    long minIdle = 0;
    StreamId start = null;
    StreamId end = null;
    long count = 0;
    byte[] consumerName = null;
    if (a.count() >= 6) {
      int at = 3;
      if (a.is(3, "idle")) {
        minIdle = a.longArg(4);
        if (a.count() < 8) throw new CommandError(Errors.SYNTAX);
        at = 5;
      }
      count = Math.max(0, a.longArg(at + 2));
      start = StreamIds.bound(a, at, true);
      end = StreamIds.bound(a, at + 1, false);
      if (a.count() > at + 3) consumerName = a.bytes(at + 3);
    }
    StreamValue s = StreamCommands.read(c, a, 1);
    StreamGroup g = s == null ? null : s.group(a.bytes(2));
    if (g == null) {
      throw new CommandError("NOGROUP No such key '" + a.echo(1) + "' or consumer group '" + a.echo(2) + "'");
    }
    RespWriter out = c.out;
    if (summary) {
      out.array(4);
      out.integer(g.pending.size());
      if (g.pending.isEmpty()) {
        out.nullBulk();
        out.nullBulk();
        out.nullArray();
        return;
      }
      StreamIds.id(out, g.pending.firstKey());
      StreamIds.id(out, g.pending.lastKey());
      List<StreamGroup.Consumer> with = new ArrayList<>();
      for (StreamGroup.Consumer k : g.consumers.values()) if (!k.pending.isEmpty()) with.add(k);
      out.array(with.size());
      for (StreamGroup.Consumer k : with) {
        out.array(2);
        out.bulk(k.name);
        out.bulkLong(k.pending.size());
      }
      return;
    }
    NavigableMap<StreamId, StreamGroup.Nack> pel;
    if (consumerName != null) {
      StreamGroup.Consumer k = g.consumer(consumerName);
      if (k == null) {
        out.array(0);
        return;
      }
      pel = k.pending;
    } else {
      pel = g.pending;
    }
    long now = now(c);
    List<Map.Entry<StreamId, StreamGroup.Nack>> items = new ArrayList<>();
    if (start.compareTo(end) <= 0) {
      for (var e : pel.subMap(start, true, end, true).entrySet()) {
        if (items.size() >= count) break;
        if (minIdle > 0 && now - e.getValue().deliveryTime < minIdle) continue;
        items.add(e);
      }
    }
    out.array(items.size());
    for (var e : items) {
      StreamGroup.Nack n = e.getValue();
      out.array(4);
      StreamIds.id(out, e.getKey());
      out.bulk(n.consumer.name);
      out.integer(Math.max(0, now - n.deliveryTime));
      out.integer(n.deliveryCount);
    }
  }

  // ------------------------------------------------------------------------------------------------- claiming

  static void xclaim(Client c, Args a) {
    StreamValue s = StreamCommands.read(c, a, 1);
    StreamGroup g = s == null ? null : s.group(a.bytes(2));
    if (g == null) {
      throw new CommandError("NOGROUP No such key '" + a.echo(1) + "' or consumer group '" + a.echo(2) + "'");
    }
    long minIdle = Math.max(0, a.longArg(4, "ERR Invalid min-idle-time argument for XCLAIM"));
    int j = 5;
    List<StreamId> ids = new ArrayList<>();
    for (; j < a.count(); j++) {
      StreamId id = StreamIds.strictOrNull(a, j);
      if (id == null) break;
      ids.add(id);
    }
    long now = now(c);
    long retryCount = -1;
    long deliveryTime = -1;
    boolean force = false;
    boolean justId = false;
    StreamId lastId = StreamId.MIN;
    for (; j < a.count(); j++) {
      boolean more = j + 1 < a.count();
      if (a.is(j, "force")) {
        force = true;
      } else if (a.is(j, "justid")) {
        justId = true;
      } else if (a.is(j, "idle") && more) {
        deliveryTime = now - a.longArg(++j, "ERR Invalid IDLE option argument for XCLAIM");
      } else if (a.is(j, "time") && more) {
        deliveryTime = a.longArg(++j, "ERR Invalid TIME option argument for XCLAIM");
      } else if (a.is(j, "retrycount") && more) {
        retryCount = a.longArg(++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      } else if (a.is(j, "lastid") && more) {
        lastId = StreamIds.strict(a, ++j, 0);
      } else {
        throw new CommandError("ERR Unrecognized XCLAIM option '" + a.echo(j) + "'");
      }
    }
    c.server().dispatcher.propagateNothing(); // each claim goes out as its own idempotent XCLAIM
    boolean propagateLastId = false;
    if (lastId.compareTo(g.lastId) > 0) {
      g.lastId = lastId;
      propagateLastId = true;
    }
    if (deliveryTime != -1) {
      if (deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
    } else {
      deliveryTime = now;
    }
    byte[] key = a.bytes(1);
    byte[] name = a.bytes(3);
    StreamGroup.Consumer consumer = null;
    // the reply's length is known only at the end: build it aside
    RespWriter body = StreamIds.aside(c.out);
    int replied = 0;
    for (StreamId id : ids) {
      StreamGroup.Nack nack = g.pending.get(id);
      if (!s.contains(id)) {
        if (nack != null) {
          dropDeleted(c, key, g, id, nack);
          propagateLastId = false;
        }
        continue;
      }
      if (force && nack == null) {
        nack = new StreamGroup.Nack(null, now, 1);
        g.pending.put(id, nack);
      }
      if (nack == null) continue;
      if (nack.consumer != null && minIdle > 0 && now - nack.deliveryTime < minIdle) continue;
      if (consumer == null) consumer = claimant(c, key, g, name, now);
      g.moveTo(id, nack, consumer);
      nack.deliveryTime = deliveryTime;
      if (retryCount >= 0) nack.deliveryCount = retryCount;
      else if (!justId) nack.deliveryCount++;
      if (justId) StreamIds.id(body, id);
      else if (!StreamIds.single(body, s, id)) body.nullBulk();
      replied++;
      StreamCommands.claimed(c, key, g, id, nack);
      propagateLastId = false;
      c.server().addDirty(1);
    }
    if (propagateLastId) {
      StreamCommands.setId(c, key, g);
      c.server().addDirty(1);
    }
    c.out.array(replied);
    c.out.raw(body.array(), 0, body.position());
  }

  /** The consumer a claim goes to: found (and seen now) or created. */
  private static StreamGroup.Consumer claimant(Client c, byte[] key, StreamGroup g, byte[] name, long now) {
    StreamGroup.Consumer consumer = g.consumer(name);
    if (consumer == null) {
      consumer = g.addConsumer(name, now);
      Notify.key(c, Notify.STREAM, "xgroup-createconsumer", key);
      c.server().addDirty(1);
    } else {
      consumer.seenTime = now;
    }
    return consumer;
  }

  /**
   * A pending entry whose stream entry is gone leaves the pending list; replicas get the XCLAIM that makes them
   * find the same (as Redis 7.0 sends it).
   */
  private static void dropDeleted(Client c, byte[] key, StreamGroup g, StreamId id, StreamGroup.Nack nack) {
    StreamCommands.claimed(c, key, g, id, nack);
    c.server().addDirty(1);
    g.ack(id);
  }

  static void xautoclaim(Client c, Args a) {
    long minIdle = Math.max(0, a.longArg(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
    StreamId start = StreamIds.bound(a, 5, true);
    long count = 100;
    boolean justId = false;
    for (int j = 6; j < a.count(); j++) {
      if (a.is(j, "count") && j + 1 < a.count()) {
        long max = Long.MAX_VALUE / 16;
        count = a.longArg(j + 1, "ERR COUNT must be > 0");
        if (count < 1 || count > max) throw new CommandError("ERR COUNT must be > 0");
        j++;
      } else if (a.is(j, "justid")) {
        justId = true;
      } else {
        throw new CommandError(Errors.SYNTAX);
      }
    }
    StreamValue s = StreamCommands.read(c, a, 1);
    StreamGroup g = s == null ? null : s.group(a.bytes(2));
    if (g == null) {
      throw new CommandError("NOGROUP No such key '" + a.echo(1) + "' or consumer group '" + a.echo(2) + "'");
    }
    c.server().dispatcher.propagateNothing();
    long attempts = count * 10;
    long now = now(c);
    byte[] key = a.bytes(1);
    byte[] name = a.bytes(3);
    StreamGroup.Consumer consumer = null;
    RespWriter body = StreamIds.aside(c.out);
    int replied = 0;
    List<StreamId> deleted = new ArrayList<>();
    StreamId cursor = start;
    StreamId next = null;
    while (true) {
      Map.Entry<StreamId, StreamGroup.Nack> e = g.pending.ceilingEntry(cursor);
      if (e == null) {
        next = null;
        break;
      }
      if (attempts-- == 0 || count == 0) {
        next = e.getKey();
        break;
      }
      StreamId id = e.getKey();
      StreamGroup.Nack nack = e.getValue();
      StreamId after = id.next();
      if (!s.contains(id)) {
        dropDeleted(c, key, g, id, nack);
        deleted.add(id);
        count--;
      } else if (minIdle == 0 || now - nack.deliveryTime >= minIdle) {
        if (consumer == null) consumer = claimant(c, key, g, name, now);
        g.moveTo(id, nack, consumer);
        nack.deliveryTime = now;
        if (!justId) nack.deliveryCount++;
        if (justId) StreamIds.id(body, id);
        else StreamIds.single(body, s, id);
        replied++;
        count--;
        StreamCommands.claimed(c, key, g, id, nack);
        c.server().addDirty(1);
      }
      if (after == null) {
        next = null;
        break;
      }
      cursor = after;
    }
    c.out.array(3);
    StreamIds.id(c.out, next == null ? StreamId.MIN : next);
    c.out.array(replied);
    c.out.raw(body.array(), 0, body.position());
    c.out.array(deleted.size());
    for (StreamId id : deleted) StreamIds.id(c.out, id);
  }

  // ------------------------------------------------------------------------------------------------- XINFO

  private static StreamValue infoKey(Client c, Args a) {
    Entry e = c.db.lookupRead(a.buf(2), a.off(2), a.len(2));
    if (e == null) throw new CommandError(Errors.NO_SUCH_KEY);
    return StreamValue.of(e);
  }

  static void infoConsumers(Client c, Args a) {
    StreamValue s = infoKey(c, a);
    StreamGroup g = s.group(a.bytes(3));
    if (g == null) {
      throw new CommandError("NOGROUP No such consumer group '" + a.echo(3) + "' for key name '" + a.echo(2) + "'");
    }
    long now = now(c);
    c.out.array(g.consumers.size());
    for (StreamGroup.Consumer k : g.consumers.values()) {
      c.out.map(3);
      c.out.bulk("name");
      c.out.bulk(k.name);
      c.out.bulk("pending");
      c.out.integer(k.pending.size());
      c.out.bulk("idle");
      c.out.integer(Math.max(0, now - k.seenTime));
    }
  }

  static void infoGroups(Client c, Args a) {
    StreamValue s = infoKey(c, a);
    c.out.array(s.groupCount());
    for (StreamGroup g : s.groups()) {
      c.out.map(6);
      c.out.bulk("name");
      c.out.bulk(g.name);
      c.out.bulk("consumers");
      c.out.integer(g.consumers.size());
      c.out.bulk("pending");
      c.out.integer(g.pending.size());
      c.out.bulk("last-delivered-id");
      StreamIds.id(c.out, g.lastId);
      entriesReadAndLag(c.out, s, g);
    }
  }

  private static void entriesReadAndLag(RespWriter out, StreamValue s, StreamGroup g) {
    out.bulk("entries-read");
    if (g.entriesRead != StreamGroup.UNKNOWN_READ) out.integer(g.entriesRead);
    else out.nullBulk();
    out.bulk("lag");
    Long lag = s.lag(g);
    if (lag != null) out.integer(lag);
    else out.nullBulk();
  }

  /**
   * XINFO STREAM FULL's pending entries (at most {@code count}, 0 = all): ID, the owner (in the group's list),
   * delivery time and count.
   */
  private static void pendingList(RespWriter out, Map<StreamId, StreamGroup.Nack> pending, long count,
      boolean withOwner) {
    int n = (int) (count == 0 ? pending.size() : Math.min(count, pending.size()));
    out.array(n);
    int i = 0;
    for (var e : pending.entrySet()) {
      if (i++ == n) break;
      out.array(withOwner ? 4 : 3);
      StreamIds.id(out, e.getKey());
      if (withOwner) out.bulk(e.getValue().consumer.name);
      out.integer(e.getValue().deliveryTime);
      out.integer(e.getValue().deliveryCount);
    }
  }

  static void infoStream(Client c, Args a) {
    StreamValue s = infoKey(c, a);
    int extra = a.count() - 3;
    boolean full = extra > 0;
    long count = 10;
    if (full) {
      if (extra != 1 && extra != 3) throw subcommandSyntax(a);
      if (!a.is(3, "full")) throw subcommandSyntax(a);
      if (extra == 3) {
        if (!a.is(4, "count")) throw subcommandSyntax(a);
        count = a.longArg(5);
        if (count < 0) count = 10;
      }
    }
    RespWriter out = c.out;
    out.map(full ? 9 : 10);
    out.bulk("length");
    out.integer(s.length());
    out.bulk("radix-tree-keys");
    out.integer(s.nodeCount());
    out.bulk("radix-tree-nodes");
    out.integer(s.radixTreeNodes());
    out.bulk("last-generated-id");
    StreamIds.id(out, s.lastId());
    out.bulk("max-deleted-entry-id");
    StreamIds.id(out, s.maxDeletedId());
    out.bulk("entries-added");
    out.integer(s.entriesAdded());
    out.bulk("recorded-first-entry-id");
    StreamIds.id(out, s.firstId());
    if (!full) {
      out.bulk("groups");
      out.integer(s.groupCount());
      out.bulk("first-entry");
      if (!StreamIds.single(out, s, s.length() == 0 ? StreamId.MAX : s.firstLiveId())) out.nullBulk();
      out.bulk("last-entry");
      if (!StreamIds.single(out, s, s.length() == 0 ? StreamId.MAX : s.lastLiveId())) out.nullBulk();
      return;
    }
    out.bulk("entries");
    StreamIds.range(out, s, StreamId.MIN, StreamId.MAX, count, false);
    out.bulk("groups");
    out.array(s.groupCount());
    for (StreamGroup g : s.groups()) {
      out.map(7);
      out.bulk("name");
      out.bulk(g.name);
      out.bulk("last-delivered-id");
      StreamIds.id(out, g.lastId);
      entriesReadAndLag(out, s, g);
      out.bulk("pel-count");
      out.integer(g.pending.size());
      out.bulk("pending");
      pendingList(out, g.pending, count, true);
      out.bulk("consumers");
      out.array(g.consumers.size());
      for (StreamGroup.Consumer k : g.consumers.values()) {
        out.map(4);
        out.bulk("name");
        out.bulk(k.name);
        out.bulk("seen-time");
        out.integer(k.seenTime);
        out.bulk("pel-count");
        out.integer(k.pending.size());
        out.bulk("pending");
        pendingList(out, k.pending, count, false);
      }
    }
  }
}
