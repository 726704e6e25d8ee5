package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(
              2,
              "address",
              Types.StructType.of(
                  Types.NestedField.optional(3, "city", Types.StringType.get()),
                  Types.NestedField.optional(4, "zip", Types.IntegerType.get()))),
          Types.NestedField.optional(
              5, "tags", Types.ListType.ofOptional(6, Types.StringType.get())),
          Types.NestedField.optional(7, "score", Types.FloatType.get()),
          Types.NestedField.optional(8, "seen", Types.TimestampType.withZone()));

  static CheckResult check(String expect) {
    Check check =
        Suites.parse(
                TableRef.parse("s.t"),
                ConfigNode.parse(
                    "(test)", "checks:\n  - schema: " + expect, Map.<String, String>of()::get))
            .checks()
            .get(0);
    return SnapshotAudit.schemaCheck(check, check.name(), SCHEMA);
  }

  @Test
  void typesAreNamedAsIcebergTrinoOrSparkNameThem() {
    assertThat(
            check(
                    "{expect: {id: bigint, address.city: 'varchar(20)', address.zip: integer,"
                        + " tags: 'array', score: real, seen: 'timestamp(6) with time zone'}}")
                .message())
        .isEqualTo("schema matches");
    assertThat(check("{expect: {id: long, address: struct, tags: list<string>}}").status())
        .isEqualTo(CheckStatus.PASS);
    assertThat(check("{expect: {id: int, address: map, score: double}}").message())
        .isEqualTo(
            "id is long, expected int;"
                + " address is struct<3: city: optional string, 4: zip: optional int>, expected map;"
                + " score is float, expected double");
  }

  @Test
  void strictAllowsNothingUnlistedAtAnyLevel() {
    // a struct listed whole covers its fields; one listed by a field must list the others too
    assertThat(
            check(
                    "{strict: true, expect: {id: long, address: struct, tags: list, score: float,"
                        + " seen: timestamptz}}")
                .status())
        .isEqualTo(CheckStatus.PASS);
    CheckResult partial =
        check("{strict: true, expect: {id: long, address.city: string, tags.element: string}}");
    assertThat(partial.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(partial.message())
        .isEqualTo(
            "unexpected column address.zip int; unexpected column score float;"
                + " unexpected column seen timestamptz");
    assertThat(check("{expect: {address.street: string}}").message())
        .isEqualTo("missing column address.street");
  }
}
