package gear.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of {@link TransferMethod}s: every implementation on the class path registered in
 * {@code META-INF/services/gear.transfer.TransferMethod} (the built-in seven first, in the order of that
 * file: stl, mtl, finetune, kd, gspkd, gate, gear; then any others, e.g. from a test class path).
 */
public final class Methods {
    private static volatile Map<String, TransferMethod> all;

    private Methods() {}

    private static Map<String, TransferMethod> registry() {
        Map<String, TransferMethod> m = all;
        if (m == null) {
            synchronized (Methods.class) {
                if (all == null) {
                    Map<String, TransferMethod> r = new LinkedHashMap<>();
                    for (TransferMethod t : ServiceLoader.load(TransferMethod.class, Methods.class.getClassLoader())) {
                        if (r.putIfAbsent(t.name(), t) != null) {
                            throw new IllegalStateException("two transfer methods are named '" + t.name() + "'");
                        }
                    }
                    all = r;
                }
                m = all;
            }
        }
        return m;
    }

    /** @return every registered method, in registration order */
    public static List<TransferMethod> all() {
        return new ArrayList<>(registry().values());
    }

    /** @return the names of every registered method, in registration order */
    public static List<String> names() {
        return new ArrayList<>(registry().keySet());
    }

    /**
     * @param name a method name (case-insensitive; {@code -} and {@code _} ignored)
     * @return the method
     * @throws IllegalArgumentException naming the known methods when there is none of that name
     */
    public static TransferMethod get(String name) {
        String t = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (TransferMethod m : registry().values()) {
            if (m.name().replace("-", "").replace("_", "").equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "': expected one of " + String.join(", ", names()));
    }
}
