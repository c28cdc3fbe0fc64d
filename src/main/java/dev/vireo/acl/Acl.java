package dev.vireo.acl;

import dev.vireo.config.ServerConfig;
import dev.vireo.resp.Args;
import dev.vireo.server.AccessControl;
import dev.vireo.server.Client;
import dev.vireo.server.CommandMeta;
import dev.vireo.server.CommandSpec;
import dev.vireo.server.KeySpec;
import dev.vireo.server.Server;
import dev.vireo.store.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The node's ACL users (Redis 7.0's): the user table, the {@code default} user kept in step with
 * {@code requirepass}, AUTH, the permission check before each command, and the ACL log. Runs on the data loop
 * (and on the script thread while a script holds the keyspace, the data loop waiting).
 */
public final class Acl implements AccessControl {
  static final String DEFAULT = "default";

  final Server server;
  final ServerConfig config;
  final Catalog catalog;
  /** By name, in byte order as Redis's radix tree lists them. */
  final Map<String, User> users = new TreeMap<>();
  final AclLog log = new AclLog();

  public Acl(Server server, Function<CommandSpec, List<String>> categoriesOf) {
    this.server = server;
    this.config = server.config;
    this.catalog = new Catalog(server.table(), categoriesOf);
    User d = new User(DEFAULT, true);
    d.enabled = true;
    d.nopass = true;
    d.root.allKeys = true;
    d.root.allChannels = true;
    users.put(DEFAULT, d);
  }

  /**
   * Once the command table is filled: the default user gets {@code requirepass}, then the {@code user} lines of
   * the configuration or the {@code aclfile} apply. Throws {@link IllegalArgumentException} with the reason the
   * node cannot start.
   */
  public void start() {
    User d = users.get(DEFAULT);
    d.root.future = true;
    d.root.allowed.set(0, catalog.size());
    updateDefaultPassword(config.get("requirepass"));
    config.onChange("requirepass", this::updateDefaultPassword);
    config.currentUsers(this::userLines);
    List<List<String>> lines = config.userLines();
    String aclfile = config.get("aclfile");
    if (!lines.isEmpty() && aclfile != null && !aclfile.isEmpty()) {
      throw new IllegalArgumentException("Configuring Redis with users defined in redis.conf and at the same "
          + "setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and "
          + "security holes, please define either an ACL file or declare users directly in your redis.conf, but "
          + "not both.");
    }
    if (!lines.isEmpty()) {
      for (List<String> line : lines) {
        String err = defineUser(line, true);
        // as Redis: a duplicate is named by the user, a refused rule by the directive ('user')
        String who = err == RuleError.DUPLICATE_USER ? line.get(0) : "user";
        if (err != null) throw new IllegalArgumentException("Error in user declaration '" + who + "': " + err);
      }
    } else if (aclfile != null && !aclfile.isEmpty()) {
      String err = AclFile.load(this, aclfile);
      if (err != null) throw new IllegalArgumentException("Aborting Redis startup because of ACL errors: " + err);
    }
  }

  /** Every user as a {@code user} line of the config file or the ACL file. */
  List<String> userLines() {
    List<String> lines = new ArrayList<>();
    for (User u : users.values()) lines.add("user " + u.name + " " + u.describe(catalog));
    return lines;
  }

  /** As Redis's ACLUpdateDefaultUserPassword: the default user's passwords are requirepass alone (or nopass). */
  private void updateDefaultPassword(String requirepass) {
    User d = users.get(DEFAULT);
    d.passwords.clear();
    d.nopass = false;
    if (requirepass == null || requirepass.isEmpty()) {
      d.nopass = true;
    } else {
      d.passwords.add(User.hash(requirepass.getBytes(StandardCharsets.UTF_8)));
    }
  }

  boolean pubsubAllChannels() {
    return "allchannels".equals(config.get("acl-pubsub-default"));
  }

  User newUser(String name) {
    return new User(name, pubsubAllChannels());
  }

  /**
   * A {@code user} line of the config file or the ACL file: name, then rules. The default user is reset first;
   * another user may appear only once ({@code unique}).
   */
  String defineUser(List<String> line, boolean unique) {
    String name = line.get(0);
    User u;
    if (name.equals(DEFAULT)) {
      u = users.get(DEFAULT).copy();
      try {
        u.apply("reset", catalog, pubsubAllChannels());
      } catch (RuleError e) {
        throw new IllegalStateException(e);
      }
    } else {
      if (unique && users.containsKey(name)) return RuleError.DUPLICATE_USER;
      u = newUser(name);
    }
    List<String> rules = mergeSelectors(line.subList(1, line.size()));
    if (rules == null) return "Unmatched parenthesis in acl selector starting at '" + unmatched + "'.";
    for (String rule : rules) {
      try {
        u.apply(rule, catalog, pubsubAllChannels());
      } catch (RuleError e) {
        return e.getMessage();
      }
    }
    users.put(name, u);
    return null;
  }

