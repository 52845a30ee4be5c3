// amazon-cognito-identity-js, unmodified: CognitoUser.authenticateUser with
// its default flow (USER_SRP_AUTH), answering newPasswordRequired with
// NEW_PASSWORD when it comes.
//
// Extra environment: NEW_PASSWORD (for a user with a temporary password),
// AUTH_FLOW (default USER_SRP_AUTH; USER_PASSWORD_AUTH also works).
// Prints {"flow", "newPasswordRequired", "idToken", "accessToken",
// "refreshToken", "username"} or {"error": ...}.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { env, print, printError } from "./lib.mjs";

const pool = new CognitoUserPool({
  UserPoolId: env("POOL_ID"),
  ClientId: env("CLIENT_ID"),
  endpoint: env("COGNITO_ENDPOINT"),
});
const user = new CognitoUser({ Username: env("USERNAME"), Pool: pool });
const flow = env("AUTH_FLOW", "USER_SRP_AUTH");
user.setAuthenticationFlowType(flow);
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
  });
} catch (err) {
  printError(err);
}
