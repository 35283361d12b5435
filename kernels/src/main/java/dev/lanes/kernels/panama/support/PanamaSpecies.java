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
    /**
     * The logical width of every float accumulation that adds across lanes (sums, dot products,
     * the convolution's weight and bias gradients): 16 lanes, one 512-bit vector, two of 256 or
     * four of 128 bits. Element j of a sum goes to logical lane j mod 16 whatever the hardware's
     * width, and the lanes are combined in one fixed order, so the bits do not depend on the width.
     */
    public static final int LOGICAL_LANES = 16;
    /** The vectors of {@link #FLOAT} that hold one logical accumulator: 1, 2 or 4. */
    public static final int PARTS = LOGICAL_LANES / FLOAT.length();

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
