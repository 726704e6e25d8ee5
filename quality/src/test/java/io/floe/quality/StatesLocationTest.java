package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatesLocationTest {
  @Test
  void statesLieBesideTheStatesTableNotInIt() {
    assertThat(IcebergResultStore.statesRoot("s3://warehouse/floe_quality/states"))
        .isEqualTo("s3://warehouse/floe_quality/.floe-quality-states");
    assertThat(IcebergResultStore.statesRoot("s3://warehouse/floe_quality/states/"))
        .isEqualTo("s3://warehouse/floe_quality/.floe-quality-states");
    assertThat(IcebergResultStore.statesRoot("s3://bucket/states"))
        .isEqualTo("s3://bucket/.floe-quality-states");
    assertThat(IcebergResultStore.statesRoot("file:/tmp/wh/floe_quality/states"))
        .isEqualTo("file:/tmp/wh/floe_quality/.floe-quality-states");
  }

  @Test
  void aTableAtTheBucketRootKeepsThemInside() {
    assertThat(IcebergResultStore.statesRoot("s3://bucket"))
        .isEqualTo("s3://bucket/.floe-quality-states");
  }
}
