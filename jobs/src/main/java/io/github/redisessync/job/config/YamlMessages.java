package io.github.redisessync.job.config;

import java.util.ArrayList;
import java.util.List;

/** SnakeYAML's parse errors as one line, for an error line that says it all. */
final class YamlMessages {

    private YamlMessages() {}

    /**
     * {@code message} without the source excerpts SnakeYAML draws under each mark (a line naming
     * the reader, the line echoed and a caret under the column), its statements joined with "; ".
     * The file, line and column are in the error already.
     */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        String[] lines = message.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("in '")) {
                // A mark; the echoed source line and a caret under the column may follow.
                if (i + 2 < lines.length && lines[i + 2].strip().equals("^")) {
                    i += 2;
                } else if (i + 1 < lines.length && lines[i + 1].strip().equals("^")) {
                    i++;
                }
            } else if (!line.isEmpty() && !line.equals("^")) {
                kept.add(line);
            }
        }
        return String.join("; ", kept);
    }
}
