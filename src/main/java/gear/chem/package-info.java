/**
 * Chemistry: SMILES to molecular graphs with the chemprop v1 features (CDK parsing and aromaticity, RDKit's
 * rules for hydrogen removal, conjugation, hybridization, chirality and E/Z re-implemented in
 * {@code RdkitRules} and {@code Stereo}), canonical SMILES, and Bemis–Murcko scaffolds with RDKit semantics.
 * The facade is {@link gear.chem.Chem}; remaining RDKit differences are listed in docs/CHEMISTRY.md.
 */
package gear.chem;
