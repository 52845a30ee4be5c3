// Signs a user in with amazon-cognito-identity-js, as an app written for a
// Cognito user pool does: its default flow is USER_SRP_AUTH, so the password
// never leaves this process. The only change for cognitod is `endpoint`.
//
//   node signin.mjs <endpoint> <user pool ID> <app client ID> <username> <password>
//
// It prints the ID token's cognito:username and cognito:groups and the
// access token's scope, as one JSON line.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

const [endpoint, userPoolId, clientId, username, password] = process.argv.slice(2);
if (!password) {
  console.error('usage: node signin.mjs <endpoint> <user pool ID> <app client ID> <username> <password>');
  process.exit(2);
}
const pool = new CognitoUserPool({ UserPoolId: userPoolId, ClientId: clientId, endpoint });
const user = new CognitoUser({ Username: username, Pool: pool });
user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
  onSuccess(session) {
    const id = session.getIdToken().decodePayload();
    const access = session.getAccessToken().decodePayload();
    console.log(JSON.stringify({
      username: id['cognito:username'],
      groups: id['cognito:groups'] ?? [],
      scope: access.scope,
    }));
  },
  onFailure(err) {
    console.error(`${err.code}: ${err.message}`);
    process.exit(1);
  },
  newPasswordRequired() {
    console.error('the user must choose a new password first (FORCE_CHANGE_PASSWORD)');
    process.exit(1);
  },
});
