// Package iam owns IAM-style policy documents: parsing them (with the
// bounds and the refusals a stored security setting needs) and evaluating
// one against a request, following AWS's documented logic for identity-based
// policies: an explicit Deny wins, then an Allow, otherwise the request is
// implicitly denied.
//
// It knows nothing of cognitod's operations or storage: callers give it the
// action ("cognito-idp:ListUserPools"), the resource ARN and the request
// context (source IP, time, TLS).
//
// Anything the evaluator would not enforce (an unknown element, condition
// operator or condition key, an action of another service) is refused when
// the policy is parsed: a policy that is stored but not enforced as written
// is a security bug, so there is no "ignore what you do not understand".
package iam
