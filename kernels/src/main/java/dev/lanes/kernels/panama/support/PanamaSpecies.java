package dev.lanes.kernels.panama.support;

import dev.lanes.kernels.KernelProvider;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one float species every Panama kernel uses, fixed at class initialisation.
 *
 * <p>It is the machine's preferred species unless {@code -Dlanes.vector.bits} forces 128, 256 or
 * 512 bits, which lets one machine test every width. Kernels copy {@link #FLOAT} into their own
 * {@code static final} field so C2 sees a constant and intrinsifies the vector operations.
 */
public final class PanamaSpecies {
    /** The float species of the Panama kernels. */
    public static final VectorSpecies<Float> FLOAT = choose(System.getProperty(KernelProvider.VECTOR_BITS_PROPERTY));

    private PanamaSpecies() {
    }

    /**
     * The species for a value of {@code lanes.vector.bits} (null or blank: the machine's preferred).
     *
     * @throws IllegalArgumentException when the value is not 128, 256 or 512, or wider than the machine
     */
    public static VectorSpecies<Float> choose(String bits) {
        if (bits == null || bits.isBlank()) {
            return FloatVector.SPECIES_PREFERRED;
        }
        int requested;
        try {
            requested = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lanes.vector.bits must be 128, 256 or 512, got '" + bits + "'");
        }
        VectorSpecies<Float> species = switch (requested) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException(
                    "lanes.vector.bits must be 128, 256 or 512, got " + requested);
        };
        int maximum = VectorShape.preferredShape().vectorBitSize();
        if (requested > maximum) {
            throw new IllegalArgumentException("lanes.vector.bits=" + requested
                    + " is wider than this machine's vectors (" + maximum + " bits)");
        }
        return species;
    }
}
