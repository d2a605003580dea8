package io.github.redisessync.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.cli.CommandRunner;
import io.github.redisessync.testing.TestServices;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code local --state-dir} killed with SIGKILL mid-snapshot resumes from its latest checkpoint
 * when started again, and ends with Elasticsearch equal to Redis while a writer keeps changing keys
 * throughout; a SIGTERM (Ctrl-C) leaves a checkpoint too.
 */
class LocalResumeITCase {
    private static final Logger LOG = LoggerFactory.getLogger(LocalResumeITCase.class);
    private static final int KEYS = 3000;
    private static final Pattern RESUMING = Pattern.compile("Resuming from checkpoint (\\d+) in ");

    @TempDir Path dir;

    private String prefix;
    private RedisClient client;
    private SearchClient search;

    @BeforeEach
    void connect() {
        prefix = TestServices.uniqueName("resume");
        client = RedisClient.create(TestServices.redis().uri());
        search = new SearchClient(TestServices.elasticsearch().url());
    }

    /** Only what this test made: its keys and its index. */
    @AfterEach
    void removeWhatThisTestMade() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> keys = new ArrayList<>(redisHashes(connection.sync(), prefix).keySet());
            for (int i = 0; i < keys.size(); i += 500) {
                List<String> batch = keys.subList(i, Math.min(keys.size(), i + 500));
                connection
                        .sync()
                        .del(batch.stream().map(id -> prefix + ":" + id).toArray(String[]::new));
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        try {
            search.send("DELETE", "/" + prefix, null);
        } catch (IOException absent) {
            // the run never created it
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void resumesFromTheLatestCheckpointAfterAKillAndEndsEqualToRedis() throws Exception {
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
                        "--state-dir",
                        state.toString(),
                        "--checkpoint-interval",
                        "1s",
                        "--parallelism",
                        "1",
                        // A snapshot of about 15 s, so that the kill falls in its middle.
                        "--set",
                        "source.max-keys-per-second=200");

        try (Writer writer = new Writer(client, prefix, KEYS)) {
            long firstCheckpoint;
            try (LocalProcess first = LocalProcess.start(dir.resolve("run-1"), args)) {
                first.awaitOutput(
                        "the first run to start afresh",
                        Duration.ofMinutes(2),
                        out -> out.contains("none there yet: starting afresh"));
                awaitCheckpoint(state, first, 2);
                assertThat(first.log()).as("killed mid-snapshot").doesNotContain("Finished scan");
                first.kill();
                firstCheckpoint = latestCheckpoint(state).orElseThrow();
            }
            // Changes while nothing runs: notifications nobody hears, found by the rescan.
            long before = writer.changes.get();
            writer.awaitChanges(before + 200, Duration.ofSeconds(30));

            try (LocalProcess second = LocalProcess.start(dir.resolve("run-2"), args)) {
                String out =
                        second.awaitOutput(
                                "the second run to resume",
                                Duration.ofMinutes(2),
                                text -> RESUMING.matcher(text).find());
                Matcher resumed = RESUMING.matcher(out);
                assertThat(resumed.find()).isTrue();
                assertThat(Long.parseLong(resumed.group(1))).isEqualTo(firstCheckpoint);
                writer.awaitChanges(writer.changes.get() + 500, Duration.ofSeconds(60));
                writer.stop();
                long stoppedAt = System.nanoTime();
                awaitEqual(Duration.ofMinutes(3), second);
                LOG.info(
                        "Killed at checkpoint {}, resumed from it; {} changes written during both"
                                + " runs and between; equal {} ms after the last write",
                        firstCheckpoint,
                        writer.changes.get(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt));
                // Ctrl-C: the job is cancelled, and its latest checkpoint stays to resume from.
                awaitCheckpoint(state, second, firstCheckpoint + 1);
                second.interrupt();
                assertThat(latestCheckpoint(state).orElseThrow()).isGreaterThan(firstCheckpoint);
            }
        }
    }

    /** A changed configuration cannot resume the old one's checkpoints: said before any work. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void checkpointsOfAnotherConfigurationAreRefusedNamingTheDirectoryAndWhatToDo()
            throws Exception {
        Path state = dir.resolve("state");
        Path chk = Files.createDirectories(state.resolve("0123456789abcdef0123456789abcdef/chk-5"));
        Files.write(chk.resolve("_metadata"), new byte[] {1});
        Files.writeString(
                state.resolve("job.properties"),
                "mappings=" + prefix + "-old:* -> " + prefix + "\n");

        CliRun run =
                CliRun.run(
                        "local",
                        "--redis",
                        TestServices.redis().uri(),
                        "--es",
                        TestServices.elasticsearch().url(),
                        "--index",
                        prefix + ":*=" + prefix,
                        "--state-dir",
                        state.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(CommandRunner.EXIT_BAD_CONFIGURATION);
        assertThat(run.err)
                .contains("The state directory " + state + " holds checkpoints of another job")
                .contains("mappings was '" + prefix + "-old:* -> " + prefix + "'")
                .contains("--fresh")
                .doesNotContain("Exception", "\tat ");
        assertThat(chk.resolve("_metadata")).as("nothing deleted").exists();
    }

    /** Waits until a completed checkpoint numbered {@code atLeast} or more is on disk. */
    private static void awaitCheckpoint(Path state, LocalProcess run, long atLeast)
            throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (latestCheckpoint(state).orElse(0) < atLeast) {
            if (!run.isAlive() || System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "No checkpoint " + atLeast + " in " + state + "\n" + run.output());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The highest {@code chk-N} with its {@code _metadata}, found independently of the job. */
    static OptionalLong latestCheckpoint(Path state) throws IOException {
        if (!Files.isDirectory(state)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.walk(state, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("chk-\\d+"))
                    .mapToLong(name -> Long.parseLong(name.substring(4)))
                    .max();
        }
    }

    /** Polls until every hash under the prefix is a document with the same fields, no more. */
    private void awaitEqual(Duration timeout, LocalProcess run) throws Exception {
        awaitEqual(timeout, run, client, search, prefix);
    }

    /** Polls until every hash under {@code prefix} is a document of index {@code prefix}. */
    static void awaitEqual(
            Duration timeout,
            LocalProcess run,
            RedisClient client,
            SearchClient search,
            String prefix)
            throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            awaitEqual(timeout, run, connection.sync(), search, prefix);
        }
    }

