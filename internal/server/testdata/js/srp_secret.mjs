// cognito-srp-helper, unmodified, for SRP with a client secret: it computes
// SRP_A, SECRET_HASH and the PASSWORD_CLAIM_SIGNATURE; this script sends
// InitiateAuth (USER_SRP_AUTH) and RespondToAuthChallenge
// (PASSWORD_VERIFIER) over HTTP.
//
// Extra environment: CLIENT_SECRET (optional), ADMIN=1 is not supported
// here (AdminInitiateAuth must be signed). Prints {"idToken",
// "accessToken", "refreshToken", "userIdForSrp"} or {"error": ...}.
import {
  createSecretHash, createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth,
} from "cognito-srp-helper";
import { callCognito, env, print, printError } from "./lib.mjs";

const endpoint = env("COGNITO_ENDPOINT");
const poolId = env("POOL_ID");
const clientId = env("CLIENT_ID");
const username = env("USERNAME");
const secret = process.env.CLIENT_SECRET || "";

try {
  const srpSession = createSrpSession(username, env("PASSWORD"), poolId, false);
  const authParameters = { USERNAME: username };
  if (secret) authParameters.SECRET_HASH = createSecretHash(username, clientId, secret);
  const initiated = await callCognito(endpoint, "InitiateAuth", wrapInitiateAuth(srpSession, {
    ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: authParameters,
  }));
  const signed = signSrpSession(srpSession, initiated);
  // Cognito wants USERNAME (and SECRET_HASH over it) as USER_ID_FOR_SRP.
  const userId = initiated.ChallengeParameters.USER_ID_FOR_SRP;
  const responses = { USERNAME: userId };
  if (secret) responses.SECRET_HASH = createSecretHash(userId, clientId, secret);
  const answered = await callCognito(endpoint, "RespondToAuthChallenge", wrapAuthChallenge(signed, {
    ClientId: clientId, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: responses,
  }));
  const r = answered.AuthenticationResult || {};
  print({
    challengeName: answered.ChallengeName || "",
    userIdForSrp: userId,
    idToken: r.IdToken || "",
    accessToken: r.AccessToken || "",
    refreshToken: r.RefreshToken || "",
  });
} catch (err) {
  printError(err);
}
