package io.github.redisessync.tools.reindex;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What one successful reindex of an alias did, for the log and the console. */
public final class ReindexResult {
    public final String alias;
    public final String newIndex;

    /** Where the alias pointed before; the concrete index of that name when it was migrated. */
    public final Set<String> previous;

    public final boolean migratedConcreteIndex;
    public final long documentsWritten;
    public final long documentsCounted;
    public final long changesRecorded;
    public final long keysReRead;
    public final int catchUpPasses;
    public final boolean caughtUp;
    public final List<String> deleted;
    public final long millis;

    ReindexResult(
            String alias,
            String newIndex,
            Set<String> previous,
            boolean migratedConcreteIndex,
            long documentsWritten,
            long documentsCounted,
            long changesRecorded,
            long keysReRead,
            int catchUpPasses,
            boolean caughtUp,
            List<String> deleted,
            long millis) {
        this.alias = alias;
        this.newIndex = newIndex;
        this.previous = Set.copyOf(previous);
        this.migratedConcreteIndex = migratedConcreteIndex;
        this.documentsWritten = documentsWritten;
        this.documentsCounted = documentsCounted;
        this.changesRecorded = changesRecorded;
        this.keysReRead = keysReRead;
        this.catchUpPasses = catchUpPasses;
        this.caughtUp = caughtUp;
        this.deleted = List.copyOf(deleted);
        this.millis = millis;
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%s -> %s (was %s%s): %d documents loaded, %d counted; %d changes during the run,"
                        + " %d keys re-read in %d catch-up passes%s; deleted %s; %.1f s",
                alias,
                newIndex,
                previous.isEmpty() ? "nothing" : String.join(", ", previous),
                migratedConcreteIndex ? ", a concrete index, now replaced by the alias" : "",
                documentsWritten,
                documentsCounted,
                changesRecorded,
                keysReRead,
                catchUpPasses,
                caughtUp ? "" : " (changes still arriving at the end: left to a running sync)",
                deleted.isEmpty() ? "none" : String.join(", ", deleted),
                millis / 1000.0);
    }
}
