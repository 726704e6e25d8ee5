package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run tells the launcher about its class-data archive. */
class ClassDataArchiveTest {
  @TempDir Path cds;

  @Test
  void aRunWritingTheArchiveRecordsItsClassCount() throws IOException {
    Path count = cds.resolve(".compact-1.42.jsa.classes");
    Properties properties = new Properties();
    properties.setProperty(ClassDataArchive.COUNT_FILE_PROPERTY, count.toString());

    ClassDataArchive.record(properties, 9_539, List::of);

    assertThat(Files.readString(count)).isEqualTo("9539");
  }

  @Test
  void aRunLoadingOverATenthMoreClassesThanTheArchivedRunMarksTheArchiveOutgrown()
      throws IOException {
    Path marker = cds.resolve("compact-1.jsa.outgrown");

    ClassDataArchive.record(archivedAt("6993", marker), 7_692, () -> LOADED);
    assertThat(marker).doesNotExist();

    ClassDataArchive.record(archivedAt("6993", marker), 9_539, () -> LOADED);
    assertThat(Files.readAllLines(marker)).isEqualTo(LOADED);
  }

  @Test
  void anArchiveWithoutAReadableCountIsOutgrownByAnyRun() {
    Path missing = cds.resolve("missing.jsa.outgrown");
    ClassDataArchive.record(archivedAt(null, missing), 1, List::of);
    assertThat(missing).exists();

    Path unreadable = cds.resolve("unreadable.jsa.outgrown");
    ClassDataArchive.record(archivedAt("not a number", unreadable), 1, List::of);
    assertThat(unreadable).exists();
  }

  @Test
  void aFailureToRecordIsNoFailureOfTheCommand() {
    Properties properties = new Properties();
    properties.setProperty(
        ClassDataArchive.COUNT_FILE_PROPERTY, cds.resolve("no/such/dir/count").toString());

    ClassDataArchive.record(properties, 100, List::of);

    assertThat(cds.resolve("no")).doesNotExist();
  }

  @Test
  void outgrownIsStrictlyAboveATenthMore() {
    assertThat(ClassDataArchive.outgrown(1_000, 1_100)).isFalse();
    assertThat(ClassDataArchive.outgrown(1_000, 1_101)).isTrue();
    assertThat(ClassDataArchive.outgrown(1_000, 900)).isFalse();
  }

  @Test
  void theMarkerListsTheClassesOfTheJvmsHierarchyWithoutHiddenOnes() {
    String hierarchy =
        """
        java.lang.Object/null
        |--java.lang.System$LoggerFinder$$Lambda$45/0x00007f5b7807da40/null
        |--jdk.internal.access.JavaSecurityPropertiesAccess/null (intf)
        |--java.io.Reader/null
        |  |--java.io.BufferedReader/null
        |  |  |--io.floe.app.Floe/0x00007fdde41139f0
        |--java.lang.invoke.LambdaForm$MH/0x00007f5b78008000/null
        """;

    assertThat(ClassDataArchive.classNames(hierarchy))
        .containsExactly(
            "java.lang.Object",
            "jdk.internal.access.JavaSecurityPropertiesAccess",
            "java.io.Reader",
            "java.io.BufferedReader",
            "io.floe.app.Floe");
    assertThat(ClassDataArchive.loadedClassNames())
        .contains("java.lang.Object", ClassDataArchiveTest.class.getName())
        .noneMatch(name -> name.contains("/") || name.contains(" "));
  }

  @Test
  void aRunWritingTheArchiveLoadsTheClassesTheMarkerListsWithoutInitialisingThem()
      throws Exception {
    Path marker = cds.resolve("compact-1.jsa.outgrown");
    String unloaded = ClassDataArchiveTest.class.getName() + "$LoadedOnlyByThePreload";
    Files.write(marker, List.of(unloaded, "java.lang.String", "no.such.Class", ""));
    Properties properties = new Properties();
    properties.setProperty(ClassDataArchive.PRELOAD_FILE_PROPERTY, marker.toString());
    ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};

    assertThat(ClassDataArchive.preload(properties, loader)).isEqualTo(2);
    assertThat(preloadedClassInitialised).isFalse();
    assertThat(Class.forName(unloaded, true, loader)).isNotNull();
    assertThat(preloadedClassInitialised).isTrue();
    assertThat(ClassDataArchive.preload(new Properties(), loader)).isZero();
  }

  private static boolean preloadedClassInitialised;

  /** A class nothing else loads; its initialiser records that it ran. */
  static final class LoadedOnlyByThePreload {
    static {
      preloadedClassInitialised = true;
    }
  }

  private static final List<String> LOADED = List.of("java.lang.Object", "io.floe.app.Floe");

  private static Properties archivedAt(String count, Path marker) {
    Properties properties = new Properties();
    if (count != null) {
      properties.setProperty(ClassDataArchive.ARCHIVED_PROPERTY, count);
    }
    properties.setProperty(ClassDataArchive.OUTGROWN_FILE_PROPERTY, marker.toString());
    return properties;
  }
}
