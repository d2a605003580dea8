package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ElasticsearchDocumentSinkFactory} checks every sink option, in one place. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ElasticsearchSinkOptionsTest {

    @Test
    void reportsEveryProblemAtOnceNamingOptionAndExpectation() {
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS, 0);
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB, 5);
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES, -1);
        options.set(ElasticsearchSinkOptions.SOCKET_TIMEOUT, Duration.ZERO);

        List<ElasticsearchSinkOptionException> problems =
                ElasticsearchDocumentSinkFactory.problems(options);

        assertThat(problems)
                .extracting(ElasticsearchSinkOptionException::option)
                .containsExactly(
                        "bulk-flush.max-actions",
                        "bulk-flush.backoff.max-retries",
                        "socket.timeout");
        assertThat(problems)
                .extracting(ElasticsearchSinkOptionException::expected)
                .containsExactly(
                        "a positive number (or -1 for no limit)",
                        "zero or more",
                        "a positive duration");
        assertThat(problems)
                .extracting(Throwable::getMessage)
                .containsExactly(
                        "Setting 'bulk-flush.max-actions' must be positive or -1 (no limit), was"
                                + " 0.",
                        "Setting 'bulk-flush.backoff.max-retries' must not be negative, was -1.",
                        "Setting 'socket.timeout' must be positive, was PT0S.");
        assertThat(ElasticsearchDocumentSinkFactory.problems(new Configuration())).isEmpty();
    }

    @Test
    void theSinkIsNotCreatedWithABadOption() {
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of("http://127.0.0.1:1"));
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB, 0);

        assertThatThrownBy(
                        () ->
                                ElasticsearchDocumentSinkFactory.create(
                                        options, new LogRejectedDocuments(), Map.of()))
                .isInstanceOf(ElasticsearchSinkOptionException.class)
                .hasMessage("Setting 'bulk-flush.max-size-mb' must be positive, was 0.");
    }

    @Test
    void minusOneActionsSwitchesTheCountLimitOffAsDocumented() {
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS, -1);

        assertThat(ElasticsearchDocumentSinkFactory.problems(options)).isEmpty();
        assertThat(BulkLimits.of(options).maxActions()).isEqualTo(Integer.MAX_VALUE);
    }
}
