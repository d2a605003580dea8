package io.github.redisessync.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits until a starting Elasticsearch (or OpenSearch) node's cluster is yellow, telling a port
 * someone else took (worth another port) from every other failure (the last lines of the node's log
 * in the message).
 */
final class ElasticsearchReadiness {

    private ElasticsearchReadiness() {}

    /**
     * {@link #await}, then the version the node reports; stops the process (within {@code
     * stopGrace}) when either fails.
     */
    static String awaitVersion(
            Process process,
            ElasticsearchHttp http,
            String server,
            Path log,
            Duration timeout,
            Duration stopGrace) {
        try {
            await(process, http, server, log, timeout);
            return http.version();
        } catch (IOException e) {
            ProcessSupport.stop(process, stopGrace);
            throw new EmbeddedServerException(
                    server + " at " + http.origin() + " did not report its version.", e);
        } catch (RuntimeException e) {
            ProcessSupport.stop(process, stopGrace);
            throw e;
        }
    }

    /**
     * Returns once {@code http} finds the cluster yellow or green; {@code server} names it in
     * messages ({@code OpenSearch 3.2.0}).
     *
     * @throws PortTakenException if the node exited because its HTTP port was taken
     * @throws EmbeddedServerException if it exited otherwise or was not ready in {@code timeout}
     */
    static void await(
            Process process, ElasticsearchHttp http, String server, Path log, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!http.isYellowOrGreen()) {
            if (!process.isAlive()) {
                String message =
                        server
                                + " exited with code "
                                + process.exitValue()
                                + " before it was ready. Last lines of "
                                + log
                                + ":\n"
                                + ProcessSupport.lastLines(log, 30);
                if (ProcessSupport.logContains(log, "BindHttpException")
                        || ProcessSupport.logContains(log, "Address already in use")) {
                    throw new PortTakenException(message);
                }
                throw new EmbeddedServerException(message);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new EmbeddedServerException(
                        server
                                + " at "
                                + http.origin()
                                + " was not ready within "
                                + timeout.toSeconds()
                                + " s. Last lines of "
                                + log
                                + ":\n"
                                + ProcessSupport.lastLines(log, 30));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddedServerException("Interrupted while starting " + server + ".", e);
            }
        }
    }
}
