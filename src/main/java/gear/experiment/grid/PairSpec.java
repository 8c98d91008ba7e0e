package gear.experiment.grid;

/**
 * A transfer pair of the grid, written {@code target <- source}.
 *
 * @param id short id, letters, digits, {@code -} and {@code _} (used in cell ids and file names)
 * @param source the source task
 * @param target the target task
 * @param targetSubsample size of the target's training pool (train + validation) in the low-data
 *     regime, sampled with the cell's seed from the non-test part; null for the whole non-test part
 */
public record PairSpec(String id, DataRef source, DataRef target, Integer targetSubsample) {
    public PairSpec {
        if (id == null || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("pair id '" + id + "': use letters, digits, '-' and '_' only");
        }
        if (targetSubsample != null && targetSubsample < 2) {
            throw new IllegalArgumentException("pair " + id + ": target_subsample must be at least 2, got " + targetSubsample);
        }
    }
}
