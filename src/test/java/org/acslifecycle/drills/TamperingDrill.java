package org.acslifecycle.drills;

import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.acslifecycle.emulators.acs.HandSigner;
import org.acslifecycle.emulators.servicebus.SasTokens;
import org.acslifecycle.emulators.servicebus.TestTopologies;

/**
 * Credentials tampered with, against the running emulators: ACS requests hand-signed by the published HMAC scheme
 * ({@link HandSigner}) then altered (a signature character changed, the {@code x-ms-content-sha256} of another body,
 * an {@code x-ms-date} outside the allowed skew, signed with a key that is not the resource's), and Service Bus
 * sends through the real SDK with a SAS key that is not the namespace's, an expired token and a token whose expiry
 * was extended after signing ({@link SasTokens}). Must show: every tampered request refused (ACS 401, Service Bus
 * UNAUTHORIZED) and none of them taking effect (no identity made, no message enqueued), while a correctly signed
 * control of each kind succeeds, so that the refusals are the tampering's and not a broken client's.
 */
final class TamperingDrill implements Drill {

    private static final String CREATE = "/identities?api-version=2022-10-01";
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_BODY = "{\"createTokenWithScopes\":[\"chat\"]}".getBytes(StandardCharsets.UTF_8);

    @Override
    public String name() {
        return "tampering";
    }

    /** How many requests of one kind were sent and how many of them were refused. */
    record Tally(String kind, int sent, int refused) {
        @Override
        public String toString() {
            return kind + " " + refused + "/" + sent;
        }
    }