    /**
     * Polls until every hash under {@code prefix} is a document of index {@code prefix}, reading
     * Redis with {@code redis} (a standalone or a Redis Cluster connection).
     */
    static void awaitEqual(
            Duration timeout,
            LocalProcess run,
            RedisClusterCommands<String, String> redis,
            SearchClient search,
            String prefix)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String difference;
        while ((difference = difference(redis, search, prefix)) != null) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        "Still differing after " + timeout + ": " + difference + "\n" + run.log());
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
    }

    /** The first difference between Redis and Elasticsearch, or null when they are equal. */
    private static String difference(
            RedisClusterCommands<String, String> redis, SearchClient search, String prefix)
            throws Exception {
        Map<String, Map<String, String>> hashes = redisHashes(redis, prefix);
        Map<String, JsonNode> documents = search.allDocuments(prefix);
        if (!documents.keySet().equals(hashes.keySet())) {
            List<String> missing = new ArrayList<>(hashes.keySet());
            missing.removeAll(documents.keySet());
            List<String> extra = new ArrayList<>(documents.keySet());
            extra.removeAll(hashes.keySet());
            return hashes.size()
                    + " keys, "
                    + documents.size()
                    + " documents; missing "
                    + head(missing)
                    + ", extra "
                    + head(extra);
        }
        for (Map.Entry<String, Map<String, String>> hash : hashes.entrySet()) {
            JsonNode document = documents.get(hash.getKey());
            Map<String, String> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                fields.put(field.getKey(), value.isTextual() ? value.asText() : value.toString());
            }
            if (!fields.equals(new TreeMap<>(hash.getValue()))) {
                return "document "
                        + hash.getKey()
                        + " is "
                        + fields
                        + ", its hash "
                        + hash.getValue();
            }
        }
        return null;
    }

    private static List<String> head(List<String> ids) {
        return ids.subList(0, Math.min(5, ids.size()));
    }

    /** Every hash under the prefix by id, read with SCAN and HGETALL. */
    static Map<String, Map<String, String>> redisHashes(
            RedisClusterCommands<String, String> redis, String prefix) {
        Map<String, Map<String, String>> hashes = new TreeMap<>();
        ScanArgs args = ScanArgs.Builder.matches(prefix + ":*").limit(1000);
        KeyScanCursor<String> cursor = redis.scan(args);
        while (true) {
            for (String key : cursor.getKeys()) {
                Map<String, String> hash = redis.hgetall(key);
                if (!hash.isEmpty()) {
                    hashes.put(key.substring(prefix.length() + 1), hash);
                }
            }
            if (cursor.isFinished()) {
                return hashes;
            }
            // The cursor itself: a cluster connection's holds which node it is at.
            cursor = redis.scan(cursor, args);
        }
    }

    /** Changes keys under the prefix at about 100 per second: updates, deletes, creates. */
    private static final class Writer implements AutoCloseable {
        final AtomicLong changes = new AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;
        private volatile Throwable failure;

        Writer(RedisClient client, String prefix, int ids) {
            thread =
                    new Thread(
                            () -> {
                                try (StatefulRedisConnection<String, String> connection =
                                        client.connect()) {
                                    write(connection.sync(), prefix, ids);
                                } catch (Throwable t) {
                                    failure = t;
                                }
                            },
                            "resume-writer");
            thread.start();
        }

        private void write(RedisCommands<String, String> redis, String prefix, int ids) {
            SplittableRandom random = new SplittableRandom(42);
            long interval = TimeUnit.MILLISECONDS.toNanos(10);
            long next = System.nanoTime();
            for (long op = 1; !stopped; op++) {
                String key = prefix + ":" + random.nextInt(ids + ids / 10);
                int dice = random.nextInt(10);
                if (dice < 6) {
                    redis.hset(key, "v", Long.toString(op));
                } else if (dice < 8) {
                    redis.del(key);
                } else {
                    redis.del(key);
                    // A number like every other "v": the index detects numbers in strings, so a
                    // word here would be a dead letter, not a document.
                    redis.hset(key, Map.of("name", "created " + op, "v", Long.toString(-op)));
                }
                changes.incrementAndGet();
                // Pacing, not waiting for a condition: a steady rate across both runs.
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }

        /** Waits until {@code count} changes are made (the writer is alive and writing). */
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
            thread.join();
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
