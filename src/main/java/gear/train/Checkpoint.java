package gear.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A resumable training checkpoint, written atomically after every epoch: one safetensors file with
 * the current weights ({@code model.*}), the best weights so far ({@code best.*}), the Adam state
 * ({@code adam.*}) and, in the metadata, the loop state as JSON (epochs done, optimizer steps, best
 * epoch and score, epochs without improvement, the metrics history, and the random state).
 *
 * <p>Random state: the shuffle of epoch k is drawn from a generator re-created from (seed, k), and
 * the dropout generator is re-seeded from (seed, step) before each batch, so (seed, epochs done,
 * steps) is the complete random state and a resumed run is bit-identical to an uninterrupted one.
 */
public final class Checkpoint {
    /** File name of the checkpoint inside a checkpoint directory. */
    public static final String FILE = "checkpoint.safetensors";
    static final String FORMAT = "gear-checkpoint";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Loop state besides the tensors. */
    record State(int epochsDone, long globalStep, int bestEpoch, double bestScore, int sinceImprovement,
            List<EpochStats> history, long seed, String fingerprint) {}

    /** A checkpoint read back. */
    record Loaded(Map<String, Tensor> model, Map<String, Tensor> best, Map<String, Tensor> adam, State state) {}

    private Checkpoint() {}

    static void write(Path file, Params model, Map<String, Tensor> best, Adam adam, State s) throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        model.asMap().forEach((k, v) -> t.put("model." + k, v));
        best.forEach((k, v) -> t.put("best." + k, v));
        t.putAll(adam.state());
        ObjectNode st = JSON.createObjectNode();
        st.put("epochs_done", s.epochsDone());
        st.put("global_step", s.globalStep());
        st.put("best_epoch", s.bestEpoch());
        st.put("best_score", s.bestScore());
        st.put("since_improvement", s.sinceImprovement());
        ObjectNode rng = st.putObject("rng");
        rng.put("seed", s.seed());
        rng.put("next_epoch", s.epochsDone());
        rng.put("next_step", s.globalStep());
        ArrayNode h = st.putArray("history");
        for (EpochStats e : s.history()) {
            ObjectNode n = h.addObject();
            n.put("phase", e.phase());
            n.put("epoch", e.epoch());
            n.put("epochs", e.epochs());
            ObjectNode terms = n.putObject("terms");
            e.terms().forEach(terms::put);
            n.put("val_score", e.valScore());
            n.put("lr", e.lr());
            n.put("seconds", e.seconds());
            n.put("improved", e.improved());
        }
        st.put("fingerprint", s.fingerprint());
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", FORMAT);
        md.put("format_version", Integer.toString(VERSION));
        md.put("state", JSON.writeValueAsString(st));
        SafeTensors.write(file, t, md);
    }

    /**
     * Reads a checkpoint.
     *
     * @throws BadInputException naming the file when it is unreadable, corrupt or not a checkpoint
     */
    static Loaded read(Path file) {
        SafeTensors.Content c;
        try {
            c = SafeTensors.read(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new BadInputException(file + ": not a gear checkpoint (format '" + c.metadata().get("format") + "')");
        }
        if (!Integer.toString(VERSION).equals(c.metadata().get("format_version"))) {
            throw new BadInputException(file + ": unsupported checkpoint version " + c.metadata().get("format_version"));
        }
        try {
            JsonNode st = JSON.readTree(c.metadata().get("state"));
            List<EpochStats> history = new ArrayList<>();
            for (JsonNode n : st.get("history")) {
                Map<String, Double> terms = new LinkedHashMap<>();
                if (n.has("terms")) {
                    n.get("terms").fields().forEachRemaining(t -> terms.put(t.getKey(), t.getValue().asDouble()));
                } else {
                    terms.put(Objective.TOTAL, n.get("train_loss").asDouble()); // checkpoints of earlier builds
                }
                double val = n.has("val_score") ? n.get("val_score").asDouble() : n.get("val_rmse").asDouble();
                history.add(new EpochStats(n.path("phase").asText("train"), n.get("epoch").asInt(), n.get("epochs").asInt(),
                        terms, val, n.get("lr").asDouble(), n.get("seconds").asDouble(), n.get("improved").asBoolean()));
            }
            State s = new State(st.get("epochs_done").asInt(), st.get("global_step").asLong(), st.get("best_epoch").asInt(),
                    st.get("best_score").asDouble(), st.get("since_improvement").asInt(), history,
                    st.get("rng").get("seed").asLong(), st.get("fingerprint").asText());
            Map<String, Tensor> model = new LinkedHashMap<>();
            Map<String, Tensor> best = new LinkedHashMap<>();
            Map<String, Tensor> adam = new LinkedHashMap<>();
            c.tensors().forEach((k, v) -> {
                if (k.startsWith("model.")) {
                    model.put(k.substring(6), v);
                } else if (k.startsWith("best.")) {
                    best.put(k.substring(5), v);
                } else if (k.startsWith("adam.")) {
                    adam.put(k, v);
                }
            });
            return new Loaded(model, best, adam, s);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": corrupt checkpoint state (" + e + ")", e);
        }
    }
}
