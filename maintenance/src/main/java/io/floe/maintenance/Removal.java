package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.Durations;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Duration;
import java.time.Instant;
import org.apache.iceberg.Table;

/**
 * What the operations that remove data share: the table's maintenance policy, the instant ages are
 * measured from, the deletion ledger every file they remove is recorded in, a dry run that changes
 * nothing, a safety floor under the age that decides what goes (refused below it unless forced),
 * and a single run. The floor and the ledger are checked before anything is read.
 *
 * @param <S> the operation, which its setters return
 * @param <R> what its run returns
 */
public abstract sealed class Removal<S extends Removal<S, R>, R>
    permits Expiry, OrphanRemoval, Retention {
  final Table table;
  MaintenancePolicy policy = MaintenancePolicy.defaults();
  DeletionLedger ledger;
  boolean dryRun;
  private final String operation;
  private Instant now;
  private boolean force;
  private boolean used;

  /**
   * @param operation what removes, in messages, e.g. {@code expiry}
   */
  Removal(Table table, String operation) {
    this.table = requireNonNull(table, "table is null");
    this.operation = operation;
  }

  public S policy(MaintenancePolicy policy) {
    this.policy = requireNonNull(policy, "policy is null");
    return self();
  }

  /** The instant ages are measured from; default the current time. */
  public S now(Instant now) {
    this.now = requireNonNull(now, "now is null");
    return self();
  }

  /** Where every removed file is recorded; required unless a dry run. */
  public S ledger(DeletionLedger ledger) {
    this.ledger = requireNonNull(ledger, "ledger is null");
    return self();
  }

  /** Computes and reports everything, changes nothing. */
  public S dryRun() {
    this.dryRun = true;
    return self();
  }

  /** Allows an age below the operation's safety floor. */
  public S forceBelowFloor() {
    this.force = true;
    return self();
  }

  /**
   * Runs the operation, once.
   *
   * @throws FloeException naming the setting when the age is below the floor and the run is not
   *     forced
   */
  public final R execute() {
    if (used) {
      throw new IllegalStateException(
          "%s runs once; start a new one".formatted(getClass().getSimpleName()));
    }
    used = true;
    String name = TableNames.of(table);
    Floor floor = floor(name);
    if (!force && floor.age().compareTo(floor.minimum()) < 0) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s: %s is %s; %s refuses less than %s (%s); raise it or pass --force"
              .formatted(
                  name,
                  floor.setting(),
                  Durations.format(floor.age()),
                  operation,
                  Durations.format(floor.minimum()),
                  floor.why()));
    }
    if (!dryRun && ledger == null) {
      throw new IllegalStateException(operation + " removes data and needs a ledger");
    }
    return run(name, now == null ? Instant.now() : now);
  }

  /**
   * The age that decides what this run removes, where it is set (e.g. {@code
   * maintenance.snapshot-max-age}, named in the error that refuses it), its floor and why younger
   * data must stay.
   */
  record Floor(String setting, Duration age, Duration minimum, String why) {}

  abstract Floor floor(String name);

  /** The run, past its checks; {@code at} is the instant ages are measured from. */
  abstract R run(String name, Instant at);

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }
}
