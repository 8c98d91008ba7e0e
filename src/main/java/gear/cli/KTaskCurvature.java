package gear.cli;

import gear.chem.MolGraph;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.geometry.LatentDiagnostics;
import gear.geometry.Curvature.Route;
import gear.transfer.Diagnostics;
import gear.transfer.ktask.KTaskModel;
import gear.transfer.ktask.KTaskModelFile;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code gear curvature} on a k-task model (docs/KTASKS.md): per molecule and task (every task, or {@code --task
 * NAME}) the latent norm |z_τ|, cond(g_τ) and the Ricci scalar R_τ of φ_τ's latent manifold at z_τ =
 * Encoder_τ(Embedding_τ(G)), the columns of the two-task output with the task's name in {@code task}. The
 * histogram and the picture of the two-task command compare one source with one target and are not drawn
 * ({@code --picture} is refused, exit 2).
 */
final class KTaskCurvature {
    private KTaskCurvature() {}

    static int run(CurvatureCommand c, List<Route> routes) throws Exception {
        if (c.picture != null || c.valueColumn != null) {
            throw new BadInputException("--picture and --value-column draw the two-task picture; a k-task model ("
                    + c.model + ") gets the CSV only");
        }
        KTaskModel m = KTaskModelFile.load(c.model);
        if (!m.method().layout().transferMaps()) {
            throw new BadInputException(c.model + ": is a " + m.method().name() + " k-task model without transfer maps; "
                    + "curvature needs a model trained with --method gear (or gate)");
        }
        List<Integer> tasks = new ArrayList<>();
        for (int t = 0; t < m.tasks(); t++) {
            if (c.task == null || t == m.task(c.task)) {
                tasks.add(t);
            }
        }
        List<String> smiles = new ArrayList<>();
        String[] none = {null};
        List<MolGraph> graphs = c.readMolecules(smiles, null, none, new ArrayList<>());
        LatentDiagnostics[][] d = new LatentDiagnostics[tasks.size()][routes.size()];
        for (int j = 0; j < tasks.size(); j++) {
            double[][] z = m.latent(tasks.get(j), graphs);
            for (int r = 0; r < routes.size(); r++) {
                d[j][r] = Diagnostics.evaluate(m.network(tasks.get(j)), z, routes.get(r));
            }
        }
        StringBuilder sb = new StringBuilder("row,smiles,task,latent_norm,condition");
        for (Route r : routes) {
            sb.append(",ricci_").append(r.name().toLowerCase(Locale.ROOT));
        }
        sb.append(",singular\n");
        for (int i = 0; i < graphs.size(); i++) {
            for (int j = 0; j < tasks.size(); j++) {
                LatentDiagnostics a = d[j][0];
                sb.append(i).append(',').append(CurvatureCommand.csv(smiles.get(i))).append(',')
                        .append(CurvatureCommand.csv(m.names().get(tasks.get(j)))).append(',').append(a.latentNorm()[i])
                        .append(',').append(a.condition()[i]);
                boolean singular = false;
                for (int r = 0; r < routes.size(); r++) {
                    sb.append(',').append(d[j][r].ricci()[i]);
                    singular |= d[j][r].singular()[i];
                }
                sb.append(',').append(singular ? 1 : 0).append('\n');
            }
        }
        if (c.output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(c.output.toAbsolutePath().getParent());
        }
        AtomicFiles.writeString(c.output, sb.toString());
        var out = c.spec.commandLine().getOut();
        for (int j = 0; j < tasks.size(); j++) {
            LatentDiagnostics a = d[j][0];
            out.printf(Locale.ROOT, "%s: %d molecules, mean |R| %.4g, %d singular%n", m.names().get(tasks.get(j)),
                    graphs.size(), a.meanAbsRicci(), a.singularCount());
        }
        out.println("wrote " + c.output);
        out.flush();
        return 0;
    }
}
