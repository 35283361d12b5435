package dev.lanes.training.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST (LeCun, Cortes and Burges,
 * "THE MNIST DATABASE of handwritten digits"): a 4-byte magic number (two zero bytes, a data type
 * code, the number of dimensions), one big-endian 32-bit size per dimension, then the values in
 * row-major order. Files may be gzip-compressed; compression is detected from the gzip magic
 * bytes {@code 1f 8b}, not from the file name.
 *
 * <p>Only unsigned bytes (type code {@code 0x08}) are read, the type of every MNIST-like file.
 * Every check fails with an {@link IdxFormatException} whose message names the file and what was
 * wrong: the magic number, the data type, the dimensions, or the length (a truncated file, or
 * bytes after the end of the data).
 */
public final class Idx {
    /** The IDX type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    /** Arrays larger than this cannot be held in one Java array. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /** More dimensions than this is a corrupt header, not a real data set. */
    private static final int MAX_RANK = 16;

    private Idx() {
    }

    /**
     * Reads an IDX file of unsigned bytes (gzip or raw).
     *
     * @param file the file
     * @return the array
     * @throws IOException if the file cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads an IDX array of unsigned bytes from a stream (gzip or raw), which is read to its end.
     *
     * @param stream the stream, read to its end
     * @param source the name used in error messages (a file name or a resource name)
     * @return the array
     * @throws IOException if the file cannot be read
     */
    public static IdxArray read(InputStream stream, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(stream, 1 << 16);
        boolean gzip = startsWithGzipMagic(buffered);
        InputStream in = buffered;
        try {
            if (gzip) {
                in = new GZIPInputStream(buffered, 1 << 16);
            }
            return readRaw(in, source);
        } catch (EOFException | ZipException e) {
            // GZIPInputStream reports a cut or damaged compressed stream this way.
            throw new IdxFormatException(source + ": the gzip stream is corrupt or truncated ("
                    + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads an image file: three dimensions {@code (count, rows, columns)}.
     *
     * @param file the file
     * @return the images (count, rows, columns)
     * @throws IdxFormatException if the file is not a valid IDX file of that shape
     */
    public static IdxArray readImages(Path file) throws IOException {
        return requireRank(read(file), 3, "images (count, rows, columns)");
    }

    /**
     * Reads a label file: one dimension {@code (count)}.
     *
     * @param file the file
     * @return the labels (count)
     * @throws IdxFormatException if the file is not a valid IDX file of that shape
     */
    public static IdxArray readLabels(Path file) throws IOException {
        return requireRank(read(file), 1, "labels (count)");
    }

    /**
     * Checks that {@code array} has {@code rank} dimensions.
     *
     * @param array the array
     * @param rank the number of dimensions it must have
     * @param what what the file should hold, for the message
     * @return the array itself
     * @throws IdxFormatException naming the file and the dimensions it has
     */
    public static IdxArray requireRank(IdxArray array, int rank, String what) throws IdxFormatException {
        if (array.rank() != rank) {
            throw new IdxFormatException(array.source() + ": expected " + rank + " dimension"
                    + (rank == 1 ? "" : "s") + " for " + what + ", found " + array.rank() + " "
                    + Arrays.toString(array.dims()));
        }
        return array;
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    private static IdxArray readRaw(InputStream in, String source) throws IOException {
        byte[] magic = new byte[4];
        int got = in.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new IdxFormatException(source + ": file ends after " + got
                    + " bytes, inside the 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source + ": bad magic number 0x" + hex(magic)
                    + ": an IDX file starts with two zero bytes (MNIST images 0x00000803, labels 0x00000801)");
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(source + ": data type 0x" + String.format("%02X", type) + " ("
                    + typeName(type) + ") is not supported, expected 0x08 (unsigned byte)");
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0 || rank > MAX_RANK) {
            throw new IdxFormatException(source + ": header declares " + rank
                    + " dimensions, expected 1 to " + MAX_RANK);
        }
        int[] dims = readDims(in, source, rank);
        long count = 1;
        for (int dim : dims) {
            count *= dim;
            if (count > MAX_VALUES) {
                throw new IdxFormatException(source + ": dimensions " + Arrays.toString(dims)
                        + " hold more than " + MAX_VALUES + " values");
            }
        }
        byte[] data = new byte[(int) count];
        int read = in.readNBytes(data, 0, data.length);
        if (read < data.length) {
            throw new IdxFormatException(source + ": expected " + count + " " + valueNoun(rank) + " bytes "
                    + shapeText(dims) + ", file ends after " + read);
        }
        if (in.read() >= 0) {
            throw new IdxFormatException(source + ": file continues after the " + count + " " + valueNoun(rank)
                    + " bytes its header " + shapeText(dims) + " declares");
        }
        return new IdxArray(source, dims, data);
    }

    private static int[] readDims(InputStream in, String source, int rank) throws IOException {
        byte[] header = new byte[4 * rank];
        int got = in.readNBytes(header, 0, header.length);
        if (got < header.length) {
            throw new IdxFormatException(source + ": file ends inside the header: " + rank
                    + " dimension sizes need " + header.length + " bytes, found " + got);
        }
        int[] dims = new int[rank];
        for (int axis = 0; axis < rank; axis++) {
            int i = 4 * axis;
            dims[axis] = (header[i] & 0xFF) << 24 | (header[i + 1] & 0xFF) << 16
                    | (header[i + 2] & 0xFF) << 8 | (header[i + 3] & 0xFF);
            if (dims[axis] < 0) {
                throw new IdxFormatException(source + ": dimension " + axis + " has size "
                        + Integer.toUnsignedString(dims[axis]) + ", more than 2^31 - 1");
            }
        }
        return dims;
    }

    /**
     * Writes an IDX file of unsigned bytes atomically (a temporary file in the same directory,
     * then a rename), gzip-compressed when {@code gzip} is set. The gzip header carries no time
     * stamp, so the same array always gives the same bytes.
     *
     * @param file the file
     * @param dims the dimensions; their product is {@code data.length}
     * @param data the values, 0..255 each, row-major
     * @param gzip true to gzip the file
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        IdxArray checked = new IdxArray(file.toString(), dims, data);
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                write(out, checked.dims(), data, gzip);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes an IDX array of unsigned bytes to a stream (which is not closed).
     *
     * @param stream the stream
     * @param dims the dimensions; their product is {@code data.length}
     * @param data the values, 0..255 each, row-major
     * @param gzip true to gzip the file
     * @throws IOException if the file cannot be written
     */
    public static void write(OutputStream stream, int[] dims, byte[] data, boolean gzip) throws IOException {
        new IdxArray("output", dims, data);
        if (dims.length == 0 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("dims must have 1 to " + MAX_RANK + " entries, has " + dims.length);
        }
        OutputStream target = gzip ? new GZIPOutputStream(stream, 1 << 16) : stream;
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(target, 1 << 16));
        out.writeByte(0);
        out.writeByte(0);
        out.writeByte(UNSIGNED_BYTE);
        out.writeByte(dims.length);
        for (int dim : dims) {
            out.writeInt(dim);
        }
        out.write(data);
        out.flush();
        if (gzip) {
            ((GZIPOutputStream) target).finish();
        }
    }

    private static String valueNoun(int rank) {
        return rank == 1 ? "label" : rank == 3 ? "image" : "data";
    }

    private static String shapeText(int[] dims) {
        StringBuilder text = new StringBuilder("(");
        for (int axis = 0; axis < dims.length; axis++) {
            text.append(axis == 0 ? "" : " x ").append(dims[axis]);
        }
        return text.append(')').toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "unknown type";
        };
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }
}
