// Package awsjson serves the cognito-idp admin API: the AWS JSON 1.1
// protocol on POST /, with X-Amz-Target naming the operation.
//
// It owns the protocol: the dispatch table from operation name to
// [cognito.Service] method, SigV4 authentication of signed operations
// (through internal/sigv4), decoding request bodies
// (SerializationException, UnknownOperationException), and the single
// function that writes every error as AWS does: `{"__type", "message"}`
// with x-amzn-ErrorType, x-amzn-ErrorMessage and x-amzn-RequestId headers
// and the HTTP status that belongs to the exception. Rules and messages
// about user pools, clients and scopes live in internal/cognito; the OAuth
// endpoints live in internal/oauth.
package awsjson
