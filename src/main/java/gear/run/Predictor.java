package gear.run;

import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.train.Ensemble;
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

    /**
     * @return a predictor over an ensemble or a mean-variance model: per target the mean prediction and its standard
     *     deviation ({@code <target>}, {@code <target>_std}; the z-scaled total of {@link Ensemble}); a plain
     *     one-member regression ensemble predicts as {@link #of(TrainedModel)}
     */
    static Predictor of(Ensemble e) {
        if (!e.hasUncertainty()) {
            return of(e.first());
        }
        List<java.util.function.Function<List<MolGraph>, TrainedModel.Prediction>> members = new java.util.ArrayList<>();
        for (TrainedModel m : e.members()) {
            if (m.network().config().dropout() == 0 && !Boolean.getBoolean("gear.predict.autograd")) {
                StepPredictor sp = new StepPredictor(m);
                members.add(sp::predictWithVariance);
            } else {
                members.add(m::predictWithVariance);
            }
        }
        List<String> names = new java.util.ArrayList<>();
        for (String t : e.first().targetNames()) {
            names.add(t);
            names.add(t + "_std");
        }
        List<String> cols = List.copyOf(names);
        return new Predictor() {
            @Override
            public List<String> targetNames() {
                return cols;
            }

            @Override
            public double[][] predict(List<MolGraph> graphs) {
                List<TrainedModel.Prediction> p = new java.util.ArrayList<>();
                for (var m : members) {
                    p.add(m.apply(graphs));
                }
                Ensemble.Output o = e.combine(p, true);
                int tasks = o.mean().length == 0 ? 0 : o.mean()[0].length;
                double[][] out = new double[graphs.size()][2 * tasks];
                for (int i = 0; i < out.length; i++) {
                    for (int t = 0; t < tasks; t++) {
                        out[i][2 * t] = o.mean()[i][t];
                        out[i][2 * t + 1] = o.std()[i][t];
                    }
                }
                return out;
            }
        };
    }

    /** @return a predictor over one task of a transfer model */
    static Predictor of(TransferModel m, Task t) {
        return single(m.taskName(t), graphs -> m.predict(t, graphs));
    }

    /** @return a predictor of one column {@code name} computed by {@code f} */
    private static Predictor single(String name, java.util.function.Function<List<MolGraph>, double[]> f) {
        List<String> names = List.of(name);
        return new Predictor() {
            @Override
            public List<String> targetNames() {
                return names;
            }

            @Override
            public double[][] predict(List<MolGraph> graphs) {
                double[] v = f.apply(graphs);
                double[][] out = new double[v.length][1];
                for (int i = 0; i < v.length; i++) {
                    out[i][0] = v[i];
                }
                return out;
            }
        };
    }

    /**
     * @return a predictor over one task of a transfer ensemble: the members' mean prediction and its standard
     *     deviation ({@code <task>}, {@code <task>_std}; {@link gear.transfer.TransferEnsemble}, the target's z-scaled)
     */
    static Predictor of(gear.transfer.TransferEnsemble e, Task t) {
        String name = e.first().taskName(t);
        List<String> names = List.of(name, name + "_std");
        return new Predictor() {
            @Override
            public List<String> targetNames() {
                return names;
            }

            @Override
            public double[][] predict(List<MolGraph> graphs) {
                gear.transfer.TransferEnsemble.Output o = e.predict(t, graphs, true);
                double[][] out = new double[graphs.size()][2];
                for (int i = 0; i < out.length; i++) {
                    out[i][0] = o.mean()[i];
                    out[i][1] = o.std()[i];
                }
                return out;
            }
        };
    }

    /** @return a predictor over one task of a k-task model, by name (null: the primary task) */
    static Predictor of(gear.transfer.ktask.KTaskModel m, String task) {
        int t = task == null ? m.primary() : m.task(task);
        return single(m.names().get(t), graphs -> m.predict(t, graphs));
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
        if (type.equals(gear.transfer.TransferEnsembleFile.MODEL_TYPE)) {
            return of(gear.transfer.TransferEnsembleFile.load(file), Task.parse(task == null ? "target" : task));
        }
        if (type.equals(gear.transfer.ktask.KTaskModelFile.MODEL_TYPE)) {
            return of(gear.transfer.ktask.KTaskModelFile.load(file), task);
        }
        if (type.equals(ModelFile.DMPNN) || type.equals(ModelFile.ENSEMBLE)) {
            if (task != null) {
                throw new IllegalArgumentException("--task " + task + ": " + file
                        + " is a single-task D-MPNN model; --task applies to transfer models only");
            }
            return of(ModelFile.loadEnsemble(file));
        }
        throw new BadInputException(file + ": unknown model type '" + type + "' (expected dmpnn or "
                + TransferModelFile.MODEL_TYPE + ")");
    }
}
