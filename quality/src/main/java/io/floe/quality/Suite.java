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
 */
public record Suite(TableRef table, List<Check> checks, String source) {
  public Suite {
    requireNonNull(table, "table is null");
    checks = List.copyOf(requireNonNull(checks, "checks is null"));
    requireNonNull(source, "source is null");
    Set<String> names = new HashSet<>();
    for (Check check : checks) {
      if (!names.add(check.name())) {
        throw new IllegalArgumentException(
            "%s: two checks are named '%s'; give one a distinct name"
                .formatted(source, check.name()));
      }
    }
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
      return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
