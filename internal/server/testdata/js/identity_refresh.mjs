// amazon-cognito-identity-js, unmodified: signs in with its default flow
// (USER_SRP_AUTH), refreshes with CognitoUser.refreshSession and the
// session's refresh token, then signs out everywhere (globalSignOut, with
// the refreshed access token). AUTH_FLOW, when set, is passed to
// setAuthenticationFlowType instead of the default.
// Prints {"flow", "before", "after", "calls"}: the tokens before and after
// the refresh, and the operations the client sent (see recordCalls). The
// test tries the refresh token after the sign-out itself: the library
// retries a refused refresh for seconds.
import cognito from "amazon-cognito-identity-js";
import { env, print, recordCalls } from "./lib.mjs";

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = cognito;
const calls = recordCalls();
const pool = new CognitoUserPool({ UserPoolId: env("POOL_ID"), ClientId: env("CLIENT_ID"), endpoint: env("COGNITO_ENDPOINT") });
const user = new CognitoUser({ Username: env("USERNAME"), Pool: pool });
if (process.env.AUTH_FLOW) user.setAuthenticationFlowType(process.env.AUTH_FLOW);

const tokens = (s) => ({
  idToken: s.getIdToken().getJwtToken(),
  accessToken: s.getAccessToken().getJwtToken(),
  refreshToken: s.getRefreshToken().getToken(),
});

const session = await new Promise((resolve, reject) => user.authenticateUser(
  new AuthenticationDetails({ Username: env("USERNAME"), Password: env("PASSWORD") }),
  { onSuccess: resolve, onFailure: reject, newPasswordRequired: () => reject(new Error("unexpected NEW_PASSWORD_REQUIRED")) },
));
const refreshToken = session.getRefreshToken();
const refreshed = await new Promise((resolve, reject) => user.refreshSession(refreshToken, (err, s) => (err ? reject(err) : resolve(s))));
await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
print({ flow: user.getAuthenticationFlowType(), before: tokens(session), after: tokens(refreshed), calls });
