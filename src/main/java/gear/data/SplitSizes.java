package gear.data;

import java.util.List;

/**
 * Fractions of a split: train, validation and test, each in [0, 1], summing to 1.
 *
 * @param train training fraction
 * @param val validation fraction
 * @param test test fraction
 */
public record SplitSizes(double train, double val, double test) {
    /** chemprop's default 0.8 / 0.1 / 0.1. */
    public static final SplitSizes DEFAULT = new SplitSizes(0.8, 0.1, 0.1);

    public SplitSizes {
        if (!(train >= 0 && val >= 0 && test >= 0) || Math.abs(train + val + test - 1) > 1e-6) {
            throw new IllegalArgumentException("split sizes must be three non-negative fractions summing to 1, got "
                    + train + " " + val + " " + test);
        }
    }

    /** @return sizes from a list of three numbers (CLI {@code --split-sizes 0.8 0.1 0.1}) */
    public static SplitSizes of(List<Double> sizes) {
        if (sizes == null || sizes.size() != 3) {
            throw new IllegalArgumentException("--split-sizes needs three numbers (train val test), got " + sizes);
        }
        return new SplitSizes(sizes.get(0), sizes.get(1), sizes.get(2));
    }
}
