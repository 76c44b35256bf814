package dev.kafkamesh.broker;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

/**
 * The test's Kubernetes API server, as far as Kafka sees it: a JWKS on loopback over HTTPS (the
 * test CA's certificate for 127.0.0.1) and a minter of tokens shaped like the kubelet's projected
 * service-account tokens (k8s.io/kubernetes pkg/serviceaccount/claims.go: iss, aud as a list, sub
 * system:serviceaccount:<ns>:<sa>, exp, iat, nbf, jti and the kubernetes.io claim), signed RS256.
 *
 * The bad tokens differ from a good one in one thing each. OTHER_KEY is signed by a key that is not
 * in the JWKS but carries the same kid, so the broker finds a key and the signature check is what
 * refuses it (jose4j's JwtConsumer in Kafka's BrokerJwtValidator).
 */
final class TokenIssuer implements AutoCloseable {
    enum Bad { OTHER_AUDIENCE, EXPIRED, OTHER_KEY, OTHER_ISSUER }

    static final String KID = "kafkamesh-test-sa-key";
    private final RsaJsonWebKey key;
    private final RsaJsonWebKey otherKey;
    private final HttpsServer server;
    private final Path dir;

    TokenIssuer(Path dir, Pki pki) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(KID);
        otherKey = RsaJwkGenerator.generateJwk(2048);
        otherKey.setKeyId(KID);
        byte[] jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                .getBytes(StandardCharsets.UTF_8);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.keystore("kafkamesh-test-jwks", true))) {
            store.load(in, Pki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, Pki.PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        // Any path: the listener keeps the compiled URL's path and only its host is replaced.
        server.createContext("/", exchange -> {
            // The API server's type for /openid/v1/jwks (k8s pkg/routes/openidmetadata.go).
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
    }

    /** The compiled JWKS URL with its scheme, host and port replaced by this server's. */
    String jwksUrl(String compiled) {
        URI u = URI.create(compiled);
        return "https://127.0.0.1:" + server.getAddress().getPort() + u.getRawPath();
    }

    /** A fresh token for the service account, written to its own file; returns the file. */
    Path tokenFile(String namespace, String serviceAccount, String issuer, String audience) throws Exception {
        return write(namespace, serviceAccount, "token",
                mint(key, namespace, serviceAccount, issuer, audience, 600));
    }

    /** A token the broker must refuse at authentication, for the same service account. */
    Path badTokenFile(String namespace, String serviceAccount, String issuer, String audience, Bad bad)
            throws Exception {
        String token = switch (bad) {
            case OTHER_AUDIENCE -> mint(key, namespace, serviceAccount, issuer, audience + ".other", 600);
            // Ten minutes past expiry: well beyond sasl.oauthbearer.clock.skew.seconds (30).
            case EXPIRED -> mint(key, namespace, serviceAccount, issuer, audience, -600);
            case OTHER_KEY -> mint(otherKey, namespace, serviceAccount, issuer, audience, 600);
            case OTHER_ISSUER -> mint(key, namespace, serviceAccount, "https://issuer.invalid", audience, 600);
        };
        return write(namespace, serviceAccount, "token-" + bad.name().toLowerCase(java.util.Locale.ROOT), token);
    }

    private Path write(String namespace, String serviceAccount, String name, String token) throws Exception {
        Path d = dir.resolve(namespace).resolve(serviceAccount);
        Files.createDirectories(d);
        Path f = d.resolve(name);
        Files.writeString(f, token);
        return f.toAbsolutePath();
    }

    private static String mint(RsaJsonWebKey signer, String namespace, String serviceAccount, String issuer,
                               String audience, long lifetimeSeconds) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        long exp = now + lifetimeSeconds;
        long iat = lifetimeSeconds > 0 ? now : exp - 3600;
        JwtClaims c = new JwtClaims();
        c.setIssuer(issuer);
        c.setAudience(List.of(audience));
        c.setSubject("system:serviceaccount:" + namespace + ":" + serviceAccount);
        c.setExpirationTime(NumericDate.fromSeconds(exp));
        c.setIssuedAt(NumericDate.fromSeconds(iat));
        c.setNotBefore(NumericDate.fromSeconds(iat));
        c.setJwtId(UUID.randomUUID().toString());
        Map<String, Object> sa = new LinkedHashMap<>();
        sa.put("name", serviceAccount);
        sa.put("uid", UUID.nameUUIDFromBytes(("sa/" + namespace + "/" + serviceAccount).getBytes()).toString());
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("name", serviceAccount + "-7d9f8b6c5-x2x4q");
        pod.put("uid", UUID.randomUUID().toString());
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", namespace);
        k8s.put("pod", pod);
        k8s.put("serviceaccount", sa);
        c.setClaim("kubernetes.io", k8s);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(c.toJson());
        jws.setKey(signer.getPrivateKey());
        jws.setKeyIdHeaderValue(signer.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
