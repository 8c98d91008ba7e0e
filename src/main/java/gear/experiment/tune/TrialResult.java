package gear.experiment.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a trial measured: validation numbers only (a trial never sees the test part).
 *
 * @param valRmse validation RMSE of the selected epoch (target units; NaN when the run diverged)
 * @param bestEpoch the selected epoch (0-based; −1 when diverged)
 * @param seconds wall time of training
 * @param status {@code ok} or {@code diverged} (a NaN/Inf loss: the configuration ranks last)
 */
public record TrialResult(double valRmse, int bestEpoch, double seconds, String status) {
    /** The status of a finished run. */
    public static final String OK = "ok";
    /** The status of a run stopped by a NaN/Inf loss. */
    public static final String DIVERGED = "diverged";

    /** @return the JSON form of {@code result.json} (with the trial and the tune's fingerprint) */
    public ObjectNode toJson(Trial t, String fingerprint) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("trial", t.id());
        o.put("fingerprint", fingerprint);
        o.put("method", t.method());
        o.put("config", t.config());
        o.put("rung", t.rung());
        o.put("unit", t.unit());
        o.put("epochs", t.epochs());
        o.set("values", new ObjectMapper().valueToTree(t.values()));
        o.put("status", status);
        if (Double.isFinite(valRmse)) {
            o.put("val_rmse", valRmse);
        } else {
            o.putNull("val_rmse");
        }
        o.put("best_epoch", bestEpoch);
        o.put("seconds", seconds);
        return o;
    }

    /** Parses {@link #toJson}. */
    public static TrialResult fromJson(JsonNode o) {
        JsonNode v = o.get("val_rmse");
        return new TrialResult(v == null || v.isNull() ? Double.NaN : v.asDouble(), o.path("best_epoch").asInt(-1),
                o.path("seconds").asDouble(Double.NaN), o.path("status").asText(OK));
    }
}
