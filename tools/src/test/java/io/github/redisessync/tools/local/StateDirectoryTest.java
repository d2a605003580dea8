package io.github.redisessync.tools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.testing.TestSetups;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint {@code local} resumes from, what it deletes, and what it refuses. */
class StateDirectoryTest {
    private static final String OLD_JOB = "0123456789abcdef0123456789abcdef";
    private static final String NEW_JOB = "fedcba9876543210fedcba9876543210";

    @TempDir Path dir;

    @Test
    void resumesFromTheNewestCompletedCheckpointAndIgnoresOneInProgress() throws IOException {
        checkpoint(OLD_JOB, 4, Instant.parse("2026-12-04T10:00:00Z"));
        checkpoint(NEW_JOB, 7, Instant.parse("2026-12-04T10:05:00Z"));
        // Checkpoint 8 was being written when the process was killed: no _metadata.
        Files.createDirectories(dir.resolve(NEW_JOB).resolve("chk-8"));
        try (StateDirectory state = StateDirectory.open(dir)) {
            StateDirectory.Checkpoint latest = state.latestCheckpoint().orElseThrow();
            assertThat(latest.id()).isEqualTo(7);
            assertThat(latest.directory()).isEqualTo(dir.resolve(NEW_JOB).resolve("chk-7"));
        }
    }

    @Test
    void aDirectoryWithoutCheckpointsHasNoneToResumeFrom() throws IOException {
        Files.createDirectories(dir.resolve(NEW_JOB).resolve("chk-1"));
        try (StateDirectory state = StateDirectory.open(dir.resolve("new"))) {
            assertThat(state.latestCheckpoint()).isEmpty();
        }
        try (StateDirectory state = StateDirectory.open(dir)) {
            assertThat(state.latestCheckpoint()).isEmpty();
        }
    }

    /** Old runs' checkpoints go; the one resumed from stays until the new run has its own. */
    @Test
    void pruningKeepsOnlyTheCheckpointResumedFromAndNothingButJobDirectoriesIsDeleted()
            throws IOException {
        checkpoint(OLD_JOB, 4, Instant.parse("2026-12-04T10:00:00Z"));
        checkpoint(NEW_JOB, 7, Instant.parse("2026-12-04T10:05:00Z"));
        Path notOurs = Files.writeString(dir.resolve("notes.txt"), "keep me");
        Files.createDirectories(dir.resolve("photos"));
        try (StateDirectory state = StateDirectory.open(dir)) {
            state.prune(state.latestCheckpoint().orElseThrow());
            assertThat(dir.resolve(OLD_JOB)).doesNotExist();
            assertThat(dir.resolve(NEW_JOB).resolve("chk-7").resolve("_metadata")).exists();

            state.clear();
            assertThat(dir.resolve(NEW_JOB)).doesNotExist();
            assertThat(state.latestCheckpoint()).isEmpty();
        }
        assertThat(notOurs).hasContent("keep me");
        assertThat(dir.resolve("photos")).isDirectory();
    }

    @Test
    void checkpointsOfAnotherJobAreRefusedNamingTheDirectoryAndWhatDiffers() throws IOException {
        try (StateDirectory state = StateDirectory.open(dir)) {
            state.claim(StateDirectory.describe(settings("user:*", "users")));
            checkpoint(NEW_JOB, 3, Instant.now());
            // The same job again: accepted.
            state.claim(StateDirectory.describe(settings("user:*", "users")));
            assertThatThrownBy(
                            () ->
                                    state.claim(
                                            StateDirectory.describe(settings("order:*", "users"))))
                    .isInstanceOf(StateDirectory.StateDirectoryException.class)
                    .hasMessageContaining("The state directory " + dir.toRealPath())
                    .hasMessageContaining("mappings was 'user:* -> users', is 'order:* -> users'")
                    .hasMessageContaining("--fresh");
            // After --fresh the directory takes the new job.
            state.clear();
            state.claim(StateDirectory.describe(settings("order:*", "users")));
        }
    }

    @Test
    void twoRunsNeverShareAStateDirectory() throws IOException {
        try (StateDirectory first = StateDirectory.open(dir)) {
            assertThatThrownBy(() -> StateDirectory.open(dir))
                    .isInstanceOf(StateDirectory.StateDirectoryException.class)
                    .hasMessageContaining(dir + " is in use by another redis-es-sync local");
        }
        StateDirectory.open(dir).close();
    }

    @Test
    void theDefaultIsKeyedByTheServersWithoutPasswords() {
        SyncJobSetup settings =
                TestSetups.builder(
                                "redis://:secret@10.0.0.5:6380/3",
                                "https://elastic:pw@es.example:9243",
                                List.of(rule("user:*", "users")))
                        .build();
        assertThat(StateDirectory.defaultFor(Path.of("/work"), settings))
                .isEqualTo(Path.of("/work/.redis-es-sync/state/10.0.0.5-6380-3_es.example-9243"));
        assertThat(StateDirectory.describe(settings).toString()).doesNotContain("secret", "pw");
    }

    private void checkpoint(String job, long id, Instant written) throws IOException {
        Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + id));
        Path metadata = Files.write(chk.resolve("_metadata"), new byte[] {1, 2, 3});
        Files.setLastModifiedTime(metadata, FileTime.from(written));
        Files.createDirectories(dir.resolve(job).resolve("shared"));
    }

    private static SyncJobSetup settings(String pattern, String index) {
        return TestSetups.builder(
                        "redis://127.0.0.1:6379",
                        "http://127.0.0.1:9200",
                        List.of(rule(pattern, index)))
                .tail(RedisTailMode.KEYSPACE, null, false)
                .build();
    }

    private static IndexRule rule(String pattern, String index) {
        return new IndexRule(KeyPattern.of(pattern), index, IndexDefinition.dynamic());
    }
}
