package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
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
}
