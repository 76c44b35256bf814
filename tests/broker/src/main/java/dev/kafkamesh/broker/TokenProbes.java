package dev.kafkamesh.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Probes of a service-account-token identity, beside the authorization probes every identity gets:
 *
 * - four tokens for the same service account that the broker must refuse while authenticating
 *   (another audience, expired, signed by a key not in the JWKS, another issuer): each must fail
 *   with SaslAuthenticationException, the error the client raises when the server's SASL exchange
 *   fails (kafka-clients 4.1.1 SaslClientAuthenticator; BrokerJwtValidator.validate throws and the
 *   handler answers invalid_token, OAuthBearerValidatorCallbackHandler.handleValidatorCallback);
 *   an authorization error would mean the token was accepted;
 * - the principal: a topic only User:system:serviceaccount:<ns>:<sa>, spelled out, may Describe
 *   must be in the service's topic listing (the broker filters Metadata by Describe), so the broker
 *   names the client exactly that (OAuthBearerSaslServer.getAuthorizationID is the token's sub,
 *   DefaultKafkaPrincipalBuilder makes it User:<sub>).
 */
final class TokenProbes {
    private TokenProbes() {}

    static void run(TopologyRun r, Topology.Service s, Properties good, boolean superUser) {
        TokenListener l = r.tokenListener;
        String audience = r.configs().get(s.key()).tokenAudience;
        for (TokenIssuer.Bad bad : TokenIssuer.Bad.values()) {
            String what = "token " + bad.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            try {
                Path f = r.issuer.badTokenFile(s.ns(), s.account(), l.issuer(), audience, bad);
                String url = "file:" + f;
                ClientConfig.allowUrl(url);
                Properties p = new Properties();
                p.putAll(good);
                p.put(ClientConfig.TOKEN_URL, url);
                try (Admin admin = Admin.create(p)) {
                    admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
                }
                r.fail(s, "NOT REFUSED: " + what, null, null);
            } catch (Exception e) {
                Throwable c = TopologyRun.cause(e);
                if (c instanceof SaslAuthenticationException) {
                    r.report.tokenRefused(r.topo.label, s.key() + " " + what + ": " + c.getClass().getSimpleName());
                } else {
                    r.fail(s, "probe " + what + " (expected SaslAuthenticationException)", null, c);
                }
            }
        }
        if (!superUser) {
            principal(r, s, good);
        }
    }

    private static void principal(TopologyRun r, Topology.Service s, Properties good) {
        String principal = "User:system:serviceaccount:" + s.ns() + ":" + s.account();
        String topic = r.topo.label.replaceAll("[^A-Za-z0-9._-]", "-") + ".kafkamesh-whoami-" + s.ns() + "-" + s.account();
        try (Admin operator = r.operatorAdmin()) {
            try {
                operator.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            } catch (Exception exists) {
                // two services sharing a service account share the topic
            }
            operator.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW)))).all().get();
            Set<String> seen = Set.of();
            long end = System.currentTimeMillis() + 10_000;
            try (Admin client = Admin.create(good)) {
                while (!seen.contains(topic) && System.currentTimeMillis() < end) {
                    seen = client.listTopics().names().get(15, TimeUnit.SECONDS);
                    if (!seen.contains(topic)) {
                        Thread.sleep(200);
                    }
                }
            }
            if (seen.contains(topic)) {
                r.report.principalNamed(r.topo.label, s.key() + " is " + principal);
            } else {
                r.fail(s, "principal check: the broker does not name the client " + principal
                        + " (a topic only it may Describe is not listed)", topic, null);
            }
        } catch (Exception e) {
            r.fail(s, "principal check", topic, TopologyRun.cause(e));
        }
    }
}
