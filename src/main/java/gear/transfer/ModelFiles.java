package gear.transfer;

import gear.data.BadInputException;
import gear.train.ModelFile;
import gear.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The one entry point that reads a gear model file of either kind: the kind is in the header
 * ({@code model_type}: {@value ModelFile#DMPNN} or {@value TransferModelFile#MODEL_TYPE}); both kinds share
 * the container, the header and its checks ({@link ModelFile#header}, {@link ModelFile#open}), and each kind's
 * own keys are read by {@link ModelFile#load} or {@link TransferModelFile#load}.
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

    /** Writes a model of either kind atomically ({@code sourceSha256} is used by transfer models only). */
    public static void save(Path file, Loaded model, String sourceSha256) throws IOException {
        if (model instanceof Single s) {
            ModelFile.save(file, s.model());
        } else if (model instanceof Transfer t) {
            TransferModelFile.save(file, t.model(), sourceSha256);
        }
    }
}
