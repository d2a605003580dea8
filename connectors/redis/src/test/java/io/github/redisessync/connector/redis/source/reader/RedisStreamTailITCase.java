package io.github.redisessync.connector.redis.source.reader;

import static io.github.redisessync.connector.redis.source.RedisTestClient.text;
import static io.github.redisessync.connector.redis.source.RedisTestClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.RedisTestClient;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import io.github.redisessync.connector.redis.source.split.RedisTailSplitState;
import io.lettuce.core.XAddArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.junit.jupiter.api.Test;

/**
 * The stream tail on a real Redis: a fresh tail reads only entries added after it started (the scan
 * covers what was there), a restored one reads on from its checkpointed entry without a rescan, and
 * one whose entries were trimmed past its position rescans.
 */
class RedisStreamTailITCase {

    private static final int KEYS = 500;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void aFreshTailReadsOnlyTheEntriesAddedAfterItStarted() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("stream-fresh");
        String stream = "changes-" + prefix; // outside the key pattern
        try (RedisTestClient redis = new RedisTestClient(0)) {
            writeKeys(redis, prefix);
            String before = append(redis, stream, prefix + "1"); // older than the tail
            RedisScanSplit scan = RedisScanSplit.initial("localhost:0", 0, List.of(prefix + "*"));
            RedisTailSplit tail = tail(stream, prefix, false, "");
            try (Driver driver = new Driver(config(false), scan, tail)) {
                driver.until(d -> d.scanFinished);
                assertThat(driver.position).isEqualTo(before);
                assertThat(driver.scanned).hasSize(KEYS);

                redis.sync().set(utf8(prefix + "new"), utf8("x"));
                String after = append(redis, stream, prefix + "new");
                driver.until(d -> after.equals(d.position));

                assertThat(driver.tailed).containsExactly(prefix + "new");
                assertThat(driver.markers).as("a fresh start's scan asks for a sweep").hasSize(1);
            }
        }
    }

    @Test
    void aRestoredTailReadsOnFromItsPositionWithoutARescan() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("stream-restore");
        String stream = "changes-" + prefix; // outside the key pattern
        try (RedisTestClient redis = new RedisTestClient(0)) {
            writeKeys(redis, prefix);
            append(redis, stream, prefix + "0");
            String checkpointed = append(redis, stream, prefix + "1");
            // Written while the job was down: the entries after the checkpointed one.
            List<String> changed = List.of(prefix + "7", prefix + "8", prefix + "9");
            String last = null;
            for (String key : changed) {
                redis.sync().set(utf8(key), utf8("changed"));
                last = append(redis, stream, key);
            }
            append(redis, stream, "other:1"); // matches no pattern: read past, not emitted
            String end = lastEntry(redis, stream);

            try (Driver driver =
                    new Driver(config(false), tail(stream, prefix, true, checkpointed))) {
                driver.until(d -> end.equals(d.position));

                assertThat(driver.tailed).containsExactlyElementsOf(changed);
                assertThat(driver.markers).as("no gap, so no rescan and no sweep").isEmpty();
                assertThat(driver.state.toSplit().streamPosition()).isEqualTo(end);
                assertThat(last).isNotNull();
            }
        }
    }

    @Test
    void aRunningTailWhoseUnreadEntriesAreTrimmedCountsAGapAndRescans() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("stream-lagging");
        String stream = "changes-" + prefix; // outside the key pattern
        try (RedisTestClient redis = new RedisTestClient(0)) {
            writeKeys(redis, prefix);
            String start = append(redis, stream, prefix + "0");
            try (Driver driver = new Driver(config(false), tail(stream, prefix, true, start))) {
                String first = append(redis, stream, prefix + "1");
                driver.until(d -> first.equals(d.position));
                assertThat(driver.markers).as("no gap while it keeps up").isEmpty();

                // While the tail lags, its unread entries are trimmed away (as MAXLEN does).
                append(redis, stream, prefix + "2");
                append(redis, stream, prefix + "3");
                String last = append(redis, stream, prefix + "4");
                redis.sync().xtrim(utf8(stream), 1);
                driver.until(d -> !d.markers.isEmpty());

                assertThat(driver.position).isEqualTo(last);
                assertThat(driver.tailed)
                        .as("the rescan re-reads every key, the trimmed ones' included")
                        .contains(prefix + "2", prefix + "3")
                        .hasSizeGreaterThanOrEqualTo(KEYS);
            }
            redis.sync().del(utf8(stream));
        }
    }

    @Test
    void aTailWhoseEntriesWereTrimmedPastItsPositionRescans() throws Exception {
        String prefix = RedisTestClient.uniquePrefix("stream-trimmed");
        String stream = "changes-" + prefix; // outside the key pattern
        try (RedisTestClient redis = new RedisTestClient(0)) {
            writeKeys(redis, prefix);
            String checkpointed = append(redis, stream, prefix + "1");
            String lastAdded = append(redis, stream, prefix + "2");
            redis.sync().xtrim(utf8(stream), 0); // the entries after the position are gone

            try (Driver driver =
                    new Driver(config(false), tail(stream, prefix, true, checkpointed))) {
                driver.until(d -> !d.markers.isEmpty());

                assertThat(driver.tailed).as("the rescan reads every key").hasSize(KEYS);
                assertThat(driver.position)
                        .as("reads on after the last id ever added")
                        .isEqualTo(lastAdded);
            }
        }
    }

    private static RedisTailSplit tail(
            String stream, String prefix, boolean resumed, String position) {
        return new RedisTailSplit(
                "localhost:0",
                0,
                RedisTailMode.STREAM,
                stream,
                List.of(prefix + "*"),
                resumed,
                position);
    }

    private static String append(RedisTestClient redis, String stream, String key) {
        return redis.sync()
                .xadd(
                        utf8(stream),
                        new XAddArgs(),
                        Map.of(utf8("key"), utf8(key), utf8("op"), utf8("set")));
    }

    private static String lastEntry(RedisTestClient redis, String stream) {
        return redis.sync()
                .xrevrange(
                        utf8(stream),
                        io.lettuce.core.Range.unbounded(),
                        io.lettuce.core.Limit.from(1))
                .get(0)
                .getId();
    }

    private static void writeKeys(RedisTestClient redis, String prefix) {
        Map<byte[], byte[]> values = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            values.put(utf8(prefix + i), utf8("v" + i));
        }
        redis.sync().mset(values);
    }

    private static Configuration config(boolean stopWhenIdle) {
        Configuration config = new Configuration();
        config.set(RedisSourceOptions.URI, RedisTestClient.uri());
        config.set(RedisSourceOptions.SCAN_COUNT, 100);
        config.set(RedisSourceOptions.READ_BATCH_SIZE, 100);
        config.set(RedisSourceOptions.TAIL_MODE, RedisTailMode.STREAM);
        config.set(RedisSourceOptions.TAIL_STOP_WHEN_IDLE, stopWhenIdle);
        return config;
    }

    /** Fetches as a source reader's fetcher would and emits into the tail split's state. */
    private static final class Driver implements AutoCloseable {
        final RedisSplitReader reader;
        final RedisTailSplitState state;
        final String tailId;
        final List<String> tailed = new ArrayList<>();
        final List<String> scanned = new ArrayList<>();
        final List<RedisRecord> markers = new ArrayList<>();
        String position;
        boolean scanFinished;

        Driver(Configuration config, RedisSourceSplit... splits) {
            this.reader = new RedisSplitReader(config);
            RedisTailSplit tail = null;
            for (RedisSourceSplit split : splits) {
                if (split instanceof RedisTailSplit) {
                    tail = (RedisTailSplit) split;
                }
            }
            this.state = new RedisTailSplitState(tail);
            this.tailId = tail.splitId();
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(splits)));
        }

        void until(Predicate<Driver> condition) throws Exception {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!condition.test(this)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "Not reached within "
                                    + DEADLINE
                                    + "; tailed "
                                    + tailed.size()
                                    + " keys, position "
                                    + position);
                }
                fetchOnce();
            }
        }

        private void fetchOnce() throws Exception {
            RecordsWithSplitIds<RedisSplitElement> fetched = reader.fetch();
            String splitId;
            while ((splitId = fetched.nextSplit()) != null) {
                RedisSplitElement element;
                while ((element = fetched.nextRecordFromSplit()) != null) {
                    if (element.isRecord() && element.record().isCatchUpMarker()) {
                        markers.add(element.record());
                    } else if (element.isRecord()) {
                        String key = text(element.record().getKey());
                        (splitId.equals(tailId) ? tailed : scanned).add(key);
                    } else if (element.streamPosition() != null) {
                        position = element.streamPosition();
                        state.advanceTo(position);
                    }
                }
            }
            scanFinished |=
                    fetched.finishedSplits().stream().anyMatch(id -> id.startsWith("scan:"));
            fetched.recycle();
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
