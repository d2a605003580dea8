package io.github.redisessync.tools.local;

import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.rollup.RollupSpec;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.http.HttpHost;

/**
 * The state directory of {@code local}: Flink's retained checkpoints ({@code <job id>/chk-N}), a
 * description of the job they belong to ({@value #DESCRIPTION}), and a lock so that two runs never
 * share it.
 *
 * <p>Only directories named like Flink job ids are ever deleted, so a state directory given by
 * mistake (a home directory) loses nothing else.
 */
public final class StateDirectory implements AutoCloseable {
    static final String DESCRIPTION = "job.properties";
    static final String LOCK = "lock";
    private static final Pattern JOB_DIRECTORY = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern CHECKPOINT_DIRECTORY = Pattern.compile("chk-(\\d+)");

    /** A completed checkpoint: its directory (what Flink restores from), id and write time. */
    public record Checkpoint(Path directory, long id, Instant written) {}

    /** The state directory cannot be used as it is; the message says what to do. */
    public static final class StateDirectoryException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        StateDirectoryException(String message) {
            super(message);
        }
    }

    private final Path directory;
    private final FileChannel lockFile;
    private final FileLock lock;

    private StateDirectory(Path directory, FileChannel lockFile, FileLock lock) {
        this.directory = directory;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Creates {@code directory} if needed and locks it for this process; the OS drops the lock when
     * the process ends, also on {@code kill -9}.
     */
    public static StateDirectory open(Path directory) throws IOException {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StateDirectoryException(
                    "Cannot create the state directory " + dir + " (--state-dir): " + e + ".");
        }
        FileChannel channel =
                FileChannel.open(
                        dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new StateDirectoryException(
                    "The state directory "
                            + dir
                            + " is in use by another redis-es-sync local; stop that one, or give"
                            + " this one another --state-dir.");
        }
        return new StateDirectory(dir, channel, lock);
    }

    /**
     * {@code local}'s default for these endpoints: {@code .redis-es-sync/state/<redis>_<es>} under
     * {@code base}, so that runs against other servers keep state of their own.
     */
    public static Path defaultFor(Path base, SyncJobSetup settings) {
        Map<String, String> job = describe(settings);
        String es = job.get("elasticsearch").replaceFirst("^\\w+://", "");
        String name = (job.get("redis") + "_" + es).replaceAll("[^A-Za-z0-9._-]+", "-");
        return base.resolve(".redis-es-sync").resolve("state").resolve(name);
    }

    /**
     * What the checkpoints' state depends on: the servers (the source's splits and the version
     * gate's versions are theirs), the key patterns and indexes, the tail and the rollups. Neither
     * passwords nor TLS file paths are part of it.
     */
    public static Map<String, String> describe(SyncJobSetup settings) {
        Map<String, String> job = new LinkedHashMap<>();
        RedisURI redis = EndpointChecks.parseRedisUri(settings.redisUri());
        int database =
                settings.source()
                        .getOptional(RedisSourceOptions.DATABASE)
                        .orElse(redis.getDatabase());
        job.put(
                "redis",
                (redis.getSocket() != null
                                ? redis.getSocket()
                                : redis.getHost() + ":" + redis.getPort())
                        + "/"
                        + database);
        HttpHost es = ElasticsearchUrls.parse(settings.elasticsearchUrl());
        job.put(
                "elasticsearch",
                es.getSchemeName() + "://" + es.getHostName() + ":" + es.getPort());
        job.put(
                "mappings",
                settings.rules().stream().map(Object::toString).collect(Collectors.joining(", ")));
        job.put(
                "tail",
                settings.source()
                                .get(RedisSourceOptions.TAIL_MODE)
                                .name()
                                .toLowerCase(java.util.Locale.ROOT)
                        + (settings.source().get(RedisSourceOptions.TAIL_MODE)
                                        == RedisTailMode.CHANNEL
                                ? " " + settings.source().get(RedisSourceOptions.TAIL_CHANNEL)
                                : ""));
        job.put(
                "rollups",
                settings.rollups().stream()
                        .map(RollupSpec::toString)
                        .collect(Collectors.joining(", ")));
        return job;
    }

    public Path path() {
        return directory;
    }

    /**
     * Makes sure the checkpoints here belong to {@code job}: records it when the directory holds
     * none, and throws, naming the directory and what differs, when they belong to another.
     */
    public void claim(Map<String, String> job) throws IOException {
        Path file = directory.resolve(DESCRIPTION);
        if (Files.exists(file) && latestCheckpoint().isPresent()) {
            Map<String, String> recorded = read(file);
            List<String> differences = new ArrayList<>();
            job.forEach(
                    (key, value) -> {
                        String was = recorded.getOrDefault(key, "");
                        if (!was.equals(value)) {
                            differences.add(key + " was '" + was + "', is '" + value + "'");
                        }
                    });
            if (!differences.isEmpty()) {
                throw new StateDirectoryException(
                        "The state directory "
                                + directory
                                + " holds checkpoints of another job ("
                                + String.join("; ", differences)
                                + "), which cannot resume this one. Start afresh with --fresh"
                                + " (deletes its checkpoints), give another --state-dir, or run"
                                + " with the configuration it was written with.");
            }
        }
        StringBuilder text = new StringBuilder("# The job whose checkpoints are kept here.\n");
        job.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /**
     * The newest completed checkpoint: a {@code chk-N} whose {@code _metadata} Flink has written
     * (it writes the file aside and renames it, so one that exists is whole); a {@code chk-N}
     * without one was still in progress when the job stopped and is ignored.
     */
    public Optional<Checkpoint> latestCheckpoint() throws IOException {
        List<Checkpoint> found = new ArrayList<>();
        for (Path job : jobDirectories()) {
            try (Stream<Path> children = Files.list(job)) {
                for (Path chk : children.collect(Collectors.toList())) {
                    Matcher m = CHECKPOINT_DIRECTORY.matcher(chk.getFileName().toString());
                    Path metadata = chk.resolve("_metadata");
                    if (m.matches() && Files.isRegularFile(metadata) && Files.size(metadata) > 0) {
                        found.add(
                                new Checkpoint(
                                        chk,
                                        Long.parseLong(m.group(1)),
                                        Files.getLastModifiedTime(metadata).toInstant()));
                    }
                }
            }
        }
        // A restored job numbers on from the checkpoint it restored, so both orders agree.
        return found.stream()
                .max(Comparator.comparing(Checkpoint::written).thenComparing(Checkpoint::id));
    }

    /**
     * Deletes the checkpoints of earlier runs but {@code keep}'s (all of them when null): a run
     * that restores from {@code keep} writes its own under a new job id, and {@code keep} stays
     * until that run has one, that is, until the next start prunes it.
     */
    public void prune(Checkpoint keep) throws IOException {
        for (Path job : jobDirectories()) {
            if (keep == null || !keep.directory().startsWith(job)) {
                deleteRecursively(job);
            }
        }
    }

    /** {@code --fresh}: deletes every checkpoint and the job's description. */
    public void clear() throws IOException {
        prune(null);
        Files.deleteIfExists(directory.resolve(DESCRIPTION));
    }

    private List<Path> jobDirectories() throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> JOB_DIRECTORY.matcher(p.getFileName().toString()).matches())
                    .collect(Collectors.toList());
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockFile.close();
        }
    }
}
