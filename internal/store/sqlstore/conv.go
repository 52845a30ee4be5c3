package sqlstore

import (
	"bytes"
	"encoding/json"
	"time"
)

// Conversions. Times are UTC Unix milliseconds; 0 is the zero time for
// the columns that may be unset. JSON is written without HTML escaping so
// that json.RawMessage members come back byte for byte (encoding/json
// still compacts them). Empty byte slices are stored as NULL and read back
// as nil.

// ToMS is t as stored.
func ToMS(t time.Time) int64 { return t.UnixMilli() }

// fromMS is a stored time, in UTC.
func fromMS(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// ToOptMS is ToMS, with the zero time stored as 0.
func ToOptMS(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return ToMS(t)
}

// fromOptMS is fromMS, with 0 read as the zero time.
func fromOptMS(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return fromMS(ms)
}

// MarshalJSON is v as a JSON column holds it.
func MarshalJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n"))), nil
}

// BlobArg is b as a blob column takes it: NULL when empty.
func BlobArg(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// blobOut is a blob column as read: nil when NULL or empty.
func blobOut(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
