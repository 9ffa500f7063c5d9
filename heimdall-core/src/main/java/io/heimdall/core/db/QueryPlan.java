package io.heimdall.core.db;

import io.heimdall.core.internal.Checks;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PostgreSQL plan from {@code EXPLAIN (FORMAT JSON)}, flattened to its nodes.
 *
 * @param json the plan as PostgreSQL printed it
 * @param nodes every plan node, depth first from the root
 */
public record QueryPlan(String json, List<Node> nodes) {
  /**
   * One plan node.
   *
   * @param nodeType e.g. "Index Scan", "Seq Scan", "Bitmap Index Scan"
   * @param relation the table it reads, or null
   * @param indexName the index it uses, or null
   */
  public record Node(String nodeType, String relation, String indexName) {}

  /** Copies the node list.
   *
   * @param json the plan as PostgreSQL printed it
   * @param nodes every plan node, depth first from the root
   * @throws io.heimdall.InvalidInputException if the JSON is null
   */
  public QueryPlan {
    Checks.required("json", json);
    nodes = List.copyOf(nodes);
  }

  /**
   * @return the names of every index the plan uses
   */
  public Set<String> indexNames() {
    return nodes.stream().map(Node::indexName).filter(Objects::nonNull).collect(Collectors.toSet());
  }

  /**
   * @param index an index name
   * @return whether some node uses it
   */
  public boolean usesIndex(String index) {
    return indexNames().contains(index);
  }

  /**
   * @param table a table name
   * @return whether the plan reads the whole table sequentially
   */
  public boolean scansSequentially(String table) {
    return nodes.stream()
        .anyMatch(n -> "Seq Scan".equals(n.nodeType()) && table.equals(n.relation()));
  }
}
