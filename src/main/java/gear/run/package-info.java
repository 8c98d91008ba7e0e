/**
 * Run directories of single-model training and prediction: the resolved, re-runnable
 * {@link gear.run.TrainConfig}, the orchestration of one training run ({@link gear.run.TrainRun}:
 * load → split → scale → featurize → train → evaluate) and of prediction ({@link gear.run.PredictRun}),
 * embeddings ({@link gear.run.Embedder}, as CSV through {@link gear.run.PredictRun} or as safetensors through
 * {@link gear.run.EmbeddingFile}), and the names of the files a run leaves behind ({@link gear.run.RunDirectory}; written by {@link gear.train.RunWriter}). The CLI commands
 * {@code gear train} and {@code gear predict} are thin wrappers over this package. Ensembles and mean-variance
 * models add the calibration files of {@link gear.train.UncertaintyReport}; their predictors write a
 * {@code <target>_std} column per target ({@link gear.run.Predictor#of(gear.train.Ensemble)}).
 */
package gear.run;
