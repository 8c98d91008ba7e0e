package gear.transfer;

import gear.chem.MolGraph;
import java.util.List;

/**
 * The training data of a transfer run, featurized, with labels for both tasks where they exist
 * (standardized; NaN = not labelled for that task).
 *
 * @param sourceGraphs source training molecules
 * @param sourceYs their standardized source labels
 * @param sourceYt their standardized target labels (from the target training set when the same molecule is
 *     there, else NaN)
 * @param targetGraphs target training molecules
 * @param targetYt their standardized target labels
 * @param targetYs their standardized source labels (from the source set when the molecule is there, else NaN)
 * @param valGraphs target validation molecules
 * @param valY their target values in original units
 */
public record PairData(List<MolGraph> sourceGraphs, float[] sourceYs, float[] sourceYt, List<MolGraph> targetGraphs,
        float[] targetYt, float[] targetYs, List<MolGraph> valGraphs, double[] valY) {}
