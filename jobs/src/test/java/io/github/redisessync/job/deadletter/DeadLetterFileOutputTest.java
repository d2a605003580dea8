package io.github.redisessync.job.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file target: a file per writer, whole JSON lines, stored on flush. */
class DeadLetterFileOutputTest {

    @TempDir Path dir;

    @Test
    void eachWriterHasAFileOfItsOwn() {
        Path configured = dir.resolve("dead-letters.jsonl");
        assertThat(DeadLetterOutputs.fileOf(configured, "mapping", 0))
                .isEqualTo(dir.resolve("dead-letters-mapping-0.jsonl"));
        assertThat(DeadLetterOutputs.fileOf(configured, "elasticsearch", 3))
                .isEqualTo(dir.resolve("dead-letters-elasticsearch-3.jsonl"));
        assertThat(DeadLetterOutputs.fileOf(dir.resolve("dlq"), "mapping", 1))
                .isEqualTo(dir.resolve("dlq-mapping-1"));
    }

    @Test
    void recordsAreWholeLinesWrittenOnFlushAndAppendedAfterACutLine() throws Exception {
        Path file = dir.resolve("dead-letters-mapping-0.jsonl");
        // What a crash in the middle of a line leaves behind.
        Files.writeString(file, "{\"key\":\"user:0\"}\n{\"key\":\"us");
        SimpleCounter written = new SimpleCounter();
        try (DeadLetterOutput output =
                new DeadLetterFileOutput(file, written, new SimpleCounter())) {
            output.add(record("user:1"));
            output.add(record("user:2"));
            assertThat(output.pending()).isEqualTo(2);
            assertThat(Files.readString(file)).doesNotContain("user:1");
            output.flush();
            assertThat(output.pending()).isZero();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).isEqualTo("{\"key\":\"us");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(lines.get(2)).path("key").asText()).isEqualTo("user:1");
        assertThat(json.readTree(lines.get(3)).path("key").asText()).isEqualTo("user:2");
        assertThat(written.getCount()).isEqualTo(2);
    }

    private static DeadLetterRecord record(String key) {
        return new DeadLetterRecord(
                DeadLetterRecord.MAPPING,
                key,
                "users",
                null,
                1,
                "invalid-json",
                "The value is not JSON.",
                "{not json",
                Instant.parse("2024-05-01T10:15:30Z"),
                "job");
    }
}
