package gear.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ordered set of {@link Opt}s: the one place a command's options are declared. It resolves keys in any
 * spelling ({@code w_curv}, {@code w-curv}, {@code --w-curv}), and refuses an unknown key with the closest
 * known one ({@link UnknownOptionException}), before anything runs.
 */
public final class Schema {
    private final String name;
    private final Map<String, Opt<?>> options = new LinkedHashMap<>();

    /**
     * @param name what the options belong to, for messages ({@code transfer})
     * @param parts options, or lists of options, in help order
     */
    public Schema(String name, List<? extends Opt<?>>... parts) {
        this.name = name;
        for (List<? extends Opt<?>> part : parts) {
            for (Opt<?> o : part) {
                if (options.put(o.key(), o) != null) {
                    throw new IllegalStateException("option " + o.key() + " declared twice in " + name);
                }
            }
        }
    }

    /** @return the schema's name */
    public String name() {
        return name;
    }

    /** @return every option, in declaration order */
    public List<Opt<?>> options() {
        return new ArrayList<>(options.values());
    }

    /** @return whether the key (any spelling) is an option of this schema */
    public boolean has(String key) {
        return options.containsKey(normalize(key));
    }

    /**
     * @return the option of a key in any spelling
     * @throws UnknownOptionException naming the key and the closest known one
     */
    public Opt<?> get(String key) {
        Opt<?> o = options.get(normalize(key));
        if (o == null) {
            throw new UnknownOptionException(name, key, closest(normalize(key)));
        }
        return o;
    }

    /**
     * Checks every key before anything runs.
     *
     * @throws UnknownOptionException for the first unknown key
     */
    public void checkKeys(Collection<String> keys) {
        for (String k : keys) {
            get(k);
        }
    }

    /** @return the key in canonical form: lower case, {@code _} for {@code -}, no leading dashes */
    public static String normalize(String key) {
        return key.trim().replaceFirst("^-+", "").toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** @return the known key with the smallest edit distance to {@code key} */
    String closest(String key) {
        return closest(key, options.keySet());
    }

    /** @return the key of {@code known} closest to {@code key} (normalized) by edit distance, or null when there is none */
    public static String closest(String key, java.util.Collection<String> known) {
        key = normalize(key);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (k.contains(key) || key.contains(k)) {
                d = Math.min(d, Math.abs(k.length() - key.length()));
            }
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    /** Levenshtein distance, and a match of the part after the last underscore counts as close. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        int d = prev[b.length()];
        String ta = a.substring(a.lastIndexOf('_') + 1);
        String tb = b.substring(b.lastIndexOf('_') + 1);
        return ta.equals(tb) && !ta.isEmpty() ? Math.min(d, 2) : d;
    }
}
