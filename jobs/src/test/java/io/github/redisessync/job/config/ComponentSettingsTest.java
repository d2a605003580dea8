package io.github.redisessync.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.job.SyncJobOptions;
import io.github.redisessync.job.SyncJobSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source, sink and checkpoint sections become the components' configurations; the components
 * judge the values, and every problem is still reported at once under the setting's path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ComponentSettingsTest {
    private static final String USERS =
            "redis: {url: 'redis://127.0.0.1:6379'}\n"
                    + "mappings:\n  - pattern: 'user:*'\n    index: users\n";

    @TempDir Path dir;

    @Test
    void eachSectionBecomesItsComponentsOptions() throws IOException {
        SyncJobSetup settings =
                load(
                        USERS
                                + "source: {scan-count: 50, tail: stream, stream: changes}\n"
                                + "sink: {bulk-flush-max-actions: -1, socket-timeout: 30s}\n"
                                + "checkpoint: {interval: 2s}\n",
                        Map.of());

        assertThat(settings.source().get(RedisSourceOptions.SCAN_COUNT)).isEqualTo(50);
        assertThat(settings.source().get(RedisSourceOptions.TAIL_STREAM)).isEqualTo("changes");
        assertThat(settings.sink().get(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS))
                .isEqualTo(-1);
        assertThat(settings.sink().get(ElasticsearchSinkOptions.SOCKET_TIMEOUT))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.job().get(SyncJobOptions.CHECKPOINT_INTERVAL))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everyComponentsProblemsAreReportedTogetherUnderTheSettingsPaths() throws IOException {
        String yaml =
                USERS
                        + "source: {read-batch-size: 20000, channel: ''}\n"
                        + "sink: {bulk-flush-max-size-mb: 0, socket-timeout: 0s}\n"
                        + "checkpoint: {interval: 0s}\n";

        assertThatThrownBy(() -> load(yaml, Map.of("REDIS_ES_SYNC_SOURCE_SCAN_COUNT", "0")))
                .isInstanceOf(ConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((ConfigException) e).problems())
                                        .containsExactlyInAnyOrder(
                                                "source.scan-count (from"
                                                        + " REDIS_ES_SYNC_SOURCE_SCAN_COUNT):"
                                                        + " expected a positive number, was 0.",
                                                file()
                                                        + ": source.read-batch-size: expected at"
                                                        + " most 10000, was 20000.",
                                                file()
                                                        + ": source.channel: expected a channel"
                                                        + " name, was empty.",
                                                file()
                                                        + ": sink.bulk-flush-max-size-mb: expected"
                                                        + " a positive number, was 0.",
                                                file()
                                                        + ": sink.socket-timeout: expected a"
                                                        + " positive duration, was '0s'.",
                                                file()
                                                        + ": checkpoint.interval: expected a"
                                                        + " positive duration, was '0s'."));
    }

    private Path file() {
        return dir.resolve("job.yaml");
    }

    private SyncJobSetup load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(file(), yaml);
        return new SettingsFactory(ConfigLoader.read(file()).applyEnvironment(env).load(), dir)
                .settings(null, "http://127.0.0.1:9200", false);
    }
}
