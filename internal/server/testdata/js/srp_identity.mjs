// amazon-cognito-identity-js, unmodified: CognitoUser.authenticateUser with
// its default flow (USER_SRP_AUTH), answering newPasswordRequired with
// NEW_PASSWORD when it comes.
//
// Extra environment: NEW_PASSWORD (for a user with a temporary password),
// AUTH_FLOW (unset: the library's default, USER_SRP_AUTH; when set, passed
// to setAuthenticationFlowType). Prints {"flow", "newPasswordRequired",
// "idToken", "accessToken", "refreshToken", "username", "calls"} or
// {"error": ..., "calls"}; calls are the operations the client sent (see
// recordCalls).
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { env, print, printError, recordCalls } from "./lib.mjs";

const calls = recordCalls();

const pool = new CognitoUserPool({
  UserPoolId: env("POOL_ID"),
  ClientId: env("CLIENT_ID"),
  endpoint: env("COGNITO_ENDPOINT"),
});
const user = new CognitoUser({ Username: env("USERNAME"), Pool: pool });
if (process.env.AUTH_FLOW) user.setAuthenticationFlowType(process.env.AUTH_FLOW);
const flow = user.getAuthenticationFlowType();
let newPasswordRequired = false;

try {
  const session = await new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired(userAttributes) {
        newPasswordRequired = true;
        delete userAttributes.email_verified;
        delete userAttributes.email;
        user.completeNewPasswordChallenge(env("NEW_PASSWORD"), {}, callbacks);
      },
    };
    user.authenticateUser(
      new AuthenticationDetails({ Username: env("USERNAME"), Password: env("PASSWORD") }),
      callbacks,
    );
  });
  print({
    flow,
    newPasswordRequired,
    username: user.getUsername(),
    idToken: session.getIdToken().getJwtToken(),
    accessToken: session.getAccessToken().getJwtToken(),
    refreshToken: session.getRefreshToken().getToken(),
    calls,
  });
} catch (err) {
  printError(err, { calls });
}
