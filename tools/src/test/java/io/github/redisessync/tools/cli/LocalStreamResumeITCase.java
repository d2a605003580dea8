package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.SearchClient;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code local --tail stream}, killed with SIGKILL mid-tail and started again on its state
 * directory, reads on from the stream entry it checkpointed: it re-reads only the keys changed
 * since, a small share of them, and ends equal to Redis, while a writer changes keys throughout
 * with {@code MULTI}/{@code HSET}/{@code XADD}/{@code EXEC}, as the README shows writers to do.
 */
class LocalStreamResumeITCase {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStreamResumeITCase.class);
    private static final int KEYS = 20_000;
    private static final Pattern KEYS_READ = Pattern.compile("(\\d+) keys read");

    @TempDir Path dir;

    private String prefix;
    private String stream;
    private RedisClient client;
    private SearchClient search;

    @BeforeEach
    void connect() {
        prefix = TestServices.uniqueName("stream-resume");
        stream = "changes-" + prefix; // outside the key pattern
        client = RedisClient.create(TestServices.redis().uri());
        search = new SearchClient(TestServices.elasticsearch().url());
    }

    /** Only what this test made: its keys, its stream and its index. */
    @AfterEach
    void removeWhatThisTestMade() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            List<String> ids = List.copyOf(LocalResumeITCase.redisHashes(redis, prefix).keySet());
            for (int i = 0; i < ids.size(); i += 500) {
                redis.del(
                        ids.subList(i, Math.min(ids.size(), i + 500)).stream()
                                .map(id -> prefix + ":" + id)
                                .toArray(String[]::new));
            }
            redis.del(stream);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        try {
            search.send("DELETE", "/" + prefix, null);
        } catch (java.io.IOException absent) {
            // the run never created it
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aRunKilledMidTailResumesFromItsStreamEntryAndReadsOnlyTheKeysChangedSince()
            throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int id = 0; id < KEYS; id++) {
                connection.async().hset(prefix + ":" + id, Map.of("name", "user " + id, "v", "0"));
            }
            connection.sync().ping();
        }
        Path state = dir.resolve("state");
        List<String> args =
                List.of(
                        "--redis",
                        TestServices.redis().uri(),
                        "--es",
                        TestServices.elasticsearch().url(),
                        "--index",
                        prefix + ":*=" + prefix,
                        "--tail",
                        "stream",
                        "--stream",
                        stream,
                        "--state-dir",
                        state.toString(),
                        "--checkpoint-interval",
                        "1s",
                        "--parallelism",
                        "1");

        long changesBeforeKill;
        try (StreamWriter writer = new StreamWriter(client, prefix, stream, KEYS)) {
            try (LocalProcess first = LocalProcess.start(dir.resolve("run-1"), args)) {
                first.awaitOutput(
                        "the first run's snapshot to end",
                        Duration.ofMinutes(3),
                        out -> first.log().contains("Finished scan"));
                writer.start();
                writer.awaitChanges(300, Duration.ofSeconds(30));
                long atKill = LocalResumeITCase.latestCheckpoint(state).orElse(0) + 2;
                awaitCheckpoint(state, atKill, first);
                first.kill();
                changesBeforeKill = writer.changes.get();
            }
            // Changes while nothing runs: entries the resumed run reads on to.
            writer.awaitChanges(changesBeforeKill + 300, Duration.ofSeconds(30));

            try (LocalProcess second = LocalProcess.start(dir.resolve("run-2"), args)) {
                second.awaitOutput(
                        "the second run to resume from the stream",
                        Duration.ofMinutes(2),
                        out -> out.contains("reads on from the stream entry it checkpointed"));
                writer.awaitChanges(writer.changes.get() + 300, Duration.ofSeconds(30));
                writer.stop();
                LocalResumeITCase.awaitEqual(Duration.ofMinutes(2), second, client, search, prefix);
                // The job's counts reach the client with the TaskManager's heartbeats, after the
                // documents reach Elasticsearch: a stop right after equality could count none yet.
                second.awaitOutput(
                        "a count of the keys the second run read",
                        Duration.ofMinutes(1),
                        out -> lastKeysRead(out) > 0);
                second.interrupt();

                assertThat(second.log())
                        .doesNotContain("Gap in the tail")
                        .doesNotContain("Starting scan");
                // It says what it tails, and counts no share of DBSIZE: it scans nothing.
                assertThat(second.output())
                        .contains("(tail: stream " + stream + ")")
                        .doesNotContain("keys read of ~");
                assertThat(second.output()).contains("Stopped after");
                long read = lastKeysRead(second.output());
                LOG.info(
                        "Resumed from the stream after kill -9: {} keys read by the second run, of"
                                + " {} keys; {} changes written in all",
                        read,
                        KEYS,
                        writer.changes.get());
                assertThat(read)
                        .as(
                                "keys read after the restore, of %d (%d changes in all)",
                                KEYS, writer.changes.get())
                        .isPositive()
                        .isLessThan(KEYS / 5);
            }
        }
    }

    private static void awaitCheckpoint(Path state, long atLeast, LocalProcess run)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (LocalResumeITCase.latestCheckpoint(state).orElse(0) < atLeast) {
            if (!run.isAlive() || System.nanoTime() - deadline > 0) {
                throw new AssertionError("No checkpoint " + atLeast + "\n" + run.output());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The last "N keys read" the run printed (its line at the stop, or its latest progress). */
    private static long lastKeysRead(String output) {
        Matcher matcher = KEYS_READ.matcher(output);
        long last = -1;
        while (matcher.find()) {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }

    /** Writes as the README shows: HSET or DEL and XADD of the key in one MULTI/EXEC. */
    private static final class StreamWriter implements AutoCloseable {
        final AtomicLong changes = new AtomicLong();
        private final RedisClient client;
        private final String prefix;
        private final String stream;
        private final int ids;
        private Thread thread;
        private volatile boolean stopped;
        private volatile Throwable failure;

        StreamWriter(RedisClient client, String prefix, String stream, int ids) {
            this.client = client;
            this.prefix = prefix;
            this.stream = stream;
            this.ids = ids;
        }

        void start() {
            thread =
                    new Thread(
                            () -> {
                                try (StatefulRedisConnection<String, String> connection =
                                        client.connect()) {
                                    write(connection.sync());
                                } catch (Throwable t) {
                                    failure = t;
                                }
                            },
                            "stream-writer");
            thread.start();
        }

        private void write(RedisCommands<String, String> redis) {
            SplittableRandom random = new SplittableRandom(7);
            long interval = TimeUnit.MILLISECONDS.toNanos(10);
            long next = System.nanoTime();
            for (long op = 1; !stopped; op++) {
                String key = prefix + ":" + random.nextInt(ids + ids / 10);
                redis.multi();
                if (random.nextInt(10) < 8) {
                    redis.hset(key, "v", Long.toString(op));
                } else {
                    redis.del(key);
                }
                redis.xadd(stream, Map.of("key", key));
                redis.exec();
                changes.incrementAndGet();
                // Pacing, not waiting for a condition: a steady rate across both runs.
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }

        void awaitChanges(long count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (changes.get() < count) {
                if (failure != null || System.nanoTime() - deadline > 0) {
                    throw new AssertionError(
                            "The writer made " + changes.get() + " of " + count + " changes",
                            failure);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            if (thread != null) {
                thread.join();
            }
            if (failure != null) {
                throw new AssertionError("The writer failed", failure);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
