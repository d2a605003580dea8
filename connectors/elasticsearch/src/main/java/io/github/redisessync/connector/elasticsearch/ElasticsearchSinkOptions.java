package io.github.redisessync.connector.elasticsearch;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of the Elasticsearch sink: where it writes and how it batches. They are checked in one
 * place, {@link ElasticsearchDocumentSinkFactory#problems}, when the sink is created.
 */
public final class ElasticsearchSinkOptions {

    public static final ConfigOption<List<String>> HOSTS =
            ConfigOptions.key("hosts")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Elasticsearch URLs, http://host:port or https://host:port; one is enough.");

    public static final ConfigOption<Integer> BULK_FLUSH_MAX_ACTIONS =
            ConfigOptions.key("bulk-flush.max-actions")
                    .intType()
                    .defaultValue(1000)
                    .withDescription(
                            "Actions buffered before a bulk request is sent; -1 for no limit"
                                    + " (the size and the interval still flush).");

    public static final ConfigOption<Integer> BULK_FLUSH_MAX_SIZE_MB =
            ConfigOptions.key("bulk-flush.max-size-mb")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Buffered megabytes before a bulk request is sent.");

    public static final ConfigOption<Duration> BULK_FLUSH_INTERVAL =
            ConfigOptions.key("bulk-flush.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Longest time an action waits in the buffer; checkpoints flush too.");

    public static final ConfigOption<Integer> BULK_FLUSH_BACKOFF_MAX_RETRIES =
            ConfigOptions.key("bulk-flush.backoff.max-retries")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "Retries, with exponential backoff, of a bulk request rejected as"
                                    + " overloaded (429) or lost on the connection.");

    public static final ConfigOption<Duration> BULK_FLUSH_BACKOFF_DELAY =
            ConfigOptions.key("bulk-flush.backoff.delay")
                    .durationType()
                    .defaultValue(Duration.ofMillis(500))
                    .withDescription("First backoff delay; it doubles on each retry.");

    public static final ConfigOption<Duration> CONNECTION_TIMEOUT =
            ConfigOptions.key("connection.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("Timeout of opening a connection to Elasticsearch.");

    public static final ConfigOption<Duration> SOCKET_TIMEOUT =
            ConfigOptions.key("socket.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription("Timeout of waiting for an answer from Elasticsearch.");

    public static final ConfigOption<Duration> VERSION_GATE_TTL =
            ConfigOptions.key("version-gate.ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How long the version gate remembers a delete of a document against"
                                    + " late, older writes; longer than any delay between two"
                                    + " changes of one key in the pipeline and than the index's"
                                    + " index.gc_deletes.");

    private ElasticsearchSinkOptions() {}
}
