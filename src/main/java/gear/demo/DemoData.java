package gear.demo;

import gear.data.AtomicFiles;

import gear.data.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The demo's data set: a source task (Joback boiling point of every enumerated molecule) and a smaller
 * target task (Joback critical temperature of a seeded random subset), each with seeded Gaussian
 * noise, written as two CSV files and a README that says these are estimates, not measurements.
 *
 * <p>Files ({@code \n} line ends, header first, written atomically: temporary file, then rename):
 * {@value #SOURCE_FILE} with columns {@code smiles,Tb_joback_K}; {@value #TARGET_FILE} with columns
 * {@code smiles,Tc_joback_K}; {@value #README_FILE}. Values in K with two decimals. For a given seed the
 * files are identical byte for byte from run to run.
 */
public final class DemoData {
    /** Source-task file name. */
    public static final String SOURCE_FILE = "source_tb.csv";
    /** Target-task file name. */
    public static final String TARGET_FILE = "target_tc.csv";
    /** Explanation file name. */
    public static final String README_FILE = "README.txt";
    /** Source column holding the noisy Joback boiling point. */
    public static final String SOURCE_COLUMN = "Tb_joback_K";
    /** Target column holding the noisy Joback critical temperature. */
    public static final String TARGET_COLUMN = "Tc_joback_K";
    /** Standard deviation of the Gaussian noise added to Tb, in K. */
    public static final double TB_NOISE_K = 3.0;
    /** Standard deviation of the Gaussian noise added to Tc, in K. */
    public static final double TC_NOISE_K = 5.0;
    /** Number of molecules in the target task. */
    public static final int TARGET_SIZE = 400;

    private DemoData() {}

    /**
     * What one written CSV holds.
     *
     * @param path the file
     * @param column the value column
     * @param rows number of data rows (header excluded)
     * @param min smallest value written, K
     * @param max largest value written, K
     * @param mean mean value written, K
     */
    public record Table(Path path, String column, int rows, double min, double max, double mean) {}

    /**
     * The written data set.
     *
     * @param dir the output directory
     * @param source the source task (Tb of every molecule)
     * @param target the target task (Tc of a subset)
     * @param readme the README file
     * @param seed the seed used
     */
    public record Result(Path dir, Table source, Table target, Path readme, long seed) {}

    /**
     * Enumerates the molecules, labels them and writes the files into {@code dir} (created if absent;
     * existing demo files are replaced atomically).
     *
     * @param dir the output directory
     * @param seed seeds the row order, the target subset and the noise
     * @return the paths and a summary of each file
     * @throws BadInputException if {@code dir} exists and is not a directory, or cannot be created
     * @throws IOException if writing fails
     */
    public static Result generate(Path dir, long seed) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": output path exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new BadInputException(dir + ": output path exists and is not a directory", e);
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot create the output directory (" + e + ")", e);
        }
        List<Joback.Assignment> molecules = new ArrayList<>(MoleculeEnumerator.enumerateAssigned());
        Random sourceRng = new Random(seed);
        Random targetRng = new Random(seed ^ 0x5DEECE66DL);
        Collections.shuffle(molecules, sourceRng);
        List<String> sourceRows = new ArrayList<>();
        Stats sourceStats = new Stats();
        for (Joback.Assignment m : molecules) {
            double tb = m.tb().orElseThrow() + TB_NOISE_K * sourceRng.nextGaussian();
            sourceRows.add(row(m.smiles(), tb, sourceStats));
        }
        List<Joback.Assignment> subset = new ArrayList<>(molecules);
        Collections.shuffle(subset, targetRng);
        subset = subset.subList(0, Math.min(TARGET_SIZE, subset.size()));
        List<String> targetRows = new ArrayList<>();
        Stats targetStats = new Stats();
        for (Joback.Assignment m : subset) {
            double tc = m.tc().orElseThrow() + TC_NOISE_K * targetRng.nextGaussian();
            targetRows.add(row(m.smiles(), tc, targetStats));
        }
        Path source = dir.resolve(SOURCE_FILE);
        Path target = dir.resolve(TARGET_FILE);
        Path readme = dir.resolve(README_FILE);
        writeAtomically(source, "smiles," + SOURCE_COLUMN, sourceRows);
        writeAtomically(target, "smiles," + TARGET_COLUMN, targetRows);
        writeAtomically(readme, null, List.of(readme(seed, molecules.size(), subset.size()).split("\n")));
        return new Result(dir, sourceStats.table(source, SOURCE_COLUMN), targetStats.table(target, TARGET_COLUMN),
                readme, seed);
    }

    private static String row(String smiles, double value, Stats stats) {
        String text = String.format(Locale.ROOT, "%.2f", value);
        stats.add(Double.parseDouble(text));
        return smiles + "," + text;
    }

    static String readme(long seed, int sourceRows, int targetRows) {
        return String.join("\n",
                "gear demo data set (generated by `gear demo`, seed " + seed + ")",
                "",
                "THESE VALUES ARE GROUP-CONTRIBUTION ESTIMATES WITH ADDED NOISE, NOT MEASUREMENTS.",
                "Do not use them as physical property data.",
                "",
                SOURCE_FILE + " (" + sourceRows + " molecules): " + SOURCE_COLUMN + " = the Joback-Reid estimate of the",
                "  normal boiling point, Tb = 198.2 + sum_k N_k tb_k (K), plus Gaussian noise with sigma = "
                        + TB_NOISE_K + " K.",
                TARGET_FILE + " (" + targetRows + " molecules, a random subset): " + TARGET_COLUMN + " = the Joback-Reid",
                "  estimate of the critical temperature, Tc = Tb / (0.584 + 0.965 S - S^2) with S = sum_k N_k tc_k and",
                "  Tb the Joback estimate above (without noise), plus Gaussian noise with sigma = " + TC_NOISE_K + " K.",
                "",
                "The molecules were enumerated by gear itself from small fragments (alkanes, alcohols, ethers,",
                "ketones, aldehydes, acids, esters, amines, nitriles, halides, thiols, substituted benzenes,",
                "cycloalkanes and heterocycles); no external data was used. SMILES are CDK canonical SMILES.",
                "",
                "Method: K. G. Joback and R. C. Reid, Chem. Eng. Commun. 57 (1987) 233-243; group values as",
                "tabulated in B. E. Poling, J. M. Prausnitz, J. P. O'Connell, The Properties of Gases and Liquids,",
                "5th ed. (McGraw-Hill, 2001), Table 2-2. Joback and Reid report an average absolute error of about",
                "13 K for Tb against experiment, larger for some compound classes: the labels are smooth functions",
                "of the group counts, not the real properties of these molecules.",
                "");
    }

    private static void writeAtomically(Path file, String header, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (header != null) {
            sb.append(header).append('\n');
        }
        for (String line : lines) {
            sb.append(line).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Running minimum, maximum and mean. */
    private static final class Stats {
        private int n;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;

        void add(double v) {
            n++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }

        Table table(Path path, String column) {
            return new Table(path, column, n, min, max, n == 0 ? Double.NaN : sum / n);
        }
    }
}
