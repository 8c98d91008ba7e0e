package gear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.LoadReport;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitSizes;
import gear.data.SplitType;
import gear.data.SplitsFile;
import gear.geometry.Curvature;
import gear.nn.Torch;
import gear.transfer.EpochTerms;
import gear.transfer.Method;
import gear.transfer.TransferOptions;
import gear.transfer.TransferOutcome;
import gear.transfer.TransferRun;
import gear.transfer.TransferSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gear transfer}: one source → target pair, one method (design/GEAR.md §6 for one split); a thin
 * wrapper over {@link TransferRun#run}.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one source -> target pair with one method (stl, mtl, finetune, kd, gspkd, gate, gear).",
            "The target is split (test fraction 0.2, validation from the rest, or fold i of k); the source loses every "
                + "molecule of the target test set (canonical SMILES). Writes config.json, splits.json, model.gear, "
                + "metrics.csv (every loss term per epoch), test_predictions.csv, learning_curve.png, parity.png and, "
                + "for gate/gear, curvature_hist.png."})
final class TransferCommand implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "CSV", description = "Source-task CSV.")
    Path source;
    @Option(names = "--source-column", required = true, paramLabel = "C", description = "Source property column.")
    String sourceColumn;
    @Option(names = "--target", required = true, paramLabel = "CSV", description = "Target-task CSV.")
    Path target;
    @Option(names = "--target-column", required = true, paramLabel = "C", description = "Target property column.")
    String targetColumn;
    @Option(names = "--method", required = true, paramLabel = "M", description = "stl, mtl, finetune, kd, gspkd, gate or gear.")
    String method;
    @Option(names = {"-o", "--output-dir"}, required = true, paramLabel = "DIR", description = "Run directory.")
    Path outputDir;
    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column of both files (default: first column).")
    String smilesColumn;
    @picocli.CommandLine.Mixin
    DataOptions data;

    @Option(names = "--invalid", defaultValue = "fail", paramLabel = "fail|skip", description = "Bad rows: fail (default) or skip.")
    String invalid;

    @Option(names = "--split-type", defaultValue = "random", paramLabel = "T", description = "random, scaffold or value (default ${DEFAULT-VALUE}).")
    String splitType;
    @Option(names = "--split-sizes", arity = "3", paramLabel = "F", description = "train val test fractions (default 0.7 0.1 0.2).")
    List<Double> splitSizes;
    @Option(names = "--folds", defaultValue = "0", paramLabel = "K", description = "k-fold CV of the non-test 80%% (0 = off).")
    int folds;
    @Option(names = "--fold", defaultValue = "0", paramLabel = "I", description = "Validation fold index 0..K-1.")
    int fold;
    @Option(names = "--splits-file", paramLabel = "FILE", description = "JSON {train,val,test} of target data-row indices.")
    Path splitsFile;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (split, init, shuffling; default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--epochs", description = "Target-phase epochs (one pass over the target training set).")
    Integer epochs;
    @Option(names = "--pretrain-epochs", description = "Source epochs of finetune/kd/gspkd (default: --epochs).")
    Integer pretrainEpochs;
    @Option(names = "--batch-size", description = "Molecules per task per batch.")
    Integer batchSize;
    @Option(names = "--threads", defaultValue = "0", description = "libtorch threads (0 = default).")
    int threads;
    @Option(names = {"-q", "--quiet"}, description = "No per-epoch lines.")
    boolean quiet;

    @Option(names = "--hidden-size", description = "D-MPNN hidden size d_h.")
    Integer hiddenSize;
    @Option(names = "--depth", description = "Message passing steps.")
    Integer depth;
    @Option(names = "--latent-size", description = "d_z.")
    Integer latentSize;
    @Option(names = "--common-size", description = "d_M (GEAR needs d_M > d_z).")
    Integer commonSize;
    @Option(names = "--map-hidden", description = "Hidden width of phi and psi.")
    Integer mapHidden;
    @Option(names = "--w-auto", description = "alpha, weight of l_auto.")
    Double wAuto;
    @Option(names = "--w-cons", description = "beta, weight of l_cons.")
    Double wCons;
    @Option(names = "--w-map", description = "gamma, weight of l_map.")
    Double wMap;
    @Option(names = "--w-metric", description = "delta, weight of l_metric (GEAR).")
    Double wMetric;
    @Option(names = "--w-curv", description = "epsilon, weight of l_curv (GEAR).")
    Double wCurv;
    @Option(names = "--w-dis", description = "Weight of GATE's distance loss.")
    Double wDis;
    @Option(names = "--w-kd", description = "Weight of the KD / GSP-KD distillation term.")
    Double wKd;
    @Option(names = "--perturb-scale", description = "sigma_p of the perturbations.")
    Double perturbScale;
    @Option(names = "--perturbations", description = "K perturbations per molecule.")
    Integer perturbations;
    @Option(names = "--curv-subset", description = "Molecules per batch where curvature is matched.")
    Integer curvSubset;
    @Option(names = "--phi-init", paramLabel = "I", description = "GEAR transfer-map init: isometric (g = JᵀJ rescaled to mean eigenvalue 1) or default (PyTorch).")
    String phiInit;
    @Option(names = "--curv-warmup", paramLabel = "E", description = "GEAR: epochs over which epsilon ramps from 0 (0 = off).")
    Double curvWarmup;
    @Option(names = "--curv-route", description = "gauss or intrinsic.")
    String curvRoute;
    @Option(names = "--max-lr", description = "Peak learning rate.")
    Double maxLr;
    @Option(names = "--clip-norm", description = "Gradient-norm clipping (0 = off).")
    Double clipNorm;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Method m = Method.parse(method);
        TransferOptions o = options();
        o.checkFor(m);
        Torch.init(threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        PrintWriter out = spec.commandLine().getOut();
        InvalidPolicy policy = InvalidPolicy.parse(invalid);
        MoleculeDataset src = load(source, sourceColumn, policy);
        MoleculeDataset tgt = load(target, targetColumn, policy);
        Split split = split(tgt).requireTrainable(tgt);
        ObjectMapper json = new ObjectMapper();
        ObjectNode extra = json.createObjectNode();
        extra.put("split_type", splitsFile != null ? "file" : SplitType.parse(splitType).cliName());
        extra.put("folds", folds);
        extra.put("fold", fold);
        TransferOutcome r = TransferRun.run(new TransferSpec(m, src, sourceColumn, tgt, targetColumn, split, o, seed,
                outputDir), quiet ? null : e -> epochLine(e), extra);
        out.printf(Locale.ROOT, "%s  %s <- %s  train %d (source %d, %d purged)  val %d  test %d%n", m.cliName(),
                targetColumn, sourceColumn, split.train().length, r.nSourceTrain(), r.nSourcePurged(), split.val().length,
                split.test().length);
        out.printf(Locale.ROOT, "test RMSE %.4f  MAE %.4f  R2 %.4f  (val RMSE %.4f, best epoch %d, %.1f s)%n",
                r.testRmse(), r.testMae(), r.testR2(), r.valRmse(), r.bestEpoch() + 1, r.trainSeconds());
        if (m.hasTransferMaps()) {
            out.printf(Locale.ROOT, "mean |R| on the test set: source %.4g  target %.4g%n", r.meanAbsRicciSource(),
                    r.meanAbsRicciTarget());
        }
        out.println("run directory: " + outputDir);
        out.flush();
        return 0;
    }

    private void epochLine(EpochTerms e) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d", e.phase(), e.epoch() + 1));
        for (Map.Entry<String, Double> t : e.terms().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %s %.4g", t.getKey(), t.getValue()));
        }
        if (!Double.isNaN(e.valRmse())) {
            sb.append(String.format(Locale.ROOT, "  val_rmse %.4f", e.valRmse()));
        }
        sb.append(String.format(Locale.ROOT, "  %.1f s%s", e.seconds(), e.improved() ? "  *" : ""));
        System.err.println(sb);
    }

    private TransferOptions options() {
        TransferOptions d = TransferOptions.defaults();
        int ep = epochs != null ? epochs : d.epochs();
        TransferOptions o = d.withSizes(v(hiddenSize, d.hiddenSize()), v(latentSize, d.latentSize()),
                        v(commonSize, d.commonSize()), v(mapHidden, v(commonSize, d.mapHidden())))
                .withWeights(v(wAuto, d.wAuto()), v(wCons, d.wCons()), v(wMap, d.wMap()), v(wMetric, d.wMetric()),
                        v(wCurv, d.wCurv()), v(wDis, d.wDis()), v(wKd, d.wKd()))
                .withGeometry(v(perturbScale, d.perturbScale()), v(perturbations, d.perturbations()),
                        v(curvSubset, d.curvSubset()), curvRoute != null ? Curvature.Route.parse(curvRoute) : d.curvRoute())
                .withTraining(ep, v(pretrainEpochs, ep), v(batchSize, d.batchSize()))
                .withLr(d.initLr(), v(maxLr, d.maxLr()), d.finalLr(), Math.min(d.warmupEpochs(), ep), v(clipNorm, d.clipNorm()));
        if (depth != null) {
            o = o.withDepth(depth);
        }
        o = o.withGearFixes(phiInit != null ? parsePhiInit(phiInit) : d.isometricInit(), v(curvWarmup, d.curvWarmup()));
        return o;
    }

    private static boolean parsePhiInit(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "isometric" -> true;
            case "default" -> false;
            default -> throw new IllegalArgumentException("--phi-init must be isometric or default, got '" + s + "'");
        };
    }

    private static <T> T v(T given, T dflt) {
        return given != null ? given : dflt;
    }

    private MoleculeDataset load(Path file, String column, InvalidPolicy policy) {
        CsvLoader.Result r = CsvLoader.of(file).smilesColumn(smilesColumn).targetColumns(List.of(column)).policy(policy)
                .duplicates(data.duplicatesOr(gear.data.DuplicatePolicy.KEEP)).load();
        LoadReport rep = r.report();
        if (!quiet && rep.badRows() != null && !rep.badRows().isEmpty()) {
            System.err.println(file + ": skipped " + rep.badRows().size() + " bad rows");
        }
        return r.dataset();
    }

    private Split split(MoleculeDataset tgt) {
        if (splitsFile != null) {
            return SplitsFile.read(splitsFile, tgt);
        }
        SplitType type = SplitType.parse(splitType);
        if (folds > 0) {
            if (folds < 2 || fold < 0 || fold >= folds) {
                throw new IllegalArgumentException("--folds must be at least 2 and --fold in 0.." + (folds - 1)
                        + ", got --folds " + folds + " --fold " + fold);
            }
            double test = splitSizes != null ? splitSizes.get(2) : 0.2;
            Split base = type.split(tgt, new SplitSizes(1 - test, 0, test), seed);
            return type.folds(tgt, base, folds, seed).get(fold);
        }
        SplitSizes sizes = splitSizes != null ? SplitSizes.of(splitSizes) : new SplitSizes(0.7, 0.1, 0.2);
        return type.split(tgt, sizes, seed);
    }
}
