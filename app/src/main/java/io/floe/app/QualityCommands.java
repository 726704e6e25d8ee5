package io.floe.app;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.Suite;
import java.util.Optional;

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

  /**
   * The table's suite from the configuration, else the example's built-in one: the suite {@code
   * floe run}'s gate used, so checking a table the example published needs no configuration.
   */
  static Suite suite(FloeConfig config, TableRef table) {
    return Optional.ofNullable(ExampleSuites.withExamples(config).get(table))
        .orElseThrow(
            () ->
                new FloeException(
                    ErrorCode.INVALID_CONFIG,
                    "%s: no quality suite for %s; declare tables.%s.quality.checks"
                        .formatted(config.source(), table, table)));
  }
}
