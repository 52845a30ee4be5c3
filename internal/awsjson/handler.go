package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/cognitod/cognitod/internal/cognito"
	"github.com/cognitod/cognitod/internal/ratelimit"
	"github.com/cognitod/cognitod/internal/sigv4"
)

const (
	targetPrefix = "AWSCognitoIdentityProviderService."
	contentType  = "application/x-amz-json-1.1"
	// The response headers every answer carries, in net/http's canonical
	// spelling (x-amzn-RequestId on the wire is case-insensitive).
	headerRequestID   = "X-Amzn-Requestid"
	headerContentType = "Content-Type"
	// maxBodyBytes bounds a request body; Cognito's largest inputs (a
	// pool with 50 schema attributes and 20,000-character messages) fit
	// well inside it.
	maxBodyBytes = 1 << 20
)

// Handler serves the cognito-idp API. It is safe for concurrent use.
type Handler struct {
	svc      *cognito.Service
	verifier *sigv4.Verifier
	logger   *slog.Logger
	limits   *ratelimit.Limits
}

// Config configures a Handler.
type Config struct {
	Service *cognito.Service
	Logger  *slog.Logger
	// Now is the clock SigV4's skew window is measured against.
	Now func() time.Time
	// Limits are the request-rate quotas and per-source limits (see
	// limits.go); nil limits nothing.
	Limits *ratelimit.Limits
}

// New returns the API handler.
func New(cfg Config) *Handler {
	h := &Handler{svc: cfg.Service, logger: cfg.Logger, limits: cfg.Limits}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	h.verifier = &sigv4.Verifier{
		Service:       "cognito-idp",
		Now:           cfg.Now,
		RequireSigned: []string{"x-amz-target"},
		ValidRegion:   cognito.ValidRegion,
	}
	return h
}

// verify checks the request's SigV4 signature, looking its access key up
// in the store, and returns the key it proved. A key the store could not
// be asked about (the database is down) is not an unknown key: the request
// fails with InternalErrorException, which SDKs retry, rather than
// UnrecognizedClientException, which they do not, and it is not counted
// as a failed authentication against the caller's source (observe only
// counts SigV4 errors), so an outage does not throttle every client.
func (h *Handler) verify(ctx context.Context, r *http.Request, body []byte) (sigv4.Identity, *cognito.VerifiedAccessKey, error) {
	var key *cognito.VerifiedAccessKey
	var lookupErr error
	id, err := h.verifier.VerifyWith(r, body, func(id string) (string, bool) {
		k, err := h.svc.AccessKeyForSigV4(ctx, id)
		if err != nil {
			lookupErr = err
			return "", false
		}
		if k == nil {
			return "", false
		}
		key = k
		return k.Secret(), true
	})
	if err != nil && lookupErr != nil {
		// The domain already wrapped the store's or the sealer's error:
		// the log names that cause once.
		cause := lookupErr
		if ce := (*cognito.Error)(nil); errors.As(lookupErr, &ce) && ce.Cause != nil {
			cause = ce.Cause
		}
		return id, nil, &cognito.Error{Type: cognito.ErrInternal.Type, Message: cognito.ErrInternal.Message, Cause: cause}
	}
	return id, key, err
}

// ServeHTTP answers one cognito-idp request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := cognito.NewUUID()
	// Set by canonical key, with one backing array for both values: no
	// key canonicalization and one allocation per answer.
	hdr := w.Header()
	vs := []string{requestID, contentType}
	hdr[headerRequestID] = vs[0:1:1]
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	defer func() {
		if p := recover(); p != nil {
			h.logger.Error("panic in cognito-idp operation", "operation", op, "request_id", requestID, "panic", fmt.Sprint(p))
			h.writeError(w, r, op, requestID, &cognito.Error{Type: cognito.ErrInternal.Type, Message: cognito.ErrInternal.Message})
		}
	}()
	out, err := h.serve(r)
	h.observe(r, err) // per-source failed authentications (limits.go)
	if err != nil {
		h.writeError(w, r, op, requestID, err)
		return
	}
	buf := answers.Get().(*bytes.Buffer)
	defer putAnswer(buf)
	buf.Reset()
	enc := json.NewEncoder(buf)
	if err := enc.Encode(out); err != nil {
		h.writeError(w, r, op, requestID, err)
		return
	}
	hdr[headerContentType] = vs[1:2:2]
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes()[:buf.Len()-1]) // without the newline Encode ends with
}

// answers holds the buffers answers are encoded into: json.Marshal would
// copy each answer into a new slice only for w.Write to copy it again.
var answers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putAnswer returns buf to answers unless a large answer (a long list)
// grew it: the pool keeps no more memory than a usual answer needs.
func putAnswer(buf *bytes.Buffer) {
	if buf.Cap() <= 64<<10 {
		answers.Put(buf)
	}
}

// serve parses the request at the edge, authenticates it and calls the
// operation; it returns the response value or the error to write.
func (h *Handler) serve(r *http.Request) (any, error) {
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return nil, errNoOperation
	}
	if !strings.HasPrefix(target, targetPrefix) {
		return nil, errUnknownOperation
	}
	name := strings.TrimPrefix(target, targetPrefix)
	info, known := cognito.LookupOperation(name)
	call, served := operations[name]
	if !known || !served {
		return nil, errUnknownOperation
	}
	if err := h.gate(r, name); err != nil { // per-source limits (limits.go)
		return nil, err
	}
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	if !info.Unsigned {
		id, key, err := h.verify(ctx, r, body)
		if err != nil {
			return nil, err
		}
		ip, tls := cognito.ConnInfo(r)
		ctx = cognito.WithCaller(ctx, cognito.Caller{AccessKeyID: id.AccessKeyID, Region: id.Region, SourceIP: ip, SecureTransport: tls}.WithKey(key))
	}
	if err := h.admit(ctx, name, info.Unsigned, body); err != nil { // request-rate quotas (limits.go)
		return nil, err
	}
	if err := checkInput(name, body); err != nil {
		return nil, err
	}
	// Checked once, here, from the JSON as sent; the Service skips its
	// own check of the decoded struct for this operation.
	ctx = cognito.WithValidatedInput(ctx, name)
	in, err := call.decode(body)
	if err != nil {
		return nil, err
	}
	if !info.Unsigned {
		// The key's IAM-style policy, after validation so that the
		// resource ARN is built from a bounded, well-formed pool ID.
		if err := h.svc.Authorize(ctx, name, in); err != nil {
			return nil, err
		}
	}
	return call.call(ctx, h.svc, in)
}

