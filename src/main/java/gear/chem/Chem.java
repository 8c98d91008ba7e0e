package gear.chem;

import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IBond;
import org.openscience.cdk.tools.manipulator.AtomContainerManipulator;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.openscience.cdk.smiles.SmiFlavor;
import org.openscience.cdk.smiles.SmilesGenerator;
import org.openscience.cdk.smiles.SmilesParser;

/**
 * The chemistry facade the rest of the library uses: SMILES parsing, canonical SMILES,
 * featurization into {@link MolGraph}, and Bemis–Murcko scaffolds. All methods are thread-safe.
 *
 * <p>Every method treats one molecule, and whatever goes wrong with it (a parse error, a pseudo-atom,
 * a stack overflow in the toolkit's graph walks on a huge molecule, any other per-molecule error)
 * becomes an {@link InvalidSmilesException}, so that callers can make it that molecule's bad row
 * ({@link MoleculeGuard}).
 *
 * <p>These signatures are the contract of the {@code chem} package with {@code data},
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

    /** CDK's canonical labelling keeps a table of 10,000 primes: larger molecules cannot be labelled. */
    static final int CDK_CANON_MAX_ATOMS = 10_000;

    private Chem() {}

    /**
     * @return the SMILES as shown in messages: whole up to 80 characters, else its start, an ellipsis
     *     and the length (a 6,000-atom polymer should not fill the screen)
     */
    public static String abbreviate(String smiles) {
        return MoleculeGuard.abbreviate(smiles);
    }

    /**
     * Parses a SMILES string.
     *
     * @throws InvalidSmilesException if the string is empty or not valid SMILES
     */
    public static IAtomContainer parse(String smiles) throws InvalidSmilesException {
        if (smiles == null || smiles.isBlank()) {
            throw new InvalidSmilesException("empty SMILES");
        }
        return MoleculeGuard.run(smiles, () -> {
            IAtomContainer mol;
            try {
                mol = PARSER.get().parseSmiles(smiles.trim());
            } catch (CDKException | RuntimeException e) {
                String msg = String.valueOf(e.getMessage());
                if (smiles.length() > 80) {
                    // CDK repeats the SMILES and a caret line under it: keep one short line
                    msg = msg.lines().findFirst().orElse("").replace(smiles.trim(), MoleculeGuard.abbreviate(smiles.trim()));
                }
                throw new InvalidSmilesException("invalid SMILES '" + MoleculeGuard.abbreviate(smiles) + "': " + msg, e);
            }
            rejectPseudoAtoms(mol);
            return mol;
        });
    }

    /**
     * Refuses pseudo-atoms ({@code *}, {@code [R]}, {@code [R1]}, {@code [Xx]}, {@code [D]}, ...; CDK
     * reads all of them as atomic number 0): the featurizer has no place for an atom that is not an
     * element, and a placeholder is not a molecule whose property can be measured. RDKit also rejects
     * {@code [R]} and {@code [Xx]}; it accepts {@code *} as a dummy atom (docs/CHEMISTRY.md).
     */
    private static void rejectPseudoAtoms(IAtomContainer mol) throws InvalidSmilesException {
        int count = 0;
        int first = -1;
        for (int i = 0; i < mol.getAtomCount(); i++) {
            IAtom a = mol.getAtom(i);
            Integer z = a.getAtomicNumber();
            if (a instanceof org.openscience.cdk.interfaces.IPseudoAtom || z == null || z <= 0) {
                if (first < 0) {
                    first = i;
                }
                count++;
            }
        }
        if (count > 0) {
            throw new InvalidSmilesException("pseudo-atom" + (count == 1 ? "" : "s (" + count + ")") + " at atom " + (first + 1)
                    + " (*, [R], [Xx] and the like are not elements; gear featurizes real molecules only)");
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
        return MoleculeGuard.run(smiles, () -> canonical(parse(smiles), smiles));
    }

    /**
     * Canonical SMILES without stereo: {@link #canonicalSmiles} after the tetrahedral and double-bond configurations
     * are dropped. Stereoisomers (and a molecule written with and without its configuration) share it.
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed
     */
    public static String stereoFreeSmiles(String smiles) throws InvalidSmilesException {
        return MoleculeGuard.run(smiles, () -> {
            IAtomContainer mol = parse(smiles);
            mol.setStereoElements(new java.util.ArrayList<>());
            return canonical(mol, smiles);
        });
    }

    /**
     * The canonical SMILES of a molecule's parent: the largest fragment (the most heavy atoms; of equal ones the
     * smallest canonical SMILES) of its {@link #stereoFreeSmiles}. Charges and isotopes are kept and nothing is
     * neutralized, so a salt's charged ion is not its neutral parent (a hydrochloride's amine is). Two molecules
     * whose {@link #canonicalSmiles} differ and whose parents are equal are near-duplicates: stereoisomers, or salts,
     * hydrates and mixtures of one largest component ({@code gear datasets overlap}).
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed
     */
    public static String parentSmiles(String smiles) throws InvalidSmilesException {
        String free = stereoFreeSmiles(smiles);
        if (free.indexOf('.') < 0) {
            return free; // one component (most molecules): its stereo-free SMILES is the parent, nothing to parse again
        }
        return MoleculeGuard.run(smiles, () -> {
            String best = null;
            int bestHeavy = -1;
            for (String part : free.split("\\.")) { // the writer puts '.' between components only
                IAtomContainer frag = parse(part);
                int heavy = 0;
                for (IAtom a : frag.atoms()) {
                    heavy += a.getAtomicNumber() > 1 ? 1 : 0;
                }
                String key = canonical(frag, part);
                if (heavy > bestHeavy || heavy == bestHeavy && key.compareTo(best) < 0) {
                    best = key;
                    bestHeavy = heavy;
                }
            }
            return best;
        });
    }

    /**
     * The canonical SMILES of a parsed molecule (changed in place); smiles names it in messages. The charge
     * normalizations of RDKit's {@code MolOps::cleanUp} that the featurizer applies come first ({@link #cleanUpCharges}),
     * so that two spellings the D-MPNN cannot tell apart (a nitro group written {@code N(=O)=O} or
     * {@code [N+](=O)[O-]}) are one molecule for the duplicate check and the source purge too. For the same reason
     * only stereo that means something is kept ({@link Featurizer#meaningfulStereo}): a configuration RDKit's legacy
     * perception and the featurizer ignore (a tag on an amine nitrogen, a double bond whose two substituents on one
     * end are equivalent, as in amitriptyline) does not make another molecule.
     */
    private static String canonical(IAtomContainer parsed, String smiles) throws InvalidSmilesException {
        IAtomContainer mol = parsed;
        cleanUpCharges(mol);
        Featurizer.perceive(mol, smiles);
        if (mol.stereoElements().iterator().hasNext()) {
            mol.setStereoElements(Featurizer.meaningfulStereo(smiles, mol));
        }
        try {
            for (IAtom a : mol.atoms()) {
                if (a.getAtomicNumber() != null && a.getAtomicNumber() == 1) {
                    mol = AtomContainerManipulator.suppressHydrogens(mol);
                    break;
                }
            }
            return CanonicalWriter.write(mol, CANONICAL.get());
        } catch (IndexOutOfBoundsException e) {
            if (mol.getAtomCount() >= CDK_CANON_MAX_ATOMS) {
                throw new InvalidSmilesException("molecule too large to canonicalize (" + mol.getAtomCount()
                        + " atoms; CDK's canonical labelling handles fewer than " + CDK_CANON_MAX_ATOMS + ")", e);
            }
            throw new InvalidSmilesException("cannot canonicalize '" + MoleculeGuard.abbreviate(smiles) + "': " + e, e);
        } catch (CDKException | java.io.IOException | RuntimeException e) {
            throw new InvalidSmilesException("cannot canonicalize '" + MoleculeGuard.abbreviate(smiles) + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * RDKit's {@code MolOps::cleanUp} normalizations that change charges, on a parsed molecule, as the featurizer applies
     * them to its graph ({@code Featurizer.cleanUp}): a neutral nitrogen of valence 5 with a non-aromatic double bond
     * to a neutral oxygen (nitro, N-oxides written {@code N(=O)=O}) gets {@code [N+][O-]} on one such bond (the
     * oxygens are equivalent for the canonical SMILES); without one, an azide written {@code N=N#N} becomes
     * {@code N=[N+]=[N-]}; a neutral Cl, Br or I of valence 5 or 7 gets a single bond and a negative charge on each
     * double-bonded oxygen and a positive charge per oxygen.
     */
    static void cleanUpCharges(IAtomContainer mol) {
        for (IAtom a : mol.atoms()) {
            Integer z = a.getAtomicNumber();
            boolean nitrogen = z != null && z == 7;
            boolean halogen = z != null && (z == 17 || z == 35 || z == 53);
            if (!(nitrogen || halogen) || a.getFormalCharge() != null && a.getFormalCharge() != 0) {
                continue;
            }
            int tv = a.getImplicitHydrogenCount() == null ? 0 : a.getImplicitHydrogenCount();
            for (IBond b : mol.getConnectedBondsList(a)) {
                tv += b.getOrder() == null || b.getOrder() == IBond.Order.UNSET ? 0
                        : b.getOrder().numeric();
            }
            if (nitrogen && tv == 5) {
                IBond nitro = null;
                IBond azide = null;
                for (IBond b : mol.getConnectedBondsList(a)) {
                    IAtom o = b.getOther(a);
                    boolean neutral = o.getFormalCharge() == null || o.getFormalCharge() == 0;
                    if (nitro == null && o.getAtomicNumber() == 8 && neutral && !b.isAromatic()
                            && b.getOrder() == IBond.Order.DOUBLE) {
                        nitro = b;
                    } else if (azide == null && o.getAtomicNumber() == 7 && neutral
                            && b.getOrder() == IBond.Order.TRIPLE) {
                        azide = b;
                    }
                }
                IBond b = nitro != null ? nitro : azide;
                if (b != null) {
                    b.setOrder(nitro != null ? IBond.Order.SINGLE
                            : IBond.Order.DOUBLE);
                    b.getOther(a).setFormalCharge(-1);
                    a.setFormalCharge(1);
                }
            } else if (halogen && (tv == 5 || tv == 7)) {
                int charge = 0;
                for (IBond b : mol.getConnectedBondsList(a)) {
                    IAtom o = b.getOther(a);
                    if (o.getAtomicNumber() == 8 && (o.getFormalCharge() == null || o.getFormalCharge() == 0)
                            && b.getOrder() == IBond.Order.DOUBLE) {
                        b.setOrder(IBond.Order.SINGLE);
                        o.setFormalCharge(-1);
                        charge++;
                    }
                }
                a.setFormalCharge(charge);
            }
        }
    }

    /**
     * Featurizes a molecule into the chemprop v1 graph (133 atom and 14 bond features).
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed or typed
     */
    public static MolGraph featurize(String smiles) throws InvalidSmilesException {
        return MoleculeGuard.run(smiles, () -> Featurizer.featurize(smiles));
    }

    /**
     * Bemis–Murcko scaffold SMILES with RDKit semantics (ring systems and linkers, exocyclic
     * double-bonded atoms kept, no stereo); the empty string for acyclic molecules.
     *
     * @throws InvalidSmilesException if the SMILES cannot be parsed
     */
    public static String scaffold(String smiles) throws InvalidSmilesException {
        return MoleculeGuard.run(smiles, () -> Scaffolds.murcko(smiles));
    }
}
