package dev.vireo.acl;

import dev.vireo.resp.RespWriter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * ACL LOG: the latest refusals, newest first, at most {@code acllog-max-len}. A refusal like one logged less than a
 * minute ago (same reason, context, object and user) counts on that entry instead, which moves to the front with the
 * new client's info, as Redis groups them.
 */
final class AclLog {
  private static final long GROUPING_MILLIS = 60_000;

  static final class Entry {
    long count = 1;
    final String reason;
    final String context;
    final String object;
    final String username;
    long createdMillis;
    String clientInfo;

    Entry(String reason, String context, String object, String username, String clientInfo, long now) {
      this.reason = reason;
      this.context = context;
      this.object = object;
      this.username = username;
      this.clientInfo = clientInfo;
      this.createdMillis = now;
    }

    boolean similar(Entry o, long now) {
      return now - createdMillis <= GROUPING_MILLIS && reason.equals(o.reason) && context.equals(o.context)
          && object.equals(o.object) && username.equals(o.username);
    }
  }

  private final Deque<Entry> entries = new ArrayDeque<>();

  void add(Entry e, long maxLen) {
    long now = e.createdMillis;
    Entry match = null;
    int seen = 0;
    for (Entry x : entries) {
      if (++seen > 10) break; // as Redis: only the most recent entries are considered for grouping
      if (x.similar(e, now)) {
        match = x;
        break;
      }
    }
    if (match != null) {
      entries.remove(match);
      match.count++;
      match.createdMillis = now;
      match.clientInfo = e.clientInfo;
      entries.addFirst(match);
    } else {
      entries.addFirst(e);
    }
    while (entries.size() > maxLen) entries.removeLast();
  }

  void reset() {
    entries.clear();
  }

  void reply(RespWriter out, long count) {
    long now = System.currentTimeMillis();
    long n = Math.min(count, entries.size());
    out.array(n);
    int i = 0;
    for (Entry e : entries) {
      if (i++ >= n) break;
      out.map(7);
      out.bulk("count").integer(e.count);
      out.bulk("reason").bulk(e.reason);
      out.bulk("context").bulk(e.context);
      out.bulk("object").bulk(e.object);
      out.bulk("username").bulk(e.username);
      out.bulk("age-seconds").dbl((now - e.createdMillis) / 1000.0);
      out.bulk("client-info").bulk(e.clientInfo);
    }
  }
}
