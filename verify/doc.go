// Package verify checks JSON Web Tokens issued by cognitod or by Amazon
// Cognito user pools, for resource servers written in Go.
//
// It depends only on the standard library. Tokens must be signed with RS256;
// the keys come from the issuer's JSON Web Key Set, fetched on first use and
// cached.
//
// # Verifying access tokens
//
// Build a [Verifier] with the expectations a token must meet and call
// [Verifier.Verify], or wrap handlers with the middleware:
//
//	v := &verify.Verifier{
//		Algorithm: verify.RS256,
//		Issuer:    "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
//		TokenUse:  verify.AccessToken,
//		ClientIDs: []string{"1example23456789"},
//	}
//	if err := v.Validate(); err != nil {
//		log.Fatal(err)
//	}
//	mux.Handle("GET /photos", v.RequireScopes("com.example.photos/read")(photosHandler))
//
// and, in the handler:
//
//	claims, _ := verify.ClaimsFromContext(r.Context())
//	log.Printf("request by %s", claims.Username)
//
// For cognitod the issuer is its public URL followed by the user pool ID,
// such as "https://auth.example.com/eu-west-1_AbCdEf123". In both cases the
// JWKS is at the issuer followed by "/.well-known/jwks.json"; set
// [Verifier.JWKSURL] if it is elsewhere.
//
// # What is checked
//
// Verify accepts a token only if all of the following hold:
//
//   - it is a compact JWS whose header has alg "RS256" and a kid; "none",
//     HS256 and every other algorithm are rejected before any key is used,
//     so the public key can never be misused as an HMAC secret;
//   - the JWKS has an RSA key with that kid, of 2048 to 8192 bits, whose alg
//     (if set) is RS256 and whose use (if set) is "sig", and the signature
//     verifies with it;
//   - iss equals [Verifier.Issuer] exactly and token_use equals
//     [Verifier.TokenUse];
//   - client_id (access tokens) or aud (ID tokens) is one of
//     [Verifier.ClientIDs]. At least one client ID is required: accepting
//     tokens minted for any client of the pool must be asked for with
//     [Verifier.AnyClientID];
//   - exp is present and the current time is before exp + [Verifier.Leeway];
//     iat and nbf, when present, are no later than the current time +
//     Leeway.
//
// A header with a crit member is rejected, since no JWS extension is
// supported. The typ header is not checked (Cognito does not set it);
// token_use is what tells access and ID tokens apart. Keys are never taken
// from the token itself (jku, jwk, x5u and x5c headers are ignored).
//
// Failures are [*Error] values carrying an RFC 6750 error code and wrapping a
// sentinel error such as [ErrExpired] or [ErrSignature], for use with
// [errors.Is].
//
// # Key cache
//
// The JWKS is fetched on the first call of Verify, not when the Verifier is
// created; concurrent first calls share one fetch. A token whose kid is not
// in the cache causes a refetch (so key rotation needs no restart), at most
// once per [Verifier.RefreshCooldown], which keeps a flood of forged kids
// from turning into a flood of requests to the issuer. If a refetch fails,
// the keys already cached keep being used. Keys are never dropped from the
// cache except by a successful refetch; restart the process to stop
// trusting a key immediately.
//
// A program that holds the issuer's keys itself sets [Verifier.Keys] to a
// [KeySource] instead: nothing is fetched, and every other check is the
// same.
//
// # Claims
//
// [Claims] has typed fields for the registered and Cognito claims, decoded
// once without reflection. Custom attributes are read with [Claims.Get] or
// [Claims.Decode].
package verify
