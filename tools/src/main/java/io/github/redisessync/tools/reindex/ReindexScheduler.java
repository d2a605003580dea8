package io.github.redisessync.tools.reindex;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a process alive that runs a reindex on a schedule (a cron expression or a fixed interval)
 * and logs each run's outcome. Runs happen on this one thread, so never two at once; fire times
 * that pass while a run is still going are skipped, not queued.
 */
public final class ReindexScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ReindexScheduler.class);

    /** One reindex run; returns a line describing what it did, throws when it failed. */
    @FunctionalInterface
    public interface Run {
        String run() throws Exception;
    }

    /** Waits until an instant; a test passes one that moves its clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleepUntil(ZonedDateTime when) throws InterruptedException;
    }

    private final UnaryOperator<ZonedDateTime> nextAfter;
    private final String description;
    private final Clock clock;
    private final Sleeper sleeper;

    ReindexScheduler(
            UnaryOperator<ZonedDateTime> nextAfter,
            String description,
            Clock clock,
            Sleeper sleeper) {
        this.nextAfter = nextAfter;
        this.description = description;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Runs at each minute {@code cron} matches, in the system's time zone, as crontab does. */
    public static ReindexScheduler cron(CronSchedule cron) {
        Clock clock = Clock.systemDefaultZone();
        return new ReindexScheduler(cron::next, "cron '" + cron + "'", clock, realSleeper(clock));
    }

    /** Runs every {@code interval}, the first time one interval from now. */
    public static ReindexScheduler every(Duration interval) {
        if (interval.isNegative() || interval.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--every must be at least 1 min, was " + interval);
        }
        Clock clock = Clock.systemDefaultZone();
        return new ReindexScheduler(
                t -> t.plus(interval), "every " + interval, clock, realSleeper(clock));
    }

    private static Sleeper realSleeper(Clock clock) {
        return when -> {
            long millis;
            // Waiting for a wall-clock time is the point here; re-checked after each wake-up.
            while ((millis = Duration.between(ZonedDateTime.now(clock), when).toMillis()) > 0) {
                Thread.sleep(Math.min(millis, 60_000));
            }
        };
    }

    /** Runs {@code run} on schedule until interrupted or {@code maxRuns} runs (0: no limit). */
    public void loop(Run run, int maxRuns) throws InterruptedException {
        LOG.info("Reindex scheduled {}.", description);
        ZonedDateTime next = nextAfter.apply(ZonedDateTime.now(clock));
        for (int runs = 0; maxRuns == 0 || runs < maxRuns; runs++) {
            LOG.info("Next reindex at {}.", next);
            sleeper.sleepUntil(next);
            long t0 = System.nanoTime();
            try {
                String outcome = run.run();
                LOG.info(
                        "Scheduled reindex of {} succeeded in {} s: {}",
                        next,
                        (System.nanoTime() - t0) / 1_000_000_000,
                        outcome);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // The next run starts from a clean slate: a failure left the alias as it was.
                LOG.error("Scheduled reindex of {} failed: {}", next, e.getMessage(), e);
            }
            ZonedDateTime now = ZonedDateTime.now(clock);
            ZonedDateTime following = nextAfter.apply(next);
            while (!following.isAfter(now)) {
                LOG.warn(
                        "Skipping the reindex due at {}: the previous run was still going.",
                        following);
                following = nextAfter.apply(following);
            }
            next = following;
        }
    }
}
