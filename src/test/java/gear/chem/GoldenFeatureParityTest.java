package gear.chem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Parity of our featurization with RDKit + chemprop v1 on the 300 golden molecules: every atom and bond
 * feature block is compared and the per-block mismatch rate is printed and checked against thresholds.
 */
class GoldenFeatureParityTest {
    /** Atom blocks: name, start, end (exclusive), maximal allowed mismatch rate. */
    private static final Object[][] ATOM_BLOCKS = {
        {"atomic number", 0, 101, 0.0},
        {"degree", 101, 108, 0.0},
        {"formal charge", 108, 114, 0.0},
        {"chiral tag", 114, 119, 0.01},
        {"H count", 119, 125, 0.0},
        {"hybridization", 125, 131, 0.01},
        {"aromatic", 131, 132, 0.0},
    };
    private static final Object[][] BOND_BLOCKS = {
        {"bond type", 0, 5, 0.0},
        {"conjugated", 5, 6, 0.01},
        {"in ring", 6, 7, 0.0},
        {"stereo", 7, 14, 0.01},
    };

    @Test
    void featuresMatchRdkitChemprop() throws IOException {
        Path json = TestData.golden("chemprop_v1_features.json");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Map<String, int[]> atomCounts = new LinkedHashMap<>();
        Map<String, int[]> bondCounts = new LinkedHashMap<>();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        int molecules = 0;
        int atoms = 0;
        int bonds = 0;
        double maxMassDiff = 0;
        String maxMassAt = "";
        List<String> structural = new ArrayList<>();
        for (JsonNode mol : root.get("molecules")) {
            String smiles = mol.get("smiles").asText();
            MolGraph g;
            try {
                g = Chem.featurize(smiles);
            } catch (InvalidSmilesException e) {
                structural.add(smiles + ": " + e.getMessage());
                continue;
            }
            JsonNode af = mol.get("atom_features");
            JsonNode bs = mol.get("bonds");
            if (g.nAtoms() != af.size() || g.nBonds() != bs.size()) {
                structural.add(smiles + ": atoms " + g.nAtoms() + " vs " + af.size() + ", bonds " + g.nBonds() + " vs " + bs.size());
                continue;
            }
            molecules++;
            for (int a = 0; a < g.nAtoms(); a++) {
                atoms++;
                JsonNode row = af.get(a);
                for (Object[] blk : ATOM_BLOCKS) {
                    int s = (int) blk[1];
                    int e = (int) blk[2];
                    boolean same = true;
                    for (int f = s; f < e; f++) {
                        if (g.atomFeatures()[a * MolGraph.ATOM_FDIM + f] != (float) row.get(f).asDouble()) {
                            same = false;
                        }
                    }
                    int[] c = atomCounts.computeIfAbsent((String) blk[0], x -> new int[2]);
                    c[1]++;
                    if (!same) {
                        c[0]++;
                        note(examples, (String) blk[0], smiles + " atom " + a + " ours=" + argmax(g.atomFeatures(), a * MolGraph.ATOM_FDIM + s, e - s)
                                + " rdkit=" + argmaxJson(row, s, e - s));
                    }
                }
                double dm = Math.abs(g.atomFeatures()[a * MolGraph.ATOM_FDIM + 132] - row.get(132).asDouble());
                if (dm > maxMassDiff) {
                    maxMassDiff = dm;
                    maxMassAt = smiles + " atom " + a;
                }
            }
            for (int k = 0; k < g.nBonds(); k++) {
                bonds++;
                JsonNode b = bs.get(k);
                if (g.bondBegin()[k] != b.get("begin").asInt() || g.bondEnd()[k] != b.get("end").asInt()) {
                    structural.add(smiles + ": bond " + k + " order differs");
                }
                JsonNode fr = b.get("features");
                for (Object[] blk : BOND_BLOCKS) {
                    int s = (int) blk[1];
                    int e = (int) blk[2];
                    boolean same = true;
                    for (int f = s; f < e; f++) {
                        if (g.bondFeatures()[k * MolGraph.BOND_FDIM + f] != (float) fr.get(f).asDouble()) {
                            same = false;
                        }
                    }
                    int[] c = bondCounts.computeIfAbsent((String) blk[0], x -> new int[2]);
                    c[1]++;
                    if (!same) {
                        c[0]++;
                        note(examples, (String) blk[0], smiles + " bond " + g.bondBegin()[k] + "-" + g.bondEnd()[k]
                                + " ours=" + argmax(g.bondFeatures(), k * MolGraph.BOND_FDIM + s, e - s) + " rdkit=" + argmaxJson(fr, s, e - s));
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nFeature parity with RDKit/chemprop: %d molecules, %d atoms, %d bonds%n", molecules, atoms, bonds));
        sb.append(String.format("%-15s %10s %10s %10s%n", "block", "mismatch", "total", "rate"));
        for (Object[] blk : ATOM_BLOCKS) {
            row(sb, (String) blk[0], atomCounts.get(blk[0]));
        }
        for (Object[] blk : BOND_BLOCKS) {
            row(sb, (String) blk[0], bondCounts.get(blk[0]));
        }
        sb.append(String.format("max |mass×0.01 difference| = %.2e (%s)%n", maxMassDiff, maxMassAt));
        for (Map.Entry<String, List<String>> e : examples.entrySet()) {
            sb.append("examples of ").append(e.getKey()).append(" mismatches:\n");
            e.getValue().forEach(x -> sb.append("  ").append(x).append('\n'));
        }
        structural.forEach(x -> sb.append("structural: ").append(x).append('\n'));
        System.out.println(sb);
        assertEquals(List.of(), structural, "molecules with structural differences");
        assertEquals(300, molecules);
        for (Object[] blk : ATOM_BLOCKS) {
            check(atomCounts.get(blk[0]), (String) blk[0], (double) blk[3]);
        }
        for (Object[] blk : BOND_BLOCKS) {
            check(bondCounts.get(blk[0]), (String) blk[0], (double) blk[3]);
        }
        assertTrue(maxMassDiff < 1e-3, "mass × 0.01 differs by " + maxMassDiff);
    }

    private static void check(int[] c, String name, double maxRate) {
        double rate = c[0] / (double) c[1];
        assertTrue(rate <= maxRate, name + ": mismatch rate " + rate + " > " + maxRate);
    }

    private static void row(StringBuilder sb, String name, int[] c) {
        sb.append(String.format("%-15s %10d %10d %9.3f%%%n", name, c[0], c[1], 100.0 * c[0] / c[1]));
    }

    private static void note(Map<String, List<String>> ex, String block, String text) {
        List<String> l = ex.computeIfAbsent(block, x -> new ArrayList<>());
        if (l.size() < 40) {
            l.add(text);
        }
    }

    private static int argmax(float[] v, int off, int len) {
        int best = -1;
        for (int i = 0; i < len; i++) {
            if (v[off + i] != 0 && (best < 0 || v[off + i] > v[off + best])) {
                best = i;
            }
        }
        return best;
    }

    private static int argmaxJson(JsonNode row, int off, int len) {
        int best = -1;
        for (int i = 0; i < len; i++) {
            if (row.get(off + i).asDouble() != 0 && (best < 0 || row.get(off + i).asDouble() > row.get(off + best).asDouble())) {
                best = i;
            }
        }
        return best;
    }
}
