// Shared by the scripts here: settings from the environment, and one JSON
// result line on stdout (the last line; runNode in jsclients_test.go reads
// it). A Cognito error is a result too ({"error": {"code", "message"}}),
// so that tests can check refusals; only a broken script exits non-zero.
//
// Environment: COGNITO_ENDPOINT (cognitod's URL), POOL_ID, CLIENT_ID,
// USERNAME, PASSWORD; script-specific ones are listed in each script.

export function env(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === "") {
    if (fallback !== undefined) return fallback;
    throw new Error(`set ${name}`);
  }
  return v;
}

export function print(result) {
  process.stdout.write("\n" + JSON.stringify(result) + "\n");
}

// printError prints a Cognito error as the result, with extra members.
export function printError(err, extra = {}) {
  print({ ...extra, error: { code: err.code || err.name || "Error", message: err.message || String(err) } });
}

// callCognito sends one cognito-idp operation as the AWS JSON 1.1
// protocol does, unsigned (the public operations).
export async function callCognito(endpoint, operation, body) {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const out = await res.json();
  if (res.status !== 200) {
    const e = new Error(out.message);
    e.code = (out.__type || "").split("#").pop();
    throw e;
  }
  return out;
}

// recordCalls wraps fetch to note every cognito-idp operation a client
// sends, with the AuthFlow or ChallengeName it names ("InitiateAuth
// USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"), so that a
// test can check which flow an unmodified client chose. It only reads the
// request; the client's own fetch does the rest.
export function recordCalls() {
  const calls = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
    const op = (headers.get("x-amz-target") || "").replace("AWSCognitoIdentityProviderService.", "");
    if (op) calls.push(describeCall(op, init.body));
    return realFetch(input, init);
  };
  return calls;
}

// describeCall names an operation with the flow or challenge in its body.
export function describeCall(op, body) {
  let detail = "";
  try {
    const b = JSON.parse(typeof body === "string" ? body : "");
    detail = b.AuthFlow || b.ChallengeName || "";
  } catch {
    // Not JSON: the operation alone.
  }
  return detail ? `${op} ${detail}` : op;
}
