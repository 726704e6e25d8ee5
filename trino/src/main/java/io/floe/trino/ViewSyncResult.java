package io.floe.trino;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What {@link InterfaceViews#sync} did to each declared view.
 *
 * @param catalog the Trino catalog the views live in
 * @param views one outcome per declared view, in declaration order
 */
public record ViewSyncResult(String catalog, List<SyncedView> views) {
  public ViewSyncResult {
    requireNonNull(catalog, "catalog is null");
    views = List.copyOf(views);
  }

  /** What happened to one view. */
  public enum Status {
    CREATED,
    REPLACED,
    FAILED
  }

  /**
   * One view's outcome.
   *
   * @param name the view name inside {@code interface}
   * @param status created, replaced or failed
   * @param error Trino's message when the view failed (e.g. a gold table that does not exist yet)
   */
  public record SyncedView(String name, Status status, Optional<String> error) {
    public SyncedView {
      requireNonNull(name, "name is null");
      requireNonNull(status, "status is null");
      requireNonNull(error, "error is null");
    }
  }

  /** Whether every declared view now exists with its declared SQL. */
  public boolean allSynced() {
    return views.stream().noneMatch(view -> view.status() == Status.FAILED);
  }

  public List<SyncedView> failed() {
    return views.stream().filter(view -> view.status() == Status.FAILED).toList();
  }
}
