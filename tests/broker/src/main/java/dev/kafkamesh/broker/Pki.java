package dev.kafkamesh.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The test's certificate authority: a CA, the broker's certificate and one client certificate
 * per TLS user, made with the JDK's keytool run in this JVM (no JVM start per certificate). A TLS
 * user's certificate has the subject CN=<user>, so Kafka's default principal builder names it
 * User:CN=<user>, the principal Strimzi's User Operator writes ACLs for.
 */
final class Pki {
    static final String PASSWORD = "kafkamesh-test";
    private final Path dir;

    Pki(Path dir) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=kafkamesh-test-ca", "-ext", "bc:c",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-keystore", path("ca.p12"), "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-file", path("ca.crt"),
                "-keystore", path("ca.p12"), "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.crt"),
                "-keystore", path("truststore.p12"), "-storetype", "PKCS12", "-storepass", PASSWORD);
    }

    Path truststore() { return dir.resolve("truststore.p12"); }
    Path caPem() { return dir.resolve("ca.crt"); }

    /** A PKCS #12 keystore holding the key and CA-signed certificate of CN=<cn>. */
    synchronized Path keystore(String cn, boolean server) throws Exception {
        String file = "cn-" + cn.replaceAll("[^A-Za-z0-9._-]", "_");
        Path store = dir.resolve(file + ".p12");
        if (Files.exists(store)) {
            return store;
        }
        keytool("-genkeypair", "-alias", "key", "-dname", "CN=" + cn, "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "key", "-file", path(file + ".csr"), "-keystore",
                store.toString(), "-storepass", PASSWORD);
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-infile",
                path(file + ".csr"), "-outfile", path(file + ".crt"), "-rfc", "-validity", "2",
                "-keystore", path("ca.p12"), "-storepass", PASSWORD));
        if (server) {
            sign.addAll(List.of("-ext", "SAN=ip:127.0.0.1,dns:localhost"));
        }
        keytool(sign.toArray(new String[0]));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", path("ca.crt"),
                "-keystore", store.toString(), "-storepass", PASSWORD);
        keytool("-importcert", "-noprompt", "-alias", "key", "-file", path(file + ".crt"),
                "-keystore", store.toString(), "-storepass", PASSWORD);
        return store;
    }

    private String path(String name) { return dir.resolve(name).toString(); }

    private static void keytool(String... args) throws Exception {
        // keytool's run() throws on failure (its main() would exit the JVM); reached with
        // --add-opens java.base/sun.security.tools.keytool=ALL-UNNAMED (run.sh).
        Class<?> main = Class.forName("sun.security.tools.keytool.Main");
        var ctor = main.getDeclaredConstructor();
        ctor.setAccessible(true);
        var run = main.getDeclaredMethod("run", String[].class, java.io.PrintStream.class);
        run.setAccessible(true);
        try {
            run.invoke(ctor.newInstance(), args, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("keytool " + String.join(" ", args), e.getCause());
        }
    }
}
