package gear.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code gear demo} pipeline: runs its {@link DemoStage}s in order and says which ran.
 *
 * <p>This package holds the data stage ({@link DataStage}); the training stage (STL, GATE and GEAR on the
 * source→target pair, the RMSE table and plots) needs the transfer methods and therefore lives downstream
 * ({@code gear.experiment.DemoTransferStage}); {@code gear demo} composes the two.
 */
public final class Demo {
    private Demo() {}

    /**
     * What a run did.
     *
     * @param ran names of the stages that ran, in order
     * @param data the data set written, or null when no data stage ran
     */
    public record Report(List<String> ran, DemoData.Result data) {}

    /** @return the stages of the demo, in order */
    public static List<DemoStage> stages() {
        return List.of(new DataStage());
    }

    /**
     * Runs every stage of {@link #stages()}.
     *
     * @param outputDir where the files go
     * @param seed the run's seed
     * @param out where results are printed
     * @return which stages ran and the data written
     * @throws Exception from the first stage that fails
     */
    public static Report run(Path outputDir, long seed, PrintWriter out) throws Exception {
        return run(new DemoContext(outputDir, seed, out), stages());
    }

    /**
     * Runs the given stages in order on one context.
     *
     * @param context settings and results shared by the stages
     * @param stages the stages, in order
     * @return which stages ran and the data written
     * @throws Exception from the first stage that fails (later stages do not run)
     */
    public static Report run(DemoContext context, List<DemoStage> stages) throws Exception {
        PrintWriter out = context.out();
        out.printf(Locale.ROOT, "gear demo: output directory %s, seed %d%n", context.outputDir(), context.seed());
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            DemoStage stage = stages.get(i);
            out.printf(Locale.ROOT, "[%d/%d] %s: %s%n", i + 1, stages.size(), stage.name(), stage.description());
            out.flush();
            long t0 = System.nanoTime();
            stage.run(context);
            ran.add(stage.name());
            out.printf(Locale.ROOT, "  done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        out.println("stages run: " + String.join(", ", ran));
        out.flush();
        DemoData.Result data = null;
        try {
            data = context.data();
        } catch (IllegalStateException e) {
            // a stage list without the data stage (tests)
        }
        return new Report(List.copyOf(ran), data);
    }

    /** The first stage: enumerate the molecules, label them with noisy Joback estimates, write the files. */
    public static final class DataStage implements DemoStage {
        /** Creates the stage. */
        public DataStage() {}

        @Override
        public String name() {
            return "data";
        }

        @Override
        public String description() {
            return "enumerate molecules and label them with Joback-Reid estimates plus noise (not measurements)";
        }

        @Override
        public void run(DemoContext context) throws Exception {
            DemoData.Result r = DemoData.generate(context.outputDir(), context.seed());
            context.setData(r);
            PrintWriter out = context.out();
            print(out, "source", r.source(), DemoData.TB_NOISE_K);
            print(out, "target", r.target(), DemoData.TC_NOISE_K);
            out.println("  readme  " + r.readme());
        }

        private static void print(PrintWriter out, String role, DemoData.Table t, double sigma) {
            out.printf(Locale.ROOT, "  %-6s  %s  %d molecules  %s %.2f .. %.2f K (mean %.2f, noise sigma %.1f K)%n",
                    role, t.path(), t.rows(), t.column(), t.min(), t.max(), t.mean(), sigma);
        }
    }
}
