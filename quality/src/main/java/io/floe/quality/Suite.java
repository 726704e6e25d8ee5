package io.floe.quality;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The checks declared for one table.
 *
 * @param source where the suite was declared (file and key), for reports
 * @param sampleColumns columns whose values start every sample a row-level check keeps of a failing
 *     row ({@code order_id=42: revenue=-5.0}), so the row can be found
 */
public record Suite(TableRef table, List<Check> checks, String source, List<String> sampleColumns) {
  public Suite {
    requireNonNull(table, "table is null");
    checks = List.copyOf(requireNonNull(checks, "checks is null"));
    requireNonNull(source, "source is null");
    sampleColumns = List.copyOf(requireNonNull(sampleColumns, "sampleColumns is null"));
    Set<String> names = new HashSet<>();
    for (Check check : checks) {
      if (!names.add(check.name())) {
        throw new IllegalArgumentException(
            "%s: two checks are named '%s'; give one a distinct name"
                .formatted(source, check.name()));
      }
    }
  }

  /** A suite whose samples hold only the checked columns' values. */
  public Suite(TableRef table, List<Check> checks, String source) {
    this(table, checks, source, List.of());
  }

  /**
   * A stable hash of what the suite checks (not where it came from), recorded with every verdict so
   * an auditor can tell which rules a published snapshot passed.
   */
  public String hash() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(table.toString().getBytes(StandardCharsets.UTF_8));
      for (Check check : checks) {
        digest.update((byte) '\n');
        digest.update(check.toString().getBytes(StandardCharsets.UTF_8));
      }
      // only when set, so a suite's hash stays what it was before the setting existed
      if (!sampleColumns.isEmpty()) {
        digest.update(
            ("\nsample-columns " + String.join(",", sampleColumns))
                .getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
