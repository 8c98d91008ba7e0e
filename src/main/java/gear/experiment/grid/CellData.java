package gear.experiment.grid;

import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.LabelNoise;
import gear.data.MoleculeDataset;
import gear.data.Split;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data of a grid's cells ({@link Grid#table}, {@link Grid#protocol}, {@link Grid#cell}): each table
 * loaded once, each (pair, split type, seed) protocol resolved once, and a cell's source, target and
 * fold with its label noise and options.
 *
 * <p>A noisy cell ({@link CellKey#noise()} &gt; 0) trains on a target whose labels at its training positions
 * are corrupted by {@link LabelNoise#corrupt}: a fraction {@code noise} of them is shifted by
 * {@code ±}{@link GridConfig#noiseSigma()} standard deviations of those labels, with seed
 * {@link Grid#noiseSeed}; validation, test and source labels stay clean.
 */
final class CellData {
    /**
     * How a grid reads its tables: bad rows are left out and a molecule's first row is kept. A cell's config.json
     * records both ({@link TransferCellRunner#extraConfig}), so that {@code gear transfer --config} and the cell's
     * {@code argv} read the same rows.
     */
    static final InvalidPolicy INVALID = InvalidPolicy.SKIP;

    /** @see #INVALID */
    static final gear.data.DuplicatePolicy DUPLICATES = gear.data.DuplicatePolicy.FIRST;

    private final GridConfig cfg;
    private final PrintStream log;
    private final Map<String, MoleculeDataset> tables = new ConcurrentHashMap<>();
    private final Map<String, Protocol.Resolved> protocols = new ConcurrentHashMap<>();

    CellData(GridConfig cfg, PrintStream log) {
        this.cfg = cfg;
        this.log = log;
    }

    /** @see Grid#table */
    MoleculeDataset table(DataRef ref) {
        Path file = ref.resolve(cfg.dataDir());
        return tables.computeIfAbsent(file.toAbsolutePath() + "|" + ref.column(), k -> {
            CsvLoader.Result r = CsvLoader.of(file).targetColumns(List.of(ref.column())).policy(INVALID)
                    .duplicates(DUPLICATES).cacheDir(cfg.cacheDir()).load();
            log.println("loaded " + r.report().summary() + " (column " + ref.column() + "; bad rows skipped)");
            return r.dataset();
        });
    }

    /** @see Grid#protocol */
    Protocol.Resolved protocol(PairSpec p, gear.data.SplitType type, long seed) {
        return protocols.computeIfAbsent(p.id() + "|" + type + "|" + seed, k -> Protocol.resolve(table(p.target()),
                table(p.source()), type, seed, cfg.folds(), cfg.testFraction(), p.targetSubsample()));
    }

    /** @see Grid#cell */
    Cell cell(CellKey key) {
        PairSpec p = cfg.pair(key.pair());
        Protocol.Resolved pr = protocol(p, key.splitType(), key.seed());
        Split fold = pr.folds().get(key.fold());
        MoleculeDataset source = table(p.source());
        MoleculeDataset target = table(p.target());
        Cell.Noise noise = null;
        if (key.noise() > 0) {
            long seed = Grid.noiseSeed(key);
            LabelNoise.Corrupted c = LabelNoise.corrupt(target, fold.train(), 0, key.noise(), cfg.noiseSigma(), seed);
            target = c.data();
            noise = new Cell.Noise(key.noise(), cfg.noiseSigma(), c.result().count(), c.result().shift(), seed);
        }
        return new Cell(key, p, source.subset(pr.sourceKeep()), p.source().column(), target, p.target().column(),
                fold.train(), fold.val(), fold.test(), cfg.cellOptions(key),
                noise, cfg.trainRmse(), p.moreSources().stream().map(this::table).toList());
    }
}
