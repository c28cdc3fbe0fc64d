package dev.vireo.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Geohash encoding and decoding. Expected scores, positions, hashes and distances were recorded from redis-server
 * 7.0.15 (GEOADD then ZSCORE, GEOPOS, GEOHASH, GEODIST).
 */
class GeoHashTest {

  @Test
  void scoresArePositionsAsRedisEncodesThem() {
    assertEquals(3479099956230698L, GeoHash.score(13.361389, 38.115556));
    assertEquals(3479447370796909L, GeoHash.score(15.087269, 37.502669));
    // on the upper limits the offsets reach 2^26: the score carries bits past the 52nd, as in Redis
    assertEquals(13510798882111488L, GeoHash.score(180, 85.05112878));
    assertEquals(0L, GeoHash.score(-180, -85.05112878));
    assertEquals(-1L, GeoHash.score(180.0000001, 0));
    assertEquals(-1L, GeoHash.score(0, 85.05112879));
  }

  @Test
  void decodingGivesTheCentreOfTheCell() {
    double[] palermo = GeoHash.decodeScore(3479099956230698L);
    assertEquals("13.36138933897018433", human(palermo[0]));
    assertEquals("38.11555639549629859", human(palermo[1]));
    // past the limits the centre is kept within them
    double[] top = GeoHash.decodeScore(13510798882111488L);
    assertEquals(180.0, top[0]);
    assertEquals("85.0511287799999991", human(top[1]));
    assertEquals("sqc8b49rny0", GeoHash.standard(palermo[0], palermo[1]));
    assertEquals("bp05b5048p0", GeoHash.standard(top[0], top[1]));
  }

  @Test
  void encodeDecodeRoundTrip() {
    Random rnd = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      double lon = rnd.nextDouble() * 360 - 180;
      double lat = rnd.nextDouble() * 2 * GeoHash.LAT_MAX - GeoHash.LAT_MAX;
      long score = GeoHash.score(lon, lat);
      assertTrue(score >= 0 && score < (1L << 52), "score " + score);
      double[] back = GeoHash.decodeScore(score);
      // within half a cell: 360 / 2^26 degrees of longitude, 170.1 / 2^26 of latitude
      assertTrue(Math.abs(back[0] - lon) <= 360.0 / (1 << 26) / 2 + 1e-12, lon + " -> " + back[0]);
      assertTrue(Math.abs(back[1] - lat) <= 2 * GeoHash.LAT_MAX / (1 << 26) / 2 + 1e-12, lat + " -> " + back[1]);
      assertEquals(score, GeoHash.score(back[0], back[1]), "the centre of a cell encodes to that cell");
    }
  }

  @Test
  void distancesAsRedisPrintsThem() {
    double[] p = GeoHash.decodeScore(3479099956230698L);
    double[] c = GeoHash.decodeScore(3479447370796909L);
    assertEquals("166274.1516", fixed4(GeoHash.distance(p[0], p[1], c[0], c[1])));
    assertEquals("0.0000", fixed4(GeoHash.distance(p[0], p[1], p[0], p[1])));
  }

  @Test
  void sinesAndArcSinesAreRoundedToNearest() {
    Random rnd = new Random(3);
    int wrongStrict = 0;
    for (int i = 0; i < 300; i++) {
      double s = rnd.nextDouble();
      double t = GeoHash.asin(s);
      // no neighbouring double has a sine nearer to s (the sine taken in double-double precision)
      double r = Math.abs(residual(t, s));
      assertTrue(r <= Math.abs(residual(Math.nextUp(t), s)) && r <= Math.abs(residual(Math.nextDown(t), s)),
          "asin(" + s + ") = " + t);
      if (StrictMath.asin(s) != t) wrongStrict++;
    }
    assertTrue(wrongStrict > 0, "the sample should hold a case StrictMath rounds away");
  }

  @Test
  void scoresConvertToBitsAsCDoes() {
    assertEquals(5L, GeoHash.bitsOf(5.9));
    assertEquals(-5L, GeoHash.bitsOf(-5));
    assertEquals(Long.MIN_VALUE, GeoHash.bitsOf(Double.NEGATIVE_INFINITY));
    assertEquals(0L, GeoHash.bitsOf(Double.POSITIVE_INFINITY));
    assertEquals(Long.MIN_VALUE | 2048, GeoHash.bitsOf(0x1p63 + 2048));
  }

  private static double residual(double t, double s) {
    double[] sin = GeoHash.series(t, true);
    return (sin[0] - s) + sin[1];
  }

  private static String human(double d) {
    String s = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String fixed4(double d) {
    return new BigDecimal(d).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
  }
}
