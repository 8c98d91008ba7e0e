package gear.experiment.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.transfer.Methods;
import gear.transfer.TransferMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What {@code gear tune} searches: the {@link #shared()} ranges, identical for every method (learning rate,
 * dropout), and per method the ranges of the options that method reads ({@link TransferMethod#options()}).
 *
 * <p>The default space ({@link #defaults}): shared {@code max_lr} log-uniform [3e-4, 3e-3] (the Noam peak; the
 * schedule's start and end stay at their defaults) and {@code dropout} uniform [0, 0.3]; per method, each of
 * the following that it reads: {@code w_curv} log-uniform [1e-4, 1] and {@code curv_loss} ∈ {mse, relative,
 * standardized} (GEAR), {@code w_metric} log-uniform [0.1, 10] (GEAR), {@code w_dis} log-uniform [0.1, 10]
 * (GATE), {@code w_kd} log-uniform [0.1, 10] (KD, GSP-KD), {@code source_batches} ∈ {1, 2, 4} (the paired
 * methods). STL and fine-tuning have only the shared ranges.
 *
 * <p>A search-space file replaces it: {@code {"shared": {KEY: RANGE, ...}, "methods": {METHOD: {KEY: RANGE,
 * ...}}}} with the ranges of {@link Param#fromJson}; a method the file does not name gets the shared ranges only.
 * An unknown method, an unknown key, a key the method does not read, a key both shared and per method, and a
 * bad range are refused ({@link BadInputException}, exit 2) before anything runs.
 *
 * <p>{@code "search": "grid"} in the file turns the random draws into an exhaustive grid: every range must be a
 * choice, configuration i of a method is the i-th element of the Cartesian product of its choices (the last
 * key varies fastest, {@link #sample}), and every method must have the same number of configurations
 * ({@link #gridSize}), so that every method still gets the same trials. Useful for a small second stage, e.g. the
 * source exposure of the paired methods at the values an earlier tune chose ({@code gear tune --tuned}).
 *
 * @param shared the ranges of every method
 * @param perMethod the further ranges of each method
 * @param grid whether the configurations enumerate the choices' Cartesian product instead of random draws
 */
public record SearchSpace(List<Param> shared, Map<String, List<Param>> perMethod, boolean grid) {
    public SearchSpace {
        shared = List.copyOf(shared);
        Map<String, List<Param>> m = new LinkedHashMap<>();
        perMethod.forEach((k, v) -> m.put(k, List.copyOf(v)));
        perMethod = java.util.Collections.unmodifiableMap(m);
    }

    /** A random-search space. */
    public SearchSpace(List<Param> shared, Map<String, List<Param>> perMethod) {
        this(shared, perMethod, false);
    }

    /** Default method-specific ranges, applied to the methods that read the key. */
    private static final List<Param> METHOD_DEFAULTS = List.of(
            Param.of("w_curv", Param.Kind.LOG_UNIFORM, 1e-4, 1, List.of()),
            Param.of("curv_loss", Param.Kind.CHOICE, 0, 0, List.of("mse", "relative", "standardized")),
            Param.of("w_metric", Param.Kind.LOG_UNIFORM, 0.1, 10, List.of()),
            Param.of("w_dis", Param.Kind.LOG_UNIFORM, 0.1, 10, List.of()),
            Param.of("w_kd", Param.Kind.LOG_UNIFORM, 0.1, 10, List.of()),
            Param.of("source_batches", Param.Kind.CHOICE, 0, 0, List.of("1", "2", "4")));

    /** @return the default space for these methods (see the class comment) */
    public static SearchSpace defaults(List<String> methods) {
        List<Param> shared = List.of(Param.of("max_lr", Param.Kind.LOG_UNIFORM, 3e-4, 3e-3, List.of()),
                Param.of("dropout", Param.Kind.UNIFORM, 0, 0.3, List.of()));
        Map<String, List<Param>> per = new LinkedHashMap<>();
        for (String m : methods) {
            TransferMethod tm = method(m);
            per.put(m, METHOD_DEFAULTS.stream().filter(p -> tm.options().contains(p.key())).toList());
        }
        return new SearchSpace(shared, per).check(methods);
    }

    /**
     * Reads a search-space file.
     *
     * @throws BadInputException naming the file and the problem
     */
    public static SearchSpace read(Path file, List<String> methods) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the search space: " + e.getMessage(), e);
        }
        try {
            return fromJson(root, methods);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON form (see the class comment) and checks it against the methods. */
    public static SearchSpace fromJson(JsonNode root, List<String> methods) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("a search space is a JSON object {\"shared\": {...}, \"methods\": {...}}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!f.equals("shared") && !f.equals("methods") && !f.equals("search")) {
                throw new IllegalArgumentException("search space: unknown field '" + f + "' (shared, methods, search)");
            }
        }
        boolean grid = false;
        if (root.has("search")) {
            String kind = root.get("search").asText();
            if (!kind.equals("random") && !kind.equals("grid")) {
                throw new IllegalArgumentException("search space: \"search\" is random or grid, got '" + kind + "'");
            }
            grid = kind.equals("grid");
        }
        List<Param> shared = params(root.get("shared"), "shared");
        Map<String, List<Param>> per = new LinkedHashMap<>();
        JsonNode ms = root.get("methods");
        if (ms != null) {
            if (!ms.isObject()) {
                throw new IllegalArgumentException("search space: \"methods\" must be an object METHOD -> {KEY: RANGE}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                method(e.getKey());
                per.put(e.getKey(), params(e.getValue(), e.getKey()));
            }
        }
        for (String m : methods) {
            per.putIfAbsent(m, List.of());
        }
        return new SearchSpace(shared, per, grid).check(methods);
    }

    private static List<Param> params(JsonNode n, String where) {
        List<Param> r = new ArrayList<>();
        if (n == null) {
            return r;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("search space: \"" + where + "\" must be an object KEY -> RANGE");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            Param p = Param.fromJson(e.getKey(), e.getValue());
            if (r.stream().anyMatch(q -> q.key().equals(p.key()))) {
                throw new IllegalArgumentException("search space: option " + p.key() + " is given twice in " + where);
            }
            r.add(p);
        }
        return r;
    }

    private static TransferMethod method(String name) {
        if (!Methods.names().contains(name)) {
            throw new IllegalArgumentException("unknown method '" + name + "'; known: " + String.join(", ", Methods.names()));
        }
        return Methods.get(name);
    }

    /**
     * Checks that every method of the run has an entry, names no method outside the run, and that each
     * per-method key is read by its method and not also shared.
     *
     * @return this
     * @throws IllegalArgumentException naming the method and key
     */
    public SearchSpace check(List<String> methods) {
        for (String m : methods) {
            method(m);
            if (!perMethod.containsKey(m)) {
                throw new IllegalArgumentException("search space: no entry for method " + m);
            }
        }
        for (Map.Entry<String, List<Param>> e : perMethod.entrySet()) {
            if (!methods.contains(e.getKey())) {
                throw new IllegalArgumentException("search space: method " + e.getKey() + " is not tuned (--methods "
                        + String.join(",", methods) + ")");
            }
            TransferMethod tm = method(e.getKey());
            for (Param p : e.getValue()) {
                if (!tm.options().contains(p.key())) {
                    throw new IllegalArgumentException("search space: method " + e.getKey() + " does not read option " + p.key()
                            + " (it reads " + (tm.options().isEmpty() ? "only the common options" : String.join(", ", tm.options()))
                            + "; put common options under \"shared\")");
                }
                if (shared.stream().anyMatch(q -> q.key().equals(p.key()))) {
                    throw new IllegalArgumentException("search space: option " + p.key() + " is both shared and tuned for "
                            + e.getKey());
                }
            }
        }
        java.util.Set<String> specific = new java.util.HashSet<>();
        Methods.names().forEach(n -> specific.addAll(Methods.get(n).options()));
        for (Param p : shared) {
            for (String m : methods) {
                if (specific.contains(p.key()) && !method(m).options().contains(p.key())) {
                    throw new IllegalArgumentException("search space: shared option " + p.key() + " is not read by method " + m
                            + "; tune it under \"methods\" for the methods that read it");
                }
            }
        }
        if (shared.isEmpty() && perMethod.values().stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException("search space: nothing to tune (no shared and no per-method range)");
        }
        if (grid) {
            Map<String, Long> sizes = new LinkedHashMap<>();
            for (String m : methods) {
                for (Param p : forMethod(m)) {
                    if (p.kind() != Param.Kind.CHOICE) {
                        throw new IllegalArgumentException("search space: a grid search needs choices; option " + p.key()
                                + " of " + m + " is " + p.kind().jsonName());
                    }
                }
                sizes.put(m, gridSize(m));
            }
            if (sizes.values().stream().distinct().count() > 1) {
                throw new IllegalArgumentException("search space: a grid search gives every method the same number of "
                        + "configurations; the choices give " + sizes);
            }
        }
        return this;
    }

    /** @return the number of configurations of a method's grid: the product of its choices' sizes */
    public long gridSize(String method) {
        long n = 1;
        for (Param p : forMethod(method)) {
            n *= p.choices().isEmpty() ? 1 : p.choices().size();
        }
        return n;
    }

    /** @return the ranges of a method: the shared ones, then its own */
    public List<Param> forMethod(String method) {
        List<Param> r = new ArrayList<>(shared);
        r.addAll(perMethod.getOrDefault(method, List.of()));
        return r;
    }

    /**
     * The values of one configuration. The shared values depend only on the tune seed and the configuration
     * index (configuration i of every method gets the same learning rate and dropout: common random numbers,
     * so methods are compared over the same shared draws); the method's own values come from a stream of their own.
     * In a {@link #grid} space, configuration i is the i-th element of the Cartesian product of the method's choices
     * in {@link #forMethod} order, the last key varying fastest (the seed is not used).
     *
     * @throws IllegalArgumentException for a grid configuration at or beyond {@link #gridSize}
     */
    public Map<String, String> sample(String method, int config, long seed) {
        Map<String, String> v = new LinkedHashMap<>();
        if (grid) {
            if (config < 0 || config >= gridSize(method)) {
                throw new IllegalArgumentException("grid configuration " + config + " of " + method + ": the grid has "
                        + gridSize(method));
            }
            List<Param> ps = forMethod(method);
            String[] values = new String[ps.size()];
            long rest = config;
            for (int i = ps.size() - 1; i >= 0; i--) {
                List<String> c = ps.get(i).choices();
                values[i] = c.get((int) (rest % c.size()));
                rest /= c.size();
            }
            for (int i = 0; i < ps.size(); i++) {
                v.put(ps.get(i).key(), values[i]);
            }
            return v;
        }
        SplittableRandom s = new SplittableRandom(mix(seed, config, 0));
        for (Param p : shared) {
            v.put(p.key(), p.sample(s));
        }
        SplittableRandom r = new SplittableRandom(mix(seed, config, method.hashCode() * 0x9E3779B97F4A7C15L + 1));
        for (Param p : perMethod.getOrDefault(method, List.of())) {
            v.put(p.key(), p.sample(r));
        }
        return v;
    }

    private static long mix(long seed, int config, long salt) {
        long z = seed * 0xBF58476D1CE4E5B9L + config * 0x94D049BB133111EBL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @return the JSON form */
    public ObjectNode toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        if (grid) {
            o.put("search", "grid"); // absent for random search, so earlier tunes keep their fingerprint
        }
        ObjectNode s = o.putObject("shared");
        shared.forEach(p -> s.set(p.key(), p.toJson(m)));
        ObjectNode ms = o.putObject("methods");
        perMethod.forEach((k, v) -> {
            ObjectNode x = ms.putObject(k);
            v.forEach(p -> x.set(p.key(), p.toJson(m)));
        });
        return o;
    }
}
