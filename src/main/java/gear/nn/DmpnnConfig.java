package gear.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hyperparameters of a {@link Dmpnn} (chemprop v1 names and defaults).
 *
 * @param hiddenSize d_h, width of the directed-edge messages and the molecule vector (chemprop 300)
 * @param depth D, message passing steps (chemprop 3)
 * @param dropout dropout probability after each ReLU and before each FFN layer (chemprop 0)
 * @param ffnHiddenSize width of the FFN hidden layers (chemprop: = hiddenSize)
 * @param ffnNumLayers number of linear layers in the FFN head (chemprop 2)
 * @param numTasks number of outputs (targets)
 * @param float64 whether weights and activations are float64 (gradient checks) instead of float32
 */
public record DmpnnConfig(int hiddenSize, int depth, double dropout, int ffnHiddenSize, int ffnNumLayers,
        int numTasks, boolean float64) {

        /** d_h, the message and molecule vector width (also the default FFN hidden width). */
    public static final gear.config.Opt<Integer> HIDDEN_SIZE = gear.config.Opt.integer("hidden_size", 300, 1,
            "D-MPNN hidden size d_h: message and molecule vector width (also the FFN, encoder and head hidden width)");
    /** Message passing steps. */
    public static final gear.config.Opt<Integer> DEPTH = gear.config.Opt.integer("depth", 3, 1, "message passing steps");
    /** Dropout. */
    public static final gear.config.Opt<Double> DROPOUT = gear.config.Opt.real("dropout", 0.0, 0.0, "",
            "dropout probability");
    /** FFN layers. */
    public static final gear.config.Opt<Integer> FFN_NUM_LAYERS = gear.config.Opt.integer("ffn_num_layers", 2, 1,
            "linear layers of the FFN head");

    /** FFN hidden width; 0 (the default) means the hidden size d_h. */
    public static final gear.config.Opt<Integer> FFN_HIDDEN_SIZE = gear.config.Opt.integer("ffn_hidden_size", 0, 0,
            "FFN hidden width (0 = the hidden size)");

    /** Validates the values. */
    public DmpnnConfig {
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("--hidden-size must be at least 1, got " + hiddenSize);
        }
        if (depth < 1) {
            throw new IllegalArgumentException("--depth must be at least 1, got " + depth);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (ffnHiddenSize < 1) {
            throw new IllegalArgumentException("--ffn-hidden-size must be at least 1, got " + ffnHiddenSize);
        }
        if (ffnNumLayers < 1) {
            throw new IllegalArgumentException("--ffn-num-layers must be at least 1, got " + ffnNumLayers);
        }
        if (numTasks < 1) {
            throw new IllegalArgumentException("number of targets must be at least 1, got " + numTasks);
        }
    }

    /** @return chemprop v1's defaults (300, 3, 0, 300, 2) for {@code numTasks} outputs, float32 */
    public static DmpnnConfig defaults(int numTasks) {
        return new DmpnnConfig(300, 3, 0.0, 300, 2, numTasks, false);
    }

    /** @return a copy with another hidden size (FFN hidden size set to the same) */
    public DmpnnConfig withHiddenSize(int h) {
        return new DmpnnConfig(h, depth, dropout, h, ffnNumLayers, numTasks, float64);
    }

    /** @return a copy with another depth */
    public DmpnnConfig withDepth(int d) {
        return new DmpnnConfig(hiddenSize, d, dropout, ffnHiddenSize, ffnNumLayers, numTasks, float64);
    }

    /** @return a copy with another dropout */
    public DmpnnConfig withDropout(double p) {
        return new DmpnnConfig(hiddenSize, depth, p, ffnHiddenSize, ffnNumLayers, numTasks, float64);
    }

    /** @return a copy with another number of outputs */
    public DmpnnConfig withNumTasks(int t) {
        return new DmpnnConfig(hiddenSize, depth, dropout, ffnHiddenSize, ffnNumLayers, t, float64);
    }

    /** @return a copy in float64 (or float32) */
    public DmpnnConfig withFloat64(boolean f) {
        return new DmpnnConfig(hiddenSize, depth, dropout, ffnHiddenSize, ffnNumLayers, numTasks, f);
    }

    /** @return the libtorch dtype of weights and activations */
    public org.bytedeco.pytorch.global.torch.ScalarType dtype() {
        return float64 ? org.bytedeco.pytorch.global.torch.ScalarType.Double
                : org.bytedeco.pytorch.global.torch.ScalarType.Float;
    }

    /** @return the stable JSON form (chemprop-style snake_case keys) */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("hidden_size", hiddenSize);
        n.put("depth", depth);
        n.put("dropout", dropout);
        n.put("ffn_hidden_size", ffnHiddenSize);
        n.put("ffn_num_layers", ffnNumLayers);
        n.put("num_tasks", numTasks);
        n.put("dtype", float64 ? "float64" : "float32");
        return n;
    }

    /**
     * Parses the form written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when a key is missing or a value is invalid
     */
    public static DmpnnConfig fromJson(JsonNode n) {
        return new DmpnnConfig(req(n, "hidden_size").asInt(), req(n, "depth").asInt(), req(n, "dropout").asDouble(),
                req(n, "ffn_hidden_size").asInt(), req(n, "ffn_num_layers").asInt(), req(n, "num_tasks").asInt(),
                "float64".equals(req(n, "dtype").asText()));
    }

    private static JsonNode req(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("model hyperparameters lack '" + key + "'");
        }
        return v;
    }
}
