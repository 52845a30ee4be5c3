package cognito

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
)

// Pagination tokens are keyset cursors: the Seq of the last row returned,
// authenticated with an HMAC over the listing they belong to (the kind of
// list and the pool, or region, it lists). A token cannot be forged,
// edited, or replayed against another listing, and it stays correct while
// rows are added or deleted between pages, because the next page starts
// after a key rather than at an offset.

const pageTokenMACSize = 16

func (s *Sealer) pageToken(listing string, lastSeq int64) string {
	buf := make([]byte, 8, 8+pageTokenMACSize)
	binary.BigEndian.PutUint64(buf, uint64(lastSeq))
	buf = append(buf, s.pageMAC(listing, buf[:8])...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// parsePageToken returns the Seq a token resumes after; ok is false for a
// token that was not issued for this listing.
func (s *Sealer) parsePageToken(listing, token string) (after int64, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 8+pageTokenMACSize {
		return 0, false
	}
	if !hmac.Equal(raw[8:], s.pageMAC(listing, raw[:8])) {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(raw[:8])), true
}

func (s *Sealer) pageMAC(listing string, seq []byte) []byte {
	m := hmac.New(sha256.New, s.paginationKey)
	m.Write([]byte(listing))
	m.Write([]byte{0})
	m.Write(seq)
	return m.Sum(nil)[:pageTokenMACSize]
}

// page runs one keyset page of a listing: list fetches up to limit+1 rows
// after a Seq, so that the extra row tells whether a next page exists.
func page[T any](s *Service, listing, token string, maxResults int, list func(after int64, limit int) ([]T, error), seqOf func(T) int64) ([]T, *string, error) {
	var after int64
	if token != "" {
		var ok bool
		if after, ok = s.sealer.parsePageToken(listing, token); !ok {
			return nil, nil, ErrInvalidParameter.WithMessage(msgInvalidNextToken)
		}
	}
	rows, err := list(after, maxResults+1)
	if err != nil {
		return nil, nil, asError(err)
	}
	if len(rows) <= maxResults {
		return rows, nil, nil
	}
	rows = rows[:maxResults]
	next := s.sealer.pageToken(listing, seqOf(rows[len(rows)-1]))
	return rows, &next, nil
}
