package io.modelcache.sim.bench;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them: {@code 1GiB}, {@code 64MiB}, {@code 512KiB}, {@code 1000000}. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B|B)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    /**
     * Parses a size; {@code K/M/G/TiB} and {@code K/M/G/TB} are both taken as powers of 1024, as in HOCON.
     *
     * @param option the option's name, for the message
     * @throws IllegalArgumentException naming the option and the value when it is not a size or does not fit
     *     a long
     */
    public static long parse(String option, String value) {
        Matcher matcher = SIZE.matcher(value.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a size such as 1GiB, 64MiB or "
                + "1048576");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(matcher.group(1)), 1L << shift);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "' exceeds " + Long.MAX_VALUE + " bytes");
        }
    }

    /** @return the size in the largest binary unit that divides it, for example {@code 256 MiB} */
    public static String describe(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + " " + units[unit];
    }
}
