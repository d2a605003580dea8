package io.github.redisessync.connector.redis.source.reader;

import static io.github.redisessync.connector.redis.source.RedisTestClient.utf8;
import static java.util.stream.Collectors.toList;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisScanSplitState;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSplitSerializer;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link RedisSplitReader} against a real Redis: a checkpointed SCAN position resumes; the
 * first scan of a fresh tailing start ends with a catch-up marker, a restored one does not; the
 * tail's pub/sub connection carries the name it was given.
 */
class RedisSplitReaderITCase {

    private static final int KEYS = 2_000;
    private static final int BATCH = 100;

    @Test
    void resumesScanFromCheckpointedCursor() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("resume");
        Set<ByteBuffer> written = writeKeys(prefix);
        RedisScanSplit split = RedisScanSplit.initial("localhost:0", 0, List.of(prefix + "*"));
        RedisScanSplitState state = new RedisScanSplitState(split);
        List<ByteBuffer> read = new ArrayList<>();

        try (RedisSplitReader reader = reader(split)) {
            int firstFetch = emit(reader.fetch(), state, read, Integer.MAX_VALUE);
            assertThat(firstFetch).isBetween(BATCH, KEYS - 1);
        }
        RedisScanSplit checkpointed = checkpoint(state);
        assertThat(checkpointed.cursor()).isNotEqualTo(RedisScanSplit.INITIAL_CURSOR);
        int readBefore = read.size();

        readToTheEnd(checkpointed, read);

