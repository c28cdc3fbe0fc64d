package dev.vireo.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vireo.testkit.RedisServerProcess;
import dev.vireo.testkit.RespClient;
import dev.vireo.testkit.TempDirs;
import dev.vireo.testkit.TestNode;
import dev.vireo.testkit.Transcripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ACL users, the same scripted sessions on a real redis-server 7.0 and on Vireo, every reply compared byte for byte
 * in RESP2 and RESP3: the ACL SETUSER grammar and its errors, GETUSER and LIST renderings, denials of commands,
 * subcommands, categories, keys (~, %R~, %W~) and channels (also queued in MULTI and called from scripts), AUTH and
 * HELLO, the ACL log, DRYRUN, LOAD and SAVE with an {@code aclfile}, {@code user} lines in the configuration with
 * {@code requirepass}, and the clients Redis disconnects. Where Redis's order comes from a hash table (the single
 * commands after the categories of a rules string, ACL CAT's commands) both are sorted before comparing; ACL LOG's
 * age and the client ids are masked.
 */
@Timeout(120)
class AclDifferentialIT {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String FILE = "user filed on >fp ~f* +get\n";

  private static Path dir;
  private static RedisServerProcess redis;
  private static TestNode vireo;

  @BeforeAll
  static void start() throws IOException {
    dir = Files.createTempDirectory("vireo-acl");
    Files.writeString(dir.resolve("redis.acl"), FILE);
    Files.writeString(dir.resolve("vireo.acl"), FILE);
    redis = RedisServerProcess.start("--aclfile", dir.resolve("redis.acl").toString());
    vireo = TestNode.start("--aclfile", dir.resolve("vireo.acl").toString());
  }

  @AfterAll
  static void stop() {
    if (redis != null) redis.close();
    if (vireo != null) vireo.close();
    if (dir != null) TempDirs.deleteQuietly(dir);
  }

  /** One server under test: its connections by name and the transcript of the session. */
  private static final class Side implements AutoCloseable {
    final int port;
    final Path aclFile;
    final int proto;
    final RespClient admin;
    final Map<String, RespClient> clients = new LinkedHashMap<>();
    final List<String> transcript = new ArrayList<>();

    Side(int port, Path aclFile, int proto) {
      this.port = port;
      this.aclFile = aclFile;
      this.proto = proto;
      this.admin = new RespClient(port).readTimeout(WAIT);
      clients.put("admin", admin);
      String users = admin.call("ACL", "USERS");
      for (String u : users.split("\r\n")) {
        if (!u.startsWith("*") && !u.startsWith("$") && !u.equals("default")) admin.call("ACL", "DELUSER", u);
      }
      admin.call("ACL", "LOG", "RESET");
    }

    /** The connection named {@code who}, opened (named, in the session's protocol) on first use. */
    RespClient client(String who) {
      return clients.computeIfAbsent(who, n -> {
        RespClient c = new RespClient(port).readTimeout(WAIT);
        c.call("CLIENT", "SETNAME", n);
        if (proto == 3) c.call("HELLO", "3");
        return c;
      });
    }

    /** Runs a command on {@code who} and records its reply (normalized). */
    void run(String who, String... cmd) {
      String reply;
      try {
        reply = client(who).call(cmd);
      } catch (UncheckedIOException e) {
        reply = "(connection closed)";
      }
      transcript.add(who + "> " + String.join(" ", cmd) + " -> " + normalize(reply));
    }

    /** Records whether the server closed {@code who}'s connection (a PING gets no reply then). */
    void alive(String who) {
      String r;
      try {
        RespClient c = clients.get(who);
        r = c.call("PING").startsWith("-") ? "error" : "alive";
      } catch (UncheckedIOException e) {
        r = "closed";
      }
      transcript.add(who + " is " + r);
    }

    void note(String line) {
      transcript.add(line);
    }

