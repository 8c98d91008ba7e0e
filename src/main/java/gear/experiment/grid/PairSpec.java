package gear.experiment.grid;

import java.util.List;

/**
 * A transfer pair of the grid, written {@code target <- source}, or a task set: several sources for one target
 * (a pairs-file entry with a {@code sources} list; its cells run the methods across k tasks, docs/KTASKS.md).
 *
 * @param id short id, letters, digits, {@code -} and {@code _} (used in cell ids and file names)
 * @param source the source task
 * @param target the target task
 * @param targetSubsample size of the target's training pool (train + validation) in the low-data
 *     regime, sampled with the cell's seed from the non-test part; null for the whole non-test part
 * @param moreSources the further sources of a task set (empty for a pair); {@code source} is the first
 */
public record PairSpec(String id, DataRef source, DataRef target, Integer targetSubsample, List<DataRef> moreSources) {
    /** A pair. */
    public PairSpec(String id, DataRef source, DataRef target, Integer targetSubsample) {
        this(id, source, target, targetSubsample, List.of());
    }

    /** @return every source, the first one first */
    public List<DataRef> sources() {
        List<DataRef> s = new java.util.ArrayList<>();
        s.add(source);
        s.addAll(moreSources);
        return s;
    }

    /** @return whether this is a task set (more than one source) */
    public boolean isTaskSet() {
        return !moreSources.isEmpty();
    }

    /** @return the sources as a results-table label: the source, or a task set's sources joined by {@code " + "} */
    public String sourceLabel() {
        return String.join(" + ", sources().stream().map(DataRef::toString).toList());
    }

    public PairSpec {
        moreSources = List.copyOf(moreSources);
        if (id == null || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("pair id '" + id + "': use letters, digits, '-' and '_' only");
        }
        if (targetSubsample != null && targetSubsample < 2) {
            throw new IllegalArgumentException("pair " + id + ": target_subsample must be at least 2, got " + targetSubsample);
        }
    }
}