        assertThat(new HashSet<>(read)).isEqualTo(written);
        // Taken between batches, the checkpoint costs no re-read (SCAN itself may repeat a key).
        assertThat(duplicates(read)).isLessThan(BATCH);
        assertThat(readBefore).isLessThan(KEYS);
    }

    @Test
    void rereadsAtMostTheBatchInFlightWhenCheckpointedMidBatch() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("midbatch");
        Set<ByteBuffer> written = writeKeys(prefix);
        RedisScanSplit split = RedisScanSplit.initial("localhost:0", 0, List.of(prefix + "*"));
        RedisScanSplitState state = new RedisScanSplitState(split);
        List<ByteBuffer> read = new ArrayList<>();

        int secondFetch;
        try (RedisSplitReader reader = reader(split)) {
            emit(reader.fetch(), state, read, Integer.MAX_VALUE);
            // The checkpoint comes after half of the second batch's records: its position is not
            // reached yet, so the whole batch is read again after the restore.
            secondFetch = emit(reader.fetch(), state, read, BATCH / 2);
        }
        readToTheEnd(checkpoint(state), read);

        assertThat(new HashSet<>(read)).isEqualTo(written);
        assertThat(duplicates(read))
                .isGreaterThanOrEqualTo(BATCH / 2)
                .isLessThanOrEqualTo(secondFetch);
    }

    @Test
    void endsTheFirstScanOfAFreshTailingStartWithAMarkerOlderThanItsReads() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("fresh");
        Set<ByteBuffer> written = writeKeys(prefix);
        RedisScanSplit split = RedisScanSplit.initial("localhost:0", 0, List.of(prefix + "*"));

        List<RedisRecord> records = readWithTail(split, false);

        RedisRecord marker = records.get(records.size() - 1);
        assertThat(marker.isCatchUpMarker()).as("the scan's last element").isTrue();
        assertThat(marker.catchUpPatterns()).containsExactly(prefix + "*");
        List<RedisRecord> reads = records.subList(0, records.size() - 1);
        assertThat(reads).noneMatch(RedisRecord::isCatchUpMarker);
        assertThat(reads.stream().map(r -> ByteBuffer.wrap(r.getKey())).collect(toSet()))
                .isEqualTo(written);
        // Taken before the first SCAN: every read of the scan is newer.
        assertThat(reads).allMatch(r -> r.getVersion() > marker.getVersion());
    }

    @Test
    void endsNoScanRestoredMidWayNorABoundedOneWithAMarker() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("restored");
        writeKeys(prefix);
        RedisScanSplit split = RedisScanSplit.initial("localhost:0", 0, List.of(prefix + "*"));
        RedisScanSplitState state = new RedisScanSplitState(split);
        try (RedisSplitReader reader = reader(split)) {
            emit(reader.fetch(), state, new ArrayList<>(), Integer.MAX_VALUE);
        }

        assertThat(readWithTail(checkpoint(state), false)).noneMatch(RedisRecord::isCatchUpMarker);
        assertThat(readWithTail(split, true)).noneMatch(RedisRecord::isCatchUpMarker);
    }

    @Test
    void namesItsPubSubConnectionSoThatItCanBeToldFromOtherSubscribers() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("named");
        String name = RedisSource.tailClientName(prefix.substring(0, prefix.length() - 1));
        Configuration config = config();
        config.set(RedisSourceOptions.TAIL_MODE, RedisTailMode.KEYSPACE);
        RedisTailSplit tail =
                new RedisTailSplit(
                        "localhost:0", 0, RedisTailMode.KEYSPACE, "", List.of(prefix + "*"), false);
        try (RedisSplitReader reader =
                        new RedisSplitReader(
                                config,
                                new RedisSourceMetrics(new UnregisteredMetricsGroup()),
                                name);
                RedisTestClient redis = new RedisTestClient(0)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(tail)));
            reader.fetch().recycle(); // subscribes before it returns

            List<String> named =
                    redis.sync()
                            .clientList()
                            .lines()
                            .filter(line -> line.contains(" name=" + name + " "))
                            .collect(toList());
            assertThat(named).hasSize(1);
            assertThat(named.get(0)).contains(" psub=1 ");
        }
    }

    /**
     * Reads {@code scan} to its end beside a (not restored) keyspace tail of the same patterns;
     * returns the records of the scan split in emitted order.
     */
    private static List<RedisRecord> readWithTail(RedisScanSplit scan, boolean stopWhenIdle)
            throws Exception {
        Configuration config = config();
        config.set(RedisSourceOptions.TAIL_MODE, RedisTailMode.KEYSPACE);
        config.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
        RedisTailSplit tail =
                new RedisTailSplit(
                        scan.node(),
                        scan.database(),
                        RedisTailMode.KEYSPACE,
                        "",
                        scan.keyPatterns(),
                        false);
        List<RedisRecord> records = new ArrayList<>();
        try (RedisSplitReader reader = new RedisSplitReader(config)) {
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(scan, tail)));
            for (int fetches = 0; fetches < 1000; fetches++) {
                RecordsWithSplitIds<RedisSplitElement> fetched = reader.fetch();
                String splitId;
                while ((splitId = fetched.nextSplit()) != null) {
                    RedisSplitElement element;
                    while ((element = fetched.nextRecordFromSplit()) != null) {
                        if (element.isRecord() && splitId.equals(scan.splitId())) {
                            records.add(element.record());
                        }
                    }
                }
                boolean finished = fetched.finishedSplits().contains(scan.splitId());
                fetched.recycle();
                if (finished) {
                    return records;
                }
            }
        }
        throw new AssertionError("The split did not finish within 1000 fetches");
    }

    private static Set<ByteBuffer> writeKeys(String prefix) {
        Set<ByteBuffer> keys = new HashSet<>();
        try (RedisTestClient redis = new RedisTestClient(0)) {
            Map<byte[], byte[]> values = new LinkedHashMap<>();
            for (int i = 0; i < KEYS; i++) {
                byte[] key = utf8(prefix + i);
                values.put(key, utf8("v" + i));
                keys.add(ByteBuffer.wrap(key));
            }
            redis.sync().mset(values);
        }
        return keys;
    }

    private static Configuration config() {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, RedisTestClient.uri());
        config.set(RedisSourceOptions.SCAN_COUNT, 50);
        config.set(RedisSourceOptions.READ_BATCH_SIZE, BATCH);
        return config;
    }

    private static RedisSplitReader reader(RedisSourceSplit split) {
        RedisSplitReader reader = new RedisSplitReader(config());
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split)));
        return reader;
    }

    /** A checkpoint and restore of the split, through the real serializer. */
    private static RedisScanSplit checkpoint(RedisScanSplitState state) throws Exception {
        RedisSplitSerializer serializer = new RedisSplitSerializer();
        byte[] bytes = serializer.serialize(state.toSplit());
        return serializer.deserialize(serializer.getVersion(), bytes).asScanSplit();
    }

    private static void readToTheEnd(RedisScanSplit split, List<ByteBuffer> read) throws Exception {
        RedisScanSplitState state = new RedisScanSplitState(split);
        try (RedisSplitReader reader = reader(split)) {
            for (int fetches = 0; fetches < 1000; fetches++) {
                RecordsWithSplitIds<RedisSplitElement> records = reader.fetch();
                emit(records, state, read, Integer.MAX_VALUE);
                if (records.finishedSplits().contains(split.splitId())) {
                    return;
                }
            }
        }
        throw new AssertionError("The split did not finish within 1000 fetches");
    }

    /**
     * Does what the emitter does with up to {@code limit} records of a fetch (and its position only
     * when every record was emitted); returns how many records the fetch held.
     */
    private static int emit(
            RecordsWithSplitIds<RedisSplitElement> fetched,
            RedisScanSplitState state,
            List<ByteBuffer> read,
            int limit) {
        int records = 0;
        while (fetched.nextSplit() != null) {
            RedisSplitElement element;
            while ((element = fetched.nextRecordFromSplit()) != null) {
                if (element.isRecord()) {
                    RedisRecord record = element.record();
                    assertThat(record.getOp()).isEqualTo(RedisRecord.Op.UPSERT);
                    if (records++ < limit) {
                        read.add(ByteBuffer.wrap(record.getKey()));
                    }
                } else if (records <= limit) {
                    state.advanceTo(
                            element.patternIndex(), element.cursor(), element.keysScanned());
                }
            }
        }
        fetched.recycle();
        return records;
    }

    private static int duplicates(List<ByteBuffer> read) {
        Map<ByteBuffer, Integer> counts = new HashMap<>();
        read.forEach(key -> counts.merge(key, 1, Integer::sum));
        return counts.values().stream().mapToInt(c -> c - 1).sum();
    }
}
