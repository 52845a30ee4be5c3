// amazon-cognito-identity-js, unmodified: signs in with its default flow
// (USER_SRP_AUTH), changes the password with changePassword (a wrong old
// password first), is refused with the old password, and signs in with
// the new one. AUTH_FLOW, when set, is passed to setAuthenticationFlowType
// instead of the default. Prints one JSON line: the flow, the result, the
// two refusals, and the operations the client sent (see recordCalls).
import cognito from "amazon-cognito-identity-js";
import { env, print, recordCalls } from "./lib.mjs";

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = cognito;
const calls = recordCalls();
const pool = new CognitoUserPool({ UserPoolId: env("POOL_ID"), ClientId: env("CLIENT_ID"), endpoint: env("COGNITO_ENDPOINT") });
let flow = "";

function signIn(password) {
  const user = new CognitoUser({ Username: env("USERNAME"), Pool: pool });
  if (process.env.AUTH_FLOW) user.setAuthenticationFlowType(process.env.AUTH_FLOW);
  flow = user.getAuthenticationFlowType();
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: env("USERNAME"), Password: password }), {
      onSuccess: () => resolve(user),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error("unexpected NEW_PASSWORD_REQUIRED")),
    });
  });
}

function changePassword(user, oldPassword, newPassword) {
  return new Promise((resolve, reject) => user.changePassword(oldPassword, newPassword, (err, res) => (err ? reject(err) : resolve(res))));
}

const refusal = (e) => ({ code: e.code || e.name, message: e.message });

const user = await signIn(env("PASSWORD"));
let wrongOld = null;
try {
  await changePassword(user, "Not-the-password-1", env("NEW_PASSWORD"));
} catch (e) {
  wrongOld = refusal(e);
}
const result = await changePassword(user, env("PASSWORD"), env("NEW_PASSWORD"));
let oldRefused = null;
try {
  await signIn(env("PASSWORD"));
} catch (e) {
  oldRefused = refusal(e);
}
const again = await signIn(env("NEW_PASSWORD"));
print({ flow, result, wrongOld, oldRefused, signedInAgain: again.getSignInUserSession().isValid(), calls });
