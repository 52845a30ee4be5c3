// amazon-cognito-identity-js (unmodified) through forgot-password in two
// runs: PHASE=request calls forgotPassword and prints the delivery
// details; PHASE=confirm calls confirmPassword with WRONG_CODE, then
// with CODE (read by the test from the message sender), and signs in with
// the new password with the client's default flow (USER_SRP_AUTH; AUTH_FLOW
// overrides it). Prints one JSON line, with the operations the client sent
// (see recordCalls).
import cognito from "amazon-cognito-identity-js";
import { env, print, recordCalls } from "./lib.mjs";

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = cognito;
const calls = recordCalls();
const pool = new CognitoUserPool({ UserPoolId: env("POOL_ID"), ClientId: env("CLIENT_ID"), endpoint: env("COGNITO_ENDPOINT") });
const user = new CognitoUser({ Username: env("USERNAME"), Pool: pool });

if (env("PHASE") === "request") {
  const data = await new Promise((resolve, reject) => user.forgotPassword({
    onSuccess: resolve,
    onFailure: reject,
    inputVerificationCode: resolve,
  }));
  print({ delivery: data.CodeDeliveryDetails, calls });
} else {
  let wrongCode = null;
  try {
    await new Promise((resolve, reject) => user.confirmPassword(env("WRONG_CODE"), env("NEW_PASSWORD"), { onSuccess: resolve, onFailure: reject }));
  } catch (e) {
    wrongCode = { code: e.code || e.name, message: e.message };
  }
  const confirmed = await new Promise((resolve, reject) => user.confirmPassword(env("CODE"), env("NEW_PASSWORD"), { onSuccess: resolve, onFailure: reject }));
  if (process.env.AUTH_FLOW) user.setAuthenticationFlowType(process.env.AUTH_FLOW);
  const session = await new Promise((resolve, reject) => user.authenticateUser(
    new AuthenticationDetails({ Username: env("USERNAME"), Password: env("NEW_PASSWORD") }), { onSuccess: resolve, onFailure: reject }));
  print({ flow: user.getAuthenticationFlowType(), confirmed, wrongCode, signedIn: session.isValid(), calls });
}
