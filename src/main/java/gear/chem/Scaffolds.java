package gear.chem;

import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.fragment.MurckoFragmenter;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;

/**
 * Bemis–Murcko scaffolds (Bemis and Murcko, J. Med. Chem. 39:2887, 1996).
 *
 * <p>First version: CDK's fragmenter framework (which strips exocyclic double-bonded atoms; RDKit
 * keeps them). To be made RDKit-exact by the chemistry work.
 */
public final class Scaffolds {
    private Scaffolds() {}

    /** @return the scaffold SMILES, or "" for an acyclic molecule */
    public static String murcko(String smiles) throws InvalidSmilesException {
        IAtomContainer mol = Chem.parse(smiles);
        try {
            MurckoFragmenter f = new MurckoFragmenter(true, 1);
            f.generateFragments(mol);
            String[] fw = f.getFrameworks();
            if (fw.length == 0) {
                String[] rings = f.getRingSystems();
                if (rings.length == 0) {
                    return "";
                }
                return rings[0];
            }
            IAtomContainer best = null;
            for (IAtomContainer c : f.getFrameworksAsContainers()) {
                if (best == null || c.getAtomCount() > best.getAtomCount()) {
                    best = c;
                }
            }
            return new SmilesGenerator(SmiFlavor.Unique).create(best);
        } catch (CDKException e) {
            throw new InvalidSmilesException("scaffold of '" + smiles + "': " + e.getMessage(), e);
        }
    }
}
