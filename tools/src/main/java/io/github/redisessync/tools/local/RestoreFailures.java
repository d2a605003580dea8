package io.github.redisessync.tools.local;

import java.nio.file.Path;

/** Tells a checkpoint that does not fit the job apart from other failures, in the user's words. */
final class RestoreFailures {

    private RestoreFailures() {}

    /**
     * Whether Flink refused to start the job from its checkpoint: it fails the job's
     * initialization, without restarts, e.g. when an operator with state is gone (a rollup
     * removed).
     */
    static boolean isRestoreFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Flink's words for each way a restore is refused: "Failed to rollback to
            // checkpoint/savepoint", "Cannot map checkpoint/savepoint state for operator".
            if (String.valueOf(t.getMessage()).contains("checkpoint/savepoint")) {
                return true;
            }
        }
        return false;
    }

    /** The error {@code local} ends with: the directory, Flink's reason, and what to do. */
    static StateDirectory.StateDirectoryException mismatch(
            StateDirectory.Checkpoint checkpoint, Path directory, Throwable e) {
        return new StateDirectory.StateDirectoryException(
                "Checkpoint "
                        + checkpoint.id()
                        + " in the state directory "
                        + directory
                        + " does not fit this job ("
                        + reason(e)
                        + "). Start afresh with --fresh (deletes its checkpoints), give another"
                        + " --state-dir, or run with the configuration it was written with.");
    }

    /** The innermost message, which names what did not fit, without Flink's advice for its CLI. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        int advice = message.indexOf(" If you want to allow");
        return (advice > 0 ? message.substring(0, advice) : message).trim();
    }
}
