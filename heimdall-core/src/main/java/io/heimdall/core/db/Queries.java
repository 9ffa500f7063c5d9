package io.heimdall.core.db;

import io.heimdall.core.SignalMeasurement;
import io.heimdall.core.Task;
import io.heimdall.core.TaskResult;
import io.heimdall.core.TaskWithDetails;
import io.heimdall.core.internal.Checks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Paged, filtered, newest-first reads of tasks, results and measurements; field selection for
 * results; and eager loading of tasks with their result and measurements in three statements per
 * page, whatever its size. SQL is assembled only from constant fragments and allow-listed column
 * names; every value is a bound parameter. Obtain from {@link HeimdallDatabase#queries()}.
 */
public final class Queries {
  private static final String ORDER = " ORDER BY created_at DESC, id DESC";

  /**
   * Rows strictly after the cursor in (created_at DESC, id DESC) order; the first conjunct is an
   * index condition.
   */
  private static final Comparator<SignalMeasurement> BY_ID =
      Comparator.comparingLong(SignalMeasurement::id);

  private static final String AFTER_CURSOR =
      "created_at <= :cursorAt AND (created_at < :cursorAt OR id < :cursorId)";

  private final Jdbi jdbi;
  private final Cursors cursors;

  Queries(Jdbi jdbi, Cursors cursors) {
    this.jdbi = jdbi;
    this.cursors = cursors;
  }

  /**
   * @param filter status and time range
   * @param page offset or keyset page
   * @return a page of tasks, newest first
   * @throws InvalidPageRequestException if the filter uses a field that does not apply to tasks
   * @throws InvalidCursorException if the cursor is invalid
   */
  public Page<Task> tasks(QueryFilter filter, PageRequest page) {
    return SqlErrors.call(
        () -> jdbi.withHandle(h -> page(h, Listing.TASKS, "*", filter, page, Rows.TASK)));
  }

  /**
   * @param filter task, minimum confidence and time range
   * @param page offset or keyset page
   * @return a page of results, newest first
   * @throws InvalidPageRequestException if the filter uses a field that does not apply to results
   * @throws InvalidCursorException if the cursor is invalid
   */
  public Page<TaskResult> results(QueryFilter filter, PageRequest page) {
    return SqlErrors.call(
        () -> jdbi.withHandle(h -> page(h, Listing.RESULTS, "*", filter, page, Rows.RESULT)));
  }

  /**
   * @param filter task, station, frequency range and time range
   * @param page offset or keyset page
   * @return a page of measurements, newest first
   * @throws InvalidPageRequestException if the filter uses a field that does not apply to
   *     measurements
   * @throws InvalidCursorException if the cursor is invalid
   */
  public Page<SignalMeasurement> measurements(QueryFilter filter, PageRequest page) {
    return SqlErrors.call(
        () ->
            jdbi.withHandle(
                h -> page(h, Listing.MEASUREMENTS, "*", filter, page, Rows.MEASUREMENT)));
  }

  /**
   * Results with only the chosen fields, e.g. for {@code ?fields=latitude,longitude} (see {@link
   * ResultField#parse(String)}).
   *
   * @param fields fields to return, from the allow-list
   * @param filter task, minimum confidence and time range
   * @param page offset or keyset page
   * @return a page of maps from {@link ResultField#fieldName()} to value, in field order
   */
  public Page<Map<String, Object>> resultFields(
      Set<ResultField> fields, QueryFilter filter, PageRequest page) {
    Checks.argument(
        !fields.isEmpty(),
        UnknownFieldException::new,
        "no result fields requested; allowed: %s",
        ResultField.allowedNames());
    List<ResultField> ordered = fields.stream().sorted().collect(Collectors.toList());
    // Allow-listed column names only, plus what the cursor needs.
    String columns =
        ordered.stream()
                .map(ResultField::fieldName)
                .filter(c -> !c.equals("id") && !c.equals("created_at"))
                .map(c -> c + ", ")
                .collect(Collectors.joining())
            + "id, created_at";
    RowMapper<Map<String, Object>> mapper =
        (rs, ctx) -> {
          Map<String, Object> row = new LinkedHashMap<>();
          for (ResultField f : ordered) {
            row.put(f.fieldName(), f.read(rs));
          }
          return row;
        };
    return SqlErrors.call(
        () -> jdbi.withHandle(h -> page(h, Listing.RESULTS, columns, filter, page, mapper)));
  }

  /**
   * The highest-confidence results, served by {@code idx_results_confidence}.
   *
   * @param minConfidence lowest confidence returned, in [0, 1]
   * @param limit 1..{@value PageRequest#MAX_LIMIT}
   * @return results by descending confidence
   */
  public List<TaskResult> topResultsByConfidence(double minConfidence, int limit) {
    Checks.argument(
        minConfidence >= 0 && minConfidence <= 1,
        InvalidPageRequestException::new,
        "minConfidence must be in [0, 1], got %s",
        minConfidence);
    Checks.argument(
        limit >= 1 && limit <= PageRequest.MAX_LIMIT,
        InvalidPageRequestException::new,
        "limit must be in 1..%s, got %s",
        PageRequest.MAX_LIMIT,
        limit);
    return SqlErrors.call(
        () ->
            jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT * FROM task_results WHERE confidence >= :min ORDER BY"
                                + " confidence DESC LIMIT :limit")
                        .bind("min", minConfidence)
                        .bind("limit", limit)
                        .map(Rows.RESULT)
                        .list()));
  }

  /**
   * A page of tasks with their results and measurements: three statements (tasks, results,
   * measurements) in one repeatable-read transaction, so the three agree.
   *
   * @param filter status and time range
   * @param page offset or keyset page
   * @return the page
   */
  public Page<TaskWithDetails> tasksWithDetails(QueryFilter filter, PageRequest page) {
    return SqlErrors.call(
        () ->
            jdbi.inTransaction(
                h -> {
                  repeatableRead(h);
                  Page<Task> tasks = page(h, Listing.TASKS, "*", filter, page, Rows.TASK);
                  return new Page<>(details(h, tasks.items()), tasks.hasMore(), tasks.nextCursor());
                }));
  }

  /**
   * The given tasks with their results and measurements, in three statements.
   *
   * @param taskIds task ids; unknown ids are skipped
   * @return the tasks in the order of {@code taskIds}
   */
  public List<TaskWithDetails> tasksWithDetails(Collection<UUID> taskIds) {
    if (taskIds.isEmpty()) {
      return List.of();
    }
    return SqlErrors.call(
        () ->
            jdbi.inTransaction(
                h -> {
                  repeatableRead(h);
                  Map<UUID, Task> byId =
                      h
                          .createQuery("SELECT * FROM tasks WHERE id = ANY(:ids)")
                          .bind("ids", UuidArrayParameter.of(taskIds))
                          .map(Rows.TASK)
                          .stream()
                          .collect(Collectors.toMap(Task::id, t -> t));
                  List<Task> ordered =
                      taskIds.stream()
                          .distinct()
                          .map(byId::get)
                          .filter(Objects::nonNull)
                          .collect(Collectors.toList());
                  return details(h, ordered);
                }));
  }

  /**
   * Makes the handle's transaction repeatable read as its first statement. Jdbi's {@code
   * inTransaction(REPEATABLE_READ, ...)} instead reads the session's level, sets it and sets it
   * back: three more round trips than this one.
   */
  private static void repeatableRead(Handle h) {
    try (Statement statement = h.getConnection().createStatement()) {
      statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    } catch (SQLException e) {
      throw SqlErrors.translate(e, e);
    }
  }

  private static List<TaskWithDetails> details(Handle h, List<Task> tasks) {
    if (tasks.isEmpty()) {
      return List.of();
    }
    Map<UUID, Integer> positions = new HashMap<>(tasks.size() * 4 / 3 + 1);
    List<UUID> ids = new ArrayList<>(tasks.size());
    for (Task t : tasks) {
      positions.put(t.id(), ids.size());
      ids.add(t.id());
    }
    Argument idArray = UuidArrayParameter.of(ids);
    TaskResult[] results = new TaskResult[tasks.size()];
    h.createQuery("SELECT * FROM task_results WHERE task_id = ANY(:ids)")
        .bind("ids", idArray)
        .map(Rows.RESULT)
        .forEach(r -> results[positions.get(r.taskId())] = r);
    @SuppressWarnings("unchecked")
    List<SignalMeasurement>[] measurements = new List[tasks.size()];
    // Unordered: sorting thousands of rows by uuid costs the server more than sorting each task's
    // few here.
    h.createQuery("SELECT * FROM signal_measurements WHERE task_id = ANY(:ids)")
        .bind("ids", idArray)
        .map(Rows.MEASUREMENT)
        .forEach(
            m -> {
              int i = positions.get(m.taskId());
              if (measurements[i] == null) {
                measurements[i] = new ArrayList<>();
              }
              measurements[i].add(m);
            });
    List<TaskWithDetails> out = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      List<SignalMeasurement> own = measurements[i];
      if (own == null) {
        own = List.of();
      } else {
        own.sort(BY_ID);
      }
      out.add(new TaskWithDetails(tasks.get(i), Optional.ofNullable(results[i]), own));
    }
    return out;
  }

  /** A row with the key the cursor needs. */
  private record Keyed<T>(T value, Instant createdAt, Object id) {}

  private <T> Page<T> page(
      Handle h,
      Listing listing,
      String columns,
      QueryFilter filter,
      PageRequest page,
      RowMapper<T> mapper) {
    Map<String, Object> binds = new HashMap<>();
    List<String> where = conditions(listing, filter, binds);
    if (page.keyset() && page.cursor() != null) {
      Cursors.Position after = cursors.decode(listing, page.cursor());
      where.add(AFTER_CURSOR);
      binds.put("cursorAt", Rows.utc(after.createdAt()));
      binds.put("cursorId", after.id());
    }
    String sql =
        "SELECT "
            + columns
            + " FROM "
            + listing.table
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + ORDER
            + " LIMIT :limit"
            + (page.keyset() ? "" : " OFFSET :offset");
    binds.put("limit", page.limit() + 1); // one extra row tells whether another page follows
    if (!page.keyset()) {
      binds.put("offset", page.offset());
    }
    List<Keyed<T>> rows =
        h.createQuery(sql).bindMap(binds).map(new KeyedMapper<>(listing, mapper)).list();
    boolean hasMore = rows.size() > page.limit();
    List<Keyed<T>> shown = hasMore ? rows.subList(0, page.limit()) : rows;
    String next = null;
    if (hasMore && page.keyset()) {
      Keyed<T> last = shown.get(shown.size() - 1);
      next = cursors.encode(listing, last.createdAt(), last.id());
    }
    return new Page<>(shown.stream().map(Keyed::value).collect(Collectors.toList()), hasMore, next);
  }

  /** Adds the cursor key to each row; specialises the inner mapper once per result set. */
  private static final class KeyedMapper<T> implements RowMapper<Keyed<T>> {
    private final Listing listing;
    private final RowMapper<T> inner;

    KeyedMapper(Listing listing, RowMapper<T> inner) {
      this.listing = listing;
      this.inner = inner;
    }

    @Override
    public Keyed<T> map(ResultSet rs, StatementContext ctx) throws SQLException {
      return specialize(rs, ctx).map(rs, ctx);
    }

    @Override
    public RowMapper<Keyed<T>> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
      RowMapper<T> value = inner.specialize(rs, ctx);
      int createdAt = rs.findColumn("created_at");
      int id = rs.findColumn("id");
      boolean numericId = listing == Listing.MEASUREMENTS;
      return (row, context) ->
          new Keyed<>(
              value.map(row, context),
              Rows.instant(row, createdAt),
              numericId ? (Object) row.getLong(id) : row.getObject(id, UUID.class));
    }
  }

  private static List<String> conditions(
      Listing listing, QueryFilter f, Map<String, Object> binds) {
    List<String> where = new ArrayList<>();
    Object status = f.status() == null ? null : f.status().dbValue();
    condition(listing, Listing.Filter.STATUS, "status", "status = :status", status, where, binds);
    condition(
        listing,
        Listing.Filter.CREATED,
        "createdFrom",
        "created_at >= :createdFrom",
        Rows.utc(f.createdFrom()),
        where,
        binds);
    condition(
        listing,
        Listing.Filter.CREATED,
        "createdBefore",
        "created_at < :createdBefore",
        Rows.utc(f.createdBefore()),
        where,
        binds);
    condition(
        listing, Listing.Filter.TASK, "taskId", "task_id = :taskId", f.taskId(), where, binds);
    condition(
        listing,
        Listing.Filter.STATION,
        "stationName",
        "station_name = :stationName",
        f.stationName(),
        where,
        binds);
    condition(
        listing,
        Listing.Filter.FREQUENCY,
        "minFrequencyMhz",
        "frequency_mhz >= :minFrequencyMhz",
        f.minFrequencyMhz(),
        where,
        binds);
    condition(
        listing,
        Listing.Filter.FREQUENCY,
        "maxFrequencyMhz",
        "frequency_mhz <= :maxFrequencyMhz",
        f.maxFrequencyMhz(),
        where,
        binds);
    condition(
        listing,
        Listing.Filter.CONFIDENCE,
        "minConfidence",
        "confidence >= :minConfidence",
        f.minConfidence(),
        where,
        binds);
    return where;
  }

  /**
   * Adds one set filter field as a condition whose parameter is named after the field, after
   * checking that the field applies to the listing.
   */
  private static void condition(
      Listing listing,
      Listing.Filter filter,
      String field,
      String sql,
      Object value,
      List<String> where,
      Map<String, Object> binds) {
    if (value == null) {
      return;
    }
    Checks.argument(
        listing.filters.contains(filter),
        InvalidPageRequestException::new,
        "filter field %s does not apply to %s",
        field,
        listing.table);
    where.add(sql);
    binds.put(field, value);
  }
}
