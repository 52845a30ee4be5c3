// Amplify v6, unmodified: signIn with its default flow (USER_SRP_AUTH),
// or USER_AUTH with a preferred challenge; confirmSignIn with NEW_PASSWORD
// when the user must choose one; then fetchAuthSession for the tokens.
// Node has no localStorage: Amplify then keeps its tokens in memory.
//
// Extra environment: NEW_PASSWORD, AUTH_FLOW (unset: Amplify's default,
// USER_SRP_AUTH; or USER_AUTH, USER_PASSWORD_AUTH, passed as
// authFlowType), PREFERRED_CHALLENGE (PASSWORD or PASSWORD_SRP, for
// USER_AUTH; without it Amplify gets SELECT_CHALLENGE and this script
// answers with SELECT_ANSWER, default PASSWORD_SRP).
// Prints {"flow", "steps", "idToken", "accessToken", "username", "calls"}
// or {"error": ..., "calls"}; calls are the operations Amplify sent (see
// recordCalls).
import { Amplify } from "aws-amplify";
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn } from "aws-amplify/auth";
import { env, print, printError, recordCalls } from "./lib.mjs";

const calls = recordCalls();

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: env("POOL_ID"),
      userPoolClientId: env("CLIENT_ID"),
      userPoolEndpoint: env("COGNITO_ENDPOINT"),
    },
  },
});

const flow = process.env.AUTH_FLOW || "";
const steps = [];
try {
  const options = flow ? { authFlowType: flow } : {};
  const preferred = process.env.PREFERRED_CHALLENGE;
  if (preferred) options.preferredChallenge = preferred;
  const input = { username: env("USERNAME"), options };
  if (flow !== "USER_AUTH" || preferred) input.password = env("PASSWORD");
  let out = await signIn(input);
  for (let i = 0; i < 4 && !out.isSignedIn; i++) {
    const step = out.nextStep.signInStep;
    steps.push(step);
    if (step === "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED") {
      out = await confirmSignIn({ challengeResponse: env("NEW_PASSWORD") });
    } else if (step === "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION") {
      steps.push("available:" + (out.nextStep.availableChallenges || []).join(","));
      const answer = env("SELECT_ANSWER", "PASSWORD_SRP");
      out = await confirmSignIn(answer === "PASSWORD_SRP" || answer === "PASSWORD"
        ? { challengeResponse: answer, options: {} } : { challengeResponse: answer });
      if (!out.isSignedIn && out.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_PASSWORD") {
        steps.push(out.nextStep.signInStep);
        out = await confirmSignIn({ challengeResponse: env("PASSWORD") });
      }
    } else if (step === "CONFIRM_SIGN_IN_WITH_PASSWORD") {
      out = await confirmSignIn({ challengeResponse: env("PASSWORD") });
    } else {
      throw new Error(`unexpected sign-in step ${step}`);
    }
  }
  const session = await fetchAuthSession();
  const user = await getCurrentUser();
  print({
    flow,
    steps,
    username: user.username,
    idToken: session.tokens.idToken.toString(),
    accessToken: session.tokens.accessToken.toString(),
    calls,
  });
} catch (err) {
  printError(err, { calls });
}
