package gear.transfer;

import gear.data.BadInputException;
import gear.train.ModelFile;
import gear.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one entry point that reads a gear model file of either kind: the kind is in the header
 * ({@code model_type}: {@value ModelFile#DMPNN} or {@value TransferModelFile#MODEL_TYPE}); both kinds share
 * the container, the header and its checks ({@link ModelFile#header}, {@link ModelFile#open}), and each kind's
 * own keys are read by {@link ModelFile#load} or {@link TransferModelFile#load}. Ensemble files of either family
 * ({@value ModelFile#ENSEMBLE}, {@value TransferEnsembleFile#MODEL_TYPE}) are read whole by {@link #loadAll} and one
 * member at a time by {@link #load(Path, int)}.
 *
 * <pre>{@code
 * ModelFiles.Loaded m = ModelFiles.load(path);
 * double[] y = m instanceof ModelFiles.Transfer t ? t.model().predict(Task.TARGET, graphs)
 *         : column(((ModelFiles.Single) m).model().predict(graphs), 0);
 * }</pre>
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** A model read from a file. */
    public sealed interface Loaded permits Single, Transfer {}

    /** A single-task (or multi-target) D-MPNN. @param model the model */
    public record Single(TrainedModel model) implements Loaded {}

    /** A transfer model (both tasks' networks). @param model the model */
    public record Transfer(TransferModel model) implements Loaded {}

    /**
     * Reads a model file of either kind.
     *
     * @throws BadInputException naming the file when it is missing, corrupt, of another format version or kind
     */
    public static Loaded load(Path file) {
        String kind = ModelFile.modelType(file);
        return switch (kind) {
            case ModelFile.DMPNN, ModelFile.ENSEMBLE -> new Single(ModelFile.load(file)); // an ensemble of one (MVE) only
            case TransferModelFile.MODEL_TYPE -> new Transfer(TransferModelFile.load(file));
            default -> throw new BadInputException(file + ": model type '" + kind + "' is not read by this gear (it reads "
                    + ModelFile.DMPNN + " and " + TransferModelFile.MODEL_TYPE + " models)");
        };
    }

    /**
     * One member of a model file, as a model of either kind.
     *
     * @param model the member
     * @param index its index in the file (0 for a file of one model)
     * @param size the number of members the file holds (1 for a plain model)
     */
    public record Member(Loaded model, int index, int size) {}

    /**
     * Reads member {@code member} of a model file of either family: of an ensemble ({@value ModelFile#ENSEMBLE} or
     * {@value TransferEnsembleFile#MODEL_TYPE}) that member, alone (without the others or the ensemble's z-scaling);
     * of a plain file ({@value ModelFile#DMPNN}, {@value TransferModelFile#MODEL_TYPE}) the one model, member 0.
     *
     * @throws BadInputException naming the file when it is not one of these kinds or has no such member
     */
    public static Member load(Path file, int member) {
        return loadAll(file).member(file, member);
    }

    /**
     * A model file read whole: its members and the ensemble they form, one of the two families.
     *
     * @param models the members as models of either kind (one for a plain file)
     * @param dmpnn the D-MPNN ensemble (null for a transfer file)
     * @param transfer the transfer ensemble (null for a D-MPNN file)
     */
    public record Members(List<Loaded> models, gear.train.Ensemble dmpnn, TransferEnsemble transfer) {
        /**
         * @return member {@code i} of the file
         * @throws BadInputException naming the file when it has no such member
         */
        public Member member(Path file, int i) {
            if (i < 0 || i >= models.size()) {
                throw new BadInputException(file + ": has no member " + i + ": it holds " + (models.size() == 1
                        ? "one model (member 0)" : "an ensemble of " + models.size() + " members (0 to "
                                + (models.size() - 1) + ")"));
            }
            return new Member(models.get(i), i, models.size());
        }
    }

    /**
     * Reads a model file of either family whole: a D-MPNN file ({@value ModelFile#DMPNN} or {@value ModelFile#ENSEMBLE})
     * as an {@link gear.train.Ensemble}, a transfer file ({@value TransferModelFile#MODEL_TYPE} or
     * {@value TransferEnsembleFile#MODEL_TYPE}) as a {@link TransferEnsemble}; a plain file is one member.
     *
     * @throws BadInputException naming the file when it is not one of these kinds, missing or corrupt
     */
    public static Members loadAll(Path file) {
        String kind = ModelFile.modelType(file);
        List<Loaded> all = new java.util.ArrayList<>();
        switch (kind) {
            case ModelFile.DMPNN, ModelFile.ENSEMBLE -> {
                gear.train.Ensemble e = ModelFile.loadEnsemble(file);
                e.members().forEach(m -> all.add(new Single(m)));
                return new Members(List.copyOf(all), e, null);
            }
            case TransferModelFile.MODEL_TYPE, TransferEnsembleFile.MODEL_TYPE -> {
                TransferEnsemble e = TransferEnsembleFile.load(file);
                e.members().forEach(m -> all.add(new Transfer(m)));
                return new Members(List.copyOf(all), null, e);
            }
            default -> throw new BadInputException(file + ": model type '" + kind + "' is not read here (this reads "
                    + ModelFile.DMPNN + ", " + ModelFile.ENSEMBLE + ", " + TransferModelFile.MODEL_TYPE + " and "
                    + TransferEnsembleFile.MODEL_TYPE + " models)");
        }
    }

    /** Writes a model of either kind atomically ({@code sourceSha256} is used by transfer models only). */
    public static void save(Path file, Loaded model, String sourceSha256) throws IOException {
        if (model instanceof Single s) {
            ModelFile.save(file, s.model());
        } else if (model instanceof Transfer t) {
            TransferModelFile.save(file, t.model(), sourceSha256);
        }
    }
}
