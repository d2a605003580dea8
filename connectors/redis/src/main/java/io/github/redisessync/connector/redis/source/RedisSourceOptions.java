package io.github.redisessync.connector.redis.source;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * The settings of {@link RedisSource}; every one is set, and checked, through {@link
 * RedisSourceBuilder}, one by one or as a whole {@code Configuration}.
 */
public final class RedisSourceOptions {

    private RedisSourceOptions() {}

    public static final ConfigOption<String> URI =
            ConfigOptions.key("uri")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The Redis server: redis://[user:password@]host:port[/database] or"
                                    + " rediss:// for TLS. The password stays in the job graph and"
                                    + " is never written to a checkpoint.");

    public static final ConfigOption<Integer> DATABASE =
            ConfigOptions.key("database")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "The logical database to read. Defaults to the database in the URI,"
                                    + " else 0.");

    public static final ConfigOption<List<String>> SCAN_KEY_PATTERNS =
            ConfigOptions.key("scan.key-patterns")
                    .stringType()
                    .asList()
                    .defaultValues("*")
                    .withDescription(
                            "Glob patterns (SCAN MATCH) of the keys to read. Each pattern is one"
                                    + " pass of SCAN over the keyspace; a key matching two"
                                    + " patterns is read twice.");

    public static final ConfigOption<Integer> SCAN_COUNT =
            ConfigOptions.key("scan.count")
                    .intType()
                    .defaultValue(1000)
                    .withDescription(
                            "The COUNT hint of each SCAN call: how much of the keyspace one call"
                                    + " walks.");

    public static final ConfigOption<Integer> SCAN_MAX_KEYS_PER_SECOND =
            ConfigOptions.key("scan.max-keys-per-second")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "The most keys per second the snapshot and catch-up rescans read from"
                                    + " each Redis node, to spare a busy server; 0 reads as fast as"
                                    + " the job takes them. Changes of the tail are never held"
                                    + " back.");

    public static final ConfigOption<Integer> READ_BATCH_SIZE =
            ConfigOptions.key("read.batch-size")
                    .intType()
                    .defaultValue(500)
                    .withDescription(
                            "Keys whose values are read in one pipelined flush. It is also the"
                                    + " unit of progress: a restore re-reads at most about this"
                                    + " many keys.");

    public static final ConfigOption<Integer> READ_MAX_VALUE_ELEMENTS =
            ConfigOptions.key("read.max-value-elements")
                    .intType()
                    .defaultValue(100_000)
                    .withDescription(
                            "A hash, list, set or sorted set with more elements than this is not"
                                    + " read; its record is emitted with its value omitted"
                                    + " (values == null) so the consumer can reject it.");

    /**
     * 10 MiB: about half of the 20,000,000 characters that Jackson's {@code StreamReadConstraints}
     * (2.15 and later, as in recent Elasticsearch versions) allow one string value; a longer one
     * fails every bulk it is in, and the job restarts forever. A value's bytes bound its
     * characters, and the margin leaves room for a document escaped in JSON (quotes and backslashes
     * double) within {@code http.max_content_length}'s 100 MB.
     */
    public static final int DEFAULT_MAX_VALUE_BYTES = 10 * 1024 * 1024;

    public static final ConfigOption<Integer> READ_MAX_VALUE_BYTES =
            ConfigOptions.key("read.max-value-bytes")
                    .intType()
                    .defaultValue(DEFAULT_MAX_VALUE_BYTES)
                    .withDescription(
                            "A value of more bytes than this is not read; its record is emitted"
                                    + " with its value omitted (values == null) and the size in"
                                    + " its omission reason. Counted are a string's or JSON"
                                    + " document's bytes, a hash's field and value bytes, a"
                                    + " list's or set's members and a sorted set's members and"
                                    + " scores (as text). Strings and hashes are measured before"
                                    + " they are read; lists, sets and sorted sets are read in"
                                    + " chunks and given up once past the limit.");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("connect.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "How long to wait for a TCP connection to Redis before failing.");

    public static final ConfigOption<Duration> COMMAND_TIMEOUT =
            ConfigOptions.key("command.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "How long to wait for the reply to one command or one pipelined"
                                    + " batch before failing the read.");

    public static final ConfigOption<RedisTailMode> TAIL_MODE =
            ConfigOptions.key("tail.mode")
                    .enumType(RedisTailMode.class)
                    .defaultValue(RedisTailMode.NONE)
                    .withDescription(
                            "How changes are followed after and during the snapshot: NONE (a"
                                    + " bounded snapshot), KEYSPACE (keyspace notifications,"
                                    + " which need notify-keyspace-events on the server),"
                                    + " CHANNEL (writers publish the changed key, or a JSON"
                                    + " change record, on tail.channel) or STREAM (writers XADD"
                                    + " the changed key to tail.stream, which a restored job"
                                    + " reads on from its checkpointed entry).");

    public static final ConfigOption<String> TAIL_CHANNEL =
            ConfigOptions.key("tail.channel")
                    .stringType()
                    .defaultValue("mychannel")
                    .withDescription("The application channel of tail.mode CHANNEL.");

    public static final ConfigOption<String> TAIL_STREAM =
            ConfigOptions.key("tail.stream")
                    .stringType()
                    .defaultValue("redis-es-sync:changes")
                    .withDescription(
                            "The Redis Stream of tail.mode STREAM: writers XADD an entry whose"
                                    + " field 'key' names the changed key, in the same atomic"
                                    + " step as the write.");

    public static final ConfigOption<Integer> TAIL_BUFFER_SIZE =
            ConfigOptions.key("tail.buffer-size")
                    .intType()
                    .defaultValue(100_000)
                    .withDescription(
                            "The most distinct changed keys waiting to be re-read. A change that"
                                    + " finds the buffer full is a gap: counted, and healed by"
                                    + " a rescan.");

    public static final ConfigOption<Boolean> TAIL_CONFIGURE_NOTIFICATIONS =
            ConfigOptions.key("tail.configure-notifications")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "With tail.mode KEYSPACE: when notify-keyspace-events lacks flags"
                                    + " the tail needs, add them with CONFIG SET instead of"
                                    + " failing at start.");

    public static final ConfigOption<Boolean> TAIL_STOP_WHEN_IDLE =
            ConfigOptions.key("tail.stop-when-idle")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Makes a tailing source bounded: it finishes once its scan is done"
                                    + " and no changed key waits to be re-read (for runs that"
                                    + " should end in a consistent state, e.g. local"
                                    + " --until-synced).");

    public static final ConfigOption<Duration> CLUSTER_TOPOLOGY_REFRESH =
            ConfigOptions.key("cluster.topology-refresh-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "On a Redis Cluster, how often each reader asks for the topology (it"
                                    + " also asks at once after a lost connection, MOVED or"
                                    + " ASK). A failover, or slots its primary gained, is a gap"
                                    + " of the slots it touches: resubscribed and rescanned.");

    public static final ConfigOption<Duration> CLUSTER_FAILOVER_TIMEOUT =
            ConfigOptions.key("cluster.failover-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "On a Redis Cluster, how long a reader whose primary cannot be read"
                                    + " waits for another primary to take over its slots (or"
                                    + " for it to come back) before the read fails.");

    /** Every option above, for {@link RedisSourceBuilder#setConfiguration}. */
    static final List<ConfigOption<?>> ALL =
            List.of(
                    URI,
                    DATABASE,
                    SCAN_KEY_PATTERNS,
                    SCAN_COUNT,
                    SCAN_MAX_KEYS_PER_SECOND,
                    READ_BATCH_SIZE,
                    READ_MAX_VALUE_ELEMENTS,
                    READ_MAX_VALUE_BYTES,
                    CONNECT_TIMEOUT,
                    COMMAND_TIMEOUT,
                    TAIL_MODE,
                    TAIL_CHANNEL,
                    TAIL_STREAM,
                    TAIL_BUFFER_SIZE,
                    TAIL_CONFIGURE_NOTIFICATIONS,
                    TAIL_STOP_WHEN_IDLE,
                    CLUSTER_TOPOLOGY_REFRESH,
                    CLUSTER_FAILOVER_TIMEOUT);
}
