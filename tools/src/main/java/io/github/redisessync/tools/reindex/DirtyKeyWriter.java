package io.github.redisessync.tools.reindex;

import io.github.redisessync.connector.elasticsearch.ElasticsearchDocuments;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.job.mapping.MappingResult;
import io.github.redisessync.job.mapping.RecordMapper;
import java.io.IOException;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * Re-reads changed keys, each atomically with Redis's clock as its version (as {@code verify} reads
 * them), maps them as the job does and writes them with {@code external_gte}: a write older than
 * what the index holds is refused (409) and left alone, so concurrent writers are safe.
 */
final class DirtyKeyWriter implements AutoCloseable {
    private final RedisKeyReader redis;
    private final ElasticsearchDocuments elasticsearch;
    private final RecordMapper mapper;

    long written;
    long newerKept;
    long deadLetters;

    DirtyKeyWriter(
            String redisUri,
            String elasticsearchUrl,
            RecordMapper mapper,
            int maxValueElements,
            int maxValueBytes)
            throws IOException {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, redisUri);
        config.set(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS, maxValueElements);
        config.set(RedisSourceOptions.READ_MAX_VALUE_BYTES, maxValueBytes);
        this.redis = RedisKeyReader.open(config);
        this.elasticsearch = new ElasticsearchDocuments(elasticsearchUrl);
        this.mapper = mapper;
    }

    /** Re-reads and writes {@code keys}, {@code batchSize} per round trip. */
    void write(List<byte[]> keys, int batchSize) throws IOException {
        for (int from = 0; from < keys.size(); from += batchSize) {
            List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + batchSize));
            StringBuilder bulk = new StringBuilder();
            for (RedisRecord record : redis.read(batch)) {
                MappingResult result = mapper.map(record);
                if (!result.isDocument()) {
                    deadLetters++; // the job's own run logs these keys with their reason
                    continue;
                }
                ElasticsearchDocuments.appendVersioned(bulk, result.document());
            }
            if (bulk.length() == 0) {
                continue;
            }
            ElasticsearchDocuments.BulkResult outcome = elasticsearch.bulk(bulk.toString());
            written += outcome.written();
            newerKept += outcome.newerKept(); // Elasticsearch holds a newer write of those
            if (outcome.failed() > 0) {
                throw new IOException(
                        "Elasticsearch refused "
                                + outcome.failed()
                                + " re-read documents, e.g. "
                                + outcome.firstError());
            }
        }
    }

    @Override
    public void close() throws IOException {
        redis.close();
        elasticsearch.close();
    }
}
