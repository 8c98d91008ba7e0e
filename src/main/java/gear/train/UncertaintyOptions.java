package gear.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.config.Opt;
import java.util.List;

/**
 * The uncertainty options of a training run, each declared once as an {@link Opt}: the ensemble size
 * ({@link Ensemble}; members differ in their initialization seed, seed + i) and the task type
 * ({@code regression} or {@code mve}, {@link MeanVariance}). The defaults (1, regression) are the plain model of
 * earlier builds: nothing about the run, its files or its {@code config.json} changes.
 *
 * @param ensembleSize members of the ensemble (at least 1)
 * @param taskType the task type
 */
public record UncertaintyOptions(int ensembleSize, TaskType taskType) {
    /** Ensemble size. */
    public static final Opt<Integer> ENSEMBLE_SIZE = Opt.integer("ensemble_size", 1, 1,
            "models trained with initialization seeds seed, seed+1, ...; predictions are their mean and std");
    /** Task type. */
    public static final Opt<String> TASK_TYPE = Opt.choice("task_type", "regression", List.of("regression", "mve"),
            "regression (MSE) or mve (mean and variance heads, Gaussian NLL; predicts a std)");
    /** The options, in help order. */
    public static final List<Opt<?>> OPTIONS = List.of(ENSEMBLE_SIZE, TASK_TYPE);

    /** Validates the values. */
    public UncertaintyOptions {
        if (ensembleSize < 1) {
            throw new IllegalArgumentException("--ensemble-size must be at least 1, got " + ensembleSize);
        }
    }

    /** @return one regression model */
    public static UncertaintyOptions defaults() {
        return new UncertaintyOptions(1, Regression.INSTANCE);
    }

    /** @return whether these are the defaults (then nothing is written to config.json) */
    public boolean isDefault() {
        return ensembleSize == 1 && taskType == Regression.INSTANCE;
    }

    /** @return the values of {@code n} ({@code ensemble_size}, {@code task_type}; absent keys: the defaults) */
    public static UncertaintyOptions fromJson(JsonNode n) {
        JsonNode e = n.get(ENSEMBLE_SIZE.key());
        JsonNode t = n.get(TASK_TYPE.key());
        return new UncertaintyOptions(e == null || e.isNull() ? 1 : e.asInt(),
                TaskType.parse(t == null || t.isNull() ? "regression" : t.asText()));
    }

    /** Adds the keys to {@code n} when the values are not the defaults. */
    public void putInto(ObjectNode n) {
        if (!isDefault()) {
            n.put(ENSEMBLE_SIZE.key(), ensembleSize);
            n.put(TASK_TYPE.key(), taskType.name());
        }
    }
}