  /** The argument that opened an unclosed selector, for the error. */
  private String unmatched;

  /** Joins "(~x" "+get)" into one "(~x +get)" rule, as ACL SETUSER reads selectors; null when one is not closed. */
  List<String> mergeSelectors(List<String> args) {
    List<String> merged = new ArrayList<>();
    StringBuilder open = null;
    String openedBy = null;
    for (String op : args) {
      if (open == null && op.startsWith("(") && !op.endsWith(")")) {
        open = new StringBuilder(op);
        openedBy = op;
        continue;
      }
      if (open != null) {
        open.append(' ').append(op);
        if (op.endsWith(")")) {
          merged.add(open.toString());
          open = null;
        }
        continue;
      }
      merged.add(op);
    }
    if (open != null) {
      unmatched = openedBy;
      return null;
    }
    return merged;
  }

  // ---------------------------------------------------------------- AccessControl

  @Override
  public boolean authRequired() {
    User d = users.get(DEFAULT);
    return !d.nopass || !d.enabled;
  }

  @Override
  public boolean hasUser(String name) {
    return users.containsKey(name);
  }

  @Override
  public boolean defaultNopass() {
    return users.get(DEFAULT).nopass;
  }

  @Override
  public boolean authenticate(Client c, String user, byte[] password, String command) {
    User u = users.get(user);
    if (u != null && u.accepts(password)) {
      c.user = user;
      c.authenticated = true;
      return true;
    }
    logEntry("auth", c.multi != null ? Context.MULTI : Context.TOPLEVEL, command, user, c);
    return false;
  }

  /** A refusal found while checking, and the argument it is about. */
  private record Found(int level, int index) {}

  private static final int DENIED_COMMAND = 1;
  private static final int DENIED_KEY = 2;
  private static final int DENIED_CHANNEL = 4;

  @Override
  public Refusal check(Client logged, String runAs, CommandSpec cmd, Args a, Context context) {
    Refusal r = evaluate(runAs, cmd, a);
    if (r != null && context != null) logEntry(r.denial().logName, context, r.object(), runAs, logged);
    return r;
  }

  /** As ACLCheckAllUserCommandPerm: allowed when one selector allows it all; else the most relevant refusal. */
  Refusal evaluate(String runAs, CommandSpec cmd, Args a) {
    User u = users.get(runAs);
    if (u == null) return new Refusal(Denial.COMMAND, cmd.fullName);
    Found root = check(u.root, cmd, a);
    if (root == null) return null;
    int level = root.level;
    int index = root.index;
    for (Selector s : u.selectors) {
      Found f = check(s, cmd, a);
      if (f == null) return null;
      if (f.level > level || (f.level == level && f.index > index)) {
        level = f.level;
        index = f.index;
      }
    }
    return switch (level) {
      case DENIED_KEY -> new Refusal(Denial.KEY, a.str(index));
      case DENIED_CHANNEL -> new Refusal(Denial.CHANNEL, a.str(index));
      default -> new Refusal(Denial.COMMAND, cmd.fullName);
    };
  }

  private static final Found COMMAND_DENIED = new Found(DENIED_COMMAND, 0);

  private Found check(Selector s, CommandSpec cmd, Args a) {
    if (!s.allowsCommand(catalog, cmd, a)) return COMMAND_DENIED;
    if (!s.allKeys) {
      for (KeySpec.KeyRef k : CommandMeta.keys(cmd, a, 0)) {
        if (k.pos() >= a.count()) continue;
        if (!s.allowsKey(a.bytes(k.pos()), keyAccess(cmd, k.flags()))) return new Found(DENIED_KEY, k.pos());
      }
    }
    if (!s.allChannels) {
      int from;
      boolean pattern = false;
      switch (cmd.fullName) {
        case "publish", "spublish" -> from = a.count() > 1 ? 1 : -1;
        case "subscribe", "ssubscribe" -> from = 1;
        case "psubscribe" -> {
          from = 1;
          pattern = true;
        }
        default -> from = -1;
      }
      if (from > 0) {
        int to = cmd.fullName.endsWith("publish") ? Math.min(2, a.count()) : a.count();
        for (int i = from; i < to; i++) {
          if (!s.allowsChannel(a.str(i), pattern)) return new Found(DENIED_CHANNEL, i);
        }
      }
    }
    return null;
  }

