package io.heimdall.locate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The localiser's posterior models, one per receiver set and area, least recently used first out.
 * A model is lent out and returned; one pushed out while lent is closed when the last borrower
 * returns it, so a run never meets a closed engine.
 */
final class ModelCache implements AutoCloseable {

  /** A receiver set (sorted by station id) over an area. */
  record Key(List<Station> stations, SearchArea area) {}

  private static final class Entry {
    final PosteriorModel model;
    int leases;
    boolean evicted;

    Entry(PosteriorModel model) {
      this.model = model;
    }
  }

  private final int capacity;
  private final Function<Key, PosteriorModel> factory;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<PosteriorModel, Entry> lent = new java.util.IdentityHashMap<>();
  private boolean closed;

  ModelCache(int capacity, Function<Key, PosteriorModel> factory) {
    this.capacity = capacity;
    this.factory = factory;
  }

  /** Borrows the model of {@code key}, building it if needed; give it back with {@link #release}. */
  PosteriorModel acquire(Key key) {
    List<PosteriorModel> toClose = new ArrayList<>();
    Entry entry;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the localiser is closed");
      }
      entry = entries.get(key);
      if (entry == null) {
        // Built under the lock: building is a one-off per receiver set (tens of milliseconds).
        entry = new Entry(factory.apply(key));
        entries.put(key, entry);
        Iterator<Entry> oldest = entries.values().iterator();
        while (entries.size() > capacity) {
          Entry old = oldest.next();
          oldest.remove();
          old.evicted = true;
          if (old.leases == 0) {
            toClose.add(old.model);
          }
        }
      }
      entry.leases++;
      lent.put(entry.model, entry);
    }
    toClose.forEach(PosteriorModel::close);
    return entry.model;
  }

  /** Returns a model borrowed with {@link #acquire}. */
  void release(PosteriorModel model) {
    boolean close;
    synchronized (this) {
      Entry entry = lent.get(model);
      entry.leases--;
      if (entry.leases == 0) {
        lent.remove(model);
      }
      close = entry.evicted && entry.leases == 0;
    }
    if (close) {
      model.close();
    }
  }

  synchronized int size() {
    return entries.size();
  }

  /** Closes every model not lent out now, and each lent one when it comes back. Idempotent. */
  @Override
  public void close() {
    List<PosteriorModel> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Entry entry : entries.values()) {
        entry.evicted = true;
        if (entry.leases == 0) {
          toClose.add(entry.model);
        }
      }
      entries.clear();
    }
    closeAll(toClose, PosteriorModel::close);
  }

  /**
   * Closes every item, even when one fails; rethrows the first failure with the others suppressed.
   */
  static <T> void closeAll(List<T> items, java.util.function.Consumer<T> close) {
    RuntimeException failure = null;
    for (T item : items) {
      try {
        close.accept(item);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
