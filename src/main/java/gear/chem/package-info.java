/**
 * Chemistry: SMILES to molecular graphs with the chemprop v1 features (CDK), canonical SMILES, Bemis–Murcko scaffolds with RDKit semantics.
 */
package gear.chem;
