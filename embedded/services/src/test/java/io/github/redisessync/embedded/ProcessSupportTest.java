package io.github.redisessync.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cleaning up after runs that were killed, and reading log tails. */
class ProcessSupportTest {

    private static final String PREFIX = "redis-es-sync-test-";

    @TempDir Path parent;

    @Test
    void deletesOnlyDirectoriesWhoseOwnerNoLongerRuns() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        assertThat(finished.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Path orphaned = owned(PREFIX + "orphaned", finished.pid());
        Path ours = owned(PREFIX + "ours", ProcessHandle.current().pid());
        Path unmarked = Files.createDirectory(parent.resolve(PREFIX + "unmarked"));
        Path otherPrefix = owned("someone-else-", finished.pid());

        ProcessSupport.removeStaleInstanceDirectories(parent, PREFIX);

        assertThat(orphaned).doesNotExist();
        assertThat(ours).exists();
        assertThat(unmarked).exists();
        assertThat(otherPrefix).exists();
    }

    @Test
    void keepsTheLastLinesOfALog() throws Exception {
        Path log = Files.writeString(parent.resolve("server.log"), "one\ntwo\nthree\n");

        assertThat(ProcessSupport.lastLines(log, 2))
                .isEqualTo("two" + System.lineSeparator() + "three");
        assertThat(ProcessSupport.lastLines(parent.resolve("missing.log"), 2))
                .startsWith("(could not read");
    }

    private Path owned(String name, long pid) throws Exception {
        Path directory = Files.createDirectory(parent.resolve(name));
        Files.writeString(directory.resolve(ProcessSupport.OWNER_FILE), String.valueOf(pid));
        Files.createDirectories(directory.resolve("data/nested"));
        return directory;
    }
}