// checkInput decodes a body and checks it against the operation's input
// shape: types first (SerializationException), then every constraint
// (InvalidParameterException).
func checkInput(operation string, body []byte) error {
	tree, err := decodeTree(body)
	if err != nil {
		return err
	}
	return cognito.Validate(operation, tree)
}

var errUnknownOperation = &cognito.Error{Type: "UnknownOperationException"}

// errNoOperation is a request without X-Amz-Target, which AWS answers
// with a body of another shape (captured from cognito-idp):
// {"code":"BadRequest","message":"The server did not understand the
// operation that was requested.","type":"client"}.
var errNoOperation = &cognito.Error{Type: "BadRequest", Message: "The server did not understand the operation that was requested."}

var (
	errBodyTooLarge   = cognito.ErrSerialization.WithMessagef("Request body is larger than %d bytes", maxBodyBytes)
	errUnreadableBody = cognito.ErrSerialization.WithMessage("Could not read the request body")
)

// readBody reads the whole request body, at most maxBodyBytes. A body
// whose length is declared is read into a slice of exactly that size (plus
// the byte the final read needs to see the end): a growing buffer would
// allocate 2 KiB for a 100-byte body, most of a signed read's garbage.
// net/http already stops a declared body at its length, so only a chunked
// one goes through MaxBytesReader, and a declared one is read no further
// than one byte past its length.
func readBody(r *http.Request) ([]byte, error) {
	declared := r.ContentLength
	if declared > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	var src io.Reader = r.Body
	size := 512
	if declared >= 0 {
		size = int(declared) + 1
	} else {
		src = http.MaxBytesReader(nil, r.Body, maxBodyBytes)
	}
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			if declared >= 0 {
				break // past its declared length: refused below
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errBodyTooLarge
		}
		if err != nil {
			return nil, errUnreadableBody
		}
	}
	if declared >= 0 && int64(len(buf)) != declared {
		// Shorter: the client stopped early. Longer: a body that is not
		// net/http's ran past its declared length.
		return nil, errUnreadableBody
	}
	return buf, nil
}

// decodeTree decodes a request body into generic JSON, numbers kept exact,
// so that the model's checks see exactly what the client sent. An empty
// body counts as {}.
func decodeTree(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	v, err := parseTree(body) // tree.go
	if err != nil {
		return nil, cognito.ErrSerialization.WithMessage("")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, cognito.ErrSerialization.WithMessage("Request body must be a JSON object")
	}
	return obj, nil
}

// writeError is the one place an error becomes an AWS JSON 1.1 response.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, op, requestID string, err error) {
	typ, msg := "InternalErrorException", cognito.ErrInternal.Message
	var ce *cognito.Error
	var se *sigv4.Error
	switch {
	case errors.As(err, &ce):
		typ, msg = ce.Type, ce.Message
		if ce.Cause != nil {
			h.logger.ErrorContext(r.Context(), "cognito-idp operation failed", "operation", op, "request_id", requestID, "type", typ, "err", ce.Cause)
		}
	case errors.As(err, &se):
		typ, msg = se.Type, se.Message
	default:
		h.logger.ErrorContext(r.Context(), "cognito-idp operation failed", "operation", op, "request_id", requestID, "err", err)
	}
	status := http.StatusBadRequest
	if typ == "InternalErrorException" {
		status = http.StatusInternalServerError
	}
	body := map[string]string{"__type": typ}
	switch {
	case typ == errNoOperation.Type:
		body = map[string]string{"code": typ, "message": msg, "type": "client"}
	case msg == "":
	case typ == cognito.ErrSerialization.Type:
		// Coral's SerializationException spells the key "Message".
		body["Message"] = msg
	default:
		body["message"] = msg
	}
	b, _ := json.Marshal(body)
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("x-amzn-ErrorType", typ+":")
	if msg != "" {
		hd.Set("x-amzn-ErrorMessage", headerSafe(msg))
	}
	w.WriteHeader(status)
	w.Write(b)
}

// maxErrorHeader bounds the x-amzn-ErrorMessage header. A validation
// message quotes the bad value, and a caller's value can be nearly as large
// as the request body: copied whole it makes one header line of hundreds of
// kilobytes, which proxies and clients with header limits (often 8 KB) turn
// into a failed response instead of an error. The JSON body keeps the whole
// message; the header is a convenience copy.
const maxErrorHeader = 1024

// headerSafe keeps a message usable as a header value: printable ASCII
// only (so no CR/LF and, being ASCII, every cut is on a character
// boundary), at most maxErrorHeader bytes.
func headerSafe(s string) string {
	if len(s) > maxErrorHeader {
		// Each byte maps to at most one output byte (a multi-byte rune
		// becomes one '?'), so maxErrorHeader input bytes suffice.
		s = s[:maxErrorHeader]
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r > 0x7e {
			return '?'
		}
		return r
	}, s)
	return s
}
