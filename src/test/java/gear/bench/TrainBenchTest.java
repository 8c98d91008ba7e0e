package gear.bench;

import gear.train.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.io.Reader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs the training benchmark on ESOL with chemprop's defaults and prints the numbers (slow). */
@Tag("slow")
class TrainBenchTest {
    @Test
    void esolDefaultModel() throws Exception {
        List<String> smiles = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(TestData.data("esol_delaney_logS.csv"))) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
                smiles.add(rec.get("smiles"));
                ys.add(Double.parseDouble(rec.get("logS_exp_molL")));
            }
        }
        double[] y = ys.stream().mapToDouble(Double::doubleValue).toArray();
        int timed = Integer.getInteger("gear.bench.epochs", 3);
        TrainBench.Result res = TrainBench.run(smiles, y, new TrainBench.Options(
                gear.nn.DmpnnConfig.defaults(1), 50, 1, timed, 1, 0));
        System.err.printf("ESOL train bench: %d molecules, %.1f molecules/s, epochs %s s, featurize %.2f s, peak RSS %d MiB, %.1f molecules per training-thread CPU second%n",
                res.molecules(), res.moleculesPerSecond(), java.util.Arrays.toString(res.epochSeconds()),
                res.featurizeSeconds(), res.peakRssBytes() >> 20, res.cpuMoleculesPerSecond());
        assertEquals(smiles.size(), res.molecules());
        assertTrue(res.moleculesPerSecond() > 0);
    }
}
