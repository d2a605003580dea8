package io.github.redisessync.tools.reindex;

/** A reindex of one alias failed: which step, and whether the alias had moved already. */
public final class ReindexException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String alias;
    private final Reindexer.Step step;
    private final boolean aliasMoved;

    ReindexException(
            String alias,
            String newIndex,
            Reindexer.Step step,
            boolean aliasMoved,
            Throwable cause) {
        super(
                "reindex of "
                        + alias
                        + " failed at step '"
                        + step.description
                        + "': "
                        + (cause.getMessage() == null ? cause.toString() : cause.getMessage())
                        + (aliasMoved
                                ? " (the alias already points to "
                                        + newIndex
                                        + "; run verify --repair to close any gap)"
                                : " (the alias is unchanged; " + newIndex + " was deleted)"),
                cause);
        this.alias = alias;
        this.step = step;
        this.aliasMoved = aliasMoved;
    }

    public String alias() {
        return alias;
    }

    public Reindexer.Step step() {
        return step;
    }

    /** True when the failure came after the swap: the new index is live. */
    public boolean aliasMoved() {
        return aliasMoved;
    }
}
