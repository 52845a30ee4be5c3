// Over HTTPS from cognitod's development CA (trusted through
// NODE_EXTRA_CA_CERTS, no insecure switch anywhere): openid-client
// discovers the pool's issuer and runs a client_credentials grant, then
// aws-jwt-verify's JwtVerifier verifies the access token against the
// issuer's JWKS with Cognito's own claim checks (token_use, client_id,
// scope). Prints one JSON line of results.
//
// Env: ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPE.
import * as client from "openid-client";
import { JwtVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";

const { ISSUER, CLIENT_ID, CLIENT_SECRET, SCOPE } = process.env;
const out = {};

const config = await client.discovery(new URL(ISSUER), CLIENT_ID, CLIENT_SECRET);
const md = config.serverMetadata();
out.issuer = md.issuer;
out.tokenEndpoint = md.token_endpoint;
const tokens = await client.clientCredentialsGrant(config, { scope: SCOPE });
out.tokenType = tokens.token_type;

const verifier = JwtVerifier.create({
  issuer: ISSUER,
  audience: null, // Cognito access tokens carry client_id, not aud
  jwksUri: md.jwks_uri,
  scope: SCOPE,
  customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "access", clientId: CLIENT_ID }),
});
const payload = await verifier.verify(tokens.access_token);
out.verified = { iss: payload.iss, client_id: payload.client_id, token_use: payload.token_use, scope: payload.scope };

// The same checks must refuse what they should: another scope, another
// client, an ID-token use, and a token with its signature broken.
const refusals = {};
const attempt = async (name, v, token) => {
  try {
    await v.verify(token);
    refusals[name] = "accepted";
  } catch (e) {
    refusals[name] = e.constructor.name;
  }
};
await attempt("otherScope", JwtVerifier.create({ issuer: ISSUER, audience: null, jwksUri: md.jwks_uri, scope: "com.example.other/none" }), tokens.access_token);
await attempt("otherClient", JwtVerifier.create({ issuer: ISSUER, audience: null, jwksUri: md.jwks_uri,
  customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "access", clientId: "someoneelse" }) }), tokens.access_token);
await attempt("idTokenUse", JwtVerifier.create({ issuer: ISSUER, audience: null, jwksUri: md.jwks_uri,
  customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "id", clientId: CLIENT_ID }) }), tokens.access_token);
const [h, p, s] = tokens.access_token.split(".");
const flipped = s.slice(0, -2) + (s.at(-2) === "A" ? "B" : "A") + s.at(-1);
await attempt("badSignature", verifier, [h, p, flipped].join("."));
out.refusals = refusals;
console.log(JSON.stringify(out));
