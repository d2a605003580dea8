package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.job.mapping.IndexRule;
import java.time.Duration;
import java.util.List;

/**
 * Everything one run of the sync job needs, validated: endpoints, which key patterns go to which
 * index, batching and checkpointing.
 */
public final class SyncJobSettings {
    private final String redisUri;
    private final String elasticsearchUrl;
    private final List<IndexRule> rules;
    private final int scanCount;
    private final int readBatchSize;
    private final Duration checkpointInterval;

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
}
