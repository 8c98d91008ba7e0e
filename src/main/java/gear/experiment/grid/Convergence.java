package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The convergence check of a grid: how many finished cells selected an epoch in the last tenth of their budget.
 *
 * <p>A cell with a maximum of E epochs and a selected epoch b (0-based, as {@code best_epoch} in results.csv and
 * {@code source_best_epoch} in a run's config.json) is <em>late</em> when {@code b + 1 > 0.9·E}, i.e. when b is one
 * of the last ⌈E/10⌉ epochs ({@code b ≥ ⌊9E/10⌋}): its validation score was still improving near the end, so a
 * longer budget would likely have chosen a later epoch. The target phase is checked against the cell's resolved
 * {@code epochs}; for a method that pretrains, the pretraining phase against {@code pretrain_epochs} with its
 * selected source epoch, where a pretraining that ran fewer than {@code pretrain_epochs} epochs stopped early by
 * patience and counts as converged. A share of {@value #LIMIT_PERCENT} % late cells or more is reported as
 * "not converged" (issue 13: fewer than 20 % must select an epoch in the last tenth).
 */
public final class Convergence {
    /** The share of late cells, in percent, from which a phase is reported as not converged. */
    public static final int LIMIT_PERCENT = 20;
    /** Label of the line over every method. */
    public static final String ALL = "all methods";

    private Convergence() {}

    /**
     * A cell's budgets and the selected pretraining epoch, as the grid resolved and the run recorded them.
     *
     * @param epochs the maximum target-phase epochs (the resolved {@code epochs} option; -1 when unknown)
     * @param pretrainEpochs the maximum pretraining epochs (the resolved {@code pretrain_epochs}; -1 when unknown)
     * @param sourceBestEpoch the selected pretraining epoch, 0-based (config.json
     *     {@code pretraining.source_best_epoch}; -1 when the cell did not pretrain or did not record it)
     * @param sourceEpochs the pretraining epochs run (config.json {@code pretraining.source_epochs}; -1 when unknown)
     */
    public record Budget(int epochs, int pretrainEpochs, int sourceBestEpoch, int sourceEpochs) {
        /** Nothing known. */
        public static final Budget NONE = new Budget(-1, -1, -1, -1);

        /** @return whether the cell recorded a selected pretraining epoch */
        public boolean pretrained() {
            return sourceBestEpoch >= 0 && pretrainEpochs > 0;
        }
    }

    /**
     * The count of one method (or {@link #ALL}) in one phase.
     *
     * @param method method, or {@link #ALL}
     * @param cells finished cells with a known budget and selected epoch
     * @param late those whose selected epoch lies in the last tenth of the budget
     */
    public record Count(String method, int cells, int late) {
        /** @return late / cells (NaN without cells) */
        public double share() {
            return cells == 0 ? Double.NaN : (double) late / cells;
        }

        /** @return whether the share is {@value Convergence#LIMIT_PERCENT} % or more */
        public boolean notConverged() {
            return cells > 0 && 100L * late >= (long) LIMIT_PERCENT * cells;
        }
    }

    /**
     * @param target the target phase: per method in first-seen order, then {@link #ALL}
     * @param pretraining the pretraining phase of the methods whose cells pretrain, then {@link #ALL} (empty when
     *     none did)
     * @param unknown finished cells whose target budget is unknown (left out of the counts)
     */
    public record Result(List<Count> target, List<Count> pretraining, int unknown) {
        /** @return the count over every method in the target phase */
        public Count targetAll() {
            return target.get(target.size() - 1);
        }
    }

    /** @return whether the selected epoch (0-based) lies in the last tenth of a budget of {@code epochs} epochs */
    public static boolean late(int bestEpoch, int epochs) {
        return 10L * (bestEpoch + 1) > 9L * epochs;
    }

    /** Counts the late cells of a grid's finished rows (every row: clean and study cells alike). */
    public static Result compute(List<ResultRow> rows) {
        Map<String, int[]> target = new LinkedHashMap<>();
        Map<String, int[]> pre = new LinkedHashMap<>();
        int unknown = 0;
        int[] allT = new int[2];
        int[] allP = new int[2];
        for (ResultRow r : rows) {
            Budget b = r.budget();
            int best = r.result().bestEpoch();
            if (b.epochs() > 0 && best >= 0) {
                add(target.computeIfAbsent(r.method(), m -> new int[2]), allT, late(best, b.epochs()));
            } else {
                unknown++;
            }
            if (b.pretrained()) {
                boolean stoppedEarly = b.sourceEpochs() >= 0 && b.sourceEpochs() < b.pretrainEpochs();
                add(pre.computeIfAbsent(r.method(), m -> new int[2]), allP, !stoppedEarly && late(b.sourceBestEpoch(), b.pretrainEpochs()));
            }
        }
        return new Result(counts(target, allT), pre.isEmpty() ? List.of() : counts(pre, allP), unknown);
    }

    private static void add(int[] method, int[] all, boolean late) {
        method[0]++;
        all[0]++;
        if (late) {
            method[1]++;
            all[1]++;
        }
    }

    private static List<Count> counts(Map<String, int[]> per, int[] all) {
        List<Count> out = new ArrayList<>();
        per.forEach((m, c) -> out.add(new Count(m, c[0], c[1])));
        out.add(new Count(ALL, all[0], all[1]));
        return out;
    }

    /**
     * The "not converged" lines: one per phase whose share over every method is {@value #LIMIT_PERCENT} % or more,
     * naming the methods at or over the limit.
     */
    public static List<String> warnings(Result res) {
        List<String> out = new ArrayList<>();
        warn(out, "target phase", "epochs", res.target());
        warn(out, "pretraining", "pretrain_epochs", res.pretraining());
        return out;
    }

    private static void warn(List<String> out, String phase, String option, List<Count> counts) {
        if (counts.isEmpty() || !counts.get(counts.size() - 1).notConverged()) {
            return;
        }
        Count all = counts.get(counts.size() - 1);
        List<String> methods = counts.stream().filter(c -> !c.method().equals(ALL) && c.notConverged())
                .map(c -> c.method() + " " + pct(c.share())).toList();
        out.add(String.format(Locale.ROOT, "not converged: %d of %d cells (%s) selected an epoch in the last tenth of their "
                + "%s budget (%s); the limit is under %d %%%s", all.late(), all.cells(), pct(all.share()), phase, option,
                LIMIT_PERCENT, methods.isEmpty() ? "" : "; at or over it: " + String.join(", ", methods)));
    }

    /** A share as a percentage with one decimal. */
    public static String pct(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f %%", 100 * share) : "n/a";
    }

    /** The section of summary.md. */
    public static String markdown(Result res) {
        StringBuilder sb = new StringBuilder("## Convergence: cells that selected an epoch in the last tenth of their budget\n\n");
        sb.append("Selected epoch b (0-based `best_epoch`) late when b + 1 > 0.9 · E, E the cell's resolved `epochs` ")
                .append("(pretraining: `pretrain_epochs`, against `source_best_epoch`; a pretraining stopped early by ")
                .append("patience counts as converged). Must be under ").append(LIMIT_PERCENT).append(" %.\n\n");
        for (String w : warnings(res)) {
            sb.append("**").append(w).append("**\n\n");
        }
        sb.append("| phase | method | cells | late | share |\n|---|---|---|---|---|\n");
        rows(sb, "target", res.target());
        rows(sb, "pretraining", res.pretraining());
        if (res.unknown() > 0) {
            sb.append('\n').append(res.unknown()).append(" finished cells without a known `epochs` budget are not counted.\n");
        }
        return sb.append('\n').toString();
    }

    private static void rows(StringBuilder sb, String phase, List<Count> counts) {
        for (Count c : counts) {
            sb.append("| ").append(phase).append(" | ").append(c.method()).append(" | ").append(c.cells()).append(" | ")
                    .append(c.late()).append(" | ").append(pct(c.share())).append(c.notConverged() ? " (not converged)" : "")
                    .append(" |\n");
        }
    }

    /**
     * A finished cell's budget: {@code epochs} and {@code pretrain_epochs} from its resolved options, the selected
     * pretraining epoch and the pretraining epochs run from {@code config.json} in its directory (when there is one
     * with a {@code pretraining} object that records them).
     *
     * @param resolved the cell's resolved options ({@link CellRunner#resolvedOptions})
     * @param cellDir the cell's directory
     */
    public static Budget budget(Map<String, String> resolved, Path cellDir) throws IOException {
        int epochs = intOption(resolved, "epochs");
        int pretrainEpochs = intOption(resolved, "pretrain_epochs");
        int sourceBest = -1;
        int sourceEpochs = -1;
        Path cfg = cellDir.resolve("config.json");
        if (Files.isRegularFile(cfg)) {
            JsonNode pre = new ObjectMapper().readTree(cfg.toFile()).path("pretraining");
            if (pre.path("pretrained").asBoolean(pre.has("source_best_epoch")) && pre.hasNonNull("source_best_epoch")) {
                sourceBest = pre.get("source_best_epoch").asInt(-1);
                sourceEpochs = pre.path("source_epochs").asInt(-1);
            }
        }
        return new Budget(epochs, sourceBest >= 0 ? pretrainEpochs : -1, sourceBest, sourceEpochs);
    }

    private static int intOption(Map<String, String> options, String key) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (gear.config.Schema.normalize(e.getKey()).equals(key)) {
                try {
                    return Integer.parseInt(e.getValue().trim());
                } catch (NumberFormatException x) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
