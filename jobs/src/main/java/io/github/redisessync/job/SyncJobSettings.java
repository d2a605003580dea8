package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.mapping.IndexRule;
import java.time.Duration;
import java.util.List;

/**
 * Everything one run of the sync job needs, validated: endpoints, which key patterns go to which
 * index, batching, checkpointing and the tail.
 */
public final class SyncJobSettings {
    private final String redisUri;
    private final String elasticsearchUrl;
    private final List<IndexRule> rules;
    private final int scanCount;
    private final int readBatchSize;
    private final Duration checkpointInterval;
    private RedisTailMode tailMode = RedisTailMode.NONE;
    private String tailChannel = RedisSourceOptions.TAIL_CHANNEL.defaultValue();
    private boolean configureNotifications;
    private boolean stopWhenIdle;

    public SyncJobSettings(
            String redisUri,
            String elasticsearchUrl,
            List<IndexRule> rules,
            int scanCount,
            int readBatchSize,
            Duration checkpointInterval) {
        ElasticsearchUrls.parse(elasticsearchUrl);
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("At least one key pattern must map to an index.");
        }
        if (scanCount <= 0) {
            throw new IllegalArgumentException("scan-count must be positive, was " + scanCount);
        }
        if (readBatchSize <= 0) {
            throw new IllegalArgumentException(
                    "read-batch-size must be positive, was " + readBatchSize);
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException(
                    "checkpoint-interval must be positive, was " + checkpointInterval);
        }
        this.redisUri = redisUri;
        this.elasticsearchUrl = elasticsearchUrl;
        this.rules = List.copyOf(rules);
        this.scanCount = scanCount;
        this.readBatchSize = readBatchSize;
        this.checkpointInterval = checkpointInterval;
    }

    public String redisUri() {
        return redisUri;
    }

    public String elasticsearchUrl() {
        return elasticsearchUrl;
    }

    public List<IndexRule> rules() {
        return rules;
    }

    public int scanCount() {
        return scanCount;
    }

    public int readBatchSize() {
        return readBatchSize;
    }

    public Duration checkpointInterval() {
        return checkpointInterval;
    }

    /**
     * A copy that follows changes after the snapshot: {@code mode} and, for {@code CHANNEL}, the
     * channel; {@code configureNotifications} lets the source CONFIG SET notify-keyspace-events;
     * {@code stopWhenIdle} ends the job once the snapshot is done and no change is pending.
     */
    public SyncJobSettings withTail(
            RedisTailMode mode,
            String channel,
            boolean configureNotifications,
            boolean stopWhenIdle) {
        if (mode == RedisTailMode.CHANNEL && (channel == null || channel.isEmpty())) {
            throw new IllegalArgumentException("--channel must name a channel, was empty.");
        }
        SyncJobSettings copy =
                new SyncJobSettings(
                        redisUri,
                        elasticsearchUrl,
                        rules,
                        scanCount,
                        readBatchSize,
                        checkpointInterval);
        copy.tailMode = mode;
        copy.tailChannel = channel == null ? tailChannel : channel;
        copy.configureNotifications = configureNotifications;
        copy.stopWhenIdle = stopWhenIdle;
        return copy;
    }

    /** How changes after the snapshot are followed; NONE by default (a bounded snapshot). */
    public RedisTailMode tailMode() {
        return tailMode;
    }

    public String tailChannel() {
        return tailChannel;
    }

    public boolean configureNotifications() {
        return configureNotifications;
    }

    public boolean stopWhenIdle() {
        return stopWhenIdle;
    }
}
