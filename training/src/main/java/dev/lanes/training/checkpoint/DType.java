package dev.lanes.training.checkpoint;

/**
 * The element types of the safetensors format, by the names its header uses, with their sizes in
 * bytes. Lanes writes {@link #F32}, {@link #F64}, {@link #I32} and {@link #I64}; the reader
 * accepts every type in a header and converts those four to Java arrays.
 */
public enum DType {
    /** Boolean, one byte. */
    BOOL(1),
    /** Unsigned 8-bit integer. */
    U8(1),
    /** Signed 8-bit integer. */
    I8(1),
    /** 8-bit float, 5 exponent bits. */
    F8_E5M2(1),
    /** 8-bit float, 4 exponent bits. */
    F8_E4M3(1),
    /** Signed 16-bit integer. */
    I16(2),
    /** Unsigned 16-bit integer. */
    U16(2),
    /** IEEE half precision. */
    F16(2),
    /** bfloat16. */
    BF16(2),
    /** Signed 32-bit integer. */
    I32(4),
    /** Unsigned 32-bit integer. */
    U32(4),
    /** IEEE single precision. */
    F32(4),
    /** Signed 64-bit integer. */
    I64(8),
    /** Unsigned 64-bit integer. */
    U64(8),
    /** IEEE double precision. */
    F64(8);

    private final int size;

    DType(int size) {
        this.size = size;
    }

    /**
     * Bytes per element.
     *
     * @return the bytes per element
     */
    public int size() {
        return size;
    }

    /** The type named {@code name} in a header, or {@code null} if there is none. */
    static DType byName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
