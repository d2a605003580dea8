package io.github.redisessync.tools.verify;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** What {@code verify} found for one index: counts of each kind of difference and a sample. */
public final class VerifyReport {
    final String index;
    long redisKeys;
    long documents;
    long equal;
    long missing;
    long differing;
    long extra;
    long deadLetters;
    long repairedWrites;
    long repairedDeletes;
    long repairsLeftToNewerWrites;
    long repairFailures;
    private final int sampleSize;
    private final List<String> samples = new ArrayList<>();

    VerifyReport(String index, int sampleSize) {
        this.index = index;
        this.sampleSize = sampleSize;
    }

    /** Keeps at most the sample size of lines per kind, so memory stays bounded. */
    void sample(String kind, String line) {
        long seen = samples.stream().filter(s -> s.startsWith(kind + ": ")).count();
        if (seen < sampleSize) {
            samples.add(kind + ": " + line);
        }
    }

    public boolean isEqual() {
        return missing == 0 && differing == 0 && extra == 0;
    }

    public boolean repairedAll() {
        return repairFailures == 0;
    }

    public void print(PrintWriter out, boolean repaired) {
        out.printf(
                "%s: %d keys in Redis, %d documents in Elasticsearch: %d equal, %d missing,"
                        + " %d differing, %d extra, %d dead letters%n",
                index, redisKeys, documents, equal, missing, differing, extra, deadLetters);
        samples.forEach(line -> out.println("  " + line));
        if (repaired) {
            out.printf(
                    "  repaired: %d written, %d deleted, %d left to newer writes, %d failed%n",
                    repairedWrites, repairedDeletes, repairsLeftToNewerWrites, repairFailures);
        }
    }
}
