// Signs in with amazon-cognito-identity-js (unmodified), changes the
// password with changePassword (a wrong old password first), and signs in
// with the new one. The flow comes from AUTH_FLOW (USER_PASSWORD_AUTH by
// default; USER_SRP_AUTH once cognitod speaks SRP). Prints one JSON line.
import cognito from 'amazon-cognito-identity-js';

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = cognito;
const env = process.env;
const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.ENDPOINT });
const flow = env.AUTH_FLOW || 'USER_PASSWORD_AUTH';

function signIn(password) {
  const user = new CognitoUser({ Username: env.USERNAME, Pool: pool });
  user.setAuthenticationFlowType(flow);
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: env.USERNAME, Password: password }), {
      onSuccess: () => resolve(user),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });
}

function changePassword(user, oldPassword, newPassword) {
  return new Promise((resolve, reject) => user.changePassword(oldPassword, newPassword, (err, res) => (err ? reject(err) : resolve(res))));
}

const user = await signIn(env.PASSWORD);
let wrongOld = null;
try {
  await changePassword(user, 'Not-the-password-1', env.NEW_PASSWORD);
} catch (e) {
  wrongOld = { code: e.code || e.name, message: e.message };
}
const result = await changePassword(user, env.PASSWORD, env.NEW_PASSWORD);
let oldRefused = null;
try {
  await signIn(env.PASSWORD);
} catch (e) {
  oldRefused = { code: e.code || e.name, message: e.message };
}
const again = await signIn(env.NEW_PASSWORD);
console.log(JSON.stringify({ flow, result, wrongOld, oldRefused, signedInAgain: again.getSignInUserSession().isValid() }));
