package dev.vireo.acl;

/** A rule ACL SETUSER (or a {@code user} line, or the ACL file) refuses; the message is Redis's text for it. */
final class RuleError extends Exception {
  static final String SYNTAX = "Syntax error";
  static final String UNKNOWN = "Unknown command or category name in ACL";
  static final String KEYS_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
      + "and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
  static final String CHANNELS_AFTER_ALL = "Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
      + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
  static final String NO_SUCH_PASSWORD = "The password you are trying to remove from the user does not exist";
  static final String BAD_HASH = "The password hash must be exactly 64 characters and contain only lowercase "
      + "hexadecimal characters";
  static final String DUPLICATE_USER = "Duplicate user found. A user can only be defined once in config files";

  RuleError(String message) {
    super(message, null, false, false);
  }
}
