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

  @Test
  void stateFilesAreNamedBySnapshotId() {
    assertThat(IcebergResultStore.snapshotIdOf("1234.states")).hasValue(1234);
    assertThat(IcebergResultStore.snapshotIdOf("-77.states")).hasValue(-77);
    assertThat(IcebergResultStore.snapshotIdOf("1234.states.tmp")).isEmpty();
    assertThat(IcebergResultStore.snapshotIdOf("x.states")).isEmpty();
  }

  @Test
  void aboutOneSnapshotIdInThirtyTwoPrunes() {
    assertThat(SnapshotAudit.prunesStates(0)).isTrue();
    assertThat(SnapshotAudit.prunesStates(64)).isTrue();
    assertThat(SnapshotAudit.prunesStates(-32)).isTrue();
    assertThat(SnapshotAudit.prunesStates(33)).isFalse();
    assertThat(SnapshotAudit.prunesStates(-1)).isFalse();
    long pruning =
        new java.util.Random(7).longs(32_000).filter(SnapshotAudit::prunesStates).count();
    assertThat(pruning).isBetween(800L, 1200L);
  }
}
