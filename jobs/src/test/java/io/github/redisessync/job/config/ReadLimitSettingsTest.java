package io.github.redisessync.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.job.SyncJobSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** source.max-value-bytes: its default, its old name max-string-bytes, and both at once. */
class ReadLimitSettingsTest {
    private static final String USERS =
            "redis: {url: 'redis://127.0.0.1:6379'}\n"
                    + "mappings:\n  - pattern: 'user:*'\n    index: users\n";

    @TempDir Path dir;

    @Test
    void theDefaultLeavesJacksonsTwentyMillionCharactersAMarginOfTwo() throws IOException {
        assertThat(load(USERS, Map.of()).source().get(RedisSourceOptions.READ_MAX_VALUE_BYTES))
                .isEqualTo(10 * 1024 * 1024);
        assertThat(
                        load(USERS + "source: {max-value-bytes: 2048}\n", Map.of())
                                .source()
                                .get(RedisSourceOptions.READ_MAX_VALUE_BYTES))
                .isEqualTo(2048);
        assertThat(
                        load(USERS, Map.of("REDIS_ES_SYNC_SOURCE_MAX_VALUE_BYTES", "4096"))
                                .source()
                                .get(RedisSourceOptions.READ_MAX_VALUE_BYTES))
                .isEqualTo(4096);
    }

    @Test
    void theOldNameMaxStringBytesStillSetsTheLimitButNotBesideTheNewOne() throws IOException {
        assertThat(
                        load(USERS + "source: {max-string-bytes: 1024}\n", Map.of())
                                .source()
                                .get(RedisSourceOptions.READ_MAX_VALUE_BYTES))
                .isEqualTo(1024);
        assertThatThrownBy(
                        () ->
                                load(
                                        USERS
                                                + "source: {max-string-bytes: 1024,"
                                                + " max-value-bytes: 2048}\n",
                                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "source.max-string-bytes: is the old name of source.max-value-bytes");
    }

    private SyncJobSetup load(String yaml, Map<String, String> env) throws IOException {
        Path file = Files.writeString(dir.resolve("job.yaml"), yaml);
        return new SettingsFactory(ConfigLoader.read(file).applyEnvironment(env).load(), dir)
                .settings(null, "http://127.0.0.1:9200", false);
    }
}
