package gear.experiment;

import gear.eval.Metrics;
import gear.eval.Plots;
import gear.data.AtomicFiles;
import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitSizes;
import gear.data.SplitType;
import gear.demo.DemoContext;
import gear.demo.DemoData;
import gear.demo.DemoStage;
import gear.train.EpochStats;
import gear.train.Regression;
import gear.train.TaskType;
import gear.train.TrainListener;
import gear.transfer.TransferMethod;
import gear.transfer.TransferOptions;
import gear.transfer.TransferOutcome;
import gear.transfer.TransferRun;
import gear.transfer.TransferSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's training stage: on the demo pair (Joback Tb → Joback Tc), one seeded random split of the
 * target (70% train, 10% validation, 20% test), then each method (STL, GATE and GEAR by default)
 * trained with {@link TransferRun} into {@code DIR/runs/METHOD/} (a source pretraining that methods warm-start from,
 * {@code source_init}, once into {@code DIR/runs/pretrain/}, shared by them), and the test-RMSE table printed and
 * written to {@code DIR/results.csv} (epochs counted from 1) and {@code DIR/summary.md}, with a bar plot {@code DIR/rmse.png}.
 */
public final class DemoTransferStage implements DemoStage {
    private final List<TransferMethod> methods;
    private final java.util.function.Function<TransferMethod, TransferOptions> options;

    /**
     * @param methods the methods to train, in order
     * @param options each method's options (its defaults with the demo's epochs and sizes)
     */
    public DemoTransferStage(List<TransferMethod> methods, java.util.function.Function<TransferMethod, TransferOptions> options) {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("the demo needs at least one method");
        }
        this.methods = List.copyOf(methods);
        this.options = options;
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String description() {
        StringBuilder sb = new StringBuilder("train ");
        for (int i = 0; i < methods.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(methods.get(i).name().toLowerCase(Locale.ROOT));
        }
        return sb + " on Tb -> Tc (" + options.apply(methods.get(0)).epochs() + " epochs, one thread)";
    }

    @Override
    public void run(DemoContext context) throws Exception {
        PrintWriter out = context.out();
        DemoData.Result data = context.data();
        MoleculeDataset source = CsvLoader.of(data.source().path()).targetColumns(List.of(data.source().column()))
                .policy(InvalidPolicy.FAIL).load().dataset();
        MoleculeDataset target = CsvLoader.of(data.target().path()).targetColumns(List.of(data.target().column()))
                .policy(InvalidPolicy.FAIL).load().dataset();
        Split split = SplitType.RANDOM.split(target, SplitSizes.of(List.of(0.7, 0.1, 0.2)), context.seed());
        out.printf(Locale.ROOT, "  target split (random, seed %d): %d train, %d validation, %d test%n", context.seed(),
                split.train().length, split.val().length, split.test().length);
        Map<TransferMethod, TransferOutcome> outcomes = new LinkedHashMap<>();
        TaskType task = Regression.INSTANCE;
        // methods that warm-start from the source pretraining (source_init) compute it once and share it
        gear.transfer.PretrainCache pretrained = new gear.transfer.PretrainCache(
                context.outputDir().resolve("runs").resolve("pretrain"));
        for (TransferMethod m : methods) {
            Path runDir = context.outputDir().resolve("runs").resolve(m.name().toLowerCase(Locale.ROOT));
            long t0 = System.nanoTime();
            String label = m.name().toLowerCase(Locale.ROOT);
            TransferSpec spec = new TransferSpec(m, source, data.source().column(), target,
                    data.target().column(), split, options.apply(m), context.seed(), runDir);
            task = spec.taskType();
            String metric = task.metricLabel();
            TransferOutcome o = TransferRun.run(spec,
                    new TrainListener() {
                        @Override
                        public void onEpochEnd(EpochStats t) {
                            System.err.printf(Locale.ROOT, "  %s %s epoch %d/%d: val %s %.2f K%s%n", label, t.phase(),
                                    t.epoch() + 1, t.epochs(), metric, t.valScore(), t.improved() ? " (best so far)" : "");
                        }
                    }, null, false, pretrained);
            outcomes.put(m, o);
            out.printf(Locale.ROOT, "  %-5s test %s %.2f K (best epoch %d, %.0f s) -> %s%n",
                    m.name().toLowerCase(Locale.ROOT), metric, o.testRmse(), o.bestEpoch() + 1, (System.nanoTime() - t0) / 1e9, runDir);
            out.flush();
        }
        String table = table(outcomes, task);
        out.println();
        out.print(table);
        writeResults(context.outputDir(), outcomes, table, task);
    }

    private static String table(Map<TransferMethod, TransferOutcome> outcomes, TaskType task) {
        StringBuilder sb = new StringBuilder();
        String m = task.metricLabel();
        sb.append("| method | test ").append(m).append(" (K) | test MAE (K) | test R² | val ").append(m)
                .append(" (K) | best epoch | seconds | mean abs R (source / target) |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<TransferMethod, TransferOutcome> e : outcomes.entrySet()) {
            TransferOutcome o = e.getValue();
            String r = Double.isFinite(o.meanAbsRicciSource())
                    ? String.format(Locale.ROOT, "%.3g / %.3g", o.meanAbsRicciSource(), o.meanAbsRicciTarget()) : "";
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.3f | %.2f | %d | %.0f | %s |%n",
                    e.getKey().name().toLowerCase(Locale.ROOT), o.testRmse(), o.testMae(), o.testR2(), o.valRmse(),
                    o.bestEpoch() + 1, o.trainSeconds(), r));
        }
        return sb.toString();
    }

    private static void writeResults(Path dir, Map<TransferMethod, TransferOutcome> outcomes, String table, TaskType task)
            throws java.io.IOException {
        String m = task.metricLabel();
        StringBuilder csv = new StringBuilder("method,test_rmse,test_mae,test_r2,val_rmse,best_epoch,train_seconds,"
                + "mean_abs_R_source,mean_abs_R_target\n");
        List<String> names = new ArrayList<>();
        double[] rmse = new double[outcomes.size()];
        int i = 0;
        for (Map.Entry<TransferMethod, TransferOutcome> e : outcomes.entrySet()) {
            TransferOutcome o = e.getValue();
            String name = e.getKey().name().toLowerCase(Locale.ROOT);
            names.add(name);
            rmse[i++] = o.testRmse();
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%d,%.1f,%s,%s%n", name, o.testRmse(), o.testMae(),
                    o.testR2(), o.valRmse(), o.bestEpoch() + 1, o.trainSeconds(), num(o.meanAbsRicciSource()),
                    num(o.meanAbsRicciTarget())));
        }
        AtomicFiles.writeString(dir.resolve("results.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("summary.md"), "# gear demo: Joback Tc <- Joback Tb\n\n"
                + "Group-contribution ESTIMATES with added noise, not measurements (see README.txt). "
                + "One random split and one seed: a demonstration, not a benchmark.\n\n" + table);
        Plots.bars(dir.resolve("rmse.png"), "gear demo: test " + m + " (K), Tc <- Tb", "method", m + " (K)", names,
                Map.of("test " + m, rmse));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
