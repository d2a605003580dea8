package io.github.redisessync.tools.local;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobOptions;
import io.github.redisessync.job.SyncJobSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;

/**
 * Where {@code local} keeps its checkpoints: the {@link StateDirectory} of a run that can resume,
 * and the checkpoint it resumes from; else a temporary directory deleted on exit.
 */
final class LocalCheckpoints implements AutoCloseable {
    private final Path directory;
    private final StateDirectory state;
    private final StateDirectory.Checkpoint resume;

    private LocalCheckpoints(
            Path directory, StateDirectory state, StateDirectory.Checkpoint resume) {
        this.directory = directory;
        this.state = state;
        this.resume = resume;
    }

    /**
     * For a run that can resume (its own servers, a tail without end): the state directory, locked,
     * checked against this job, cleared with {@code fresh}, with its newest checkpoint to resume
     * from (said on {@code out}) and the older runs' deleted. A state directory asked for where it
     * cannot be used is named in a line, and the run starts afresh.
     */
    static LocalCheckpoints open(
            SyncJobSetup settings,
            boolean resumable,
            boolean fresh,
            Path workingDirectory,
            PrintWriter out)
            throws IOException {
        String configured = settings.job().getOptional(SyncJobOptions.CHECKPOINT_DIR).orElse(null);
        if (!resumable) {
            if (configured != null) {
                out.printf(
                        "Not keeping checkpoints in %s: only a run on --redis and --es servers"
                                + " that follows changes (not --until-synced, not --tail none)"
                                + " resumes; this one starts afresh.%n",
                        configured.startsWith("file:")
                                ? Path.of(URI.create(configured))
                                : configured);
            }
            return new LocalCheckpoints(
                    Files.createTempDirectory("redis-es-sync-checkpoints"), null, null);
        }
        Path path;
        if (configured == null) {
            path = StateDirectory.defaultFor(workingDirectory, settings);
        } else if (configured.startsWith("file:")) {
            path = Path.of(URI.create(configured));
        } else {
            throw new StateDirectory.StateDirectoryException(
                    "--state-dir / checkpoint.dir must be a local directory for local, was "
                            + configured
                            + ".");
        }
        StateDirectory state = StateDirectory.open(path);
        try {
            if (fresh) {
                state.clear();
                out.printf("Deleted the checkpoints in %s (--fresh).%n", state.path());
            }
            state.claim(StateDirectory.describe(settings));
            StateDirectory.Checkpoint latest = state.latestCheckpoint().orElse(null);
            state.prune(latest);
            if (latest == null) {
                out.printf(
                        "Keeping checkpoints in %s to resume from (none there yet: starting"
                                + " afresh).%n",
                        state.path());
            } else {
                out.printf(
                        Locale.ROOT,
                        "Resuming from checkpoint %d in %s (written %d s ago); %s.%n",
                        latest.id(),
                        latest.directory(),
                        Duration.between(latest.written(), Instant.now()).toSeconds(),
                        settings.source().get(RedisSourceOptions.TAIL_MODE) == RedisTailMode.STREAM
                                ? "the source reads on from the stream entry it checkpointed"
                                        + " (a rescan only if the stream was trimmed past it)"
                                : "the source rescans Redis, as after any gap in the tail");
            }
            return new LocalCheckpoints(state.path(), state, latest);
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    /** Whether the run restores a checkpoint. */
    boolean resumes() {
        return resume != null;
    }

    /** The MiniCluster's checkpoint storage, and the checkpoint to restore, if any. */
    void configure(Configuration conf) {
        // Rollups keep one entry per contributing key: past ~200k keys their state outgrows the
        // JobManager's 5 MB in-memory checkpoint limit, and every checkpoint would fail.
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.toUri().toString());
        // One completed checkpoint is all a resume needs; Flink deletes older ones as it goes.
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 1);
        if (resume != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, resume.directory().toUri().toString());
        }
    }

    /** A refused restore as the error users read (exit code 2); any other failure as it is. */
    Exception restoreFailureOr(Exception e) {
        return resume != null && RestoreFailures.isRestoreFailure(e)
                ? RestoreFailures.mismatch(resume, directory, e)
                : e;
    }

    /** Releases the state directory, or deletes the temporary one. */
    @Override
    public void close() throws IOException {
        if (state != null) {
            state.close();
        } else {
            StateDirectory.deleteRecursively(directory);
        }
    }
}
