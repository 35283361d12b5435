/**
 * Prints the size in bits of this JVM's preferred float vectors. The kernels' build runs it
 * (as a source file, on Maven's JVM) to decide whether its 512-bit test execution can run here.
 */
public class MachineVectorBits {
    public static void main(String[] args) {
        System.out.println(jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize());
    }
}
