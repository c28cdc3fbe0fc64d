package dev.vireo.persistence.rdb;

/**
 * What {@link RdbReader} reports, in file order. Methods may throw {@link RdbException} to stop the load (for
 * example when a key is refused); the reader then stops at once.
 */
public interface RdbVisitor {
  /** An {@code AUX} field; Redis writes {@code redis-ver}, {@code repl-id}, {@code repl-offset} and others. */
  default void aux(String name, byte[] value) throws RdbException {}

  /** {@code SELECTDB}: following keys belong to database {@code db}. */
  default void selectDb(int db) throws RdbException {}

  /** {@code RESIZEDB}: sizing hints for the current database. */
  default void resizeDb(long keys, long expires) throws RdbException {}

  /** A {@code FUNCTION2} record: the code of one function library. */
  default void function(byte[] code) throws RdbException {}

  /** A key with its value; {@code expireAtMillis} is an absolute Unix time in ms, or -1 when it has none. */
  void key(int db, byte[] key, RdbValue value, long expireAtMillis) throws RdbException;

  /**
   * The {@code EOF} opcode and checksum were read. {@code checksumOk} is true when the CRC matched or was 0 (not
   * computed by the writer) or the version has none; a mismatch is reported as an {@link RdbException} before
   * this is called, so a visitor normally sees true.
   */
  default void end(boolean checksumOk) throws RdbException {}
}
