package io.github.redisessync.job.deadletter;

import io.github.redisessync.job.config.JobConfig;
import io.github.redisessync.job.config.Problems;
import io.github.redisessync.job.config.Values;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * {@code sink.dead-letters}, checked: one target, an index name Elasticsearch accepts and that no
 * mapping or rollup writes to, or a file in a directory this process can write.
 *
 * <p>The file's directory is checked where the job is started; on a cluster the files are written
 * on each TaskManager, whose directory is not visible from here.
 */
public final class DeadLetterTarget {
    private static final String PATH = "sink.dead-letters";
    private static final List<String> TARGETS = List.of("log", "index", "file");

    /** The index dead letters go to, or null. */
    public final String index;

    /** The file dead letters go to, or null. */
    public final Path file;

    private DeadLetterTarget(String index, Path file) {
        this.index = index;
        this.file = file;
    }

    /** The target {@code d} names; null and problems added when it is wrong. */
    public static DeadLetterTarget check(
            Problems problems, JobConfig.DeadLetters d, Collection<String> jobIndexes) {
        if (d == null) {
            return new DeadLetterTarget(null, null);
        }
        if (d.index != null && d.file != null) {
            problems.add(
                    PATH,
                    "names both an index and a file; dead letters go to one target: keep"
                            + " either index or file.");
            return null;
        }
        String implied = d.index != null ? "index" : d.file != null ? "file" : "log";
        String target =
                problems.check(PATH + ".target", () -> Values.oneOf(d.target, implied, TARGETS));
        if (target == null) {
            return null;
        }
        if (!target.equals("index") && d.index != null
                || !target.equals("file") && d.file != null) {
            String set = d.index != null ? "index" : "file";
            problems.add(
                    PATH + "." + set,
                    "is set, but "
                            + PATH
                            + ".target is "
                            + target
                            + "; set target: "
                            + set
                            + " or leave "
                            + set
                            + " out.");
            return null;
        }
        switch (target) {
            case "index":
                return index(problems, d.index, jobIndexes);
            case "file":
                return file(problems, d.file);
            default:
                return new DeadLetterTarget(null, null);
        }
    }

    private static DeadLetterTarget index(
            Problems problems, String name, Collection<String> jobIndexes) {
        if (name == null) {
            problems.add(PATH + ".index", "is missing: target index needs the index's name.");
            return null;
        }
        if (problems.check(PATH + ".index", () -> Values.indexName(name)) == null) {
            return null;
        }
        if (jobIndexes.contains(name)) {
            problems.add(
                    PATH + ".index",
                    "'"
                            + name
                            + "' is an index the job writes documents to; dead letters need an"
                            + " index of their own.");
            return null;
        }
        return new DeadLetterTarget(name, null);
    }

    private static DeadLetterTarget file(Problems problems, String name) {
        if (name == null || name.isBlank()) {
            problems.add(PATH + ".file", "is missing: target file needs the file's path.");
            return null;
        }
        Path file;
        try {
            file = Path.of(name).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add(PATH + ".file", "'" + name + "' is not a valid path: " + e.getReason());
            return null;
        }
        Path dir = file.getParent();
        if (file.getFileName() == null || Files.isDirectory(file)) {
            problems.add(PATH + ".file", "'" + name + "' is a directory; expected a file name.");
        } else if (dir == null || !Files.isDirectory(dir)) {
            problems.add(PATH + ".file", "the directory " + dir + " does not exist.");
        } else if (!Files.isWritable(dir)) {
            problems.add(PATH + ".file", "the directory " + dir + " cannot be written.");
        } else {
            return new DeadLetterTarget(null, file);
        }
        return null;
    }
}
