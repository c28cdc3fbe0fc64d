package dev.vireo.acl;

import static dev.vireo.server.CommandSpec.ADMIN;
import static dev.vireo.server.CommandSpec.LOADING;
import static dev.vireo.server.CommandSpec.NOSCRIPT;
import static dev.vireo.server.CommandSpec.STALE;

import dev.vireo.resp.Args;
import dev.vireo.resp.CommandError;
import dev.vireo.server.Client;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.CommandTable;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * ACL CAT [category] | DELUSER username... | DRYRUN username command [arg...] | GENPASS [bits] | GETUSER username |
 * LIST | LOAD | LOG [count | RESET] | SAVE | SETUSER username [rule...] | USERS | WHOAMI | HELP.
 */
public final class AclCommands {
  private AclCommands() {}

  private static final int F = NOSCRIPT | LOADING | STALE;
  private static final int A = ADMIN | F;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final List<String> HELP = List.of(
      "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CAT [<category>]",
      "    List all commands that belong to <category>, or all command categories",
      "    when no category is specified.",
      "DELUSER <username> [<username> ...]",
      "    Delete a list of users.",
      "DRYRUN <username> <command> [<arg> ...]",
      "    Returns whether the user can execute the given command without executing the command.",
      "GETUSER <username>",
      "    Get the user's details.",
      "GENPASS [<bits>]",
      "    Generate a secure 256-bit user password. The optional `bits` argument can",
      "    be used to specify a different size.",
      "LIST",
      "    Show users details in config file format.",
      "LOAD",
      "    Reload users from the ACL file.",
      "LOG [<count> | RESET]",
      "    Show the ACL log entries.",
      "SAVE",
      "    Save the current config to the ACL file.",
      "SETUSER <username> <attribute> [<attribute> ...]",
      "    Create or modify a user with the specified attributes.",
      "USERS",
      "    List all the registered usernames.",
      "WHOAMI",
      "    Return the current connection username.",
      "HELP",
      "    Prints this help.");

  private static final String NO_ACLFILE = "ERR This Redis instance is not configured to use an ACL file. You may "
      + "want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
      + "Redis configuration file set) in order to store users in the Redis configuration.";

  public static void register(CommandTable t, Acl acl) {
    t.add("acl", -2, 0, 0, 0, 0, "server", "6.0.0", "A container for Access List Control commands.", null)
        .sub("cat", -2, F, 0, 0, 0, "6.0.0", "Lists the ACL categories, or the commands inside a category.",
            (c, a) -> cat(acl, c, a))
        .sub("deluser", -3, A, 0, 0, 0, "6.0.0", "Deletes ACL users, and terminates their connections.",
            (c, a) -> deluser(acl, c, a))
        .sub("dryrun", -4, A, 0, 0, 0, "7.0.0",
            "Simulates the execution of a command by a user, without executing the command.",
            (c, a) -> dryrun(acl, c, a))
        .sub("genpass", -2, F, 0, 0, 0, "6.0.0",
            "Generates a pseudorandom, secure password that can be used to identify ACL users.",
            AclCommands::genpass)
        .sub("getuser", 3, A, 0, 0, 0, "6.0.0", "Lists the ACL rules of a user.", (c, a) -> getuser(acl, c, a))
        .sub("help", 2, LOADING | STALE, 0, 0, 0, "6.0.0", "Returns helpful text about the different subcommands.",
            (c, a) -> {
              c.out.array(HELP.size());
              for (String l : HELP) c.out.simple(l);
            })
        .sub("list", 2, A, 0, 0, 0, "6.0.0", "Dumps the effective rules in ACL file format.",
            (c, a) -> {
              c.out.array(acl.users.size());
              for (User u : acl.users.values()) c.out.bulk("user " + u.name + " " + u.describe(acl.catalog));
            })
        .sub("load", 2, A, 0, 0, 0, "6.0.0", "Reloads the rules from the configured ACL file.",
            (c, a) -> {
              String file = acl.config.get("aclfile");
              if (file == null || file.isEmpty()) throw new CommandError(NO_ACLFILE);
              String err = AclFile.load(acl, file, c);
              if (err != null) throw new CommandError("ERR " + err);
              c.out.ok();
            })
        .sub("log", -2, A, 0, 0, 0, "6.0.0", "Lists recent security events generated due to ACL rules.",
            (c, a) -> log(acl, c, a))
        .sub("save", 2, A, 0, 0, 0, "6.0.0", "Saves the effective ACL rules in the configured ACL file.",
            (c, a) -> {
              String file = acl.config.get("aclfile");
              if (file == null || file.isEmpty()) throw new CommandError(NO_ACLFILE);
              String err = AclFile.save(acl, file);
              if (err != null) {
                acl.server.log.warn("Saving the ACL file " + file + ": " + err);
                throw new CommandError("ERR There was an error trying to save the ACLs. Please check the server "
                    + "logs for more information");
              }
              c.out.ok();
            })
        .sub("setuser", -3, A, 0, 0, 0, "6.0.0", "Creates and modifies an ACL user and its rules.",
            (c, a) -> {
              List<String> rules = new ArrayList<>();
              for (int i = 3; i < a.count(); i++) rules.add(a.str(i));
              String err = acl.setUser(a.str(2), rules);
              if (err != null) throw new CommandError(err);
              c.out.ok();
            })
        .sub("users", 2, A, 0, 0, 0, "6.0.0", "Lists all ACL users.",
            (c, a) -> {
              c.out.array(acl.users.size());
              for (String name : acl.users.keySet()) c.out.bulk(name);
            })
        .sub("whoami", 2, F, 0, 0, 0, "6.0.0", "Returns the authenticated username of the current connection.",
            (c, a) -> c.out.bulk(c.user == null ? "(superuser)" : c.user));
  }

