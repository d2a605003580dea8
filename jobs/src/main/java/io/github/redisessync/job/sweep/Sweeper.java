package io.github.redisessync.job.sweep;

import io.github.redisessync.job.mapping.SyncAction;
import java.io.Serializable;
import java.util.List;

/**
 * What one catch-up sweep does for a marker's key patterns: blocking I/O that returns the actions
 * to take. {@link CatchUpSweep} is the real one; the operator's tests bring their own.
 */
@FunctionalInterface
public interface Sweeper extends Serializable {

    /** The actions for the documents of {@code keyPatterns}; throws when the sweep fails. */
    List<SyncAction> sweep(List<String> keyPatterns);
}
