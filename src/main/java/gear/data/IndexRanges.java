package gear.data;

import java.util.ArrayList;
import java.util.List;

/** chemprop's index strings: comma-separated indices and inclusive ranges, e.g. {@code "0-2,4"} = 0, 1, 2, 4. */
final class IndexRanges {
    /** Longest range accepted, so that a typo such as {@code "0-999999999"} does not exhaust memory. */
    static final int MAX_RANGE = 50_000_000;

    private IndexRanges() {}

    /**
     * @param text the index string (blank = no indices)
     * @param where file and key, for messages
     * @return the indices in the order written
     * @throws BadInputException on anything that is not such a string
     */
    static int[] parse(String text, String where) {
        List<Integer> out = new ArrayList<>();
        if (text.isBlank()) {
            return new int[0];
        }
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-', 1);
                if (dash < 0) {
                    out.add(nonNegative(Integer.parseInt(p), p, where));
                } else {
                    int a = nonNegative(Integer.parseInt(p.substring(0, dash).trim()), p, where);
                    int b = nonNegative(Integer.parseInt(p.substring(dash + 1).trim()), p, where);
                    if (b < a || b - a >= MAX_RANGE) {
                        throw new BadInputException(where + ": range '" + p + "' is empty or too long");
                    }
                    for (int i = a; i <= b; i++) {
                        out.add(i);
                    }
                }
            } catch (NumberFormatException e) {
                throw new BadInputException(where + ": '" + p + "' is not an index or a range such as 0-2", e);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int nonNegative(int v, String p, String where) {
        if (v < 0) {
            throw new BadInputException(where + ": negative index in '" + p + "'");
        }
        return v;
    }
}
