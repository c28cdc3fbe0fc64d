package dev.vireo.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * An ACL user: on/off, its passwords (only their SHA-256 hashes, in hex), nopass, the sanitize-payload flags, its
 * root selector and its {@code (...)} selectors. Rules apply as ACLSetUser applies them.
 */
final class User {
  private static final int SANITIZE = 1;
  private static final int SKIP_SANITIZE = 2;

  final String name;
  boolean enabled;
  boolean nopass;
  /** 0, SANITIZE or SKIP_SANITIZE: shown only once a rule set it. */
  int sanitize;
  List<String> passwords = new ArrayList<>();
  Selector root;
  List<Selector> selectors = new ArrayList<>();

  User(String name, boolean allChannels) {
    this.name = name;
    this.root = new Selector(allChannels);
  }

  User copy() {
    User u = new User(name, false);
    u.enabled = enabled;
    u.nopass = nopass;
    u.sanitize = sanitize;
    u.passwords = new ArrayList<>(passwords);
    u.root = root.copy();
    for (Selector s : selectors) u.selectors.add(s.copy());
    return u;
  }

  /** Applies one rule (ACLSetUser's grammar, selectors included); throws Redis's error when it refuses it. */
  void apply(String op, Catalog catalog, boolean pubsubAllChannels) throws RuleError {
    String lower = op.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "on" -> enabled = true;
      case "off" -> enabled = false;
      case "skip-sanitize-payload" -> sanitize = SKIP_SANITIZE;
      case "sanitize-payload" -> sanitize = SANITIZE;
      case "nopass" -> {
        nopass = true;
        passwords.clear();
      }
      case "resetpass" -> {
        nopass = false;
        passwords.clear();
      }
      case "clearselectors" -> selectors.clear();
      case "reset" -> {
        apply("resetpass", catalog, pubsubAllChannels);
        apply("resetkeys", catalog, pubsubAllChannels);
        apply("resetchannels", catalog, pubsubAllChannels);
        if (pubsubAllChannels) apply("allchannels", catalog, pubsubAllChannels);
        apply("off", catalog, pubsubAllChannels);
        apply("sanitize-payload", catalog, pubsubAllChannels);
        apply("clearselectors", catalog, pubsubAllChannels);
        apply("-@all", catalog, pubsubAllChannels);
      }
      default -> applyOther(op, catalog, pubsubAllChannels);
    }
  }

  private void applyOther(String op, Catalog catalog, boolean pubsubAllChannels) throws RuleError {
    if (op.startsWith(">")) {
      String hash = hash(op.substring(1).getBytes(StandardCharsets.UTF_8));
      if (!passwords.contains(hash)) passwords.add(hash);
      nopass = false;
    } else if (op.startsWith("#")) {
      String hash = op.substring(1);
      checkHash(hash);
      if (!passwords.contains(hash)) passwords.add(hash);
      nopass = false;
    } else if (op.startsWith("<")) {
      if (!passwords.remove(hash(op.substring(1).getBytes(StandardCharsets.UTF_8)))) {
        throw new RuleError(RuleError.NO_SUCH_PASSWORD);
      }
    } else if (op.startsWith("!")) {
      String hash = op.substring(1);
      checkHash(hash);
      if (!passwords.remove(hash)) throw new RuleError(RuleError.NO_SUCH_PASSWORD);
    } else if (op.startsWith("(") && op.endsWith(")") && op.length() >= 2) {
      Selector s = new Selector(pubsubAllChannels);
      for (String rule : op.substring(1, op.length() - 1).split(" ")) {
        if (!rule.isEmpty()) s.apply(rule, catalog);
      }
      selectors.add(s);
    } else {
      root.apply(op, catalog);
    }
  }

  private static void checkHash(String hash) throws RuleError {
    if (hash.length() != 64) throw new RuleError(RuleError.BAD_HASH);
    for (int i = 0; i < hash.length(); i++) {
      char ch = hash.charAt(i);
      if ((ch < 'a' || ch > 'f') && (ch < '0' || ch > '9')) throw new RuleError(RuleError.BAD_HASH);
    }
  }

  static String hash(byte[] password) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Redis's check: on, and nopass or a password whose hash is one of the user's (compared in constant time). */
  boolean accepts(byte[] password) {
    if (!enabled) return false;
    if (nopass) return true;
    byte[] given = hash(password).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String p : passwords) {
      ok |= MessageDigest.isEqual(p.getBytes(StandardCharsets.US_ASCII), given);
    }
    return ok;
  }

  List<String> flags() {
    List<String> f = new ArrayList<>();
    f.add(enabled ? "on" : "off");
    if (nopass) f.add("nopass");
    if (sanitize == SKIP_SANITIZE) f.add("skip-sanitize-payload");
    if (sanitize == SANITIZE) f.add("sanitize-payload");
    return f;
  }

  /** The rules as ACL LIST (and the ACL file) renders them, after "user name ". */
  String describe(Catalog catalog) {
    StringBuilder sb = new StringBuilder(String.join(" ", flags()));
    for (String p : passwords) sb.append(" #").append(p);
    sb.append(' ').append(root.describe(catalog));
    for (Selector s : selectors) sb.append(" (").append(s.describe(catalog)).append(')');
    return sb.toString();
  }

  /** Every selector, the root first. */
  List<Selector> allSelectors() {
    List<Selector> all = new ArrayList<>(selectors.size() + 1);
    all.add(root);
    all.addAll(selectors);
    return all;
  }
}
