// amazon-cognito-identity-js (unmodified) through forgot-password in two
// runs: PHASE=request calls forgotPassword and prints the delivery
// details; PHASE=confirm calls confirmPassword with CODE (read by the test
// from the message sender) and signs in with the new password (flow from
// AUTH_FLOW, USER_PASSWORD_AUTH by default). Prints one JSON line.
import cognito from 'amazon-cognito-identity-js';

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = cognito;
const env = process.env;
const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.ENDPOINT });
const flow = env.AUTH_FLOW || 'USER_PASSWORD_AUTH';
const user = new CognitoUser({ Username: env.USERNAME, Pool: pool });

if (env.PHASE === 'request') {
  const data = await new Promise((resolve, reject) => user.forgotPassword({
    onSuccess: resolve,
    onFailure: reject,
    inputVerificationCode: resolve,
  }));
  console.log(JSON.stringify({ delivery: data.CodeDeliveryDetails }));
} else {
  let wrongCode = null;
  try {
    await new Promise((resolve, reject) => user.confirmPassword('000000x', env.NEW_PASSWORD, { onSuccess: resolve, onFailure: reject }));
  } catch (e) {
    wrongCode = { code: e.code || e.name, message: e.message };
  }
  const confirmed = await new Promise((resolve, reject) => user.confirmPassword(env.CODE, env.NEW_PASSWORD, { onSuccess: resolve, onFailure: reject }));
  user.setAuthenticationFlowType(flow);
  const session = await new Promise((resolve, reject) => user.authenticateUser(
    new AuthenticationDetails({ Username: env.USERNAME, Password: env.NEW_PASSWORD }), { onSuccess: resolve, onFailure: reject }));
  console.log(JSON.stringify({ flow, confirmed, wrongCode, signedIn: session.isValid() }));
}
