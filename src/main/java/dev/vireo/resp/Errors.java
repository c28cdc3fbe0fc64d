package dev.vireo.resp;


/** Redis's error replies, word for word. */
public final class Errors {
  private Errors() {}

  public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
  public static final String NOT_FLOAT = "ERR value is not a valid float";
  public static final String SYNTAX = "ERR syntax error";
  public static final String NO_SUCH_KEY = "ERR no such key";
  public static final String OVERFLOW = "ERR increment or decrement would overflow";
  public static final String NOAUTH = "NOAUTH Authentication required.";
  public static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";
  public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
  public static final String DB_RANGE = "ERR DB index is out of range";
  public static final String NOT_OBJECT_SIZE = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
  public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";

  public static CommandError err(String text) {
    return new CommandError(text);
  }

  public static CommandError invalidExpire(String cmd) {
    return new CommandError("ERR invalid expire time in '" + cmd + "' command");
  }
}
