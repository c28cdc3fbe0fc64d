package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import dev.vireo.server.LatencyHistogram;
import dev.vireo.server.LatencyMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LATENCY LATEST | HISTORY event | GRAPH event | RESET [event...] | DOCTOR | HISTOGRAM [command ...] | HELP, over
 * the latency monitor's events and the per-command latency distributions.
 */
final class LatencyCommands {
  private LatencyCommands() {}

  private static final int F = ADMIN | NOSCRIPT | LOADING | STALE;

  static void register(CommandTable t) {
    t.add("latency", -2, 0, 0, 0, 0, "server", "2.8.13", "A container for latency diagnostics commands.", null)
        .sub("latest", 2, F, 0, 0, 0, "2.8.13", "Returns the latest latency samples for all events.", (c, a) -> {
          Map<String, LatencyMonitor.Event> events = c.server().latency.events();
          c.out.array(events.size());
          for (Map.Entry<String, LatencyMonitor.Event> e : events.entrySet()) {
            LatencyMonitor.Sample last = e.getValue().samples.peekLast();
            c.out.array(4).bulk(e.getKey()).integer(last.unixSeconds()).integer(last.millis())
                .integer(e.getValue().max);
          }
        })
        .sub("history", 3, F, 0, 0, 0, "2.8.13", "Returns timestamp-latency samples for an event.", (c, a) -> {
          LatencyMonitor.Event e = c.server().latency.events().get(a.lower(2));
          if (e == null) {
            c.out.array(0);
            return;
          }
          c.out.array(e.samples.size());
          for (LatencyMonitor.Sample s : e.samples) c.out.array(2).integer(s.unixSeconds()).integer(s.millis());
        })
        .sub("graph", 3, F, 0, 0, 0, "2.8.13", "Return a latency graph for the event.", (c, a) -> {
          String name = a.str(2);
          LatencyMonitor.Event e = c.server().latency.events().get(name);
          if (e == null) throw new CommandError("ERR No samples available for event '" + name + "'");
          c.out.verbatim(LatencyGraph.render(name, e, System.currentTimeMillis() / 1000));
        })
        .sub("histogram", -2, F, 0, 0, 0, "7.0.0",
            "Return the cumulative distribution of latencies of a subset of commands or all.",
            LatencyCommands::histogram)
        .sub("reset", -2, F, 0, 0, 0, "2.8.13", "Resets the latency data for one or more events.", (c, a) -> {
          List<String> names = new ArrayList<>();
          for (int i = 2; i < a.count(); i++) names.add(a.lower(i));
          c.out.integer(c.server().latency.reset(names));
        })
        .sub("doctor", 2, F, 0, 0, 0, "2.8.13", "Returns a human-readable latency analysis report.",
            (c, a) -> c.out.verbatim(doctor(c)))
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "2.8.13", "Returns helpful text about the different subcommands.",
            (c, a) -> Help.reply(c, "LATENCY", List.of(
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified "
                    + "command names.",
                "    If no commands are specified then all histograms are replied.")));
  }

  /**
   * LATENCY HISTOGRAM: for each command named (a container brings its subcommands; unknown names are skipped) or
   * every command, its calls and cumulative latency distribution, when it has run since the last reset.
   */
  private static void histogram(Client c, Args a) {
    List<CommandSpec> picked = new ArrayList<>();
    if (a.count() == 2) {
      for (CommandSpec s : c.server().table().all()) {
        picked.add(s);
        picked.addAll(s.subcommands().values());
      }
    } else {
      for (int i = 2; i < a.count(); i++) {
        CommandSpec s = lookup(c, a.str(i));
        if (s == null) continue;
        picked.add(s);
        picked.addAll(s.subcommands().values());
      }
    }
    picked.removeIf(s -> s.latency.count() == 0);
    c.out.map(picked.size());
    for (CommandSpec s : picked) {
      c.out.bulk(s.fullName);
      cumulative(c, s.latency);
    }
  }

  /** A command by name or {@code container|subcommand}, as Redis's lookupCommandBySds; null if none. */
  private static CommandSpec lookup(Client c, String name) {
    String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", -1);
    if (parts.length > 2) return null;
    CommandSpec s = c.server().table().get(parts[0]);
    if (s == null || parts.length == 1) return s;
    return s.subcommands().get(parts[1]);
  }

  /**
   * Redis's reply for one histogram (2 significant digits, values clamped to 1 second): at each power of two from
   * 1024 ns, the bucket's highest equivalent value in microseconds and how many calls took at most that long,
   * where that count grew.
   */
  private static void cumulative(Client c, LatencyHistogram h) {
    long total = h.count();
    List<long[]> rows = new ArrayList<>();
    long previous = 0;
    for (int k = 0; previous < total; k++) {
      long level = 1024L << k;
      long highest = level + (level >> 7) - 1; // a bucket spans 1/128 of its power of two at 2 significant digits
      long n = k >= 20 ? total : h.countAtOrBelow(highest);
      if (n > previous) rows.add(new long[] {highest / 1000, n});
      previous = n;
    }
    c.out.map(2).bulk("calls").integer(total).bulk("histogram_usec").map(rows.size());
    for (long[] r : rows) c.out.integer(r[0]).integer(r[1]);
  }

  private static String doctor(Client c) {
    long threshold = c.server().config.getLong("latency-monitor-threshold");
    Map<String, LatencyMonitor.Event> events = c.server().latency.events();
    StringBuilder sb = new StringBuilder();
    if (threshold == 0) {
      sb.append("Latency monitoring is disabled (latency-monitor-threshold is 0). Enable it with\n")
          .append("CONFIG SET latency-monitor-threshold <milliseconds>.\n");
      return sb.toString();
    }
    if (events.isEmpty()) {
      sb.append("No latency spike at or above ").append(threshold)
          .append(" ms was observed since monitoring started.\n");
      return sb.toString();
    }
    int i = 1;
    for (Map.Entry<String, LatencyMonitor.Event> e : events.entrySet()) {
      long sum = 0;
      for (LatencyMonitor.Sample s : e.getValue().samples) sum += s.millis();
      int n = e.getValue().samples.size();
      sb.append(i++).append(". ").append(e.getKey()).append(": ").append(n).append(" latency spikes (average ")
          .append(sum / n).append("ms, worst ").append(e.getValue().max).append("ms).\n");
    }
    sb.append("\nSlow commands are listed by SLOWLOG GET; long-running commands block every client, since one ")
        .append("thread runs them all.\n");
    return sb.toString();
  }
}
