package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.quality.Suite;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleSuitesTest {
  @Test
  void shipsTheSeedChecksAndLetsTheConfigurationReplaceASuite() {
    Map<TableRef, Suite> builtIn = ExampleSuites.ecommerce();
    assertThat(builtIn.get(TableRef.parse("silver.fact_orders")).checks())
        .anySatisfy(check -> assertThat(check.name()).contains("unique"));
    assertThat(builtIn.get(TableRef.parse("gold.order_report")).checks())
        .anySatisfy(check -> assertThat(check.name()).contains("avg_revenue"));
    assertThat(builtIn).containsKeys(TableRef.parse("silver.fact_clickstream"));

    FloeConfig config =
        FloeConfig.parse(
            "floe.yaml",
            """
            tables:
              gold.order_report:
                quality:
                  checks: [{row-count: {min: 1}}]
            """,
            name -> null,
            Path.of("/p"));
    Map<TableRef, Suite> merged = ExampleSuites.withExamples(config);
    assertThat(merged.get(TableRef.parse("gold.order_report")).checks()).hasSize(1);
    assertThat(merged.get(TableRef.parse("silver.fact_orders")).checks())
        .hasSize(builtIn.get(TableRef.parse("silver.fact_orders")).checks().size());
  }
}
