package gear.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-target standardization {@code z = (y − μ) / σ}, fitted on training rows only and NaN-aware
 * (chemprop v1 {@code StandardScaler}): μ and σ (population standard deviation, divisor m) are taken
 * over the non-missing values of each target; a target with σ = 0 gets σ = 1 and one with no value
 * gets μ = 0, σ = 1, each with a warning. Missing values stay NaN through
 * {@link #transform}/{@link #inverseTransform}. Immutable; serializes to JSON for model files.
 */
public final class StandardScaler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final double[] means;
    private final double[] stds;
    private final List<String> warnings;

    /** @param means per-target means; @param stds per-target standard deviations (positive) */
    public StandardScaler(double[] means, double[] stds) {
        this(means, stds, List.of());
    }

    private StandardScaler(double[] means, double[] stds, List<String> warnings) {
        if (means.length != stds.length) {
            throw new IllegalArgumentException("means and stds differ in length");
        }
        for (int t = 0; t < stds.length; t++) {
            if (!Double.isFinite(means[t]) || !(stds[t] > 0) || !Double.isFinite(stds[t])) {
                throw new IllegalArgumentException("target " + t + ": mean " + means[t] + ", std " + stds[t]
                        + " (need a finite mean and a positive finite std)");
            }
        }
        this.means = means.clone();
        this.stds = stds.clone();
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Fits on the given rows of a target matrix.
     *
     * @param targets n × t values, NaN for missing
     * @param rows the (training) rows to use
     * @param names target names for warnings (may be null)
     */
    public static StandardScaler fit(double[][] targets, int[] rows, List<String> names) {
        int t = targets.length == 0 ? (names == null ? 0 : names.size()) : targets[0].length;
        double[] mean = new double[t];
        double[] std = new double[t];
        List<String> warn = new ArrayList<>();
        for (int k = 0; k < t; k++) {
            double sum = 0;
            int m = 0;
            for (int i : rows) {
                double v = targets[i][k];
                if (!Double.isNaN(v)) {
                    sum += v;
                    m++;
                }
            }
            String name = names != null && k < names.size() ? "'" + names.get(k) + "'" : "#" + k;
            if (m == 0) {
                mean[k] = 0;
                std[k] = 1;
                warn.add("target " + name + " has no value in the training rows: mean 0, std 1 used");
                continue;
            }
            double mu = sum / m;
            double ss = 0;
            for (int i : rows) {
                double v = targets[i][k];
                if (!Double.isNaN(v)) {
                    ss += (v - mu) * (v - mu);
                }
            }
            double sd = Math.sqrt(ss / m);
            mean[k] = mu;
            if (sd == 0 || !Double.isFinite(sd)) {
                warn.add("target " + name + " is constant in the training rows (std 0): std 1 used");
                sd = 1;
            }
            std[k] = sd;
        }
        return new StandardScaler(mean, std, warn);
    }

    /**
     * Fits on all rows of a target matrix (the training split's targets).
     *
     * @param targets n × t values, NaN for missing
     */
    public static StandardScaler fit(double[][] targets) {
        int[] all = new int[targets.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return fit(targets, all, null);
    }

    /** Fits on all molecules of a (training) data set. */
    public static StandardScaler fit(MoleculeDataset train) {
        int[] all = new int[train.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return fit(train.targets(), all, train.targetNames());
    }

    /** Fits on the training part of a split of {@code ds}. */
    public static StandardScaler fit(MoleculeDataset ds, Split split) {
        return fit(ds.targets(), split.train(), ds.targetNames());
    }

    /** @return number of targets */
    public int numTargets() {
        return means.length;
    }

    /** @return the mean of target k */
    public double mean(int k) {
        return means[k];
    }

    /** @return the standard deviation of target k */
    public double std(int k) {
        return stds[k];
    }

    /** @return per-target means (a copy) */
    public double[] means() {
        return means.clone();
    }

    /** @return per-target standard deviations (a copy) */
    public double[] stds() {
        return stds.clone();
    }

    /** @return warnings from fitting (constant or empty targets) */
    public List<String> warnings() {
        return warnings;
    }

    /** @return (y − μ_k) / σ_k, the scaled value of target k */
    public double transform(double y, int k) {
        return (y - means[k]) / stds[k];
    }

    /** @return (y − μ) / σ per target, NaN kept */
    public double[] transform(double[] y) {
        check(y);
        double[] z = new double[y.length];
        for (int k = 0; k < y.length; k++) {
            z[k] = (y[k] - means[k]) / stds[k];
        }
        return z;
    }

    /** @return z·σ + μ per target, NaN kept */
    public double[] inverseTransform(double[] z) {
        check(z);
        double[] y = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            y[k] = z[k] * stds[k] + means[k];
        }
        return y;
    }

    /** @return each row transformed */
    public double[][] transform(double[][] y) {
        double[][] r = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            r[i] = transform(y[i]);
        }
        return r;
    }

    /** @return each row inverse-transformed */
    public double[][] inverseTransform(double[][] z) {
        double[][] r = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            r[i] = inverseTransform(z[i]);
        }
        return r;
    }

    private void check(double[] v) {
        if (v.length != means.length) {
            throw new IllegalArgumentException("expected " + means.length + " targets, got " + v.length);
        }
    }

    /** @return {@code {"type":"standard","means":[...],"stds":[...]}} */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "standard");
        ArrayNode m = o.putArray("means");
        ArrayNode s = o.putArray("stds");
        for (int k = 0; k < means.length; k++) {
            m.add(means[k]);
            s.add(stds[k]);
        }
        return o;
    }

    /** @return the JSON text of {@link #toJson()} */
    public String toJsonString() {
        return toJson().toString();
    }

    /**
     * Reads what {@link #toJson()} wrote.
     *
     * @throws BadInputException if the JSON is not a valid scaler
     */
    public static StandardScaler fromJson(JsonNode o) {
        if (o == null || !o.isObject() || !"standard".equals(o.path("type").asText()) || !o.path("means").isArray()
                || !o.path("stds").isArray() || o.get("means").size() != o.get("stds").size()) {
            throw new BadInputException("invalid scaler JSON (expected {\"type\":\"standard\",\"means\":[...],\"stds\":[...]}): " + o);
        }
        double[] m = new double[o.get("means").size()];
        double[] s = new double[m.length];
        for (int k = 0; k < m.length; k++) {
            m[k] = o.get("means").get(k).asDouble();
            s[k] = o.get("stds").get(k).asDouble();
        }
        try {
            return new StandardScaler(m, s);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("invalid scaler JSON: " + e.getMessage(), e);
        }
    }

    /** Parses JSON text. */
    public static StandardScaler fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException("invalid scaler JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StandardScaler s && Arrays.equals(means, s.means) && Arrays.equals(stds, s.stds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(means) + Arrays.hashCode(stds);
    }

    @Override
    public String toString() {
        return "StandardScaler[means=" + Arrays.toString(means) + ", stds=" + Arrays.toString(stds) + "]";
    }
}
