package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.server.Client;
import dev.vireo.server.CommandTable;
import dev.vireo.server.LatencyMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** LATENCY LATEST | HISTORY event | RESET [event...] | DOCTOR | HELP, over the latency monitor's events. */
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
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)")));
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
