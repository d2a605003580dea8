package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Builds the document sink from {@link ElasticsearchSinkOptions}, and is the one place they are
 * checked: {@link #problems} tells a front end every problem at once, {@link #create} throws the
 * first.
 */
public final class ElasticsearchDocumentSinkFactory {

    private ElasticsearchDocumentSinkFactory() {}

    /** The document sink; documents Elasticsearch rejects are logged as dead letters. */
    public static Sink<DocumentAction> create(Configuration options) {
        return create(options, new LogRejectedDocuments());
    }

    /**
     * An at-least-once sink: buffered actions are flushed before every checkpoint completes, and
     * every write carries its Redis version ({@link BulkRequestBody}), so a restored job's replay
     * and any reordering leave the newest read in Elasticsearch. The options are checked here, so a
     * bad setting fails when the job is built, not when it runs.
     */
    public static Sink<DocumentAction> create(
            Configuration options, RejectedDocumentHandler rejections) {
        return create(options, rejections, System.getenv());
    }

    /**
     * As {@link #create(Configuration, RejectedDocumentHandler)}, with the credentials and TLS
     * files of {@code environment} where the URL names none.
     */
    public static Sink<DocumentAction> create(
            Configuration options,
            RejectedDocumentHandler rejections,
            Map<String, String> environment) {
        List<ElasticsearchSinkOptionException> problems = problems(options);
        if (!problems.isEmpty()) {
            throw problems.get(0);
        }
        List<String> urls = options.getOptional(ElasticsearchSinkOptions.HOSTS).orElse(List.of());
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(
                    "Setting '"
                            + ElasticsearchSinkOptions.HOSTS.key()
                            + "' names no Elasticsearch URL.");
        }
        // Credentials leave the URLs here: the sink keeps host names only.
        ElasticsearchCredentials credentials =
                ElasticsearchCredentials.of(urls.get(0), environment);
        List<String> hosts = urls.stream().map(ElasticsearchUrls::withoutUserInfo).toList();
        hosts.forEach(ElasticsearchUrls::parse); // a bad URL fails here, not in a running writer
        // The TLS files' paths travel with the sink; each writer reads the files where it runs.
        ElasticsearchTls tls = ElasticsearchTls.of(urls.get(0), environment);
        return new ElasticsearchDocumentSink(
                hosts,
                rejections,
                credentials,
                tls,
                BulkLimits.of(options),
                options.get(ElasticsearchSinkOptions.CONNECTION_TIMEOUT).toMillis(),
                options.get(ElasticsearchSinkOptions.SOCKET_TIMEOUT).toMillis(),
                options.get(ElasticsearchSinkOptions.VERSION_GATE_TTL));
    }

    /**
     * Every problem of the batching, backoff and timeout options {@code options} holds, in the
     * order of {@link ElasticsearchSinkOptions}; empty when the sink takes them all. The hosts are
     * checked by {@link #create}, which reads their credentials.
     */
    public static List<ElasticsearchSinkOptionException> problems(ReadableConfig options) {
        List<ElasticsearchSinkOptionException> problems = new ArrayList<>();
        check(
                problems,
                options,
                ElasticsearchSinkOptions.BULK_FLUSH_MAX_ACTIONS,
                actions -> actions > 0 || actions == -1,
                "a positive number (or -1 for no limit)",
                "must be positive or -1 (no limit)");
        check(
                problems,
                options,
                ElasticsearchSinkOptions.BULK_FLUSH_MAX_SIZE_MB,
                mb -> mb > 0,
                "a positive number",
                "must be positive");
        positiveDuration(problems, options, ElasticsearchSinkOptions.BULK_FLUSH_INTERVAL);
        check(
                problems,
                options,
                ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES,
                retries -> retries >= 0,
                "zero or more",
                "must not be negative");
        positiveDuration(problems, options, ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY);
        positiveDuration(problems, options, ElasticsearchSinkOptions.CONNECTION_TIMEOUT);
        positiveDuration(problems, options, ElasticsearchSinkOptions.SOCKET_TIMEOUT);
        positiveDuration(problems, options, ElasticsearchSinkOptions.VERSION_GATE_TTL);
        return problems;
    }

    private static void positiveDuration(
            List<ElasticsearchSinkOptionException> problems,
            ReadableConfig options,
            ConfigOption<Duration> option) {
        check(
                problems,
                options,
                option,
                d -> !d.isNegative() && !d.isZero(),
                "a positive duration",
                "must be positive");
    }

    private static <T> void check(
            List<ElasticsearchSinkOptionException> problems,
            ReadableConfig options,
            ConfigOption<T> option,
            Predicate<T> valid,
            String expected,
            String requirement) {
        T value;
        try {
            value = options.getOptional(option).orElse(null);
        } catch (IllegalArgumentException e) {
            // A value the configuration cannot convert to the option's type.
            problems.add(
                    new ElasticsearchSinkOptionException(
                            option,
                            "a value of the option's type",
                            "Setting '" + option.key() + "' has a value of the wrong type."));
            return;
        }
        if (value != null && !valid.test(value)) {
            problems.add(
                    new ElasticsearchSinkOptionException(
                            option,
                            expected,
                            "Setting '"
                                    + option.key()
                                    + "' "
                                    + requirement
                                    + ", was "
                                    + value
                                    + "."));
        }
    }
}
