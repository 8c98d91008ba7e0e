/**
 * Data: CSV loading with row-level error reports, datasets registry, splits (random, scaffold, value, k-fold, files), target scaling, featurization cache.
 */
package gear.data;
