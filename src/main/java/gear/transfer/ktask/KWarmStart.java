package gear.transfer.ktask;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the warm start across k tasks ({@code source_init pretrained}, {@code both}; {@link KTaskTrainer}) copies where:
 * each source's pretrained network (a two-task fine-tuning model's source network, pretrained on that source alone)
 * into that source's task network; the first source's also into the modules several tasks share and, with
 * {@code both}, into the evaluated tasks' own embedding and encoder. With k = 2 these are the destinations of the
 * two-task warm start ({@link gear.transfer.TransferTrainer}).
 */
final class KWarmStart {
    private KWarmStart() {}

    /** The first source's extra destinations: the shared modules (−1) and, with {@code both}, the evaluated tasks. */
    static List<Integer> sharedAndTargets(List<Integer> evaluated, boolean targets) {
        List<Integer> r = new ArrayList<>();
        r.add(-1);
        if (targets) {
            r.addAll(evaluated);
        }
        return r;
    }

    /**
     * Copies a pretrained source network ({@code source.embedding.*}, {@code source.encoder.*}, {@code source.head.*},
     * {@link TransferTrainer.SourcePretraining}) into task {@code task}'s network ({@code task<τ>.*}); with −1 in
     * {@code also}, into the shared modules ({@code shared.*}) too; with evaluated tasks in {@code also}, the embedding
     * and encoder into their own modules where they have them.
     *
     * @return the names of the parameters written (package-private for tests)
     */
    static java.util.Set<String> copy(Map<String, org.bytedeco.pytorch.Tensor> pretrained,
            Map<String, org.bytedeco.pytorch.Tensor> mine, int task, List<Integer> also) {
        Map<String, org.bytedeco.pytorch.Tensor> into = new java.util.LinkedHashMap<>();
        for (String module : List.of("embedding.", "encoder.", "head.")) {
            for (Map.Entry<String, org.bytedeco.pytorch.Tensor> e : pretrained.entrySet()) {
                if (!e.getKey().startsWith("source." + module)) {
                    continue;
                }
                String rest = e.getKey().substring("source.".length());
                List<String> names = new ArrayList<>();
                names.add("task" + task + "." + rest);
                for (int t : also) {
                    if (t < 0) {
                        names.add("shared." + rest);
                    } else if (!module.equals("head.")) {
                        names.add("task" + t + "." + rest);
                    }
                }
                for (String n : names) {
                    if (mine.containsKey(n)) {
                        into.put(n, e.getValue());
                    }
                }
            }
        }
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            into.forEach((k, v) -> mine.get(k).copy_(v));
        }
        return into.keySet();
    }
}
