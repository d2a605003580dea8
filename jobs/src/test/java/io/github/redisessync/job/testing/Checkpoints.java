package io.github.redisessync.job.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;

/** Checkpoints kept on disk so that a test can cancel a job and restore it from one. */
public final class Checkpoints {

    private Checkpoints() {}

    /** A job configuration writing checkpoints below {@code directory}, kept after a cancel. */
    public static Configuration retainedOnCancellation(Path directory) {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, directory.toUri().toString());
        config.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        return config;
    }

    /** The newest {@code chk-N} directory of {@code job} with its metadata written. */
    public static Path latest(Path directory, JobID job) throws IOException {
        Path jobDirectory = directory.resolve(job.toHexString());
        try (Stream<Path> children = Files.list(jobDirectory)) {
            return children.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("No checkpoint in " + jobDirectory));
        }
    }
}
