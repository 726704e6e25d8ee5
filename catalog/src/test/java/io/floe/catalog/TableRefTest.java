package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableRefTest {

  @Test
  void parsesNamespaceAndName() {
    TableRef ref = TableRef.parse("bronze.events");

    assertThat(ref.namespace()).isEqualTo("bronze");
    assertThat(ref.name()).isEqualTo("events");
    assertThat(ref.layer()).contains(Layer.BRONZE);
    assertThat(ref.toString()).isEqualTo("bronze.events");
  }

  @Test
  void convertsToIcebergIdentifier() {
    assertThat(TableRef.parse("gold.daily_sales").toIdentifier())
        .isEqualTo(TableIdentifier.of(Namespace.of("gold"), "daily_sales"));
  }

  @Test
  void buildsFromLayer() {
    assertThat(TableRef.of(Layer.INTERFACE, "orders"))
        .isEqualTo(TableRef.parse("interface.orders"));
    assertThat(TableRef.parse("scratch.tmp").layer()).isEmpty();
  }

  @Test
  void rejectsReferenceWithoutNamespace() {
    assertThatThrownBy(() -> TableRef.parse("events"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'events'")
        .hasMessageContaining("<namespace>.<table>");
  }

  @Test
  void parsesANestedNamespaceUpToTheLastDot() {
    TableRef ref = TableRef.parse("analytics.sales.orders");

    assertThat(ref.namespace()).isEqualTo("analytics.sales");
    assertThat(ref.name()).isEqualTo("orders");
    assertThat(ref.toIdentifier())
        .isEqualTo(TableIdentifier.of(Namespace.of("analytics", "sales"), "orders"));
    assertThat(TableRef.of(ref.toIdentifier())).isEqualTo(ref);
    assertThat(ref.toString()).isEqualTo("analytics.sales.orders");
    assertThat(ref.layer()).isEmpty();
  }

  @Test
  void buildsFromAnIcebergIdentifierWhoseLevelsHaveNoDots() {
    assertThat(TableRef.of(TableIdentifier.of("gold", "daily_sales")))
        .isEqualTo(TableRef.parse("gold.daily_sales"));
    assertThatThrownBy(() -> TableRef.of(TableIdentifier.of(Namespace.of("a.b", "c"), "t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the namespace level 'a.b' contains a dot");
    assertThatThrownBy(() -> TableRef.of(TableIdentifier.of(Namespace.empty(), "t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        ".events",
        "bronze.",
        " .events",
        "bronze. ",
        "bronze .events",
        "a..events",
        ".a.events",
        "a. b.events"
      })
  @Test
  void rejectsDotInConstructedName() {
    assertThatThrownBy(() -> new TableRef("bronze", "a.b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contains a dot");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> TableRef.parse(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void layersNameTheirNamespaces() {
    assertThat(Layer.values())
        .extracting(Layer::namespace)
        .containsExactly("bronze", "silver", "gold", "interface");
    assertThat(Layer.fromNamespace("silver")).contains(Layer.SILVER);
    assertThat(Layer.fromNamespace("SILVER")).isEmpty();
  }
}
