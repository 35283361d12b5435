package dev.lanes.kernels;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import dev.lanes.kernels.scalar.ScalarKernels;
import dev.lanes.kernels.spi.KernelSet;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * Chooses between the Panama (vector) and the scalar implementation of every op.
 *
 * <p>The Panama set ({@code dev.lanes.kernels.panama.PanamaKernels}) is loaded by name, once, so no
 * class outside the {@code panama} packages touches {@code jdk.incubator.vector}. When the module is not readable (the JVM was started without
 * {@code --add-modules jdk.incubator.vector}) every op uses its scalar implementation and one
 * warning says what to pass. With {@code -Dlanes.panama.required=true} (the tests and CI set it)
 * a missing Panama path is an error instead.
 *
 * <p>{@code -Dlanes.vector.bits=128|256|512} forces the vector width; the default is the
 * machine's preferred width. The width is fixed when the Panama set is loaded.
 */
public final class KernelProvider {
    /** System property: fail instead of falling back to scalar code. */
    public static final String REQUIRE_PANAMA_PROPERTY = "lanes.panama.required";
    /** System property: the forced vector width in bits (128, 256 or 512). */
    public static final String VECTOR_BITS_PROPERTY = "lanes.vector.bits";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final boolean PANAMA_AVAILABLE = vectorModuleReadable();
    private static volatile boolean warned;
    /** The kernels every facade uses, chosen once. */
    static final KernelSet KERNELS = load("dev.lanes.kernels.panama.PanamaKernels", KernelSet.class, new ScalarKernels());

    private KernelProvider() {
    }

    /** {@return whether the kernels run on the Vector API (true) or on their scalar fallbacks} */
    public static boolean panamaAvailable() {
        return PANAMA_AVAILABLE;
    }

    /**
     * {@return the vector width in bits used by the Panama kernels, or 0 when they are not in use}
     */
    public static int vectorBits() {
        return KERNELS.vectorBits();
    }

    /**
     * Returns a new instance of the named Panama class when the vector module is readable, else
     * {@code scalar} (after one warning), or throws when {@code lanes.panama.required} is set.
     *
     * @param <T> the kernel interface
     * @param panamaClassName the fully qualified name of the Panama implementation
     * @param type the interface the implementation provides
     * @param scalar the scalar implementation, used as the fallback
     * @return the Panama implementation, or {@code scalar}
     */
    public static <T> T load(String panamaClassName, Class<T> type, T scalar) {
        if (!PANAMA_AVAILABLE) {
            return fallback(scalar, "module " + VECTOR_MODULE + " is not readable");
        }
        try {
            Class<?> implementation = Class.forName(panamaClassName, true, KernelProvider.class.getClassLoader());
            return type.cast(implementation.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
                 | IllegalAccessException | LinkageError | ClassCastException e) {
            return fallback(scalar, panamaClassName + " could not be loaded: " + e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException illegal) {
                throw illegal;
            }
            return fallback(scalar, panamaClassName + " failed to start: " + cause);
        }
    }

    private static <T> T fallback(T scalar, String reason) {
        if (Boolean.getBoolean(REQUIRE_PANAMA_PROPERTY)) {
            throw new IllegalStateException("Panama kernels required (-D" + REQUIRE_PANAMA_PROPERTY
                    + "=true) but " + reason + "; start the JVM with --add-modules " + VECTOR_MODULE);
        }
        if (!warned) {
            warned = true;
            System.getLogger("dev.lanes.kernels").log(System.Logger.Level.WARNING,
                    "Lanes: " + reason + "; using the scalar kernels. Pass --add-modules "
                            + VECTOR_MODULE + " to the JVM for the vectorized ones.");
        }
        return scalar;
    }

    private static boolean vectorModuleReadable() {
        Optional<Module> vector = ModuleLayer.boot().findModule(VECTOR_MODULE);
        return vector.isPresent() && KernelProvider.class.getModule().canRead(vector.get());
    }
}
