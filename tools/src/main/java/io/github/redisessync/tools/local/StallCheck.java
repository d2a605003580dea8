package io.github.redisessync.tools.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides from the liveness gauges whether the sync has stalled: no checkpoint completed for {@link
 * #CHECKPOINT_INTERVALS} checkpoint intervals, or a tail unsubscribed for longer than {@link
 * #TAIL_GRACE}. The caller passes the time of each look, so the decision needs no clock of its own.
 *
 * <p>While the job restarts its readers are gone, and so are their gauges: the time since the last
 * checkpoint then goes on from the last value seen (from the first look before any reader
 * registered), so a job that keeps failing is not taken for a healthy one. A bounded run's readers
 * are gone once its snapshot is read, which is no stall: it then has no checkpoint to watch.
 */
final class StallCheck {

    /** Checkpoint intervals without a completed checkpoint that make a stall. */
    static final int CHECKPOINT_INTERVALS = 3;

    /**
     * How long a tail may stay unsubscribed: the reader resubscribes on its next fetch, within
     * milliseconds, so an unsubscribed tail that lasts seconds is not healing (Redis unreachable,
     * or a source task that no longer fetches).
     */
    static final Duration TAIL_GRACE = Duration.ofSeconds(5);

    private final Duration checkpointInterval;
    private final boolean unbounded;
    private final Map<String, Long> unsubscribedSince = new HashMap<>();
    private long lastCheckpointNanos;
    private boolean readersSeen;

    /**
     * {@code unbounded}: whether the source never ends (a tail without end); a bounded run's tail
     * ends by design ({@code --until-synced}), and so do its readers. {@code startNanos}: when the
     * job was started.
     */
    StallCheck(Duration checkpointInterval, boolean unbounded, long startNanos) {
        this.checkpointInterval = checkpointInterval;
        this.unbounded = unbounded;
        this.lastCheckpointNanos = startNanos;
    }

    /** Why the sync is stalled at {@code nowNanos}; empty when it is not. */
    List<String> check(LivenessGauges.Readings readings, long nowNanos) {
        List<String> reasons = new ArrayList<>();
        if (readings.secondsSinceCheckpoint != null) {
            lastCheckpointNanos = nowNanos - (long) (readings.secondsSinceCheckpoint * 1e9);
            readersSeen = true;
        }
        boolean finished = !unbounded && readersSeen && readings.secondsSinceCheckpoint == null;
        long sinceCheckpoint = nowNanos - lastCheckpointNanos;
        Duration limit = checkpointInterval.multipliedBy(CHECKPOINT_INTERVALS);
        if (!finished && sinceCheckpoint >= limit.toNanos()) {
            reasons.add(
                    String.format(
                            Locale.ROOT,
                            "no checkpoint completed for %.0f s (limit: %d checkpoint intervals,"
                                    + " %s)",
                            sinceCheckpoint / 1e9,
                            CHECKPOINT_INTERVALS,
                            format(limit)));
        }
        unsubscribedSince.keySet().retainAll(readings.tailsSubscribed.keySet());
        readings.tailsSubscribed.forEach(
                (tail, subscribed) -> {
                    if (subscribed) {
                        unsubscribedSince.remove(tail);
                        return;
                    }
                    long since = unsubscribedSince.computeIfAbsent(tail, t -> nowNanos);
                    if (unbounded && nowNanos - since >= TAIL_GRACE.toNanos()) {
                        reasons.add(
                                String.format(
                                        Locale.ROOT,
                                        "tail %s unsubscribed for %.0f s",
                                        tail,
                                        (nowNanos - since) / 1e9));
                    }
                });
        return reasons;
    }

    private static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0
                ? duration.toSeconds() + " s"
                : duration.toMillis() + " ms";
    }
}
