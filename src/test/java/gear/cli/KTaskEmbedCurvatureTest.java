package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Tensors;
import gear.nn.Torch;
import gear.transfer.ktask.KTaskModel;
import gear.transfer.ktask.KTaskModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gear embed} and {@code gear curvature} on a k-task model, every task or {@code --task NAME}: the embedded
 * latent chart z of a task, read through the task's ψ and head, gives {@code gear predict --task}'s predictions; the
 * curvature CSV's |z| is the norm of the embedded z, and its Gauss and intrinsic routes agree.
 */
class KTaskEmbedCurvatureTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @Test
    void embedAndCurvatureOfEveryTask(@TempDir Path dir) throws Exception {
        List<Path> data = KTaskRunDirTest.data(dir);
        Path run = dir.resolve("run");
        assertEquals(0, MainTest.run(KTaskRunDirTest.args(data, "gear", "pc", run)).code());
        Path model = run.resolve("model.gear");
        Path mols = data.get(2);
        KTaskModel m = KTaskModelFile.load(model);

        Path emb = dir.resolve("emb.csv");
        MainTest.Result e = MainTest.run("embed", "-i", mols.toString(), "--model", model.toString(), "-o", emb.toString(), "-q");
        assertEquals(0, e.code(), e.err());
        List<String> lines = Files.readAllLines(emb);
        List<String> head = Arrays.asList(lines.get(0).split(","));
        for (String t : List.of("pa", "pb", "pc")) {
            assertTrue(head.contains(t + "_h0") && head.contains(t + "_z3") && head.contains(t + "_phi7")
                    && !head.contains(t + "_z4"), lines.get(0));
        }
        Path pred = dir.resolve("pred.csv");
        assertEquals(0, MainTest.run("predict", "-i", mols.toString(), "--model", model.toString(), "--task", "pb", "-o",
                pred.toString(), "-q").code());
        List<String> p = Files.readAllLines(pred);
        int pcol = Arrays.asList(p.get(0).split(",")).indexOf("pb");
        int z0 = head.indexOf("pb_z0");
        int t = m.task("pb");
        List<double[]> zs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",", -1);
            double[] z = new double[4];
            for (int j = 0; j < 4; j++) {
                z[j] = Double.parseDouble(f[z0 + j]);
            }
            zs.add(z);
            double want = Double.parseDouble(p.get(i).split(",", -1)[pcol]);
            double got;
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                float[] zf = new float[4];
                for (int j = 0; j < 4; j++) {
                    zf[j] = (float) z[j];
                }
                Tensor zt = Tensors.of(zf, 1, 4);
                got = Tensors.toDoubles(m.network(t).predictFromLatent(zt))[0] * m.scaler(t).std(0) + m.scaler(t).mean(0);
            }
            assertEquals(want, got, 1e-4 * Math.max(1, Math.abs(want)), "row " + i);
        }
        // one task only
        Path one = dir.resolve("one.csv");
        assertEquals(0, MainTest.run("embed", "-i", mols.toString(), "--model", model.toString(), "-o", one.toString(),
                "--task", "pb", "-q").code());
        String h1 = Files.readAllLines(one).get(0);
        assertTrue(h1.contains("pb_z0") && !h1.contains("pa_") && !h1.contains("pc_"), h1);
        assertEquals(2, MainTest.run("embed", "-i", mols.toString(), "--model", model.toString(), "-o",
                dir.resolve("x.csv").toString(), "--task", "nosuch", "-q").code());

        // curvature: every task, both routes
        Path curv = dir.resolve("curv.csv");
        MainTest.Result c = MainTest.run("curvature", "--model", model.toString(), "-i", mols.toString(), "-o", curv.toString(),
                "--route", "both");
        assertEquals(0, c.code(), c.err());
        List<String> rows = Files.readAllLines(curv);
        assertEquals("row,smiles,task,latent_norm,condition,ricci_gauss,ricci_intrinsic,singular", rows.get(0));
        assertEquals(1 + 3 * zs.size(), rows.size());
        int checked = 0;
        List<String> pbRows = new ArrayList<>();
        for (String r : rows.subList(1, rows.size())) {
            String[] f = r.split(",");
            if (!f[2].equals("pb")) {
                continue;
            }
            pbRows.add(r);
            double[] z = zs.get(Integer.parseInt(f[0]));
            double norm = Math.sqrt(Arrays.stream(z).map(x -> x * x).sum());
            assertEquals(norm, Double.parseDouble(f[3]), 1e-4 * Math.max(1, norm), r);
            double rg = Double.parseDouble(f[5]);
            double ri = Double.parseDouble(f[6]);
            if (f[7].equals("0")) {
                assertTrue(Double.isFinite(rg) && Math.abs(rg - ri) <= 1e-3 * Math.max(1, Math.abs(rg)), r);
                checked++;
            }
        }
        assertTrue(checked > zs.size() / 2, "non-singular points checked: " + checked);
        Path curvOne = dir.resolve("curv_pb.csv");
        assertEquals(0, MainTest.run("curvature", "--model", model.toString(), "-i", mols.toString(), "-o",
                curvOne.toString(), "--route", "both", "--task", "pb").code());
        assertEquals(pbRows, Files.readAllLines(curvOne).subList(1, 1 + zs.size()));
        // the two-task picture, a task the model lacks, a k-task model without transfer maps: exit 2
        assertEquals(2, MainTest.run("curvature", "--model", model.toString(), "-i", mols.toString(), "-o", curv.toString(),
                "--picture", dir.resolve("p.png").toString()).code());
        assertEquals(2, MainTest.run("curvature", "--model", model.toString(), "-i", mols.toString(), "-o", curv.toString(),
                "--task", "nosuch").code());
        Path mtl = dir.resolve("mtl");
        assertEquals(0, MainTest.run(KTaskRunDirTest.args(data, "mtl", "pc", mtl, "--epochs", "1")).code());
        MainTest.Result nm = MainTest.run("curvature", "--model", mtl.resolve("model.gear").toString(), "-i", mols.toString(),
                "-o", curv.toString());
        assertEquals(2, nm.code(), nm.err());
        assertTrue(nm.err().contains("without transfer maps"), nm.err());
    }
}
