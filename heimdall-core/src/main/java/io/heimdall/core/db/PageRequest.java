package io.heimdall.core.db;

import io.heimdall.core.internal.Checks;

/**
 * Which page of a newest-first listing to read: by {@linkplain #offset(Integer, Long) offset} (as
 * the original API: {@code limit}, {@code offset}) or by {@linkplain #after(String, Integer) keyset
 * cursor} (stable while rows are inserted, and as fast on page 1,000 as on page 1).
 *
 * @param limit page size, 1..{@value #MAX_LIMIT}
 * @param offset rows to skip (offset paging), &ge; 0; 0 for keyset paging
 * @param cursor the opaque cursor of the previous page (keyset paging), or null for the first page
 * @param keyset whether this is keyset paging
 */
public record PageRequest(int limit, long offset, String cursor, boolean keyset) {
  /**
   * Page size when none is given. */
  public static final int DEFAULT_LIMIT = 50;

  /** Largest accepted page size. */
  public static final int MAX_LIMIT = 1000;

  /** Validates the page size and offset.
   *
   * @param limit page size, 1..{@value #MAX_LIMIT}
   * @param offset rows to skip (offset paging), &ge; 0; 0 for keyset paging
   * @param cursor the opaque cursor of the previous page (keyset paging), or null for the first page
   * @param keyset whether this is keyset paging
   * @throws InvalidPageRequestException if the limit or offset is out of range, or paging kinds are mixed
   */
  public PageRequest {
    Checks.argument(
        limit >= 1 && limit <= MAX_LIMIT,
        InvalidPageRequestException::new,
        "limit must be in 1..%s, got %s",
        MAX_LIMIT,
        limit);
    Checks.argument(
        offset >= 0, InvalidPageRequestException::new, "offset must be >= 0, got %s", offset);
    Checks.argument(
        !keyset || offset == 0,
        InvalidPageRequestException::new,
        "keyset pages take a cursor, not an offset (got offset %s)",
        offset);
    Checks.argument(
        keyset || cursor == null,
        InvalidPageRequestException::new,
        "offset pages take no cursor, got cursor '%s'",
        cursor);
  }

  /**
   * @param limit page size, null for {@value #DEFAULT_LIMIT}
   * @param offset rows to skip, null for 0
   * @return an offset page request
   * @throws InvalidPageRequestException if limit is outside 1..{@value #MAX_LIMIT} or offset is
   *     negative
   */
  public static PageRequest offset(Integer limit, Long offset) {
    return new PageRequest(
        limit == null ? DEFAULT_LIMIT : limit, offset == null ? 0 : offset, null, false);
  }

  /**
   * @param cursor the previous page's {@link Page#nextCursor()}, or null for the first page
   * @param limit page size, null for {@value #DEFAULT_LIMIT}
   * @return a keyset page request
   * @throws InvalidPageRequestException if limit is outside 1..{@value #MAX_LIMIT}
   */
  public static PageRequest after(String cursor, Integer limit) {
    return new PageRequest(limit == null ? DEFAULT_LIMIT : limit, 0, cursor, true);
  }

  /**
   * @param limit page size
   * @return the first keyset page
   */
  public static PageRequest first(int limit) {
    return after(null, limit);
  }
}
