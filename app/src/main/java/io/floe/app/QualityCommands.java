package io.floe.app;

import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.Suite;
import io.floe.quality.Suites;

/** What the quality commands share: parsing the table argument and finding its suite. */
final class QualityCommands {
  private QualityCommands() {}

  static TableRef table(String text) {
    try {
      return TableRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  static Suite suite(FloeConfig config, TableRef table) {
    return Suites.forTable(config, table)
        .orElseThrow(
            () ->
                new FloeException(
                    ErrorCode.INVALID_CONFIG,
                    "%s: no quality suite for %s; declare tables.%s.quality.checks"
                        .formatted(config.source(), table, table)));
  }
}
