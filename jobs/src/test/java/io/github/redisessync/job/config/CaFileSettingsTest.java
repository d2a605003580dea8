package io.github.redisessync.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** redis.ca-file and elasticsearch.ca-file: checked before any connection, folded into the URLs. */
class CaFileSettingsTest {
    private static final Path CONF = Path.of("..", "conf");

    @TempDir Path dir;

    @Test
    void caFilesFromTheEnvironmentTravelInBothUrls() throws Exception {
        Path ca = certificate();
        SyncJobSetup settings =
                settings(
                        "rediss://r:6380",
                        "https://es:9200",
                        Map.of("REDIS_CA_FILE", ca.toString(), "ES_CA_FILE", ca.toString()));

        assertThat(settings.redisUri()).isEqualTo("rediss://r:6380?ca-file=" + ca);
        assertThat(settings.elasticsearchUrl()).isEqualTo("https://es:9200?ca-file=" + ca);
        assertThat(settings.sink().get(ElasticsearchSinkOptions.HOSTS))
                .containsExactly("https://es:9200?ca-file=" + ca);
    }

    @Test
    void aBadCaFileOrAPlainUrlIsNamedBeforeAnyConnection() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path ca = certificate();

        assertThatThrownBy(
                        () ->
                                settings(
                                        "rediss://r:6380",
                                        "http://es:9200",
                                        Map.of(
                                                "REDIS_CA_FILE",
                                                empty.toString(),
                                                "ES_CA_FILE",
                                                ca.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("redis.ca-file (from REDIS_CA_FILE)")
                .hasMessageContaining("The CA file " + empty)
                .hasMessageContaining(
                        "elasticsearch.ca-file (from ES_CA_FILE): is set, but elasticsearch.url"
                                + " does not start with https://");
    }

    private Path certificate() {
        return TestCertificates.create(dir).ca();
    }

    private static SyncJobSetup settings(String redis, String es, Map<String, String> env) {
        return new SettingsFactory(
                        ConfigLoader.read(null).applyEnvironment(env).load(),
                        CONF.resolve("mappings"))
                .settings(redis, es, false);
    }
}
