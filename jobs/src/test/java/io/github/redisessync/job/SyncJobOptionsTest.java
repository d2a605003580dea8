package io.github.redisessync.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SyncJobFactory#problems} checks the job's own options, each named with its key. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncJobOptionsTest {

    @Test
    void reportsEveryProblemAtOnceNamingOptionAndExpectation() {
        Configuration options = new Configuration();
        options.set(SyncJobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        options.set(SyncJobOptions.CHECKPOINT_TIMEOUT, Duration.ofSeconds(-1));
        options.set(SyncJobOptions.CHECKPOINT_TOLERABLE_FAILURES, -1);
        options.set(SyncJobOptions.DEAD_LETTERS_INDEX, "dlq");
        options.set(SyncJobOptions.DEAD_LETTERS_FILE, "/tmp/dlq.jsonl");

        List<SyncJobOptionException> problems = SyncJobFactory.problems(options);

        assertThat(problems)
                .extracting(SyncJobOptionException::option)
                .containsExactly(
                        "checkpoint.interval",
                        "checkpoint.timeout",
                        "checkpoint.tolerable-failures",
                        "dead-letters.file");
        assertThat(problems)
                .extracting(Throwable::getMessage)
                .startsWith(
                        "checkpoint.interval must be a positive duration, was PT0S.",
                        "checkpoint.timeout must be a positive duration, was PT-1S.",
                        "checkpoint.tolerable-failures must not be negative, was -1.");
        assertThat(problems.get(2).expected()).isEqualTo("zero or more");
    }

    @Test
    void theDefaultsAreValidAndKeyedInDottedHyphenForm() {
        assertThat(SyncJobFactory.problems(new Configuration())).isEmpty();
        assertThat(SyncJobOptions.ALL)
                .allSatisfy(
                        option -> {
                            assertThat(option.key())
                                    .matches("[a-z]+(-[a-z]+)*(\\.[a-z]+(-[a-z]+)*)+");
                            assertThat(option.description().toString()).isNotBlank();
                        });
    }
}