    @Override
    public DrillResult run(DrillContext context) throws Exception {
        long started = System.nanoTime();
        int perKind = context.scale().tamperedPerKind();
        Random random = new Random(context.seed());
        try (DrillRig rig = context.rig(context.defaultRig())) {
            HandSigner signer = new HandSigner(rig.acs());
            Duration skew = rig.acs().config().maxDateSkew();
            String wrongAcsKey = Base64.getEncoder().encodeToString(randomBytes(random, 32));
            List<Tally> acs = List.of(
                    acsKind("signature", perKind, i -> {
                        Map<String, String> headers = signed(signer, Instant.now());
                        headers.put("Authorization", alterSignature(headers.get("Authorization"), i));
                        return signer.send("POST", CREATE, BODY, headers).statusCode();
                    }),
                    acsKind("content hash", perKind, i -> {
                        Map<String, String> headers = signed(signer, Instant.now());
                        headers.put("x-ms-content-sha256", Base64.getEncoder().encodeToString(sha256(OTHER_BODY)));
                        return signer.send("POST", CREATE, BODY, headers).statusCode();
                    }),
                    acsKind("date", perKind, i -> {
                        // Signed correctly, but for a moment outside the skew the service allows, either side.
                        Duration off = skew.plusMinutes(1 + i);
                        Instant date = i % 2 == 0 ? Instant.now().minus(off) : Instant.now().plus(off);
                        return signer.send("POST", CREATE, BODY, signed(signer, date)).statusCode();
                    }),
                    acsKind("access key", perKind, i -> signer.send("POST", CREATE, BODY, signer.sign("POST", CREATE,
                            BODY, Instant.now(), signer.wireHost(), wrongAcsKey)).statusCode()));
            int identitiesAfterTampering = rig.acs().identities().size();
            int acsControl = signer.send("POST", CREATE, BODY, signed(signer, Instant.now())).statusCode();

            String connectionString = rig.serviceBus().connectionString();
            String endpoint = DrillRig.connectionStringField(connectionString, "Endpoint").orElseThrow();
            String keyName = DrillRig.connectionStringField(connectionString, "SharedAccessKeyName").orElseThrow();
            String key = DrillRig.connectionStringField(connectionString, "SharedAccessKey").orElseThrow();
            String sr = URLEncoder.encode(endpoint.replace("sb://", "amqp://") + "/" + rig.queue(), StandardCharsets.UTF_8);
            long valid = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
            List<Tally> serviceBus = List.of(
                    busKind("SAS key", perKind, i -> refused(rig, connectionString.replace("SharedAccessKey=" + key,
                            "SharedAccessKey=" + Base64.getEncoder().encodeToString(randomBytes(random, 32))))),
                    busKind("expired token", perKind, i -> refused(rig, sasConnectionString(endpoint,
                            SasTokens.token(keyName, key, sr, Instant.now().minusSeconds(1 + 60L * i).getEpochSecond())))),
                    busKind("extended token", perKind, i -> refused(rig, sasConnectionString(endpoint,
                            SasTokens.token(keyName, key, sr, valid).replace("&se=" + valid, "&se=" + (valid + 1 + i))))));
            int enqueuedByTampering = rig.queueSize();
            String controlToken = SasTokens.token(keyName, key, sr, valid);
            context.secrets().add("Service Bus SAS token", controlToken);
            boolean busControlRefused = refused(rig, sasConnectionString(endpoint, controlToken));
            int enqueuedByControl = rig.queueSize() - enqueuedByTampering;

            OracleVerdict verdict = new OracleVerdict(0, 0, 0, List.of());
            for (Tally tally : concat(acs, serviceBus)) {
                verdict = verdict.expect(tally.refused() == tally.sent(), (tally.sent() - tally.refused()) + " of "
                        + tally.sent() + " tampered (" + tally.kind() + ") not refused");
            }
            verdict = verdict
                    .expect(identitiesAfterTampering == 0, identitiesAfterTampering + " identities made by tampered requests")
                    .expect(enqueuedByTampering == 0, enqueuedByTampering + " messages enqueued by tampered sends")
                    .expect(acsControl == 201, "the correctly signed ACS control was answered " + acsControl)
                    .expect(!busControlRefused && enqueuedByControl == 1, "the correctly signed Service Bus control was "
                            + (busControlRefused ? "refused" : "sent") + ", " + enqueuedByControl + " enqueued");
            int sent = concat(acs, serviceBus).stream().mapToInt(Tally::sent).sum();
            String faults = "refused/sent: ACS (401) " + join(acs) + "; Service Bus (unauthorized) " + join(serviceBus)
                    + "; controls " + (acsControl == 201 && !busControlRefused ? "accepted" : "NOT accepted");
            return DrillResult.of(name(), sent + " tampered requests + 2 signed controls", faults, verdict,
                    Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /** One kind of request, sent {@code count} times; refused when the emulator answered 401. */
    private interface Attempt {
        int statusOf(int i) throws Exception;
    }

    private static Tally acsKind(String kind, int count, Attempt attempt) throws Exception {
        int refused = 0;
        for (int i = 0; i < count; i++) {
            refused += attempt.statusOf(i) == 401 ? 1 : 0;
        }
        return new Tally(kind, count, refused);
    }

    private static Tally busKind(String kind, int count, IntPredicate refusedAt) {
        int refused = 0;
        for (int i = 0; i < count; i++) {
            refused += refusedAt.test(i) ? 1 : 0;
        }
        return new Tally(kind, count, refused);
    }

    /** Sends one message through the SDK on {@code connectionString}: true when it is refused as unauthorized. */
    private static boolean refused(DrillRig rig, String connectionString) {
        try (ServiceBusSenderClient sender = TestTopologies.client(connectionString).sender().queueName(rig.queue())
                .buildClient()) {
            sender.sendMessage(new ServiceBusMessage("tampering drill").setSessionId("tampering"));
            return false;
        } catch (ServiceBusException e) {
            return e.getReason() == ServiceBusFailureReason.UNAUTHORIZED;
        }
    }

    private static String sasConnectionString(String endpoint, String token) {
        return "Endpoint=" + endpoint + ";SharedAccessSignature=" + token + ";UseDevelopmentEmulator=true;";
    }

    private static Map<String, String> signed(HandSigner signer, Instant date) {
        return new LinkedHashMap<>(signer.sign("POST", CREATE, BODY, date, signer.wireHost()));
    }

    /** The Authorization header with one character of its signature changed, at a place that moves with {@code i}. */
    private static String alterSignature(String authorization, int i) {
        int start = authorization.indexOf("Signature=") + "Signature=".length();
        int at = start + i % (authorization.length() - start - 1);
        char replaced = authorization.charAt(at) == 'A' ? 'B' : 'A';
        return authorization.substring(0, at) + replaced + authorization.substring(at + 1);
    }

    private static byte[] sha256(byte[] body) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(body);
    }

    private static byte[] randomBytes(Random random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static List<Tally> concat(List<Tally> first, List<Tally> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    private static String join(List<Tally> tallies) {
        return tallies.stream().map(Tally::toString).collect(Collectors.joining(", "));
    }
}
