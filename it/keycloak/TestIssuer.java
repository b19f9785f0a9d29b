/*
 * Throwaway issuer for the Keycloak federation harness. Independent of the engine on purpose: it only
 * needs nimbus-jose-jwt on the class path and runs as a single-file Java program (Java 17+):
 *
 *   java -cp nimbus-jose-jwt.jar TestIssuer.java keygen  KEY.jwk
 *   java -cp ... TestIssuer.java publish WWWDIR ISSUER_URL KEY.jwk [KEY.jwk...]
 *   java -cp ... TestIssuer.java mint KEY.jwk --iss URL --sub S --aud A[,B] [options]
 *
 * keygen writes a private RSA-2048 JWK whose kid is its RFC 7638 thumbprint and prints the kid.
 * publish writes WWWDIR/jwks.json (public halves only) and WWWDIR/.well-known/openid-configuration.
 * mint prints a compact RS256 JWT. Options (times in seconds, relative to now):
 *   --iat-offset N   iat = now + N (default 0)      --no-iat   leave iat out
 *   --nbf-offset N   nbf = now + N (default 0)      --no-nbf   leave nbf out
 *   --exp-in N       exp = now + N (default 120)    --no-exp   leave exp out
 *   --jti J          jti = J (default random UUID)  --no-jti   leave jti out
 *   --kid K          put K in the header instead of the key's own kid
 *   --aud-array      always encode aud as a JSON array, even with one value
 */

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

public class TestIssuer {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "keygen" -> keygen(args);
            case "publish" -> publish(args);
            case "mint" -> mint(args);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: TestIssuer keygen KEY.jwk | publish WWWDIR ISSUER KEY.jwk... | mint KEY.jwk --iss I --sub S --aud A [options]");
        System.exit(2);
    }

    private static void keygen(String[] args) throws Exception {
        if (args.length != 2) usage();
        RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
        // kid = RFC 7638 thumbprint (SHA-256, base64url) of the public key, as the engine does.
        String kid = generated.computeThumbprint().toString();
        RSAKey key = new RSAKey.Builder(generated).keyID(kid).build();
        Path out = Path.of(args[1]);
        Files.writeString(out, key.toJSONString(), StandardCharsets.UTF_8);
        System.out.println(kid);
    }

    private static void publish(String[] args) throws Exception {
        if (args.length < 4) usage();
        Path www = Path.of(args[1]);
        String issuer = args[2];
        List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            keys.add(RSAKey.parse(Files.readString(Path.of(args[i]))).toPublicJWK());
        }
        Files.createDirectories(www.resolve(".well-known"));
        // Write then rename, so a concurrent reader never sees a half-written JWKS.
        writeAtomically(www.resolve("jwks.json"), new JWKSet(keys).toString(true));
        String discovery = "{\n"
                + "  \"issuer\": \"" + issuer + "\",\n"
                + "  \"jwks_uri\": \"" + issuer + "/jwks.json\",\n"
                + "  \"id_token_signing_alg_values_supported\": [\"RS256\"],\n"
                + "  \"subject_types_supported\": [\"public\"],\n"
                + "  \"response_types_supported\": [\"id_token\"]\n"
                + "}\n";
        writeAtomically(www.resolve(".well-known").resolve("openid-configuration"), discovery);
    }

    private static void writeAtomically(Path target, String content) throws Exception {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void mint(String[] args) throws Exception {
        if (args.length < 2) usage();
        RSAKey key = RSAKey.parse(Files.readString(Path.of(args[1])));
        String iss = null, sub = null, aud = null, jti = UUID.randomUUID().toString(), kid = key.getKeyID();
        long iatOffset = 0, nbfOffset = 0, expIn = 120;
        boolean withIat = true, withNbf = true, withExp = true, withJti = true, audArray = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--iss" -> iss = args[++i];
                case "--sub" -> sub = args[++i];
                case "--aud" -> aud = args[++i];
                case "--jti" -> jti = args[++i];
                case "--kid" -> kid = args[++i];
                case "--iat-offset" -> iatOffset = Long.parseLong(args[++i]);
                case "--nbf-offset" -> nbfOffset = Long.parseLong(args[++i]);
                case "--exp-in" -> expIn = Long.parseLong(args[++i]);
                case "--no-iat" -> withIat = false;
                case "--no-nbf" -> withNbf = false;
                case "--no-exp" -> withExp = false;
                case "--no-jti" -> withJti = false;
                case "--aud-array" -> audArray = true;
                default -> usage();
            }
        }
        long now = System.currentTimeMillis() / 1000;
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        if (iss != null) claims.issuer(iss);
        if (sub != null) claims.subject(sub);
        if (aud != null) {
            List<String> auds = Arrays.asList(aud.split(","));
            claims.audience(auds);
        }
        if (withIat) claims.issueTime(new Date((now + iatOffset) * 1000));
        if (withNbf) claims.notBeforeTime(new Date((now + nbfOffset) * 1000));
        if (withExp) claims.expirationTime(new Date((now + expIn) * 1000));
        if (withJti) claims.jwtID(jti);
        java.util.Map<String, Object> payload = claims.build().toJSONObject();
        if (audArray && aud != null && !aud.contains(",")) {
            // Nimbus serialises a single audience as a plain string; force the array form.
            payload.put("aud", List.of(aud));
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build();
        JWSObject jws = new JWSObject(header, new Payload(payload));
        jws.sign(new RSASSASigner(key));
        System.out.println(jws.serialize());
    }
}
