package dev.vireo.command;

/** Assembles the command table from every family. */
public final class Commands {
  private Commands() {}

  public static CommandTable table() {
    CommandTable t = new CommandTable();
    ConnectionCommands.register(t);
    ClientCommands.register(t);
    ServerCommands.register(t);
    CommandCommands.register(t);
    KeyCommands.register(t);
    StringCommands.register(t);
    BitCommands.register(t);
    LatencyCommands.register(t);
    ListCommands.register(t);
    HashCommands.register(t);
    SetCommands.register(t);
    ZSetCommands.register(t);
    SortCommands.register(t);
    HyperLogLogCommands.register(t);
    TransactionCommands.register(t);
    PubSubCommands.register(t);
    ScriptingCommands.register(t);
    DumpCommands.register(t);
    ReplicationCommands.register(t);
    return t;
  }
}
