package gear.cli;

import gear.data.BadRow;
import gear.data.InvalidPolicy;
import gear.nn.Torch;
import gear.data.BadInputException;
import gear.run.Embedder;
import gear.run.EmbeddingFile;
import gear.run.PredictProgress;
import gear.run.PredictRun;
import gear.transfer.ModelFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear embed}: the embeddings of a model for a CSV (chemprop's {@code fingerprint}), streamed like
 * {@code gear predict} ({@link PredictRun} over an {@link Embedder}): the D-MPNN readout and, for transfer models,
 * each task's latent chart z and common-space point φ(z). Bad rows as in predict. As CSV, or as safetensors
 * ({@link EmbeddingFile}: one float32 tensor per block, the SMILES order in the metadata).
 */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the embeddings of molecules under a model file (chemprop's fingerprint).",
            "D-MPNN model: columns h0..h(d-1), the readout the FFN head reads. Transfer model: per task (source_, target_) "
                    + "the readout h, the latent chart z and, for GATE and GEAR, the common-space point phi(z).",
            "Ensemble model file (--ensemble-size): the embeddings of one member (--member, default 0), named on stderr.",
            "Output: 'smiles', the embedding columns and 'reason' (why a row has none; empty otherwise), written to a "
                    + "temporary file moved into place at the end.",
            "With --format safetensors (the default for an output ending in .safetensors): one float32 tensor per block "
                    + "(h, or source_h, source_z, source_phi, target_h, ...; rows = embedded molecules in input order), "
                    + "an int64 tensor 'row' (their 0-based input rows) and metadata 'smiles' (their SMILES, a JSON "
                    + "array) and 'skipped' (rows without embedding and why)."})
final class EmbedCommand implements Callable<Integer> {
    @Option(names = {"-i", "--data-path"}, required = true, paramLabel = "CSV", description = "molecules to embed")
    Path input;

    @Option(names = {"--model", "--model-path"}, required = true, paramLabel = "MODEL", description = "model file (any gear model)")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "output CSV or .safetensors file; must not be the input")
    Path output;

    @Option(names = "--format", paramLabel = "csv|safetensors",
            description = "output format (default: safetensors when OUT ends in .safetensors, else csv)")
    String format;

    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column (default: the first column)")
    String smilesColumn;

    @Option(names = "--invalid", defaultValue = "skip", paramLabel = "skip|fail",
            description = "bad rows: skip (default: empty cells, reason column, listed on stderr) or fail (stop, exit 2)")
    String invalid;

    @Option(names = "--task", paramLabel = "NAME", description = "k-task model (gear transfer --task): embed this task "
            + "only (default: every task, columns NAME_h0.., NAME_z0.., NAME_phi0..)")
    String task;

    @picocli.CommandLine.Mixin
    MemberOption member;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "libtorch threads (default: 1)")
    int threads;

    @Option(names = {"-q", "--quiet"}, description = "no messages on stderr")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        InvalidPolicy policy = InvalidPolicy.parse(invalid);
        boolean st = safetensors();
        PredictRun.refuseOutputIsInput(input, output);
        Torch.init(threads);
        Embedder e;
        String which = null;
        if (gear.transfer.ktask.KTaskModelFile.isKTaskModel(model)) {
            if (member.index != 0) {
                throw new BadInputException("--member " + member.index + ": " + model + " is a k-task model, not an "
                        + "ensemble; --member applies to ensemble model files (gear train|transfer --ensemble-size)");
            }
            e = new Embedder(gear.transfer.ktask.KTaskModelFile.load(model), task);
        } else if (task != null) {
            throw new BadInputException("--task " + task + ": " + model + " is not a k-task model; --task applies to "
                    + "models of gear transfer --task");
        } else {
            ModelFiles.Member m = ModelFiles.load(model, member.index);
            which = MemberOption.describe(m, model);
            e = new Embedder(m.model());
        }
        if (which != null && !quiet) {
            System.err.println("gear embed: embedding " + which);
        }
        PredictRun.Options o = new PredictRun.Options().policy(policy)
                .progress(quiet ? PredictProgress.none() : PredictProgress.of(input, System.err, System.console() != null));
        PredictRun.Result r = st ? EmbeddingFile.write(e, input, smilesColumn, o, output)
                : PredictRun.run(e, input, smilesColumn, o, output);
        if (r.bad() > 0 && !quiet) {
            System.err.println("gear embed: " + r.bad() + " rows without embedding (empty cells and a reason in " + output + ")"
                    + (r.bad() > r.firstBadRows().size() ? "; the first " + r.firstBadRows().size() + ":" : ":"));
            for (BadRow b : r.firstBadRows()) {
                System.err.println("  " + b);
            }
        }
        if (!quiet) {
            System.err.println("gear embed: " + r.predicted() + " of " + r.rows() + " rows embedded (" + e.targetNames().size()
                    + " columns) -> " + output);
        }
        return 0;
    }

    private boolean safetensors() {
        if (format == null) {
            return EmbeddingFile.isSafetensors(output);
        }
        return switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> false;
            case "safetensors" -> true;
            default -> throw new BadInputException("--format " + format + ": expected csv or safetensors");
        };
    }
}