  /** Redis's reply to a subcommand given the wrong arguments: it names the subcommand as typed. */
  private static String syntax(Args a) {
    return "ERR unknown subcommand or wrong number of arguments for '" + a.echo(1, 128) + "'. Try ACL HELP.";
  }

  private static void cat(Acl acl, Client c, Args a) {
    if (a.count() == 2) {
      c.out.array(Catalog.CATEGORIES.size());
      for (String cat : Catalog.CATEGORIES) c.out.bulk(cat);
      return;
    }
    if (a.count() > 3) throw new CommandError(syntax(a));
    long bit = Catalog.categoryBit(a.str(2));
    if (bit < 0) throw new CommandError("ERR Unknown category '" + a.str(2) + "'");
    List<String> names = new ArrayList<>();
    for (int id = 0; id < acl.catalog.size(); id++) {
      if ((acl.catalog.mask(id) & bit) != 0) names.add(acl.catalog.command(id).fullName);
    }
    c.out.array(names.size());
    for (String n : names) c.out.bulk(n);
  }

  private static void deluser(Acl acl, Client c, Args a) {
    for (int i = 2; i < a.count(); i++) {
      if (a.str(i).equals(Acl.DEFAULT)) throw new CommandError("ERR The 'default' user cannot be removed");
    }
    int deleted = 0;
    for (int i = 2; i < a.count(); i++) {
      if (acl.deleteUser(a.str(i), c)) deleted++;
    }
    c.out.integer(deleted);
  }

  private static void dryrun(Acl acl, Client c, Args a) {
    String name = a.str(2);
    User u = acl.users.get(name);
    if (u == null) throw new CommandError("ERR User '" + name + "' not found");
    byte[][] all = a.toArray();
    byte[][] rest = new byte[all.length - 3][];
    System.arraycopy(all, 3, rest, 0, rest.length);
    Args cmdArgs = Args.of(rest);
    CommandSpec cmd = acl.server.table().lookup(cmdArgs);
    if (cmd == null) throw new CommandError("ERR Command '" + a.str(3) + "' not found");
    if (cmd.isContainer() && cmdArgs.count() >= 2) {
      CommandSpec sub = cmd.subcommands().get(cmdArgs.lower(1));
      if (sub != null) cmd = sub;
    }
    if (!cmd.arityOk(cmdArgs.count())) {
      throw new CommandError("ERR wrong number of arguments for '" + cmd.fullName + "' command");
    }
    var refused = acl.evaluate(name, cmd, cmdArgs);
    if (refused == null) {
      c.out.ok();
      return;
    }
    c.out.bulk(switch (refused.denial()) {
      case COMMAND -> "This user has no permissions to run the '" + refused.object() + "' command";
      case KEY -> "This user has no permissions to access the '" + refused.object() + "' key";
      case CHANNEL -> "This user has no permissions to access the '" + refused.object() + "' channel";
    });
  }

  private static void genpass(Client c, Args a) {
    long bits = 256;
    if (a.count() == 3) {
      try {
        bits = Long.parseLong(a.str(2));
      } catch (NumberFormatException e) {
        throw new CommandError("ERR value is not an integer or out of range");
      }
    }
    if (a.count() > 3 || bits <= 0 || bits > 4096) {
      throw new CommandError("ERR ACL GENPASS argument must be the number of bits for the output password, a "
          + "positive number up to 4096");
    }
    int chars = (int) ((bits + 3) / 4);
    byte[] random = new byte[(chars + 1) / 2];
    RANDOM.nextBytes(random);
    c.out.bulk(HexFormat.of().formatHex(random).substring(0, chars));
  }

  private static void getuser(Acl acl, Client c, Args a) {
    User u = acl.users.get(a.str(2));
    if (u == null) {
      c.out.nullBulk();
      return;
    }
    c.out.map(6);
    List<String> flags = u.flags();
    c.out.bulk("flags").set(flags.size());
    for (String f : flags) c.out.bulk(f);
    c.out.bulk("passwords").array(u.passwords.size());
    for (String p : u.passwords) c.out.bulk(p);
    c.out.bulk("commands").bulk(u.root.describeCommands(acl.catalog));
    c.out.bulk("keys").bulk(u.root.describeKeys());
    c.out.bulk("channels").bulk(u.root.describeChannels());
    c.out.bulk("selectors").array(u.selectors.size());
    for (Selector s : u.selectors) {
      c.out.map(3);
      c.out.bulk("commands").bulk(s.describeCommands(acl.catalog));
      c.out.bulk("keys").bulk(s.describeKeys());
      c.out.bulk("channels").bulk(s.describeChannels());
    }
  }

  private static void log(Acl acl, Client c, Args a) {
    long count = 10; // as Redis: the latest ten unless asked
    if (a.count() == 3) {
      if (a.is(2, "reset")) {
        acl.log.reset();
        c.out.ok();
        return;
      }
      try {
        count = Long.parseLong(a.str(2));
      } catch (NumberFormatException e) {
        throw new CommandError("ERR value is not an integer or out of range");
      }
      if (count < 0) count = 0;
    } else if (a.count() > 3) {
      throw new CommandError(syntax(a));
    }
    acl.log.reply(c.out, count);
  }
}
