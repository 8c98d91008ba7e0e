package gear.transfer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.MolGraph;
import gear.eval.Calibration;
import gear.train.RunWriter;
import gear.train.TrainListener;
import gear.train.UncertaintyReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ensemble part of a transfer run ({@code gear transfer --ensemble-size N}): members 1 … N−1 trained like member
 * 0 (the plain run: same method, options, data, scalers, training seed) but initialized with their own seeds; the
 * ensemble's target prediction on the validation set, where the z-scaling factor is fitted ({@link Calibration}:
 * miscalibration area, Spearman correlation of |error| and std, z-scale), and on the test set (mean prediction and
 * recalibrated std; for information, nothing is chosen on it). Member i keeps its checkpoints in {@code member-i/}
 * of the run directory, so that {@code --resume} continues each member where it stopped. Members 1 … N−1 take no
 * source pretraining from a shared cache (its entries are keyed by the training seed, not the initialization). The
 * run directory gets the calibration files of {@code gear train} ({@link #writeCalibration}).
 */
final class TransferEnsembles {
    private TransferEnsembles() {}

    /**
     * What the ensemble adds to a run.
     *
     * @param ensemble the members (member 0 first) and the fitted z-scale
     * @param val calibration of the raw std on the validation set (null without validation molecules)
     * @param test calibration of the recalibrated std on the test set (null without test molecules)
     * @param testMean the test molecules' mean prediction
     * @param testStd their recalibrated std
     * @param valRmse the validation RMSE of the mean prediction (NaN without validation molecules)
     * @param seconds training seconds of members 1 … N−1
     * @param valMean the validation molecules' mean prediction (empty without validation molecules)
     * @param valTruth their labels
     * @param valStd their raw (not z-scaled) std
     */
    record Result(TransferEnsemble ensemble, Calibration.Report val, Calibration.Report test, double[] testMean,
            double[] testStd, double valRmse, double seconds, double[] valMean, double[] valTruth, double[] valStd) {
        /** @return the {@code uncertainty} object of the results in config.json */
        ObjectNode json() {
            ObjectNode n = TransferRun.json().createObjectNode();
            n.put("ensemble_size", ensemble.size());
            n.put("std", "spread of the members' means (target: times z_scale)");
            put(n, "z_scale", ensemble.zScale());
            n.put("member_train_seconds", seconds);
            if (val != null) {
                ObjectNode v = n.putObject("validation");
                v.put("n", val.n());
                put(v, "miscalibration_area", val.miscalibrationArea());
                put(v, "spearman", val.spearman());
                put(v, "nll", val.nll());
                put(v, "recalibrated_miscalibration_area", val.recalibratedArea());
                put(v, "recalibrated_nll", val.recalibratedNll());
            }
            if (test != null) {
                ObjectNode t = n.putObject("test");
                t.put("n", test.n());
                put(t, "miscalibration_area", test.miscalibrationArea());
                put(t, "spearman", test.spearman());
                put(t, "nll", test.nll());
            }
            return n;
        }
    }

    /**
     * Trains members 1 … N−1 and combines them with member 0.
     *
     * @param member0 the trained plain run
     * @param seeds the initialization seed of every member (member 0's first)
     */
    static Result train(TransferSpec spec, TransferModel member0, long[] seeds, PairData data, TrainListener listener,
            boolean resume, List<MolGraph> valGraphs, double[] valTruth, List<MolGraph> testGraphs) {
        List<TransferModel> members = new ArrayList<>();
        members.add(member0);
        long t0 = System.nanoTime();
        for (int i = 1; i < seeds.length; i++) {
            TransferModel m = new TransferModel(spec.method(), spec.options(), seeds[i], member0.scaler(Task.SOURCE),
                    member0.scaler(Task.TARGET), spec.sourceColumn(), spec.targetColumn(), member0.provenance())
                    .to(member0.device());
            Path dir = null;
            if (spec.outputDir() != null) {
                dir = spec.outputDir().resolve("member-" + i);
                RunWriter.prepare(dir);
            }
            new TransferTrainer(m, spec.seed(), listener, spec.trainRmse()).taskType(spec.taskType()).checkpointDir(dir)
                    .resume(resume).fit(data);
            members.add(m);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        TransferEnsemble e = new TransferEnsemble(members, seeds, Double.NaN);
        Calibration.Report val = null;
        double valRmse = Double.NaN;
        TransferEnsemble.Output v = new TransferEnsemble.Output(new double[0], new double[0]);
        if (!valGraphs.isEmpty()) {
            v = e.predict(Task.TARGET, valGraphs, false);
            val = rows(spec.targetColumn(), v.mean(), valTruth, v.std(), true).get(0).report();
            valRmse = gear.eval.Metrics.regression(v.mean(), valTruth).rmse();
            if (Double.isFinite(val.zScale()) && val.zScale() > 0) {
                e = e.withZScale(val.zScale());
            }
        }
        TransferEnsemble.Output t = e.predict(Task.TARGET, testGraphs, true);
        return new Result(e, val, null, t.mean(), t.std(), valRmse, seconds, v.mean(),
                valGraphs.isEmpty() ? new double[0] : valTruth, v.std());
    }

    /** @return the result with the test calibration of the recalibrated std against {@code truth} */
    static Result withTest(Result r, double[] truth) {
        Calibration.Report c = truth.length == 0 ? null : Calibration.report(r.testMean(), truth, r.testStd());
        return new Result(r.ensemble(), r.val(), c, r.testMean(), r.testStd(), r.valRmse(), r.seconds(), r.valMean(),
                r.valTruth(), r.valStd());
    }

    /**
     * Writes the calibration files of {@code gear train} ({@link UncertaintyReport}, the same code) for the target
     * task: {@value UncertaintyReport#CALIBRATION_PNG} and {@value UncertaintyReport#ERROR_PNG} of the validation set
     * (raw std and the z-scaling fitted there), and {@value UncertaintyReport#CSV} (validation: raw and z-scaled;
     * test: with the validation factor applied). Nothing without validation molecules, where no factor is fitted.
     *
     * @param target the target column
     * @param testTruth the test molecules' labels
     */
    static void writeCalibration(RunWriter w, Result r, String target, double[] testTruth) throws java.io.IOException {
        if (r.valMean().length == 0) {
            return;
        }
        double s = r.ensemble().zScale();
        UncertaintyReport.plot(w, List.of(target), UncertaintyReport.column(r.valMean()),
                UncertaintyReport.column(r.valTruth()), UncertaintyReport.column(r.valStd()),
                new double[] {Double.isFinite(s) && s > 0 ? s : 1});
        List<UncertaintyReport.Row> val = rows(target, r.valMean(), r.valTruth(), r.valStd(), true);
        List<UncertaintyReport.Row> test = testTruth.length == 0 ? List.of()
                : rows(target, r.testMean(), testTruth, r.testStd(), false);
        w.writeText(UncertaintyReport.CSV, UncertaintyReport.csv(val, test));
    }

    private static List<UncertaintyReport.Row> rows(String target, double[] pred, double[] truth, double[] std,
            boolean fit) {
        return UncertaintyReport.rows(List.of(target), UncertaintyReport.column(pred), UncertaintyReport.column(truth),
                UncertaintyReport.column(std), fit);
    }

    /** @return the test predictions with the std: {@code row,smiles,true,predicted,std} */
    static String predictionsCsv(int[] rows, List<String> smiles, double[] truth, double[] pred, double[] std) {
        StringBuilder p = new StringBuilder("row,smiles,true,predicted,std\n");
        for (int k = 0; k < rows.length; k++) {
            p.append(rows[k]).append(',').append(RunWriter.quote(smiles.get(k))).append(',').append(RunWriter.num(truth[k]))
                    .append(',').append(RunWriter.num(pred[k])).append(',').append(RunWriter.num(std[k])).append('\n');
        }
        return p.toString();
    }

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }
}
