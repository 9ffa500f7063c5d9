package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.junit.jupiter.api.Test;
import org.postgresql.PGResultSetMetaData;
import org.postgresql.core.Field;

class RowsTest extends FreshDatabaseTest {
  /** pgjdbc switches a statement to binary results from its fifth execution on a connection. */
  private static final int EXECUTIONS = 8;

  /**
   * What the decoding must agree with: pgjdbc's own reading, and whether the value came in binary.
   */
  private record Read(Instant decoded, Instant pgjdbc, boolean binary) {}

  private static final RowMapper<Read> READ =
      new Rows.ByName<>(
          new String[] {"created_at"},
          (rs, c) ->
              new Read(
                  c.instant(rs, 0),
                  Rows.instant(rs, c.at(0)),
                  rs.getMetaData().unwrap(PGResultSetMetaData.class).getFormat(c.at(0))
                      == Field.BINARY_FORMAT));

  private static List<Read> readTimestamp(String literal) {
    List<Read> reads = new ArrayList<>();
    db.jdbi()
        .useHandle(
            h -> {
              for (int i = 0; i < EXECUTIONS; i++) {
                reads.add(
                    h.createQuery("SELECT CAST(:t AS timestamptz) AS created_at")
                        .bind("t", literal)
                        .map(READ)
                        .one());
              }
            });
    return reads;
  }

  @Test
  void binaryTimestampsDecodeToTheInstantPgjdbcReads() {
    for (String literal :
        new String[] {
          "2026-03-01 12:34:56.789012+00",
          "2000-01-01 00:00:00+00",
          "1999-12-31 23:59:59.999999+00",
          "1969-07-20 20:17:40.000001+00",
          "0044-03-15 12:00:00+00",
          "2262-04-11 23:47:16.854775+00",
          "2026-03-01 12:34:56.789012+05:30"
        }) {
      Instant expected =
          OffsetDateTime.parse(
                  literal
                      .replace(' ', 'T')
                      .replaceAll("\\+00$", "Z")
                      .replaceAll("\\+05:30$", "+05:30"))
              .toInstant();
      List<Read> reads = readTimestamp(literal);
      assertThat(reads)
          .as(literal)
          .allSatisfy(
              r -> {
                assertThat(r.decoded()).isEqualTo(expected);
                assertThat(r.pgjdbc()).isEqualTo(expected);
              });
      assertThat(reads.get(EXECUTIONS - 1).binary()).as("binary by the last execution").isTrue();
    }
  }

  @Test
  void everyColumnNamedLikeATimestampIsATimestamptz() {
    List<String> others =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT table_name || '.' || column_name || ' ' || data_type FROM"
                                + " information_schema.columns WHERE table_schema = 'public' AND"
                                + " column_name LIKE '%\\_at' AND data_type <> 'timestamp with time"
                                + " zone'")
                        .mapTo(String.class)
                        .list());
    assertThat(others).isEmpty();
    long timestamps =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM information_schema.columns"
                                + " WHERE table_schema = 'public' AND column_name LIKE '%\\_at'")
                        .mapTo(Long.class)
                        .one());
    assertThat(timestamps).as("created_at, started_at, ... exist").isGreaterThanOrEqualTo(6);
  }

  @Test
  void infinityAndNullKeepPgjdbcsMapping() {
    for (String literal : new String[] {"infinity", "-infinity"}) {
      assertThat(readTimestamp(literal))
          .allSatisfy(r -> assertThat(r.decoded()).isEqualTo(r.pgjdbc()));
    }
    assertThat(readTimestamp(null)).allSatisfy(r -> assertThat(r.decoded()).isNull());
  }
}
