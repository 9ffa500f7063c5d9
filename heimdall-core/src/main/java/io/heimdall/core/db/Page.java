package io.heimdall.core.db;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items the rows, newest first
 * @param hasMore whether rows follow this page
 * @param nextCursor for keyset pages with more rows: the cursor of the next page; otherwise null
 * @param <T> row type
 */
public record Page<T>(List<T> items, boolean hasMore, String nextCursor) {
  /**
   * Copies the items.
   *
   * @param items the rows, newest first
   * @param hasMore whether rows follow this page
   * @param nextCursor for keyset pages with more rows: the cursor of the next page; otherwise null
   */
  public Page {
    items = List.copyOf(items);
  }

  /**
   * @return the cursor of the next page, if this is a keyset page with more rows
   */
  public Optional<String> next() {
    return Optional.ofNullable(nextCursor);
  }
}
