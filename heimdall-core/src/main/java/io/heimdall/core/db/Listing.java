package io.heimdall.core.db;

import java.util.EnumSet;
import java.util.Set;

/** The three paged listings: table, id width in a cursor, and which filter fields apply. */
enum Listing {
  TASKS("tasks", 16, EnumSet.of(Filter.STATUS, Filter.CREATED)),
  RESULTS("task_results", 16, EnumSet.of(Filter.TASK, Filter.CONFIDENCE, Filter.CREATED)),
  MEASUREMENTS(
      "signal_measurements",
      8,
      EnumSet.of(Filter.TASK, Filter.STATION, Filter.FREQUENCY, Filter.CREATED));

  /** Filter fields, grouped as {@link QueryFilter} documents them. */
  enum Filter {
    STATUS,
    CREATED,
    TASK,
    STATION,
    FREQUENCY,
    CONFIDENCE
  }

  final String table;
  final int idBytes;
  final Set<Filter> filters;

  Listing(String table, int idBytes, Set<Filter> filters) {
    this.table = table;
    this.idBytes = idBytes;
    this.filters = filters;
  }
}
