package io.github.redisessync.job.deadletter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends dead letters as JSON lines to a file of this writer's own, synced on every flush.
 *
 * <p>One file per writer ({@link #fileFor}): the mapping's and the sink's writers of every subtask
 * write at the same time, and lines of two writers must never interleave. A line cut short by a
 * crash is ended before the next record, so every other line stays readable.
 */
final class DeadLetterFileOutput extends BufferedDeadLetterOutput {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFileOutput.class);

    private final Path file;
    private final Counter written;
    private final Counter failures;
    private FileChannel channel;

    DeadLetterFileOutput(Path file, Counter written, Counter failures) {
        this.file = file;
        this.written = written;
        this.failures = failures;
    }

    /**
     * The file of one writer: {@code dead-letters.jsonl} becomes {@code
     * dead-letters-mapping-0.jsonl}, {@code dead-letters-elasticsearch-1.jsonl}, ...; a name
     * without an extension gets the suffix at its end.
     */
    static Path fileFor(Path configured, String stage, int subtask) {
        String name = configured.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String suffix = "-" + stage + "-" + subtask;
        String own =
                dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
        return configured.resolveSibling(own);
    }

    @Override
    void store(List<DeadLetterRecord> batch) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (DeadLetterRecord record : batch) {
            lines.append(record.toJsonLine()).append('\n');
        }
        try {
            if (channel == null) {
                channel = open(file);
            }
            ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            failures.inc(batch.size());
            throw new IOException(
                    "Cannot write " + batch.size() + " dead letters to " + file + ": " + e, e);
        }
        written.inc(batch.size());
        LOG.debug("Wrote {} dead letters to {}.", batch.size(), file);
    }

    private static FileChannel open(Path file) throws IOException {
        boolean endsCut = false;
        if (Files.exists(file) && Files.size(file) > 0) {
            try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer last = ByteBuffer.allocate(1);
                read.read(last, read.size() - 1);
                endsCut = last.get(0) != '\n';
            }
        }
        FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
        if (endsCut) {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        LOG.info("Dead letters go to {}.", file);
        return channel;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
