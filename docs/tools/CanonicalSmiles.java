/**
 * Prints gear's canonical SMILES of each SMILES read on standard input, one per line ({@code ERR} where it cannot be
 * read): {@code java -cp target/gear.jar docs/tools/CanonicalSmiles.java < molecules.smi}. Used by the RDKit oracle
 * of docs/RESULTS.md ("Symmetric molecules and stereo that means nothing").
 */
public class CanonicalSmiles {
    public static void main(String[] args) throws java.io.IOException {
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
        java.io.PrintWriter out = new java.io.PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.out)));
        for (String s; (s = in.readLine()) != null; ) {
            try {
                out.println(gear.chem.Chem.canonicalSmiles(s));
            } catch (gear.chem.InvalidSmilesException | RuntimeException e) {
                out.println("ERR");
            }
        }
        out.flush();
    }
}
