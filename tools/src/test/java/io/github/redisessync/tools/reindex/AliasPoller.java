package io.github.redisessync.tools.reindex;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Searches through a name (alias or index) over and over from its own thread, as a user would
 * during a reindex: counts searches and failures, and records each change of the concrete indexes
 * behind the name.
 */
final class AliasPoller implements AutoCloseable {
    private final SearchClient es;
    private final String name;
    private final Thread thread;
    private volatile boolean stopped;
    final AtomicLong searches = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    /** The indexes behind the name, each time they changed; guarded by itself. */
    final List<Set<String>> targets = new ArrayList<>();

    private final List<String> failureSamples = new ArrayList<>();
    private final long[] polls = {0};

    AliasPoller(String esUrl, String name) {
        this.es = new SearchClient(esUrl);
        this.name = name;
        this.thread = new Thread(this::run, "alias-poller-" + name);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            try {
                es.send(
                        "POST",
                        "/" + name + "/_search",
                        "{\"size\":1,\"query\":{\"match_all\":{}}}");
                searches.incrementAndGet();
                Set<String> now = new TreeSet<>();
                JsonNode settings =
                        es.send(
                                "GET",
                                "/" + name + "/_settings?filter_path=*.settings.index.uuid",
                                null);
                settings.fieldNames().forEachRemaining(now::add);
                synchronized (targets) {
                    if (targets.isEmpty() || !targets.get(targets.size() - 1).equals(now)) {
                        targets.add(now);
                    }
                }
                synchronized (polls) {
                    polls[0]++;
                    polls.notifyAll();
                }
            } catch (Exception e) {
                failures.incrementAndGet();
                synchronized (failureSamples) {
                    if (failureSamples.size() < 5) {
                        failureSamples.add(e.toString());
                    }
                }
            }
            try {
                // Pacing between polls, not waiting for a condition.
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits until two more polls succeed: the targets then include the state as of this call. */
    void awaitFreshPoll() throws InterruptedException {
        synchronized (polls) {
            long until = polls[0] + 2;
            while (polls[0] < until) {
                polls.wait();
            }
        }
    }

    List<Set<String>> targets() {
        synchronized (targets) {
            return new ArrayList<>(targets);
        }
    }

    List<String> failureSamples() {
        synchronized (failureSamples) {
            return new ArrayList<>(failureSamples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
    }
}
