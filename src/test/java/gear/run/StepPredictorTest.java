package gear.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.train.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The buffered forward pass predicts what the model's own forward pass does, across batch boundaries. */
class StepPredictorTest {
    static TrainedModel model(double dropout) {
        Torch.init(1);
        return new TrainedModel(new Dmpnn(DmpnnConfig.defaults(2).withHiddenSize(48).withDropout(dropout), 3),
                new StandardScaler(new double[] {1, -2}, new double[] {3, 0.5}), List.of("a", "b"), Provenance.now("", 3), null);
    }

    @Test
    void equalsTheModelsOwnPrediction() throws Exception {
        TrainedModel m = model(0);
        String[] smiles = {"CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "C", "ClC(Cl)(Cl)Cl", "N#Cc1ccccc1", "C1CCC2CCCCC2C1",
            "OC(=O)C(N)Cc1c[nH]c2ccccc12"};
        List<MolGraph> graphs = new ArrayList<>();
        for (int i = 0; i < 130; i++) { // more than two batches of 50, the last one partial
            graphs.add(Chem.featurize(smiles[i % smiles.length]));
        }
        Predictor p = Predictor.of(m);
        assertInstanceOf(StepPredictor.class, p);
        double[][] fast = p.predict(graphs);
        double[][] plain = m.predict(graphs);
        assertEquals(plain.length, fast.length);
        for (int i = 0; i < plain.length; i++) {
            for (int t = 0; t < 2; t++) {
                assertEquals(plain[i][t], fast[i][t], 1e-5 * (1 + Math.abs(plain[i][t])), "molecule " + i + ", target " + t);
            }
        }
        double[][] again = p.predict(graphs.subList(0, 3)); // buffers shrink to a smaller batch
        assertEquals(fast[2][1], again[2][1], 1e-6 * (1 + Math.abs(fast[2][1])));
    }

    @Test
    void modelsWithDropoutUseTheirOwnForwardPass() {
        TrainedModel m = model(0.1);
        assertThrows(IllegalArgumentException.class, () -> new StepPredictor(m));
        Predictor p = Predictor.of(m);
        assertEquals(List.of("a", "b"), p.targetNames());
        assertEquals(false, p instanceof StepPredictor);
    }
}
