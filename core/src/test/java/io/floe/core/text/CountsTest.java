package io.floe.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CountsTest {
  @Test
  void aNounIsSingularOnlyForOne() {
    assertThat(Counts.counted(0, "file")).isEqualTo("0 files");
    assertThat(Counts.counted(1, "group")).isEqualTo("1 group");
    assertThat(Counts.counted(12, "snapshot")).isEqualTo("12 snapshots");
  }
}
