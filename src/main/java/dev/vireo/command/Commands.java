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
    return t;
  }
}