    String normalize(String reply) {
      String r = reply.replace(aclFile.toString(), "ACLFILE");
      r = r.replaceAll("(\\r\\nid\\r\\n):[0-9]+", "$1:ID");
      r = r.replaceAll("(age-seconds\\r\\n)(\\$[0-9]+\\r\\n[^\\r]*|,[^\\r]*)", "$1AGE");
      Matcher m = Pattern.compile("(client-info\\r\\n)\\$[0-9]+\\r\\n([^\\r]*)").matcher(r);
      StringBuilder sb = new StringBuilder();
      while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + clientInfo(m.group(2))));
      m.appendTail(sb);
      return sortSingleCommands(sb.toString()).replace("\r\n", "\\r\\n");
    }

    @Override
    public void close() {
      for (RespClient c : clients.values()) c.close();
    }
  }

  /** The client-info fields that do not depend on the server's buffers or ids. */
  private static String clientInfo(String line) {
    StringBuilder sb = new StringBuilder();
    for (String kv : line.split(" ")) {
      for (String f : List.of("name", "flags", "db", "sub", "psub", "cmd", "user", "resp")) {
        if (kv.startsWith(f + "=")) sb.append(kv).append(' ');
      }
    }
    return sb.toString().trim();
  }

  /** Sorts each run of single-command rules (+get -set...), whose order in Redis comes from its command dict. */
  static String sortSingleCommands(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\r\n", -1)) {
      if (out.length() > 0) out.append("\r\n");
      String[] t = line.split(" ", -1);
      int i = 0;
      while (i < t.length) {
        int j = i;
        while (j < t.length && t[j].matches("[+-][a-z_0-9|-]+")) j++;
        if (j > i + 1) Arrays.sort(t, i, j);
        i = Math.max(j, i + 1);
      }
      out.append(String.join(" ", t));
    }
    return out.toString();
  }

  private static void compare(int proto, Consumer<Side> session) {
    try (Side r = new Side(redis.port(), dir.resolve("redis.acl"), proto);
        Side v = new Side(vireo.port(), dir.resolve("vireo.acl"), proto)) {
      session.accept(r);
      session.accept(v);
      Transcripts.assertSame(r.transcript, v.transcript);
    }
  }

  // ---------------------------------------------------------------- sessions

  @ParameterizedTest(name = "RESP{0}")
  @ValueSource(ints = {2, 3})
  void setuserGrammarGetuserAndList(int proto) {
    compare(proto, s -> {
      String[][] steps = {
          {"a", "foo"}, {"a", ">x", "<y"}, {"a", "#abc"},
          {"a", "#F64551FCD6F07823CB87971CFB91446425DA18286B3AB1EF935E0CBD7A69F68A"},
          {"a", "!f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a"},
          {"a", "+nosuch"}, {"a", "+@nosuch"}, {"a", "allkeys", "~foo"}, {"a", "allchannels", "&foo"},
          {"a", "%~x"}, {"a", "%X~x"}, {"a", "%RR~x"}, {"a", "%R"}, {"a", "+get|x"}, {"a", "-get|x"},
          {"a", "+config|nosuch"}, {"a", "-config|get"}, {"a", "(~x"}, {"a", "on", "(~x", "+get"}, {"a", "(foo)"},
          {"a", "(", "~x", ")"}, {"a", "~x", "~x", "%R~x", "%W~x", "%W~y", "%R~y"}, {"a", "%RW~*"},
          {"a", "+@all", "-@read", "+get"}, {"a", "-@all", "+@hash", "+@string", "-@write"},
          {"a", "+select|0", "+select|1"}, {"a", "&*", "resetchannels", "&a", "&a"}, {"a", "reset"},
          {"a", "nopass", ">x"}, {"a", ">x", "nopass"}, {"a", "resetpass", ">x", ">y", "<x"},
          {"a", "ON", "AllKeys", "+GET", "+@HASH"}, {"a", "skip-sanitize-payload"},
          {"b", "(~x", "+get)", "(~y", "+set)", "clearselectors"}, {"b", "(~x", "+get)", "(%R~y", "&c", "+@list)"},
          {"c", "on", "nocommands", "allcommands", "-debug", "+debug|help"},
          {"d", "on", "+@hash", "+@string", "-@write", "+object", "-object|freq", "+config|get"},
          {"e", "on", "~k*", "&ch*", "+@all", "-@hash", "-get", "-@read", "+@read"},
          {"a b"}, {"f", "~a b"}};
      for (String[] step : steps) {
        String[] cmd = new String[step.length + 2];
        cmd[0] = "ACL";
        cmd[1] = "SETUSER";
        System.arraycopy(step, 0, cmd, 2, step.length);
        s.run("admin", cmd);
        s.run("admin", "ACL", "GETUSER", step[0]);
        s.run("admin", "ACL", "LIST");
      }
      s.run("admin", "CONFIG", "SET", "acl-pubsub-default", "allchannels");
      s.run("admin", "ACL", "SETUSER", "pubby", "(~x)");
      s.run("admin", "ACL", "SETUSER", "a", "reset");
      s.run("admin", "CONFIG", "SET", "acl-pubsub-default", "resetchannels");
      s.run("admin", "ACL", "SETUSER", "pubby2");
      s.run("admin", "ACL", "LIST");
      s.run("admin", "ACL", "USERS");
      s.run("admin", "ACL", "GETUSER", "nobody");
      s.run("admin", "ACL", "WHOAMI");
      s.run("admin", "ACL", "CAT");
      s.run("admin", "ACL", "CAT", "nosuch");
      s.run("admin", "ACL", "CAT", "a", "b");
      s.run("admin", "ACL", "DELUSER", "default");
      s.run("admin", "ACL", "DELUSER", "a", "zz", "b");
      s.run("admin", "ACL", "GENPASS", "0");
      s.run("admin", "ACL", "GENPASS", "4097");
      s.run("admin", "ACL", "GENPASS", "abc");
      for (String bits : List.of("1", "5", "256", "4096")) {
        String p = s.client("admin").call("ACL", "GENPASS", bits);
        s.note("GENPASS " + bits + " -> " + p.replaceAll("[0-9a-f]", "h"));
      }
      s.note("GENPASS -> " + s.client("admin").call("ACL", "GENPASS").replaceAll("[0-9a-f]", "h"));
      s.run("admin", "ACL", "LOG", "abc");
      s.run("admin", "ACL", "LOG", "1", "2");
      s.run("admin", "ACL", "NOSUCH");
      s.run("admin", "ACL");
      s.run("admin", "ACL", "USERS", "x");
      s.run("admin", "ACL", "HELP");
    });
  }

  @ParameterizedTest(name = "RESP{0}")
  @ValueSource(ints = {2, 3})
  void permissionsOfCommandsKeysAndChannels(int proto) {
    compare(proto, s -> {
      s.run("admin", "ACL", "SETUSER", "alice", "on", ">p1", "~k*", "%R~r*", "%W~w*", "&ch*", "-@all", "+@read",
          "-get", "+set", "+lpush", "+del", "+config|get", "+client", "-client|kill", "+select|0", "+multi",
          "+exec", "+eval", "+eval_ro", "+publish", "+subscribe", "+psubscribe", "+ping", "(~x*", "+get)");
      s.run("u", "AUTH", "alice", "p1");
      s.run("u", "GET", "k1");
      s.run("u", "GET", "x1");
      s.run("u", "MGET", "k1", "r1");
      s.run("u", "MGET", "k1", "w1");
      s.run("u", "SET", "w1", "v");
      s.run("u", "SET", "r1", "v");
      s.run("u", "SET", "k1", "v");
      s.run("u", "LPUSH", "w2", "a");
      s.run("u", "DEL", "r1");
      s.run("u", "DEL", "w2", "k9");
      s.run("u", "HGET", "k1", "f");
      s.run("u", "HGET", "w1", "f");
      s.run("u", "HSET", "k1", "f", "v");
      s.run("u", "CONFIG", "GET", "maxmemory");
      s.run("u", "CONFIG", "SET", "maxmemory", "0");
      s.run("u", "CLIENT", "KILL", "ID", "999999");
      s.run("u", "CLIENT", "GETNAME");
      s.run("u", "SELECT", "0");
      s.run("u", "SELECT", "1");
      s.run("u", "PUBLISH", "ch1", "m");
      s.run("u", "PUBLISH", "x", "m");
      s.run("u", "MULTI");
      s.run("u", "GET", "k1");
      s.run("u", "SET", "w1", "v");
      s.run("u", "HSET", "k1", "f", "v");
      s.run("u", "EXEC");
      s.run("u", "MULTI");
      s.run("u", "SET", "w1", "v2");
      s.run("u", "EXEC");
      s.run("u", "EVAL", "return redis.call('get', 'k1')", "0");
      s.run("u", "EVAL", "return redis.call('get', 'x1')", "0");
      s.run("u", "EVAL", "return redis.call('set', 'r1', 'v')", "0");
      s.run("u", "EVAL", "return redis.call('hset', 'k1', 'f', 'v')", "0");
      s.run("u", "EVAL", "return redis.pcall('publish', 'x', 'm')", "0");
      s.run("u", "EVAL", "return redis.pcall('hset', 'k1', 'f', 'v')", "0");
      s.run("u", "EVAL", "return redis.acl_check_cmd('hset', 'k1', 'f', 'v')", "0");
      s.run("u", "EVAL", "return 1", "1", "r1");
      s.run("u", "EVAL", "return 1", "2", "k1", "x1");
      s.run("u", "EVAL_RO", "return 1", "1", "r1");
      s.run("u", "EVAL_RO", "return 1", "1", "w1");
      s.run("u", "EVAL", "return redis.acl_check_cmd('set', 'w1', 'v')", "0");
      s.run("u", "EVAL", "return redis.acl_check_cmd('set', 'r1', 'v')", "0");
      s.run("admin", "ACL", "DRYRUN", "alice", "get", "k1");
      s.run("admin", "ACL", "DRYRUN", "alice", "get", "x1");
      s.run("admin", "ACL", "DRYRUN", "alice", "set", "r1", "v");
      s.run("admin", "ACL", "DRYRUN", "alice", "set", "w1", "v");
      s.run("admin", "ACL", "DRYRUN", "alice", "config", "set", "a", "b");
      s.run("admin", "ACL", "DRYRUN", "alice", "client", "kill", "x");
      s.run("admin", "ACL", "DRYRUN", "alice", "publish", "x", "m");
      s.run("admin", "ACL", "DRYRUN", "alice", "subscribe", "ch1", "x");
      s.run("admin", "ACL", "DRYRUN", "alice", "psubscribe", "ch*");
      s.run("admin", "ACL", "DRYRUN", "alice", "psubscribe", "ch1*");
      s.run("admin", "ACL", "DRYRUN", "nobody", "get", "x");
      // each key's own access, from the command's key specs: SET ... GET reads too, EXISTS needs no access, LMOVE
      // reads and deletes its source, writes its destination, SORT ... STORE writes only the destination
      s.run("admin", "ACL", "DRYRUN", "alice", "set", "w1", "v", "get");
      s.run("admin", "ACL", "DRYRUN", "alice", "set", "k1", "v", "get");
      s.run("admin", "ACL", "DRYRUN", "alice", "getdel", "r1");
      s.run("admin", "ACL", "DRYRUN", "alice", "getdel", "k1");
      s.run("admin", "ACL", "DRYRUN", "alice", "exists", "w1", "r1");
      s.run("admin", "ACL", "DRYRUN", "alice", "lmove", "r1", "w1", "left", "left");
      s.run("admin", "ACL", "DRYRUN", "alice", "lmove", "k1", "w1", "left", "left");
      s.run("admin", "ACL", "DRYRUN", "alice", "sort", "r1", "store", "w1");
      s.run("admin", "ACL", "DRYRUN", "alice", "sort", "r1", "store", "r2");
      s.run("admin", "ACL", "DRYRUN", "alice", "sintercard", "2", "r1", "w1");
      s.run("admin", "ACL", "DRYRUN", "alice", "xread", "streams", "r1", "w1", "0", "0");
      s.run("admin", "ACL", "DRYRUN", "alice", "nosuch");
      s.run("admin", "ACL", "DRYRUN", "alice", "get");
      s.note("CLIENT LIST u: " + Transcripts.clientListFields(s.admin, "u", "user", "cmd"));
      s.run("u", "SUBSCRIBE", "ch1", "x");
      s.run("u", "SUBSCRIBE", "ch1");
      s.run("u", "PSUBSCRIBE", "ch1*");
      s.run("u", "PSUBSCRIBE", "ch*");
      s.run("admin", "ACL", "LOG");
      s.run("admin", "ACL", "LOG", "2");
      s.run("admin", "ACL", "LOG", "0");
      // channels narrowed but still covering the subscriptions: the client stays
      s.run("admin", "ACL", "SETUSER", "alice", "resetchannels", "&ch1", "&ch*");
      s.alive("u");
      // the pattern ch* is no longer allowed: Redis disconnects the subscriber
      s.run("admin", "ACL", "SETUSER", "alice", "resetchannels", "&ch1");
      s.alive("u");
      s.run("admin", "ACL", "LOG", "RESET");
      s.run("admin", "ACL", "LOG");
    });
  }

  @ParameterizedTest(name = "RESP{0}")
  @ValueSource(ints = {2, 3})
  void authHelloAndDisconnects(int proto) {
    compare(proto, s -> {
      s.run("admin", "ACL", "SETUSER", "bob", "on", ">b1", ">b2", "+@all", "~*");
      s.run("admin", "ACL", "SETUSER", "carol", "off", ">c1", "+@all", "~*");
      s.run("u", "AUTH", "bob", "wrong");
      s.run("u", "AUTH", "nobody", "x");
      s.run("u", "AUTH", "carol", "c1");
      s.run("u", "AUTH", "x");
      s.run("u", "AUTH", "a", "b", "c");
      s.run("u", "AUTH", "bob", "b2");
      s.run("u", "ACL", "WHOAMI");
      s.run("u", "HELLO", String.valueOf(s.proto), "AUTH", "bob", "b1");
      s.run("u", "HELLO", "3", "AUTH", "bob", "nope");
      s.run("u", "ACL", "WHOAMI");
      s.note("CLIENT LIST u: " + Transcripts.clientListFields(s.admin, "u", "user"));
      s.run("admin", "ACL", "SETUSER", "bob", "<b1");
      s.run("u2", "AUTH", "bob", "b1");
      s.run("u2", "AUTH", "bob", "b2");
      s.run("u2", "RESET");
      s.run("u2", "ACL", "WHOAMI");
      s.run("admin", "ACL", "SETUSER", "carol", "on");
      s.run("c", "AUTH", "carol", "c1");
      s.run("admin", "ACL", "SETUSER", "carol", "off");
      s.alive("c"); // as Redis 7.0: a user turned off keeps its connections
      s.run("c", "AUTH", "carol", "c1");
      s.run("admin", "ACL", "DELUSER", "bob");
      s.alive("u");
      s.run("admin", "ACL", "SETUSER", "carol", "on");
      s.run("c2", "AUTH", "carol", "c1");
      s.run("admin", "CLIENT", "KILL", "USER", "nobody");
      s.run("admin", "CLIENT", "KILL", "USER", "carol");
      s.alive("c");
      s.alive("c2");
      s.run("admin", "ACL", "SETUSER", "dave", "on", "nopass", "+@all");
      s.run("d", "AUTH", "dave", "anything");
      s.run("d", "ACL", "DELUSER", "dave");
      s.alive("d");
      // a password for the default user: new connections must authenticate, the ones before stay authenticated
      s.run("admin", "ACL", "SETUSER", "default", "resetpass", ">dp");
      s.run("n", "PING");
      s.run("n", "HELLO", "3");
      s.run("n", "AUTH", "wrong");
      s.run("n", "AUTH", "dp");
      s.run("n", "ACL", "WHOAMI");
      s.run("admin", "ACL", "SETUSER", "default", "nopass");
      s.run("admin", "ACL", "LOG");
      // the rules changed between MULTI and EXEC: each queued command is checked again
      s.run("admin", "ACL", "SETUSER", "t", "on", "nopass", "~*", "&*", "+@all");
      s.run("t", "AUTH", "t", "x");
      s.run("t", "MULTI");
      s.run("t", "SET", "a", "1");
      s.run("t", "GET", "b");
      s.run("t", "PUBLISH", "c", "m");
      s.run("t", "GET", "bb");
      s.run("admin", "ACL", "SETUSER", "t", "-set", "resetkeys", "~bb*", "resetchannels");
      s.run("t", "EXEC");
      s.run("admin", "ACL", "LOG", "3");
      // ACL SETUSER's arguments never reach the slow log
      s.run("admin", "CONFIG", "SET", "slowlog-log-slower-than", "0");
      s.run("admin", "ACL", "SETUSER", "t2", "on", ">secret");
      String slow = s.admin.call("SLOWLOG", "GET", "1");
      s.run("admin", "CONFIG", "SET", "slowlog-log-slower-than", "10000");
      s.note("slowlog shows the password: " + slow.contains("secret") + ", redacted: "
          + slow.split("\\(redacted\\)", -1).length);
    });
  }

  @Test
  void aclFileLoadAndSave() {
    compare(2, s -> {
      write(s.aclFile, FILE);
      s.run("admin", "ACL", "LOAD");
      s.run("admin", "ACL", "LIST");
      s.run("f", "AUTH", "filed", "fp");
      s.run("f", "GET", "f1");
      s.run("f", "GET", "x1");
      s.run("admin", "ACL", "SETUSER", "y", "on", "nopass", "%R~r", "(~x", "+set)", "-@all", "+@hash", "-hset");
      s.run("admin", "ACL", "SAVE");
      s.note("file: " + sortSingleCommands(read(s.aclFile).replace("\n", "\r\n")).replace("\r\n", "|"));
      write(s.aclFile, "user default on nopass ~* &* +@all\nuser x on >p ~a* +nosuch\nfoo bar\nuser x off\n"
          + "user y bad\nuser z on +get -@all +nosuch2 %Q~x allkeys ~y\n");
      s.run("admin", "ACL", "LOAD");
      s.alive("f");
      write(s.aclFile, "user x on >p\n\nuser z off ~z* (~q +get)\n");
      s.run("admin", "ACL", "LOAD");
      s.alive("f"); // its user was replaced: Redis disconnects the clients of every user it replaced
      s.run("admin", "ACL", "LIST");
      s.run("g", "AUTH", "x", "p");
      s.run("admin", "ACL", "LOAD"); // the same file: x is unchanged, yet replaced
      s.alive("g");
      write(s.aclFile, FILE);
      s.run("admin", "ACL", "LOAD");
    });
  }

  /** Users from {@code user} lines (in the file and on the command line), then written back by CONFIG REWRITE. */
  @Test
  void userLinesInTheConfigurationWithRequirepass() {
    String conf = "# users\nuser old on nopass +@all\nport 0\nuser cfg on >cp ~c* -@all +get (~d* +set)\n";
    write(dir.resolve("redis.conf"), conf);
    write(dir.resolve("vireo.conf"), conf);
    try (RedisServerProcess r = RedisServerProcess.startWithConfigFile(dir.resolve("redis.conf"),
            "--requirepass", "rp", "--user", "cli", "on", ">x", "+ping");
        TestNode v = TestNode.start(dir.resolve("vireo.conf").toString(), "--requirepass", "rp", "--user", "cli",
            "on", ">x", "+ping")) {
      List<List<String>> saw = new ArrayList<>();
      for (int port : new int[] {r.port(), v.port()}) {
        List<String> t = new ArrayList<>();
        saw.add(t);
        Path file = port == r.port() ? dir.resolve("redis.conf") : dir.resolve("vireo.conf");
        try (RespClient c = new RespClient(port).readTimeout(WAIT);
            RespClient u = new RespClient(port).readTimeout(WAIT)) {
          for (String[] cmd : new String[][] {
              {"PING"}, {"AUTH", "rp"}, {"ACL", "LIST"}, {"CONFIG", "GET", "requirepass"},
              {"CONFIG", "SET", "requirepass", "rp2"}, {"ACL", "LIST"}, {"ACL", "GETUSER", "default"},
              {"CONFIG", "SET", "requirepass", ""}, {"ACL", "LIST"}, {"CONFIG", "GET", "requirepass"},
              {"ACL", "SETUSER", "default", ">x"}, {"CONFIG", "GET", "requirepass"}, {"ACL", "LIST"}}) {
            t.add(String.join(" ", cmd) + " -> " + c.call(cmd));
          }
          for (String[] cmd : new String[][] {
              {"AUTH", "cfg", "cp"}, {"GET", "c1"}, {"GET", "d1"}, {"SET", "c1", "v"}, {"SET", "d1", "v"},
              {"ACL", "WHOAMI"}}) {
            t.add("u " + String.join(" ", cmd) + " -> " + u.call(cmd));
          }
          c.call("CONFIG", "SET", "requirepass", "rp"); // the password the servers' stop uses
          for (String[] cmd : new String[][] {
              {"ACL", "DELUSER", "old"}, {"ACL", "SETUSER", "new1", "on", ">np", "~h*", "+@hash"},
              {"CONFIG", "REWRITE"}}) {
            t.add(String.join(" ", cmd) + " -> " + c.call(cmd));
          }
          for (String line : read(file).split("\n")) {
            if (line.startsWith("user ") || line.startsWith("# users")) t.add("rewritten: " + line);
          }
        }
      }
      Transcripts.assertSame(saw.get(0), saw.get(1));
    }
  }

  /** A refused {@code user} line stops the start, with Redis's reason (the line itself is not shown: passwords). */
  @Test
  void badUserLinesStopTheStart() {
    for (String[] args : new String[][] {{"--user", "x", "foo"}, {"--user", "x", "on", "--user", "x", "off"},
        {"--user", "x", "%Q~a"}}) {
      String redisSaid = assertThrows(IllegalStateException.class, () -> RedisServerProcess.start(args).close())
          .getMessage();
      String vireoSaid = assertThrows(RuntimeException.class, () -> TestNode.start(args).close()).getMessage();
      String reason = redisSaid.substring(redisSaid.indexOf("Error in user declaration")).trim();
      assertEquals(reason, vireoSaid.trim(), String.join(" ", args));
    }
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
