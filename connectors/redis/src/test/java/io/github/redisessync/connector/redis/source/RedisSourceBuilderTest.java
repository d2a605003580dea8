package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests {@link RedisSourceBuilder}'s checks and what it builds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisSourceBuilderTest {

    private static RedisSourceBuilder valid() {
        return RedisSource.builder().setRedisUri("redis://localhost:6379");
    }

    @Test
    void buildsABoundedSourceWithDefaults() {
        RedisSource source = valid().build();

        assertThat(source.getBoundedness()).isEqualTo(Boundedness.BOUNDED);
        Configuration config = source.configuration();
        assertThat(config.get(RedisSourceOptions.SCAN_COUNT)).isEqualTo(1000);
        assertThat(config.get(RedisSourceOptions.READ_BATCH_SIZE)).isEqualTo(500);
        assertThat(config.get(RedisSourceOptions.CONNECT_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
        assertThat(source.initialSplits())
                .containsExactly(RedisScanSplit.initial("localhost:6379", 0, List.of("*")));
    }

    @Test
    void takesTheDatabaseFromTheUriUnlessSetExplicitly() {
        RedisSource fromUri =
                RedisSource.builder()
                        .setRedisUri("redis://localhost:6380/4")
                        .setKeyPatterns(List.of("user:*", "order:*"))
                        .build();
        RedisSource explicit =
                RedisSource.builder()
                        .setRedisUri("redis://localhost:6380/4")
                        .setDatabase(2)
                        .build();

        assertThat(fromUri.initialSplits())
                .containsExactly(
                        RedisScanSplit.initial("localhost:6380", 4, List.of("user:*", "order:*")));
        assertThat(explicit.initialSplits().get(0).database()).isEqualTo(2);
    }

    @Test
    void splitsCarryNoCredentials() {
        RedisSource source =
                RedisSource.builder().setRedisUri("redis://alice:s3cr3t@localhost:6379").build();

        assertThat(source.initialSplits().get(0).toString()).doesNotContain("s3cr3t", "alice");
    }

    @Test
    void rejectsANonPositiveScanCount() {
        assertThatThrownBy(() -> valid().setScanCount(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scan.count must be positive, was 0.");
    }

    @Test
    void rejectsABadReadBatchSize() {
        assertThatThrownBy(() -> valid().setReadBatchSize(-5))
                .hasMessage("read.batch-size must be positive, was -5.");
        assertThatThrownBy(() -> valid().setReadBatchSize(1_000_000))
                .hasMessage("read.batch-size must be at most 10000, was 1000000.");
    }

    @Test
    void rejectsEmptyKeyPatterns() {
        assertThatThrownBy(() -> valid().setKeyPatterns(List.of()))
                .hasMessage("scan.key-patterns must name at least one pattern, was empty.");
        assertThatThrownBy(() -> valid().setKeyPatterns(Arrays.asList("a:*", "")))
                .hasMessage("scan.key-patterns must not contain an empty pattern, was [a:*, ].");
    }

    @Test
    void rejectsANegativeDatabaseAndBadTimeouts() {
        assertThatThrownBy(() -> valid().setDatabase(-1))
                .hasMessage("database must not be negative, was -1.");
        assertThatThrownBy(() -> valid().setConnectTimeout(Duration.ZERO))
                .hasMessage("connect.timeout must be a positive duration, was PT0S.");
        assertThatThrownBy(() -> valid().setCommandTimeout(Duration.ofSeconds(-1)))
                .hasMessage("command.timeout must be a positive duration, was PT-1S.");
        assertThatThrownBy(() -> valid().setMaxValueElements(0))
                .hasMessage("read.max-value-elements must be positive, was 0.");
        assertThatThrownBy(() -> valid().setMaxValueBytes(-5))
                .hasMessage("read.max-value-bytes must be positive, was -5.");
    }

    @Test
    void rejectsABuildWithoutUri() {
        assertThatThrownBy(() -> RedisSource.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri must be set; call setRedisUri(...).");
    }

    @Test
    void rejectsABadUriWithoutLeakingItsPassword() {
        assertThatThrownBy(() -> RedisSource.builder().setRedisUri("http://bob:hunter2@host:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri must start with redis:// or rediss://, was 'http://***@host:1'.")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(
                        () ->
                                RedisSource.builder()
                                        .setRedisUri("redis://bob:hunter2@host:notaport"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "uri is not a valid Redis URI, was 'redis://***@host:notaport'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void takesAWholeConfigurationKeyedByItsOptions() {
        Configuration options = new Configuration();
        options.set(RedisSourceOptions.URI, "redis://localhost:6380/4");
        options.set(RedisSourceOptions.SCAN_KEY_PATTERNS, List.of("user:*"));
        options.set(RedisSourceOptions.SCAN_COUNT, 50);
        options.set(RedisSourceOptions.READ_BATCH_SIZE, 20);
        options.set(RedisSourceOptions.TAIL_MODE, RedisTailMode.STREAM);
        options.set(RedisSourceOptions.TAIL_STREAM, "changes");

        RedisSource source = RedisSource.builder().setConfiguration(options).build();

        Configuration built = source.configuration();
        assertThat(built.get(RedisSourceOptions.SCAN_COUNT)).isEqualTo(50);
        assertThat(built.get(RedisSourceOptions.READ_BATCH_SIZE)).isEqualTo(20);
        assertThat(built.get(RedisSourceOptions.DATABASE)).isEqualTo(4);
        assertThat(built.get(RedisSourceOptions.COMMAND_TIMEOUT))
                .isEqualTo(RedisSourceOptions.COMMAND_TIMEOUT.defaultValue());
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
    }

    @Test
    void aConfigurationIsCheckedAsTheSettersCheckAndItsFirstProblemThrown() {
        Configuration options = new Configuration();
        options.set(RedisSourceOptions.SCAN_COUNT, 0);

        assertThatThrownBy(() -> valid().setConfiguration(options))
                .isInstanceOf(RedisSourceOptionException.class)
                .hasMessage("scan.count must be positive, was 0.");
    }

    @Test
    void reportsEveryProblemOfAConfigurationAtOnceNamingOptionAndExpectation() {
        Configuration options = new Configuration();
        options.set(RedisSourceOptions.URI, "http://bob:hunter2@host:1");
        options.set(RedisSourceOptions.SCAN_COUNT, -5);
        options.set(RedisSourceOptions.SCAN_MAX_KEYS_PER_SECOND, -1);
        options.set(RedisSourceOptions.READ_BATCH_SIZE, 20_000);
        options.set(RedisSourceOptions.COMMAND_TIMEOUT, Duration.ZERO);
        options.set(RedisSourceOptions.TAIL_CHANNEL, "");
        options.set(RedisSourceOptions.READ_MAX_VALUE_BYTES, 1024);

        List<RedisSourceOptionException> problems = RedisSourceBuilder.problems(options);

        assertThat(problems)
                .extracting(RedisSourceOptionException::option)
                .containsExactly(
                        "uri",
                        "scan.count",
                        "scan.max-keys-per-second",
                        "read.batch-size",
                        "command.timeout",
                        "tail.channel");
        assertThat(problems)
                .extracting(RedisSourceOptionException::expected)
                .containsExactly(
                        "a redis:// or rediss:// URI",
                        "a positive number",
                        "zero or more",
                        "at most 10000",
                        "a positive duration",
                        "a channel name");
        assertThat(problems)
                .extracting(Throwable::getMessage)
                .contains(
                        "uri must start with redis:// or rediss://, was 'http://***@host:1'.",
                        "scan.count must be positive, was -5.",
                        "read.batch-size must be at most 10000, was 20000.")
                .noneMatch(message -> message.contains("hunter2"));
        assertThat(RedisSourceBuilder.problems(new Configuration())).isEmpty();
    }
}
