package gear.run;

import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.train.ModelFile;
import gear.train.TrainedModel;
import gear.transfer.Task;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import java.nio.file.Path;
import java.util.List;

/**
 * A model as prediction needs it: the output column names and a function from featurized molecules
 * to predictions in original units (rows: molecules, columns: targets). Made from any model file this
 * tool writes by {@link #load}; used by {@link PredictRun} and by the distributed engine, which loads
 * one per executor.
 */
public interface Predictor {
    /** @return the prediction column names, one per output */
    List<String> targetNames();

    /**
     * @param graphs featurized molecules (any number; the model batches them)
     * @return predictions in original units, one row per molecule, one column per target
     */
    double[][] predict(List<MolGraph> graphs);

    /**
     * @return a predictor over a single-task (or multi-target) D-MPNN: the buffered forward pass ({@link StepPredictor},
     *     not thread-safe) for models without dropout, else the model's own {@link TrainedModel#predict}
     */
    static Predictor of(TrainedModel m) {
        if (m.network().config().dropout() == 0 && !Boolean.getBoolean("gear.predict.autograd")) {
            return new StepPredictor(m);
        }
        return new Predictor() {
            @Override
            public List<String> targetNames() {
                return m.targetNames();
            }

            @Override
            public double[][] predict(List<MolGraph> graphs) {
                return m.predict(graphs);
            }
        };
    }

    /** @return a predictor over one task of a transfer model */
    static Predictor of(TransferModel m, Task t) {
        List<String> names = List.of(m.taskName(t));
        return new Predictor() {
            @Override
            public List<String> targetNames() {
                return names;
            }

            @Override
            public double[][] predict(List<MolGraph> graphs) {
                double[] v = m.predict(t, graphs);
                double[][] out = new double[v.length][1];
                for (int i = 0; i < v.length; i++) {
                    out[i][0] = v[i];
                }
                return out;
            }
        };
    }

    /** @return a predictor over one task of a k-task model, by name (null: the primary task) */
    static Predictor of(gear.transfer.ktask.KTaskModel m, String task) {
        int t = task == null ? m.primary() : m.task(task);
        List<String> names = List.of(m.names().get(t));
        return new Predictor() {
            @Override
            public List<String> targetNames() {
                return names;
            }

            @Override
            public double[][] predict(List<MolGraph> graphs) {
                double[] v = m.predict(t, graphs);
                double[][] out = new double[v.length][1];
                for (int i = 0; i < v.length; i++) {
                    out[i][0] = v[i];
                }
                return out;
            }
        };
    }

    /**
     * Loads a model file of any type this tool writes.
     *
     * @param file the model file
     * @param task {@code source} or {@code target} for a transfer model (null: target); must be null for a
     *     single-task model
     * @throws BadInputException naming the file when it is not a model this tool reads
     * @throws IllegalArgumentException when {@code task} does not fit the model
     */
    static Predictor load(Path file, String task) {
        if (TransferModelFile.isTransferModel(file)) {
            return of(TransferModelFile.load(file), Task.parse(task == null ? "target" : task));
        }
        String type = ModelFile.modelType(file);
        if (type.equals(gear.transfer.ktask.KTaskModelFile.MODEL_TYPE)) {
            return of(gear.transfer.ktask.KTaskModelFile.load(file), task);
        }
        if (type.equals("dmpnn")) {
            if (task != null) {
                throw new IllegalArgumentException("--task " + task + ": " + file
                        + " is a single-task D-MPNN model; --task applies to transfer models only");
            }
            return of(ModelFile.load(file));
        }
        throw new BadInputException(file + ": unknown model type '" + type + "' (expected dmpnn or "
                + TransferModelFile.MODEL_TYPE + ")");
    }
}
