package dev.lanes.spark;

import org.apache.spark.SparkConf;

/** The JVM options Lanes needs on Spark's executors, and a configuration that sets them. */
public final class SparkJvm {
    /**
     * What Spark's launcher gives its own JVMs on Java 17 and later (Spark reads internals of
     * java.base), the vector module the kernels run on, and the collector Lanes is tuned for.
     */
    public static final String EXECUTOR_OPTIONS = "--add-modules=jdk.incubator.vector -XX:+UseParallelGC"
            + " -XX:+IgnoreUnrecognizedVMOptions"
            + " --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED"
            + " --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
            + " --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED"
            + " --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED"
            + " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"
            + " -Dio.netty.tryReflectionSetAccessible=true";

    private SparkJvm() {
    }

    /**
     * A configuration for {@code master} named {@code application}: executors get
     * {@link #EXECUTOR_OPTIONS} (added to any options already configured), and the web UI is off
     * unless configured.
     *
     * @param master the Spark master URL, e.g. {@code local[2]}
     * @param application the application's name
     * @return the configuration
     */
    public static SparkConf conf(String master, String application) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName(application);
        String extra = conf.get("spark.executor.extraJavaOptions", "");
        conf.set("spark.executor.extraJavaOptions", (extra + " " + EXECUTOR_OPTIONS).trim());
        conf.setIfMissing("spark.ui.enabled", "false");
        return conf;
    }
}
