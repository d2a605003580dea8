package io.github.redisessync.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Ends a test JVM that is still running {@value #DEADLINE_PROPERTY} seconds after its session
 * opened (plus a minute of grace): prints what was running and every thread's stack to stderr, then
 * halts, so that Maven reports the fork as crashed instead of waiting for it forever.
 *
 * <p>Why, when Surefire and Failsafe have {@code forkedProcessTimeoutInSeconds}: on their timeout
 * they ask the fork to kill itself, and a fork whose test ignores interrupts can get stuck in that
 * (SUREFIRE-1722; seen here with 3.5.2: a thread dump in the {@code .dump} file, and the build
 * waiting on). JUnit's own timeouts fail a hanging test method; this covers what they do not (a
 * hang in an extension, a server's shutdown). The pom passes the fork timeout as the property;
 * without it, nothing is watched.
 */
public class ForkWatchdog implements LauncherSessionListener, TestExecutionListener {

    /** The fork timeout in seconds, as the pom's Surefire and Failsafe configuration pass it. */
    public static final String DEADLINE_PROPERTY = "redis-es-sync.test.fork-timeout-seconds";

    /** After the plugins' own attempt to end the fork, which writes a thread dump when it works. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    /** What is running now; static because JUnit creates each listener from its service entry. */
    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

    private static volatile Thread watchdog;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String seconds = System.getProperty(DEADLINE_PROPERTY);
        if (seconds == null || seconds.isBlank() || watchdog != null) {
            return;
        }
        Duration deadline = Duration.ofSeconds(Long.parseLong(seconds.trim())).plus(GRACE);
        Thread thread = new Thread(() -> watch(deadline), "test-fork-watchdog");
        thread.setDaemon(true);
        watchdog = thread;
        thread.start();
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Thread thread = watchdog;
        if (thread != null) {
            // The session is over: what remains (servers stopping) has the exit timeout.
            thread.interrupt();
        }
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        RUNNING.add(test.getDisplayName() + " [" + test.getUniqueId() + "]");
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        RUNNING.remove(test.getDisplayName() + " [" + test.getUniqueId() + "]");
    }

    private static void watch(Duration deadline) {
        try {
            Thread.sleep(deadline.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        // The process's own stderr, not System.err: the plugins capture that per test and lose
        // what is not yet reported when the JVM halts; they pass native stderr on to the build log.
        PrintStream err =
                new PrintStream(
                        new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        err.println(
                "ForkWatchdog: this test JVM still runs "
                        + deadline.toSeconds()
                        + " s after it started (-D"
                        + DEADLINE_PROPERTY
                        + " plus "
                        + GRACE.toSeconds()
                        + " s); running: "
                        + RUNNING
                        + ". Every thread's stack follows, then the JVM halts.");
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            err.print(info.getThreadName() + " " + info.getThreadState() + "\n");
            for (StackTraceElement frame : info.getStackTrace()) {
                err.print("\tat " + frame + "\n");
            }
        }
        err.flush();
        Runtime.getRuntime().halt(1);
    }
}
