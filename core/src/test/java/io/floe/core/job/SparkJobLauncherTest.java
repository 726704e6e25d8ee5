package io.floe.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.config.SparkConfig;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each job keeps the directories of its newest runs only (file-system logic, no Spark). */
class SparkJobLauncherTest {
  @TempDir Path jobs;

  @Test
  void aJobKeepsItsNewestRunsAndLeavesEverythingElseAlone() throws IOException {
    List<String> ingest = new ArrayList<>();
    for (int minute = 10; minute < 16; minute++) {
      // written out of order: the name, not the creation order, says which run is newest
      ingest.add(0, run("IngestJob-20261121-09%d00-123".formatted(minute)));
    }
    // a run started in the same millisecond as another
    run("IngestJob-20261121-091000-123-2");
    String transform = run("TransformJob-20261120-080000-000");
    String longerName = run("IngestJobExtra-20260101-000000-000");
    Files.writeString(jobs.resolve("IngestJob-20200101-000000-000.txt"), "not a run directory");
    Files.createDirectories(jobs.resolve("notes"));

    launcher(3).pruneRuns("IngestJob");

    assertThat(names())
        .containsExactlyInAnyOrder(
            "IngestJob-20261121-091500-123",
            "IngestJob-20261121-091400-123",
            "IngestJob-20261121-091300-123",
            transform,
            longerName,
            "IngestJob-20200101-000000-000.txt",
            "notes");
  }

  @Test
  void jobsStartedAtOnceGetADirectoryEach() throws Exception {
    SparkJobLauncher launcher = launcher(100);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> started = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        started.add(pool.submit(() -> launcher.newRunDir("CompactionJob")));
      }
      Set<Path> dirs = new HashSet<>();
      for (Future<Path> dir : started) {
        dirs.add(dir.get());
      }
      assertThat(dirs).hasSize(40).allMatch(Files::isDirectory);
      assertThat(names())
          .hasSize(40)
          .allMatch(n -> n.matches("CompactionJob-\\d{8}-\\d{6}-\\d{3}(-\\d+)?"));
    } finally {
      pool.shutdownNow();
    }
  }

  private String run(String name) throws IOException {
    Path dir = Files.createDirectories(jobs.resolve(name));
    Files.writeString(dir.resolve("job.log"), "log of " + name);
    Files.writeString(dir.resolve("spark.properties"), "spark.master=local[2]");
    return name;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> entries = Files.list(jobs)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }

  private SparkJobLauncher launcher(int kept) {
    return new SparkJobLauncher(
        new SparkConfig(
            "local[2]",
            SparkConfig.SubmitMode.CHILD_JVM,
            Optional.empty(),
            "1g",
            "1g",
            Map.of(),
            kept),
        RuntimeLayout.at(jobs),
        jobs);
  }
}
