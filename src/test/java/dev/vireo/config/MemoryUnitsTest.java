package dev.vireo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MemoryUnitsTest {
  @Test
  void units() {
    assertEquals(0, MemoryUnits.parse("0"));
    assertEquals(123, MemoryUnits.parse("123"));
    assertEquals(123, MemoryUnits.parse("123b"));
    assertEquals(1000, MemoryUnits.parse("1k"));
    assertEquals(1024, MemoryUnits.parse("1kb"));
    assertEquals(1024, MemoryUnits.parse("1KB"));
    assertEquals(2_000_000, MemoryUnits.parse("2m"));
    assertEquals(2 * 1024 * 1024, MemoryUnits.parse("2Mb"));
    assertEquals(3_000_000_000L, MemoryUnits.parse("3g"));
    assertEquals(3L << 30, MemoryUnits.parse("3gb"));
  }

  @Test
  void rejects() {
    assertEquals(-1, MemoryUnits.parse(""));
    assertEquals(-1, MemoryUnits.parse("-1"));
    assertEquals(-1, MemoryUnits.parse("mb"));
    assertEquals(-1, MemoryUnits.parse("1tb"));
    assertEquals(-1, MemoryUnits.parse("1 mb"));
    assertEquals(-1, MemoryUnits.parse("1.5mb"));
    assertEquals(-1, MemoryUnits.parse("99999999999999999gb"), "overflow");
  }

  @Test
  void format() {
    assertEquals("0", MemoryUnits.format(0));
    assertEquals("1000", MemoryUnits.format(1000));
    assertEquals("1kb", MemoryUnits.format(1024));
    assertEquals("1mb", MemoryUnits.format(1048576));
    assertEquals("512mb", MemoryUnits.format(536870912));
    assertEquals("1gb", MemoryUnits.format(1L << 30));
    assertEquals("1025", MemoryUnits.format(1025));
  }
}
