// Independent verification of a run identity token with panva/jose: fetches the issuer's discovery document and
// JWKS over HTTP, verifies signature, issuer and audience, asks the issuer's introspection endpoint, and prints one
// JSON line. Usage: node verify.mjs ISSUER_URL AUDIENCE TOKEN_FILE
import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';

const [issuer, audience, tokenFile] = process.argv.slice(2);
const token = readFileSync(tokenFile, 'utf8').trim();
const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
if (discovery.issuer !== issuer) throw new Error(`discovery names issuer ${discovery.issuer}`);
const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
const { payload, protectedHeader } = await jwtVerify(token, jwks, {
  issuer, audience, algorithms: ['RS256', 'ES256'], requiredClaims: ['exp', 'iat', 'jti', 'sub', 'nbf'],
});
const introspection = await (await fetch(discovery.introspection_endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ token }),
})).json();
console.log(JSON.stringify({ verified: true, header: protectedHeader, payload, active: introspection.active,
  kidMatches: decodeProtectedHeader(token).kid === protectedHeader.kid }));
