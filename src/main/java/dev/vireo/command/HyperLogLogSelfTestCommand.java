package dev.vireo.command;

import static dev.vireo.server.CommandSpec.ADMIN;

import dev.vireo.resp.CommandError;
import dev.vireo.server.CommandTable;
import dev.vireo.store.HyperLogLogSelfTest;
import java.util.concurrent.ThreadLocalRandom;

/** {@code PFSELFTEST}: +OK once {@link HyperLogLogSelfTest} passes, else its TESTFAILED error. */
final class HyperLogLogSelfTestCommand {
  private HyperLogLogSelfTestCommand() {}

  static void register(CommandTable t) {
    t.add("pfselftest", 1, ADMIN, 0, 0, 0, "hyperloglog", "2.8.9", 
        "An internal command for testing HyperLogLog values",
        (c, a) -> {
          String failed = HyperLogLogSelfTest.run(c.server().config.getLong("hll-sparse-max-bytes"),
              ThreadLocalRandom.current());
          if (failed != null) throw new CommandError(failed);
          c.out.ok();
        });
  }
}
