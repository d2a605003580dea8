package io.github.redisessync.job.reindex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.mapping.MappingResult;
import io.github.redisessync.job.mapping.RecordMapper;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Re-reads changed keys, each atomically with Redis's clock as its version (the script {@code
 * verify} uses), maps them as the job does and writes them with {@code external_gte}: a write older
 * than what the index holds is refused (409) and left alone, so concurrent writers are safe.
 */
final class DirtyKeyWriter implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final int database;
    private final String scriptSha;
    private final byte[] maxValueElements;
    private final byte[] maxStringBytes;
    private final RecordMapper mapper;
    private final RestClient elasticsearch;

    long written;
    long newerKept;
    long deadLetters;

    DirtyKeyWriter(
            String redisUri,
            String elasticsearchUrl,
            RecordMapper mapper,
            int maxValueElements,
            int maxStringBytes) {
        RedisURI uri = EndpointChecks.parseRedisUri(redisUri);
        this.database = uri.getDatabase();
        this.client = RedisClient.create(uri);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        try (InputStream in = getClass().getResourceAsStream("/verify-read-key.lua")) {
            this.scriptSha =
                    connection
                            .sync()
                            .scriptLoad(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("verify-read-key.lua is missing from the jar", e);
        }
        this.maxValueElements = ascii(maxValueElements);
        this.maxStringBytes = ascii(maxStringBytes);
        this.mapper = mapper;
        this.elasticsearch =
                RestClient.builder(ElasticsearchUrls.parse(elasticsearchUrl))
                        .setRequestConfigCallback(
                                config -> config.setConnectTimeout(5_000).setSocketTimeout(120_000))
                        .build();
    }

    /** Re-reads and writes {@code keys}, {@code batchSize} per round trip. */
    void write(List<byte[]> keys, int batchSize) throws IOException {
        for (int from = 0; from < keys.size(); from += batchSize) {
            List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + batchSize));
            StringBuilder bulk = new StringBuilder();
            for (RedisRecord record : read(batch)) {
                MappingResult result = mapper.map(record);
                if (!result.isDocument()) {
                    deadLetters++; // the job's own run logs these keys with their reason
                    continue;
                }
                append(bulk, result.document());
            }
            if (bulk.length() > 0) {
                send(bulk.toString());
            }
        }
    }

    private static void append(StringBuilder bulk, DocumentAction action) {
        boolean delete = action.getOp() == DocumentAction.Op.DELETE;
        ObjectNode meta = ElasticsearchAliases.JSON.createObjectNode();
        meta.putObject(delete ? "delete" : "index")
                .put("_index", action.getIndex())
                .put("_id", action.getId())
                .put("version", action.getVersion())
                .put("version_type", "external_gte");
        bulk.append(meta).append('\n');
        if (!delete) {
            bulk.append(new String(action.getSource(), StandardCharsets.UTF_8)).append('\n');
        }
    }

    private void send(String ndjson) throws IOException {
        Request request = new Request("POST", "/_bulk");
        request.setEntity(
                new NByteArrayEntity(
                        ndjson.getBytes(StandardCharsets.UTF_8),
                        ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        JsonNode answer =
                ElasticsearchAliases.JSON.readTree(
                        EntityUtils.toString(elasticsearch.performRequest(request).getEntity()));
        for (JsonNode item : answer.path("items")) {
            JsonNode result = item.elements().next();
            int status = result.path("status").asInt();
            if (status == 409) {
                newerKept++; // Elasticsearch holds a newer write of this document
            } else if (status >= 300 && status != 404) {
                throw new IOException(
                        "Elasticsearch refused a re-read document "
                                + result.path("_id").asText()
                                + " of "
                                + result.path("_index").asText()
                                + ": "
                                + result.path("error"));
            } else {
                written++;
            }
        }
    }

    /** Each key as the source reads it: type, value and version, or a delete when it is gone. */
    private List<RedisRecord> read(List<byte[]> keys) {
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        List<RedisFuture<List<Object>>> replies = new ArrayList<>(keys.size());
        connection.setAutoFlushCommands(false);
        try {
            for (byte[] key : keys) {
                replies.add(
                        redis.evalsha(
                                scriptSha,
                                ScriptOutputType.MULTI,
                                new byte[][] {key},
                                maxValueElements,
                                maxStringBytes));
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        if (!LettuceFutures.awaitAll(
                TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, replies.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not answer within " + TIMEOUT);
        }
        List<RedisRecord> records = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            List<Object> reply = result(replies.get(i));
            String type = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
            long version = (Long) reply.get(1) * 1_000_000L + (Long) reply.get(2);
            if (type.equals("none")) {
                records.add(RedisRecord.delete(keys.get(i), version, database));
                continue;
            }
            byte[][] values = null;
            if (reply.size() > 3) {
                @SuppressWarnings("unchecked")
                List<byte[]> fields = (List<byte[]>) reply.get(3);
                values = fields.toArray(new byte[0][]);
            }
            records.add(
                    RedisRecord.upsert(
                            keys.get(i),
                            RedisDataType.fromTypeReply(type),
                            values,
                            version,
                            RedisRecord.NO_EXPIRY,
                            database));
        }
        return records;
    }

    private static <T> T result(RedisFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading Redis", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis refused a read: " + e.getCause(), e);
        }
    }

    private static byte[] ascii(int value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        elasticsearch.close();
    }
}
