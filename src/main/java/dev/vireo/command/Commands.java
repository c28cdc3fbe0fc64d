package dev.vireo.command;

import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import java.util.List;

/** Assembles the command table from every family. */
public final class Commands {
  private Commands() {}

  /** Fills {@code t} with every command; {@code n} reaches what the server and replication families need. */
  public static void register(CommandTable t, Node n) {
    ConnectionCommands.register(t);
    ClientCommands.register(t);
    ServerCommands.register(t, n);
    CommandCommands.register(t);
    KeyCommands.register(t);
    StringCommands.register(t);
    BitCommands.register(t);
    LatencyCommands.register(t);
    ModuleCommands.register(t);
    LolwutCommand.register(t);
    ListCommands.register(t);
    HashCommands.register(t);
    SetCommands.register(t);
    ZSetCommands.register(t);
    SortCommands.register(t);
    HyperLogLogCommands.register(t);
    HyperLogLogSelfTestCommand.register(t);
    GeoCommands.register(t);
    StreamCommands.register(t);
    TransactionCommands.register(t);
    PubSubCommands.register(t);
    ScriptingCommands.register(t, n == null ? null : n.server());
    DumpCommands.register(t);
    MemoryCommands.register(t, n);
    ReplicationCommands.register(t, n);
  }

  /** A command's ACL categories ("@read"...), as COMMAND INFO lists them. */
  public static List<String> aclCategories(CommandSpec s) {
    return CommandCommands.aclCategories(s);
  }
}
