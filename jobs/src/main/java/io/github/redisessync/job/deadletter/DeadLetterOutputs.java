package io.github.redisessync.job.deadletter;

import io.github.redisessync.connector.elasticsearch.ElasticsearchCredentials;
import io.github.redisessync.connector.elasticsearch.ElasticsearchRestClients;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.elasticsearch.ElasticsearchTls;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.elasticsearch.client.RestClient;

/**
 * The configured dead-letter target, carried by both writers that produce dead letters (the
 * mapping's and the document sink's), each of which {@link #open opens} an output of its own.
 *
 * <p>An index is reached as the document sink reaches Elasticsearch: the same hosts, credentials
 * resolved here on the client and kept out of any configuration Flink shows ({@link
 * ElasticsearchCredentials}), the same CA file, timeouts and backoff.
 */
public final class DeadLetterOutputs implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Dead letters stored in the index or file, per writer. */
    public static final String WRITTEN = "deadLettersWritten";

    /** Dead letters that could not be stored (after the retries, or refused for good). */
    public static final String WRITE_FAILURES = "deadLetterWriteFailures";

    private final String index;
    private final String file;
    private final List<String> hosts;
    private final ElasticsearchCredentials credentials;
    private final ElasticsearchTls tls;
    private final Duration connectTimeout;
    private final Duration socketTimeout;
    private final int maxRetries;
    private final long firstDelayMillis;

    private DeadLetterOutputs(String index, String file, Configuration sinkOptions) {
        this.index = index;
        this.file = file;
        if (index == null) {
            this.hosts = List.of();
            this.credentials = ElasticsearchCredentials.none();
            this.tls = ElasticsearchTls.jvmDefaults();
            this.connectTimeout = null;
            this.socketTimeout = null;
            this.maxRetries = 0;
            this.firstDelayMillis = 0;
            return;
        }
        List<String> urls =
                sinkOptions.getOptional(ElasticsearchSinkOptions.HOSTS).orElse(List.of());
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(
                    "Setting '"
                            + ElasticsearchSinkOptions.HOSTS.key()
                            + "' names no Elasticsearch URL for the dead-letter index.");
        }
        urls.forEach(ElasticsearchUrls::parse);
        this.hosts = urls.stream().map(ElasticsearchUrls::withoutUserInfo).toList();
        this.credentials = ElasticsearchCredentials.of(urls.get(0), System.getenv());
        this.tls = ElasticsearchTls.of(urls.get(0), System.getenv());
        this.connectTimeout = sinkOptions.get(ElasticsearchSinkOptions.CONNECTION_TIMEOUT);
        this.socketTimeout = sinkOptions.get(ElasticsearchSinkOptions.SOCKET_TIMEOUT);
        this.maxRetries = sinkOptions.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_MAX_RETRIES);
        this.firstDelayMillis =
                sinkOptions.get(ElasticsearchSinkOptions.BULK_FLUSH_BACKOFF_DELAY).toMillis();
    }

    /** Only the log line of each dead letter. */
    public static DeadLetterOutputs log() {
        return new DeadLetterOutputs(null, null, null);
    }

    /** Also {@code index}, on the Elasticsearch of the document sink's {@code sinkOptions}. */
    public static DeadLetterOutputs index(String index, Configuration sinkOptions) {
        return new DeadLetterOutputs(
                Objects.requireNonNull(index, "index"),
                null,
                Objects.requireNonNull(sinkOptions, "sink options"));
    }

    /** Also JSON lines in files next to {@code file}, one per writer (see {@link #fileOf}). */
    public static DeadLetterOutputs file(Path file) {
        return new DeadLetterOutputs(null, file.toAbsolutePath().toString(), null);
    }

    /** The index dead letters are written to, or null. */
    public String index() {
        return index;
    }

    /** The file of the writer of {@code stage} in subtask {@code subtask}. */
    public static Path fileOf(Path configured, String stage, int subtask) {
        return DeadLetterFileOutput.fileFor(configured, stage, subtask);
    }

    /**
     * An output for one writer, with its counters in {@code metrics} (null: unregistered).
     *
     * @param stage {@link DeadLetterRecord#MAPPING} or {@link DeadLetterRecord#ELASTICSEARCH}
     */
    public DeadLetterOutput open(String stage, int subtask, MetricGroup metrics) {
        if (index == null && file == null) {
            return DeadLetterOutput.NONE;
        }
        Counter written = metrics == null ? new SimpleCounter() : metrics.counter(WRITTEN);
        Counter failures = metrics == null ? new SimpleCounter() : metrics.counter(WRITE_FAILURES);
        if (file != null) {
            return new DeadLetterFileOutput(
                    fileOf(Path.of(file), stage, subtask), written, failures);
        }
        RestClient client =
                ElasticsearchRestClients.create(
                        hosts, credentials, tls, connectTimeout, socketTimeout);
        return new DeadLetterIndexOutput(
                client, index, maxRetries, firstDelayMillis, written, failures);
    }

    /** Where dead letters go, for logs; names no credentials. */
    @Override
    public String toString() {
        return index != null ? "index " + index : file != null ? "file " + file : "log";
    }
}
