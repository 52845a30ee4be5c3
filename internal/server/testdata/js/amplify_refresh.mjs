// Amplify v6 signs in and forces a token refresh against cognitod; the
// result records which operations Amplify called, read off the requests
// it sent (a wrapper around fetch that only looks at X-Amz-Target and the
// body's AuthFlow or ChallengeName, see describeCall).
//
// Environment: COGNITO_ENDPOINT, POOL_ID, CLIENT_ID, USERNAME, PASSWORD,
// and AUTH_FLOW: the signIn authFlowType (unset: Amplify's default,
// USER_SRP_AUTH). Node 20 needs no storage shim: Amplify falls back to
// in-memory storage when there is no window.localStorage.
import { Amplify } from "aws-amplify";
import { signIn, fetchAuthSession } from "aws-amplify/auth";
import { describeCall, env, print } from "./lib.mjs";

const calls = [];
let newRefreshToken = null;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
  const op = (headers.get("x-amz-target") || "").replace("AWSCognitoIdentityProviderService.", "");
  if (op) calls.push(describeCall(op, init.body));
  const resp = await realFetch(input, init);
  if (op === "GetTokensFromRefreshToken" && resp.ok) {
    const body = await resp.clone().json();
    newRefreshToken = Boolean(body.AuthenticationResult && body.AuthenticationResult.RefreshToken);
  }
  return resp;
};

Amplify.configure({
  Auth: { Cognito: { userPoolId: env("POOL_ID"), userPoolClientId: env("CLIENT_ID"), userPoolEndpoint: env("COGNITO_ENDPOINT") } },
});

const options = process.env.AUTH_FLOW ? { authFlowType: process.env.AUTH_FLOW } : {};
const signedIn = await signIn({ username: env("USERNAME"), password: env("PASSWORD"), options });
const before = await fetchAuthSession();
const refreshed = await fetchAuthSession({ forceRefresh: true });
const payload = (t) => (t ? t.payload : null);
print({
  signedIn: signedIn.isSignedIn,
  step: signedIn.nextStep && signedIn.nextStep.signInStep,
  calls,
  newRefreshToken,
  accessBefore: before.tokens && before.tokens.accessToken.toString(),
  accessAfter: refreshed.tokens && refreshed.tokens.accessToken.toString(),
  idAfter: payload(refreshed.tokens && refreshed.tokens.idToken),
});
