// amazon-cognito-identity-js, unmodified, on a pool that requires MFA:
// CognitoUser.authenticateUser (USER_SRP_AUTH) and then
//
//   MODE=setup:  the mfaSetup callback, associateSoftwareToken with the
//                sign-in's session, a code from the secret computed by
//                otpauth, verifySoftwareToken (which answers MFA_SETUP);
//   MODE=signin: the totpRequired callback, answered with sendMFACode
//                (SOFTWARE_TOKEN_MFA) and a code otpauth computes from
//                SECRET.
//
// Extra environment: MODE, TOTP_TIME (the Unix milliseconds to compute
// the code at: the server's clock in the test), SECRET (signin). Prints
// {"mode", "callbacks", "secret", "accessToken", "idToken", "calls"} or
// {"error": ..., "callbacks", "calls"}.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import * as OTPAuth from "otpauth";
import { env, print, printError, recordCalls } from "./lib.mjs";

const calls = recordCalls();
const mode = env("MODE");
const at = Number(env("TOTP_TIME"));
const code = (secret) =>
  new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: at });

const pool = new CognitoUserPool({ UserPoolId: env("POOL_ID"), ClientId: env("CLIENT_ID"), endpoint: env("COGNITO_ENDPOINT") });
const user = new CognitoUser({ Username: env("USERNAME"), Pool: pool });
const callbacksSeen = [];
let secret;

try {
  const session = await new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      mfaSetup() {
        callbacksSeen.push("mfaSetup");
        if (mode !== "setup") return reject(new Error("unexpected mfaSetup"));
        user.associateSoftwareToken({
          onFailure: reject,
          associateSecretCode(s) {
            callbacksSeen.push("associateSecretCode");
            secret = s;
            user.verifySoftwareToken(code(s), "node authenticator", { onSuccess: resolve, onFailure: reject });
          },
        });
      },
      totpRequired() {
        callbacksSeen.push("totpRequired");
        if (mode !== "signin") return reject(new Error("unexpected totpRequired"));
        user.sendMFACode(code(env("SECRET")), { onSuccess: resolve, onFailure: reject }, "SOFTWARE_TOKEN_MFA");
      },
      mfaRequired() {
        callbacksSeen.push("mfaRequired");
        reject(new Error("unexpected mfaRequired"));
      },
      selectMFAType() {
        callbacksSeen.push("selectMFAType");
        reject(new Error("unexpected selectMFAType"));
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: env("USERNAME"), Password: env("PASSWORD") }), callbacks);
  });
  print({
    mode,
    callbacks: callbacksSeen,
    secret,
    accessToken: session.getAccessToken().getJwtToken(),
    idToken: session.getIdToken().getJwtToken(),
    calls,
  });
} catch (err) {
  printError(err, { mode, callbacks: callbacksSeen, calls });
}
