package io.heimdall.core.db;

import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Asks PostgreSQL how it would run a query: {@code EXPLAIN (FORMAT JSON)} with the same bound
 * parameters the application uses. For tests and diagnostics; obtain from {@link
 * HeimdallDatabase#explain()}.
 */
public final class Explain {
  /** Walks the JSON plan in the database itself, so no JSON library is needed here. */
  private static final String NODES =
      "SELECT n->>'Node Type' AS node_type, n->>'Relation Name' AS relation, n->>'Index Name' AS"
          + " index_name FROM jsonb_path_query(CAST(:plan AS jsonb), 'strict $.**') WITH ORDINALITY"
          + " AS p(n, ord) WHERE jsonb_typeof(n) = 'object' AND n->>'Node Type' IS NOT NULL ORDER"
          + " BY ord";

  private final Jdbi jdbi;

  Explain(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * @param sql a query with {@code :name} parameters
   * @param params their values
   * @return the plan PostgreSQL chooses for those values
   */
  public QueryPlan plan(String sql, Map<String, ?> params) {
    return SqlErrors.call(
        () ->
            jdbi.withHandle(
                h -> {
                  String json =
                      h.createQuery("EXPLAIN (FORMAT JSON) " + sql)
                          .bindMap(params)
                          .mapTo(String.class)
                          .one();
                  return new QueryPlan(
                      json,
                      h.createQuery(NODES)
                          .bind("plan", json)
                          .map(
                              (rs, ctx) ->
                                  new QueryPlan.Node(
                                      rs.getString("node_type"),
                                      rs.getString("relation"),
                                      rs.getString("index_name")))
                          .list());
                }));
  }
}
