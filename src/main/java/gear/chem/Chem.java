package gear.chem;

import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.tools.manipulator.AtomContainerManipulator;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * The chemistry facade the rest of the library uses: SMILES parsing, canonical SMILES,
 * featurization into {@link MolGraph}, and Bemis–Murcko scaffolds. All methods are thread-safe.
 *
 * <p>These four signatures are the contract of the {@code chem} package with {@code data},
 * {@code nn} and the commands.
 */
public final class Chem {
    private static final ThreadLocal<SmilesParser> PARSER =
            ThreadLocal.withInitial(() -> new SmilesParser(SilentChemObjectBuilder.getInstance()));

    /**
     * Stereo + isotopes + aromatic symbols, written in the order of the atoms and bonds. CDK's own
     * canonical flavour needs InChI numbers (an extra module) as soon as stereo or isotopes are
     * requested, so the canonical order is applied to the container first (see {@link CanonicalWriter}).
     */
    private static final int CANONICAL_FLAVOR = SmiFlavor.UseAromaticSymbols | SmiFlavor.Isomeric;
    private static final ThreadLocal<SmilesGenerator> CANONICAL =
            ThreadLocal.withInitial(() -> new SmilesGenerator(CANONICAL_FLAVOR));

    private Chem() {}

    /**
     * Parses a SMILES string.
     *
     * @throws InvalidSmilesException if the string is empty or not valid SMILES
     */
    public static IAtomContainer parse(String smiles) throws InvalidSmilesException {
        if (smiles == null || smiles.isBlank()) {
            throw new InvalidSmilesException("empty SMILES");
        }
        try {
            return PARSER.get().parseSmiles(smiles.trim());
        } catch (CDKException | RuntimeException e) {
            throw new InvalidSmilesException("invalid SMILES '" + smiles + "': " + e.getMessage(), e);
        }
    }

    /**
     * Canonical SMILES (CDK canonical labelling after Daylight aromaticity perception, so Kekulé and
     * aromatic spellings agree; explicit hydrogens folded; stereo and isotopes kept), used to decide whether two rows hold the same
     * molecule (duplicates, source/target overlap).
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed
     */
    public static String canonicalSmiles(String smiles) throws InvalidSmilesException {
        IAtomContainer mol = parse(smiles);
        Featurizer.perceive(mol, smiles);
        try {
            for (IAtom a : mol.atoms()) {
                if (a.getAtomicNumber() != null && a.getAtomicNumber() == 1) {
                    mol = AtomContainerManipulator.suppressHydrogens(mol);
                    break;
                }
            }
            return CanonicalWriter.write(mol, CANONICAL.get());
        } catch (CDKException | java.io.IOException | RuntimeException e) {
            throw new InvalidSmilesException("cannot canonicalize '" + smiles + "': " + e.getMessage(), e);
        }
    }

    /**
     * Featurizes a molecule into the chemprop v1 graph (133 atom and 14 bond features).
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed or typed
     */
    public static MolGraph featurize(String smiles) throws InvalidSmilesException {
        return Featurizer.featurize(smiles);
    }

    /**
     * Bemis–Murcko scaffold SMILES with RDKit semantics (ring systems and linkers, exocyclic
     * double-bonded atoms kept, no stereo); the empty string for acyclic molecules.
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed
     */
    public static String scaffold(String smiles) throws InvalidSmilesException {
        return Scaffolds.murcko(smiles);
    }
}