  /**
   * The access a command needs on one key (%R~ read, %W~ write), from that key's key-spec flags as Redis reads them:
   * ACCESS needs read, INSERT, DELETE and UPDATE need write, none of them any pattern that matches (EXISTS). A key
   * found without flags (a command with no description) needs what its WRITE or READONLY flag says.
   */
  static int keyAccess(CommandSpec cmd, List<String> flags) {
    if (!flags.isEmpty()) {
      int access = 0;
      for (String f : flags) {
        switch (f.toLowerCase(Locale.ROOT)) {
          case "access" -> access |= Selector.READ;
          case "insert", "delete", "update" -> access |= Selector.WRITE;
          default -> { }
        }
      }
      return access;
    }
    if (cmd.has(CommandSpec.WRITE)) return Selector.WRITE;
    if (cmd.has(CommandSpec.READONLY)) return Selector.READ;
    return 0;
  }

  void logEntry(String reason, Context context, String object, String username, Client c) {
    String info = c == null ? "" : server.clients.describe(c);
    log.add(new AclLog.Entry(reason, context.logName, object, username, info, System.currentTimeMillis()),
        config.getLong("acllog-max-len"));
  }

  // ---------------------------------------------------------------- users changed

  /** ACL SETUSER: every rule checked on a copy first, so a refused rule changes nothing. Null or the error. */
  String setUser(String name, List<String> args) {
    if (Selector.hasSpaces(name)) return "ERR Usernames can't contain spaces or null characters";
    List<String> rules = mergeSelectors(args);
    if (rules == null) return "ERR Unmatched parenthesis in acl selector starting at '" + unmatched + "'.";
    User old = users.get(name);
    User u = old != null ? old.copy() : newUser(name);
    for (String rule : rules) {
      try {
        u.apply(rule, catalog, pubsubAllChannels());
      } catch (RuleError e) {
        return "ERR Error in ACL SETUSER modifier '" + rule + "': " + e.getMessage();
      }
    }
    users.put(name, u);
    if (old != null) killPubsubClientsIfNeeded(u);
    return null;
  }

  /** Subscribers of the user whose channels (or patterns) it may no longer use are disconnected, as in Redis. */
  private void killPubsubClientsIfNeeded(User u) {
    List<Client> kill = new ArrayList<>();
    for (Client c : server.clients.all()) {
      if (!u.name.equals(c.user) || c.subscriptionCount() == 0) continue;
      if (!allowed(u, c.channels, false) || !allowed(u, c.patterns, true) || !allowed(u, c.shardChannels, false)) {
        kill.add(c);
      }
    }
    for (Client c : kill) c.close();
  }

  private static boolean allowed(User u, Iterable<Bytes> names, boolean patterns) {
    for (Bytes b : names) {
      String ch = new String(b.array(), StandardCharsets.UTF_8);
      boolean ok = false;
      for (Selector s : u.allSelectors()) ok |= s.allowsChannel(ch, patterns);
      if (!ok) return false;
    }
    return true;
  }

  /** Removes a user; its clients are disconnected (the caller's own connection after this reply). */
  boolean deleteUser(String name, Client caller) {
    if (users.remove(name) == null) return false;
    disconnect(name, caller);
    return true;
  }

  void disconnect(String name, Client caller) {
    List<Client> kill = new ArrayList<>();
    for (Client c : server.clients.all()) {
      if (name.equals(c.user)) kill.add(c);
    }
    for (Client c : kill) {
      c.user = DEFAULT;
      c.authenticated = false;
      if (c == caller) c.closeAfterReply();
      else c.close();
    }
  }

  /**
   * Replaces every user (ACL LOAD). As Redis frees every user it replaced, the clients of all the users but
   * {@code default} (which is copied in place) are disconnected, the caller's own after this reply.
   */
  void replaceUsers(Map<String, User> loaded, Client caller) {
    List<String> before = new ArrayList<>(users.keySet());
    users.clear();
    users.putAll(loaded);
    for (String name : before) {
      if (!name.equals(DEFAULT)) disconnect(name, caller);
    }
  }
}
