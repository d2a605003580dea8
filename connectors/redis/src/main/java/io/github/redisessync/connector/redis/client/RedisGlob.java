package io.github.redisessync.connector.redis.client;

/**
 * Redis's glob matching ({@code stringmatchlen}: {@code *}, {@code ?}, {@code [a-z]}, {@code [^x]},
 * {@code \} escapes) on raw bytes, so a channel tail can follow the same keys as SCAN MATCH.
 */
public final class RedisGlob {

    private RedisGlob() {}

    public static boolean matches(byte[] pattern, byte[] text) {
        return matches(pattern, 0, text, 0);
    }

    private static boolean matches(byte[] p, int pi, byte[] s, int si) {
        while (pi < p.length) {
            switch (p[pi]) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (matches(p, pi + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    break;
                case '[':
                    if (si >= s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean match = false;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            match |= p[pi] == s[si];
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int lo = p[pi] & 0xff;
                            int hi = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            match |= c >= Math.min(lo, hi) && c <= Math.max(lo, hi);
                            pi += 2;
                        } else {
                            match |= p[pi] == s[si];
                        }
                        pi++;
                    }
                    if (match == not) {
                        return false;
                    }
                    si++;
                    break;
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                // fall through: the escaped byte matches itself
                default:
                    if (si >= s.length || p[pi] != s[si]) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
        }
        return si == s.length;
    }
}
