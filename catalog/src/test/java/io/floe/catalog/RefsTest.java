package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.SnapshotRef;
import org.junit.jupiter.api.Test;

class RefsTest {
  @Test
  void namesAuditBranchesAndPublishedTags() {
    assertThat(Refs.auditBranch("run_42")).isEqualTo("audit_run_42");
    assertThat(Refs.isAuditBranch("audit_run_42")).isTrue();
    assertThat(Refs.isAuditBranch("main")).isFalse();
    assertThat(Refs.publishedTag(Instant.parse("2026-11-21T10:15:00.123Z")))
        .isEqualTo("published-20261121T101500Z");
    assertThat(Refs.isPublishedTag("published-20261121T101500Z")).isTrue();
  }

  @Test
  void refusesRunIdsThatAreNotPlainIdentifiers() {
    assertThatThrownBy(() -> Refs.auditBranch("run-1; drop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a-z0-9_]+");
  }

  @Test
  void describesBranchesWithMainFirstThenTheNewestTags() {
    Map<String, SnapshotRef> refs = new LinkedHashMap<>();
    for (int day = 10; day <= 17; day++) {
      refs.put("published-202611%dT000000Z".formatted(day), SnapshotRef.tagBuilder(day).build());
    }
    refs.put("audit_r2", SnapshotRef.branchBuilder(2).build());
    refs.put("main", SnapshotRef.branchBuilder(1).build());
    refs.put("audit_r1", SnapshotRef.branchBuilder(3).build());

    assertThat(Refs.describe(refs))
        .isEqualTo(
            "branches main, audit_r1, audit_r2; tags published-20261117T000000Z,"
                + " published-20261116T000000Z, published-20261115T000000Z,"
                + " published-20261114T000000Z, published-20261113T000000Z and 3 more");
    assertThat(Refs.describe(Map.of("main", SnapshotRef.branchBuilder(1).build())))
        .isEqualTo("branches main");
    assertThat(Refs.describe(Map.of())).isEqualTo("no branches");
  }
}
