/**
 * Data: CSV loading with row-level error reports, data sets, splits, target scaling, featurization
 * cache, and the registry of public data sets.
 *
 * <p>Typical use (no CLI needed):
 * <pre>{@code
 * CsvLoader.Result r = CsvLoader.of(path).smilesColumn("smiles").targetColumns(List.of("logS"))
 *         .policy(InvalidPolicy.SKIP).load();          // r.report(): every bad row with line and reason
 * MoleculeDataset ds = r.dataset();
 * FeatureCache.featurize(ds, threads, FeatureCache.defaultDir());   // optional warm-up + disk cache
 * Split split = SplitType.SCAFFOLD.split(ds, SplitSizes.DEFAULT, seed);  // or SplitsFile.read(file, ds)
 * SplitsFile.write(runDir.resolve("splits.json"), split, ds);
 * StandardScaler scaler = StandardScaler.fit(ds, split);                 // train rows only, NaN-aware
 * MoleculeDataset train = split.trainSet(ds);        // subsets share the in-memory graphs
 * double[][] z = scaler.transform(train.targets());  // graphs: train.graph(i)
 * }</pre>
 *
 * <p>Split indices are positions in the {@link gear.data.MoleculeDataset}; split files hold 0-based
 * data-row indices of the CSV (header excluded), mapped through {@link gear.data.MoleculeDataset#rowIndex(int)}.
 * Randomness: every splitter uses {@code java.util.Random(seed)} with {@code Collections.shuffle}'s
 * algorithm.
 */
package gear.data;
