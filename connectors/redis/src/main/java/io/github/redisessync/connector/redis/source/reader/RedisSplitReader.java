package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads scan splits one after another: each fetch walks SCAN until it has about {@code
 * read.batch-size} keys, reads their values in pipelined batches, and ends with the new SCAN
 * position.
 *
 * <p>Runs on the fetcher thread. The connection settings come from the source's configuration, the
 * node's database from the split.
 */
public class RedisSplitReader implements SplitReader<RedisSplitElement, RedisSourceSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSplitReader.class);

    private final ReadableConfig config;
    private final int scanCount;
    private final int batchSize;
    private final Deque<RedisScanSplit> pendingSplits = new ArrayDeque<>();

    private volatile boolean wakeUp;

    private RedisConnection connection;
    private int connectedDatabase = -1;
    private RedisKeyReader keyReader;

    // The split being read and its position; the emitter keeps the checkpointed copy.
    private RedisScanSplit current;
    private int patternIndex;
    private String cursor;
    private long keysScanned;
    private long keysAtStart;
    private long recordsRead;
    private long startNanos;

    public RedisSplitReader(ReadableConfig config) {
        this.config = config;
        this.scanCount = config.get(RedisSourceOptions.SCAN_COUNT);
        this.batchSize = config.get(RedisSourceOptions.READ_BATCH_SIZE);
    }

    @Override
    public RecordsWithSplitIds<RedisSplitElement> fetch() throws IOException {
        RecordsBySplits.Builder<RedisSplitElement> out = new RecordsBySplits.Builder<>();
        if (current == null && !startNextSplit()) {
            return out.build();
        }
        String splitId = current.splitId();
        List<String> patterns = current.keyPatterns();
        List<byte[]> keys = new ArrayList<>();
        while (patternIndex < patterns.size() && keys.size() < batchSize) {
            if (wakeUp) {
                wakeUp = false;
                break;
            }
            ScanArgs args =
                    ScanArgs.Builder.matches(
                                    patterns.get(patternIndex).getBytes(StandardCharsets.UTF_8))
                            .limit(scanCount);
            KeyScanCursor<byte[]> page =
                    connection.call(
                            connection.async().scan(ScanCursor.of(cursor), args),
                            "SCAN " + cursor + " MATCH " + patterns.get(patternIndex));
            keys.addAll(page.getKeys());
            if (page.isFinished()) {
                patternIndex++;
                cursor = RedisScanSplit.INITIAL_CURSOR;
            } else {
                cursor = page.getCursor();
            }
        }
        for (int from = 0; from < keys.size(); from += batchSize) {
            List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + batchSize));
            for (RedisRecord record : keyReader.read(batch)) {
                out.add(splitId, RedisSplitElement.record(record));
            }
        }
        keysScanned += keys.size();
        recordsRead += keys.size();
        out.add(
                splitId,
                RedisSplitElement.position(patternIndex, cursor, keysScanned, keys.size()));
        if (patternIndex >= patterns.size()) {
            finishCurrentSplit();
            out.addFinishedSplit(splitId);
        }
        return out.build();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<RedisSourceSplit> splitsChange) {
        if (!(splitsChange instanceof SplitsAddition)) {
            throw new UnsupportedOperationException(
                    "Redis splits are never removed, got " + splitsChange);
        }
        for (RedisSourceSplit split : splitsChange.splits()) {
            pendingSplits.add(split.asScanSplit());
        }
    }

    @Override
    public void wakeUp() {
        wakeUp = true;
    }

    @Override
    public void close() {
        closeConnection();
    }

    private boolean startNextSplit() throws IOException {
        current = pendingSplits.poll();
        if (current == null) {
            return false;
        }
        if (current.database() != connectedDatabase) {
            closeConnection();
            connection = RedisConnection.open(config, current.database());
            connectedDatabase = current.database();
            keyReader =
                    new RedisKeyReader(
                            connection,
                            current.database(),
                            config.get(RedisSourceOptions.READ_MAX_VALUE_ELEMENTS),
                            config.get(RedisSourceOptions.READ_MAX_STRING_BYTES));
        }
        patternIndex = current.patternIndex();
        cursor = current.cursor();
        keysScanned = current.keysScanned();
        keysAtStart = keysScanned;
        recordsRead = 0;
        startNanos = System.nanoTime();
        Long dbSize = connection.call(connection.async().dbsize(), "DBSIZE");
        LOG.info(
                "Starting {} on {}: patterns {} from pattern {} cursor {}, {} keys scanned"
                        + " before; the database holds {} keys",
                current.splitId(),
                connection.description(),
                current.keyPatterns(),
                patternIndex,
                cursor,
                keysScanned,
                dbSize);
        return true;
    }

    private void finishCurrentSplit() {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long scanned = keysScanned - keysAtStart;
        LOG.info(
                "Finished {}: {} keys scanned and {} records read in {} s ({} keys/s); {} keys"
                        + " scanned in total",
                current.splitId(),
                scanned,
                recordsRead,
                String.format("%.1f", seconds),
                Math.round(scanned / seconds),
                keysScanned);
        current = null;
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
            keyReader = null;
            connectedDatabase = -1;
        }
    }
}
