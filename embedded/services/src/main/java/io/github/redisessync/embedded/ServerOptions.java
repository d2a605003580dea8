package io.github.redisessync.embedded;

import java.time.Duration;
import java.util.regex.Pattern;

/** The checks the builders of the forked servers share; each returns its valid argument. */
final class ServerOptions {

    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");

    private ServerOptions() {}

    /** A TCP port, 1 to 65535. */
    static int port(int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "port must be between 1 and 65535, was " + port + ".");
        }
        return port;
    }

    /** A JVM heap size such as {@code example} ({@code 256m}) or {@code 1g}. */
    static String heap(String heap, String example) {
        if (heap == null || !HEAP.matcher(heap).matches()) {
            throw new IllegalArgumentException(
                    "heap must be a JVM size such as " + example + " or 1g, was " + heap + ".");
        }
        return heap;
    }

    /** A positive time to wait for a server to start. */
    static Duration startupTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "startupTimeout must be positive, was " + timeout + ".");
        }
        return timeout;
    }
}
