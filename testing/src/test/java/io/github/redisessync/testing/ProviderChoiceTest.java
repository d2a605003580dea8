package io.github.redisessync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.testing.ProviderChoice.Mode;
import io.github.redisessync.testing.ProviderChoice.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the provider of each test server is chosen, without starting anything. */
class ProviderChoiceTest {

    private static final BooleanSupplier NOT_ASKED =
            () -> {
                throw new AssertionError("Docker availability must not be checked");
            };

    @TempDir Path home;

    @Test
    void anExternalUrlWinsOverEveryMode() {
        for (Mode mode : Mode.values()) {
            assertThat(ProviderChoice.choose("redis://cache:6379", mode, NOT_ASKED))
                    .isEqualTo(Provider.EXTERNAL);
        }
    }

    @Test
    void autoUsesDockerOnlyWhenItIsAvailable() {
        assertThat(ProviderChoice.choose(null, Mode.AUTO, () -> true)).isEqualTo(Provider.DOCKER);
        assertThat(ProviderChoice.choose(" ", Mode.AUTO, () -> false)).isEqualTo(Provider.EMBEDDED);
    }

    @Test
    void aForcedModeNeverAsksForDocker() {
        assertThat(ProviderChoice.choose(null, Mode.EMBEDDED, NOT_ASKED))
                .isEqualTo(Provider.EMBEDDED);
        assertThat(ProviderChoice.choose(null, Mode.DOCKER, NOT_ASKED)).isEqualTo(Provider.DOCKER);
    }

    @Test
    void readsTheModeFromThePropertyBeforeTheEnvironment() {
        Properties properties = new Properties();
        Map<String, String> environment = Map.of(ProviderChoice.MODE_ENV, "docker");

        assertThat(ProviderChoice.mode(Map.of(), properties)).isEqualTo(Mode.AUTO);
        assertThat(ProviderChoice.mode(environment, properties)).isEqualTo(Mode.DOCKER);
        properties.setProperty(ProviderChoice.MODE_PROPERTY, "Embedded");
        assertThat(ProviderChoice.mode(environment, properties)).isEqualTo(Mode.EMBEDDED);
    }

    @Test
    void rejectsAnUnknownModeNamingWhereItCameFrom() {
        Map<String, String> environment = Map.of(ProviderChoice.MODE_ENV, "podman");

        assertThatThrownBy(() -> ProviderChoice.mode(environment, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "REDIS_ES_SYNC_TEST_SERVERS must be auto, docker or embedded, was podman.");
    }

    @Test
    void dockerHostOrATestcontainersConfigMeansDockerMightBeThere() throws Exception {
        assertThat(DockerServers.mightBePresent(Map.of("DOCKER_HOST", "tcp://d:2375"), home))
                .isTrue();
        Files.createFile(home.resolve(".testcontainers.properties"));
        assertThat(DockerServers.mightBePresent(Map.of(), home)).isTrue();
    }

    @Test
    void uniqueNamesAreLowerCaseAndNeverRepeat() {
        String first = TestServices.uniqueName("Orders");
        String second = TestServices.uniqueName("Orders");

        assertThat(first).startsWith("orders-").matches("[a-z0-9_-]+").isNotEqualTo(second);
        assertThatThrownBy(() -> TestServices.uniqueName("orders:*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders:*");
    }

    @Test
    void hidesPasswordsInUrls() {
        assertThat(TestServices.withoutPassword("redis://:s3cret@cache:6379"))
                .isEqualTo("redis://:****@cache:6379");
        assertThat(TestServices.withoutPassword("http://elastic:pw@es:9200/"))
                .isEqualTo("http://elastic:****@es:9200/");
        assertThat(TestServices.withoutPassword("redis://cache:6379"))
                .isEqualTo("redis://cache:6379");
    }

    @Test
    void anElasticsearchDistributionIsChosenByVersionPropertyFirst() {
        Properties properties = new Properties();
        Map<String, String> environment = Map.of(ProviderChoice.ES_VERSION_ENV, "7.17.29");

        assertThat(ProviderChoice.distributionVersion(Map.of(), properties)).isNull();
        assertThat(ProviderChoice.distributionVersion(environment, properties))
                .isEqualTo("7.17.29");
        properties.setProperty(ProviderChoice.ES_VERSION_PROPERTY, "8.19.21");
        assertThat(ProviderChoice.distributionVersion(environment, properties))
                .isEqualTo("8.19.21");
    }

    @Test
    void anElasticsearchDistributionThatIsNoVersionIsRefusedNamingTheVariable() {
        Map<String, String> environment = Map.of(ProviderChoice.ES_VERSION_ENV, "latest");

        assertThatThrownBy(() -> ProviderChoice.distributionVersion(environment, new Properties()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REDIS_ES_SYNC_TEST_ES")
                .hasMessageContaining("latest");
    }
}
