// Over HTTPS from cognitod's development CA (NODE_EXTRA_CA_CERTS, no
// insecure switch): openid-client discovers the issuer, builds the
// authorization URL (PKCE, nonce, state), the script signs in on the
// hosted login page the way a browser's form post would, and
// openid-client exchanges the code, validating the ID token's claims
// (iss, aud, exp, nonce); aws-jwt-verify's JwtVerifier then verifies the
// ID token's signature with Cognito's ID-token checks. Prints one JSON line.
//
// Env: ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, USERNAME, PASSWORD.
import * as client from "openid-client";
import { JwtVerifier } from "aws-jwt-verify";
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";

const { ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, USERNAME, PASSWORD } = process.env;
const config = await client.discovery(new URL(ISSUER), CLIENT_ID, CLIENT_SECRET);
const verifier = client.randomPKCECodeVerifier();
const nonce = client.randomNonce();
const state = client.randomState();
const authURL = client.buildAuthorizationUrl(config, {
  redirect_uri: REDIRECT_URI, scope: "openid email", state, nonce,
  code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
});

// A minimal browser: one cookie jar for the server's origin, no redirects
// followed past the server.
const jar = new Map();
const remember = (resp) => {
  for (const c of resp.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
};
const cookies = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
const step = async (url, init = {}) => {
  const resp = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, cookie: cookies() } });
  remember(resp);
  return resp;
};

let resp = await step(authURL);
if (resp.status !== 302) throw new Error(`authorize: ${resp.status} ${await resp.text()}`);
const loginURL = new URL(resp.headers.get("location"), authURL);
resp = await step(loginURL);
const page = await resp.text();
const csrf = page.match(/name="_csrf" value="([^"]*)"/)?.[1];
if (resp.status !== 200 || !csrf) throw new Error(`login page: ${resp.status} ${page.slice(0, 300)}`);
// The form's action as a browser reads the attribute (entities decoded).
const unescape = (s) => s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const action = new URL(unescape(page.match(/action="([^"]*)"/)[1]), loginURL);
resp = await step(action, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", origin: loginURL.origin, "sec-fetch-site": "same-origin" },
  body: new URLSearchParams({ _csrf: csrf, username: USERNAME, password: PASSWORD }),
});
if (resp.status !== 302) throw new Error(`sign-in: ${resp.status} ${(await resp.text()).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").slice(0, 400)}`);
const callback = new URL(resp.headers.get("location"));

const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state });
const claims = tokens.claims();
const idVerifier = JwtVerifier.create({
  issuer: ISSUER, audience: CLIENT_ID, jwksUri: config.serverMetadata().jwks_uri,
  customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "id", clientId: CLIENT_ID }),
});
const verified = await idVerifier.verify(tokens.id_token);
console.log(JSON.stringify({
  authorizationEndpoint: config.serverMetadata().authorization_endpoint,
  claims: { iss: claims.iss, aud: claims.aud, nonce: claims.nonce, email: claims.email, token_use: claims.token_use },
  verifiedSub: verified.sub, subMatches: verified.sub === claims.sub,
}));
