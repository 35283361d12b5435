package dev.lanes.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.kernels.panama.support.PanamaSpecies;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The provider's choices that can be tested inside one JVM (the tests require Panama). */
@Tag("panama")
class KernelProviderTest {
    /** Loadable by name: answers 7. */
    public static final class Seven implements IntSupplier {
        @Override
        public int getAsInt() {
            return 7;
        }
    }

    /** Loadable by name, but its constructor rejects the configuration. */
    public static final class Rejecting implements IntSupplier {
        public Rejecting() {
            throw new IllegalArgumentException("lanes.vector.bits is wrong");
        }

        @Override
        public int getAsInt() {
            return 0;
        }
    }

    /** Loadable by name, but fails while starting for another reason. */
    public static final class Failing implements IntSupplier {
        public Failing() {
            throw new UnsupportedOperationException("no vectors here");
        }

        @Override
        public int getAsInt() {
            return 0;
        }
    }

    private static final IntSupplier SCALAR = () -> -1;

    @Test
    void panamaIsAvailableUnderTest() {
        assertTrue(KernelProvider.panamaAvailable());
        assertEquals("true", System.getProperty(KernelProvider.REQUIRE_PANAMA_PROPERTY));
    }

    @Test
    void loadsTheNamedClass() {
        IntSupplier loaded = KernelProvider.load(Seven.class.getName(), IntSupplier.class, SCALAR);
        assertInstanceOf(Seven.class, loaded);
        assertEquals(7, loaded.getAsInt());
    }

    @Test
    void vectorBitsFollowTheProperty() {
        String forced = System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY);
        int bits = KernelProvider.vectorBits();
        if (forced != null) {
            assertEquals(Integer.parseInt(forced), bits);
        } else {
            assertTrue(bits == 128 || bits == 256 || bits == 512, "bits " + bits);
        }
    }

    @Test
    void aMissingClassIsAnErrorWhenPanamaIsRequired() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.load("dev.lanes.kernels.panama.NoSuchKernel", IntSupplier.class, SCALAR));
        assertTrue(e.getMessage().contains("NoSuchKernel"), e.getMessage());
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void aMissingClassFallsBackToScalarWhenNotRequired() {
        String required = System.getProperty(KernelProvider.REQUIRE_PANAMA_PROPERTY);
        System.clearProperty(KernelProvider.REQUIRE_PANAMA_PROPERTY);
        try {
            assertSame(SCALAR, KernelProvider.load("dev.lanes.kernels.panama.NoSuchKernel", IntSupplier.class, SCALAR));
            assertSame(SCALAR, KernelProvider.load(Failing.class.getName(), IntSupplier.class, SCALAR));
        } finally {
            System.setProperty(KernelProvider.REQUIRE_PANAMA_PROPERTY, required);
        }
    }

    @Test
    void aClassOfTheWrongTypeIsAnErrorWhenRequired() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.load(Seven.class.getName(), Runnable.class, () -> { }));
        assertTrue(e.getMessage().contains(Seven.class.getName()), e.getMessage());
    }

    @Test
    void aStartFailureIsAnErrorWhenRequired() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KernelProvider.load(Failing.class.getName(), IntSupplier.class, SCALAR));
        assertTrue(e.getMessage().contains("no vectors here"), e.getMessage());
    }

    /**
     * Forcing a width: 128, 256 and 512 where the machine's vectors are at least that wide, a
     * clear error naming the machine's width where they are not, and an error for anything else.
     */
    @Test
    void aForcedWidthIsHonouredOrRefusedByName() {
        int machine = jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        for (int bits : new int[] {128, 256, 512}) {
            if (bits <= machine) {
                assertEquals(bits, PanamaSpecies.choose(String.valueOf(bits)).vectorBitSize());
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> PanamaSpecies.choose(String.valueOf(bits)));
                assertTrue(e.getMessage().contains("wider than this machine's vectors (" + machine + " bits)"),
                        e.getMessage());
            }
        }
        for (String bad : new String[] {"64", "1024", "wide"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PanamaSpecies.choose(bad));
            assertTrue(e.getMessage().contains("must be 128, 256 or 512"), e.getMessage());
        }
        assertEquals(machine, PanamaSpecies.choose(null).vectorBitSize(), "unset: the machine's width");
    }

    @Test
    void aConfigurationErrorIsRethrown() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelProvider.load(Rejecting.class.getName(), IntSupplier.class, SCALAR));
        assertEquals("lanes.vector.bits is wrong", e.getMessage());
    }
}
