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

export function printError(err) {
  print({ error: { code: err.code || err.name || "Error", message: err.message || String(err) } });
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
