package io.github.redisessync.tools.report;

import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.tools.client.RollupRow;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Prints a rollup as a table, and with the live aggregation beside it, marking each row that
 * differs with {@code ≠} in the first column.
 *
 * <p>Counts must be equal. Other metrics are equal within a relative tolerance of {@value
 * #RELATIVE_TOLERANCE}: Elasticsearch sums and averages in {@code double}, the rollup in exact
 * decimals, so a long sum of decimals differs in its last bits. Shown values are rounded to {@value
 * #SHOWN_DECIMALS} decimals; the comparison uses the unrounded ones.
 */
public final class RollupTable {
    static final double RELATIVE_TOLERANCE = 1e-9;
    static final int SHOWN_DECIMALS = 2;
    private static final String MISSING = "-";

    private RollupTable() {}

    /**
     * Prints {@code written} (and {@code aggregated} beside it, when not null), at most {@code
     * limit} equal rows and every differing one; returns the number of differing rows.
     */
    public static int print(
            PrintWriter out,
            RollupSpec spec,
            List<RollupRow> written,
            List<RollupRow> aggregated,
            int limit) {
        Comparator<List<Object>> order =
                Comparator.comparing((List<Object> k) -> (Long) k.get(0))
                        .thenComparing(k -> k.get(1).toString());
        Map<List<Object>, RollupRow[]> rows = new TreeMap<>(order);
        for (RollupRow row : written) {
            rows.computeIfAbsent(row.key(), k -> new RollupRow[2])[0] = row;
        }
        boolean compare = aggregated != null;
        if (compare) {
            for (RollupRow row : aggregated) {
                rows.computeIfAbsent(row.key(), k -> new RollupRow[2])[1] = row;
            }
        }
        List<String> valueNames = new ArrayList<>();
        valueNames.add("count");
        spec.metrics().stream()
                .filter(m -> m.field() != null)
                .forEach(m -> valueNames.add(m.outputName()));
        List<String> header = new ArrayList<>();
        header.add("");
        if (spec.isWindowed()) {
            header.add("window_start");
        }
        header.addAll(spec.groupBy());
        header.addAll(valueNames);
        if (compare) {
            header.add("|");
            valueNames.forEach(name -> header.add("es " + name));
        }
        List<List<String>> lines = new ArrayList<>();
        int differing = 0;
        int equalShown = 0;
        for (Map.Entry<List<Object>, RollupRow[]> entry : rows.entrySet()) {
            RollupRow mine = entry.getValue()[0];
            RollupRow theirs = entry.getValue()[1];
            boolean differs = compare && !equal(mine, theirs);
            if (differs) {
                differing++;
            } else if (equalShown++ >= limit) {
                continue;
            }
            RollupRow any = mine != null ? mine : theirs;
            List<String> line = new ArrayList<>();
            line.add(differs ? "≠" : "");
            if (spec.isWindowed()) {
                line.add(Instant.ofEpochMilli(any.windowStart()).toString());
            }
            line.addAll(any.groups());
            valueNames.forEach(name -> line.add(show(mine, name)));
            if (compare) {
                line.add("|");
                valueNames.forEach(name -> line.add(show(theirs, name)));
            }
            lines.add(line);
        }
        out.printf(
                "%s (%s): %d rows%s%n",
                spec.name(),
                spec.targetIndex(),
                rows.size(),
                compare
                        ? differing == 0
                                ? ", all equal to the live aggregation"
                                : ", " + differing + " differing from the live aggregation"
                        : "");
        printAligned(out, header, lines);
        int hidden = rows.size() - lines.size();
        if (hidden > 0) {
            out.printf("  ... %d more rows%s (--limit)%n", hidden, compare ? ", all equal" : "");
        }
        out.println();
        return differing;
    }

    /** Both rows there with equal counts and metrics (within the tolerance). */
    static boolean equal(RollupRow a, RollupRow b) {
        if (a == null || b == null) {
            return a == b;
        }
        for (Map.Entry<String, BigDecimal> value : a.values().entrySet()) {
            BigDecimal x = value.getValue();
            BigDecimal y = b.values().get(value.getKey());
            if (value.getKey().equals("count")) {
                if (x == null || y == null ? x != y : x.compareTo(y) != 0) {
                    return false;
                }
            } else if (!close(x, y)) {
                return false;
            }
        }
        return true;
    }

    private static boolean close(BigDecimal x, BigDecimal y) {
        if (x == null || y == null) {
            return Objects.equals(x, y);
        }
        double a = x.doubleValue();
        double b = y.doubleValue();
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    private static String show(RollupRow row, String name) {
        if (row == null) {
            return MISSING;
        }
        BigDecimal value = row.values().get(name);
        if (value == null) {
            return "null";
        }
        if (value.scale() > SHOWN_DECIMALS) {
            value = value.setScale(SHOWN_DECIMALS, RoundingMode.HALF_EVEN);
        }
        return value.stripTrailingZeros().toPlainString();
    }

    private static void printAligned(
            PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + Math.max(1, widths[i]) + "s", row.get(i)));
                line.append(i == row.size() - 1 ? "" : "  ");
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
