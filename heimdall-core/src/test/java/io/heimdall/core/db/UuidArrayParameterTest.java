package io.heimdall.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Oid;

class UuidArrayParameterTest extends FreshDatabaseTest {
  private static final String ECHO =
      "SELECT x FROM unnest(:ids) WITH ORDINALITY AS e(x, n) ORDER BY n";
  private static final List<UUID> IDS =
      Arrays.asList(UUID.randomUUID(), null, UUID.randomUUID(), new UUID(0, 0), new UUID(-1, -1));

  @Test
  void poolSendsTheArrayInBinaryAndTheServerReadsEveryElement() throws Exception {
    List<UUID> echoed =
        db.jdbi()
            .withHandle(
                h -> {
                  assertThat(
                          h.getConnection()
                              .unwrap(BaseConnection.class)
                              .binaryTransferSend(Oid.UUID_ARRAY))
                      .as("binary uuid[] enabled by DatabasePool")
                      .isTrue();
                  return h.createQuery(ECHO)
                      .bind("ids", UuidArrayParameter.of(IDS))
                      .mapTo(UUID.class)
                      .list();
                });
    assertThat(echoed).isEqualTo(IDS);
  }

  @Test
  void connectionWithoutBinaryUuidArraysGetsTheTextLiteral() throws Exception {
    Jdbi plain = Jdbi.create(TestPostgres.newDatabaseUrl());
    List<UUID> echoed =
        plain.withHandle(
            h -> {
              assertThat(
                      h.getConnection()
                          .unwrap(BaseConnection.class)
                          .binaryTransferSend(Oid.UUID_ARRAY))
                  .isFalse();
              return h.createQuery(ECHO)
                  .bind("ids", UuidArrayParameter.of(IDS))
                  .mapTo(UUID.class)
                  .list();
            });
    assertThat(echoed).isEqualTo(IDS);
  }

  @Test
  void emptyArrayMatchesNothing() {
    long matches =
        db.jdbi()
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM tasks WHERE id = ANY(:ids)")
                        .bind("ids", UuidArrayParameter.of(List.of()))
                        .mapTo(Long.class)
                        .one());
    assertThat(matches).isZero();
  }
}
