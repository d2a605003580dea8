package io.github.redisessync.embedded;

import static io.github.redisessync.embedded.SearchServerKind.ELASTICSEARCH;
import static io.github.redisessync.embedded.SearchServerKind.OPENSEARCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which JDK each Elasticsearch and OpenSearch major runs on, from fake JDK directories. */
class JavaHomesTest {

    @TempDir Path jvms;

    @Test
    void elasticsearch8TakesTheNewestJdkOf21OrLater() throws IOException {
        fakeJdk("jdk-17", "17.0.15");
        Path jdk21 = fakeJdk("jdk-21", "21.0.8");
        Path jdk25 = fakeJdk("temurin-25", "25.0.3");

        Path thisJvm = jvms.resolve("jdk-17");

        assertThat(JavaHomes.forServer(ELASTICSEARCH, 8, Map.of(), jvms, thisJvm)).isEqualTo(jdk25);
        assertThat(
                        JavaHomes.forServer(
                                ELASTICSEARCH,
                                8,
                                Map.of("ES_JAVA_HOME", jdk21.toString()),
                                jvms,
                                thisJvm))
                .isEqualTo(jdk21);
    }

    /** Elasticsearch 7 and OpenSearch 2 still install a security manager, which Java 24 removed. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ELASTICSEARCH, 7, JAVA_HOME", "OPENSEARCH, 2, ES_JAVA_HOME"})
    void serversOnTheSecurityManagerNeedAJdkThatStillHasIt(
            SearchServerKind kind, int major, String javaHomeVariable) throws IOException {
        Path jdk25 = fakeJdk("temurin-25", "25.0.3");
        Path jdk17 = fakeJdk("jdk-17", "17.0.15");

        assertThat(
                        JavaHomes.forServer(
                                kind,
                                major,
                                Map.of(javaHomeVariable, jdk25.toString()),
                                jvms,
                                jdk25))
                .isEqualTo(jdk17);
    }

    @Test
    void withoutASuitableJdkTheMessageSaysWhatIsMissingAndWhatWasSeen() throws IOException {
        fakeJdk("jdk-11", "11.0.2");
        Path jdk17 = fakeJdk("jdk-17", "17.0.15");

        assertThatThrownBy(
                        () ->
                                JavaHomes.forServer(
                                        ELASTICSEARCH,
                                        8,
                                        Map.of("JAVA_HOME", jdk17.toString()),
                                        jvms,
                                        jdk17))
                .isInstanceOf(EmbeddedServerException.class)
                .hasMessageContaining("Elasticsearch 8.x needs Java 21 or later")
                .hasMessageContaining(jdk17 + " (Java 17)")
                .hasMessageContaining("ES_JAVA_HOME");
    }

    @Test
    void openSearch3TakesItsOwnJavaHomeFirstAndNeeds21() throws IOException {
        Path jdk17 = fakeJdk("jdk-17", "17.0.15");
        Path jdk21 = fakeJdk("jdk-21", "21.0.8");
        Path jdk25 = fakeJdk("temurin-25", "25.0.3");

        assertThat(
                        JavaHomes.forServer(
                                OPENSEARCH,
                                3,
                                Map.of(
                                        "OPENSEARCH_JAVA_HOME", jdk21.toString(),
                                        "ES_JAVA_HOME", jdk25.toString()),
                                jvms,
                                jdk17))
                .isEqualTo(jdk21);
        assertThat(JavaHomes.forServer(OPENSEARCH, 3, Map.of(), jvms, jdk17)).isEqualTo(jdk25);
    }

    @Test
    void withoutASuitableJdkOpenSearch2NamesItsRangeAndItsVariables() throws IOException {
        Path jdk25 = fakeJdk("temurin-25", "25.0.3");

        assertThatThrownBy(
                        () ->
                                JavaHomes.forServer(
                                        OPENSEARCH, 2, Map.of(), jvms.resolve("none"), jdk25))
                .isInstanceOf(EmbeddedServerException.class)
                .hasMessageContaining("OpenSearch 2.x needs Java 11 to 23")
                .hasMessageContaining("OPENSEARCH_JAVA_HOME, ES_JAVA_HOME, JAVA_HOME");
    }

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(jvms.resolve(name));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        return home;
    }
}
